"""The organisation's own instances over nameko RPC, with the signed-in person in the call's
context (reader_staff_id, reader_name, reader_organisation, reader_role, reader_purpose).

The gateway runs as its organisation's bus user, and the broker lets that user call RPC on
the organisation's instances only (kasane.bus.access): an instance of another organisation is
out of reach whatever the gateway asks — but for the few calls any organisation may make
(SHARED_CALLS: a 支援会議 record, read by member persons of any member organisation) on the
city's 多機関協働 instance. Every call carries the bus user as its AMQP `user_id`, which the
broker validates, so the called instance knows which organisation truly asks.
"""
from __future__ import annotations

import json
import os

from kombu import Connection
from nameko.extensions import DependencyProvider
from nameko.rpc import MethodProxy, ReplyListener, ServiceProxy

from kasane.bus.access import SHARED_CALLS
from kasane.errors import NotFound

ELSEWHERE = "この組織には該当するインスタンスがありません"


def own_instances(env=os.environ) -> dict[str, str]:
    """instance -> service, as `kasane up` writes them (KASANE_GATEWAY_INSTANCES)."""
    return json.loads(env.get("KASANE_GATEWAY_INSTANCES") or "{}")


def city_instances(env=os.environ) -> dict[str, str]:
    """instance -> service of the city's instances any organisation may call SHARED_CALLS on."""
    collaboration = env.get("KASANE_COLLABORATION_INSTANCE")
    return {collaboration: "collaboration"} if collaboration else {}


class Instances:
    def __init__(self, worker_ctx, listener, known: dict[str, str], user: str,
                 city: dict[str, str] | None = None):
        self.worker_ctx, self.listener, self.known, self.user = worker_ctx, listener, known, user
        self.city = city or {}

    def of(self, service: str) -> list[str]:
        return sorted(i for i, s in self.known.items() if s == service)

    def one_of(self, service: str, instance: str | None = None) -> str:
        """The named instance if it is this organisation's and of that service; else its only one."""
        mine = self.of(service)
        if instance in mine or (instance is None and len(mine) == 1):
            return instance or mine[0]
        raise NotFound(ELSEWHERE)

    def __getitem__(self, instance: str) -> ServiceProxy:
        if instance not in self.known:
            raise NotFound(ELSEWHERE)
        return ServiceProxy(self.worker_ctx, instance, self.listener, user_id=self.user)

    def shared(self, service: str, method: str, instance: str | None = None) -> MethodProxy:
        """One of SHARED_CALLS on this organisation's instance of `service` or the city's."""
        if method not in SHARED_CALLS:
            raise NotFound(ELSEWHERE)
        reachable = {**self.city, **self.known}
        mine = [i for i, s in sorted(reachable.items()) if s == service]
        if instance is None and len(mine) == 1:
            instance = mine[0]
        if instance not in mine:
            raise NotFound(ELSEWHERE)
        return MethodProxy(self.worker_ctx, instance, method, self.listener, user_id=self.user)

    def act_as(self, person: dict, purpose: str) -> None:
        """Every call this request makes from now on carries the person (閲覧記録 names them)."""
        self.worker_ctx.data.update({
            "reader_staff_id": person["staff_id"], "reader_name": person["name"],
            "reader_organisation": person["organisation"], "reader_role": person["role"],
            "reader_purpose": purpose})


class OrganisationInstances(DependencyProvider):
    rpc_reply_listener = ReplyListener()

    def setup(self):
        self.known, self.city = own_instances(), city_instances()
        self.user = Connection(self.container.config["AMQP_URI"]).userid  # the organisation's bus user

    def get_dependency(self, worker_ctx) -> Instances:
        return Instances(worker_ctx, self.rpc_reply_listener, self.known, self.user, self.city)
