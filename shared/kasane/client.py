"""Calling service instances over nameko RPC from outside them (CLI, demo, tests, benchmark)."""
from __future__ import annotations

from contextlib import contextmanager

from nameko.constants import NON_PERSISTENT
from nameko.rpc import ServiceProxy
from nameko.standalone.rpc import ClusterProxy, ClusterRpcProxy

from kasane.config import BrokerSettings
from kasane.runtime.remote import register_remote_errors


@contextmanager
def rpc_cluster(broker: BrokerSettings, timeout: float = 30, reader: dict | None = None,
                as_instance: str | None = None):
    """`with rpc_cluster(broker, reader={"name": …, "organisation": …}) as rpc:
    rpc[instance].method(...)` — the reader is recorded by every query that shows personal
    details (閲覧記録). `as_instance`: calling as that instance of the broker user's organisation
    does (a gateway): its reply queue is named after it, as the user's rights require, and every
    call carries the user as its AMQP user_id, which the broker validates (kasane.runtime.rpc)."""
    register_remote_errors()
    context = context_of(reader) if reader else {}
    proxy = _vouched_proxy(as_instance, broker.user) if as_instance else _TransientRpcProxy
    with proxy({"AMQP_URI": broker.amqp_uri, "serializer": "json"},
               timeout=timeout, context_data=context) as cluster:
        yield _Instances(cluster)


class _Services(ClusterProxy):
    """nameko's cluster of service proxies, each publishing with `options` (nameko's own passes
    none). Requests are not persistent: one the broker lost on a restart is a timeout for its
    caller, who waits for the answer in any case (as for the answers: kasane.runtime.rpc)."""
    options: dict = {"delivery_mode": NON_PERSISTENT}

    def __getattr__(self, name):
        if name not in self._proxies:
            self._proxies[name] = ServiceProxy(self._worker_ctx, name, self._reply_listener, **self.options)
        return self._proxies[name]


class _TransientRpcProxy(ClusterRpcProxy):
    services = _Services

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._proxy = self.services(self._worker_ctx, self._reply_listener)


def _vouched_proxy(instance: str, user: str) -> type:
    """The cluster proxy with its reply queue named after `instance` and `user_id` on every call."""
    class Container(ClusterRpcProxy.ServiceContainer):
        service_name = instance

    class Services(_Services):
        options = {**_Services.options, "user_id": user}

    class VouchedRpcProxy(_TransientRpcProxy):
        ServiceContainer = Container
        services = Services

    return VouchedRpcProxy


def context_of(reader: dict) -> dict:
    """The RPC context naming the reader (kasane.audit.reads.reader_from reads it back)."""
    from kasane.audit.reads import READER_KEYS
    return {"reader_name": reader["name"], "reader_organisation": reader["organisation"],
            **{header: reader[key] for key, header in READER_KEYS.items() if reader.get(key)}}


class _Instances:
    def __init__(self, cluster):
        self._cluster = cluster

    def __getitem__(self, instance: str):
        return getattr(self._cluster, instance)
