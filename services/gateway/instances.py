"""The organisation's own instances over nameko RPC, with the signed-in person in the call's
context (reader_staff_id, reader_name, reader_organisation, reader_role, reader_purpose).

The gateway runs as its organisation's bus user, and the broker lets that user call RPC on
the organisation's instances only (kasane.bus.access): an instance of another organisation is
out of reach whatever the gateway asks.
"""
from __future__ import annotations

import json
import os

from nameko.extensions import DependencyProvider
from nameko.rpc import ReplyListener, ServiceProxy

from kasane.errors import NotFound


def own_instances(env=os.environ) -> dict[str, str]:
    """instance -> service, as `kasane up` writes them (KASANE_GATEWAY_INSTANCES)."""
    return json.loads(env.get("KASANE_GATEWAY_INSTANCES") or "{}")


class Instances:
    def __init__(self, worker_ctx, listener, known: dict[str, str]):
        self.worker_ctx, self.listener, self.known = worker_ctx, listener, known

    def of(self, service: str) -> list[str]:
        return sorted(i for i, s in self.known.items() if s == service)

    def one_of(self, service: str, instance: str | None = None) -> str:
        """The named instance if it is this organisation's and of that service; else its only one."""
        mine = self.of(service)
        if instance in mine or (instance is None and len(mine) == 1):
            return instance or mine[0]
        raise NotFound("この組織には該当するインスタンスがありません")

    def __getitem__(self, instance: str) -> ServiceProxy:
        if instance not in self.known:
            raise NotFound("この組織には該当するインスタンスがありません")
        return ServiceProxy(self.worker_ctx, instance, self.listener)

    def act_as(self, person: dict, purpose: str) -> None:
        """Every call this request makes from now on carries the person (閲覧記録 names them)."""
        self.worker_ctx.data.update({
            "reader_staff_id": person["staff_id"], "reader_name": person["name"],
            "reader_organisation": person["organisation"], "reader_role": person["role"],
            "reader_purpose": purpose})


class OrganisationInstances(DependencyProvider):
    rpc_reply_listener = ReplyListener()

    def setup(self):
        self.known = own_instances()

    def get_dependency(self, worker_ctx) -> Instances:
        return Instances(worker_ctx, self.rpc_reply_listener, self.known)
