"""Calling service instances over nameko RPC from outside them (CLI, demo, tests, benchmark)."""
from __future__ import annotations

from contextlib import contextmanager

from nameko.standalone.rpc import ClusterRpcProxy

from kasane.config import BrokerSettings
from kasane.runtime.remote import register_remote_errors


@contextmanager
def rpc_cluster(broker: BrokerSettings, timeout: float = 30, reader: dict | None = None):
    """`with rpc_cluster(broker, reader={"name": …, "organisation": …}) as rpc:
    rpc[instance].method(...)` — the reader is recorded by every query that shows personal
    details (閲覧記録)."""
    register_remote_errors()
    context = context_of(reader) if reader else {}
    with ClusterRpcProxy({"AMQP_URI": broker.amqp_uri, "serializer": "json"},
                         timeout=timeout, context_data=context) as cluster:
        yield _Instances(cluster)


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
