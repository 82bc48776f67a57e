"""接続権限 — what an organisation's RabbitMQ user may do on the bus.

Each organisation (a contractor or a city section) gets one user for all its instances. The
broker itself enforces, by regular expressions on resource names and on topic routing keys:
- publish only under its own origin: `ev.<its instance>.…` on `kasane.events`;
- bind and consume only its own queues (`inbox.`, `dlq.`, `rpc-` of its instances), and bind
  only broadcast keys or keys addressed to its own instances (`….to.<its instance>`);
- its dead letters only (`kasane.dead`, routing key = its instance);
- RPC calls on its own instances only (`<its instance>.<method>` on `nameko-rpc`) and replies
  (uuid routing keys), so its gateway reaches its own instances and never another
  organisation's; its reply queues (`rpc.reply-<its instance>-<uuid>`) are its own too.
  nameko needs `configure` on `nameko-rpc` to declare it.
- and the few calls every organisation may make on any instance (SHARED_CALLS): a 支援会議
  record is read by its member persons, who may work for any member organisation; the entrypoint
  then takes the reader's organisation only as the broker vouches for it (`user_id`,
  kasane.runtime.rpc), and the record itself admits member persons only.
The city's audit ledger organisation may additionally bind `ev.#` (every event).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kasane.bus.topology import DEAD_LETTER_EXCHANGE, EVENTS_EXCHANGE

RPC_EXCHANGE = "nameko-rpc"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UUID_KEY = rf"^{UUID}$"
#: RPC methods any organisation may call on any instance (each checks the vouched reader).
SHARED_CALLS = ("read_support_meeting",)


def user_name(organisation: str, vhost: str) -> str:
    """Users are global to the broker, permissions per vhost: the name carries the vhost so
    that two deployments (or test runs) never share, or overwrite, an organisation's user."""
    return f"kasane-{vhost}-{organisation}"


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: str
    instances: tuple[str, ...]
    reads_every_event: bool = False  # the city's audit ledger

    @property
    def _mine(self) -> str:
        return "(" + "|".join(re.escape(i) for i in sorted(self.instances)) + ")"

    def permissions(self) -> dict:
        own = rf"inbox\.{self._mine}|dlq\.{self._mine}|rpc-{self._mine}|rpc\.reply-{self._mine}-{UUID}"
        shared = rf"{re.escape(EVENTS_EXCHANGE)}|{re.escape(DEAD_LETTER_EXCHANGE)}|{RPC_EXCHANGE}"
        return {"configure": rf"^({RPC_EXCHANGE}|{own})$",
                "write": rf"^({shared}|{own})$",
                "read": rf"^({shared}|{own})$"}

    def topic_permissions(self) -> list[dict]:
        shared_calls = r"[A-Za-z0-9_-]+\.(" + "|".join(SHARED_CALLS) + ")"
        event_keys = rf"^ev\.\*\.[a-z0-9_]+\.[a-z0-9_]+\.v[0-9]+(\.to\.{self._mine})?$"
        if self.reads_every_event:
            event_keys += r"|^ev\.#$"
        return [
            {"exchange": EVENTS_EXCHANGE, "write": rf"^ev\.{self._mine}\.", "read": event_keys},
            {"exchange": DEAD_LETTER_EXCHANGE, "write": rf"^{self._mine}$", "read": rf"^{self._mine}$"},
            {"exchange": RPC_EXCHANGE, "write": rf"^({self._mine}\.[A-Za-z0-9_]+|{UUID}|{shared_calls})$",
             "read": rf"^({self._mine}\.\*|{UUID})$"},
        ]
