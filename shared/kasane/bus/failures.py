"""How the consumer sorts failures: poison (dead-letter it), transient (retry), conflict (reload).

Transient means the infrastructure, not the message: a database or broker that is down or
restarting. A write conflict is another writer having changed the same aggregate first; the
batch is simply run again on fresh state.
"""
from __future__ import annotations

import socket

import psycopg
import psycopg_pool
from eventsourcing import persistence
from kasane_contracts import ContractViolation


class ContractBroken(Exception):
    """A message kasane cannot process whatever it retries: the reason goes into the DLQ header."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


POISON = (ContractBroken, ContractViolation)

_TRANSIENT = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg_pool.PoolTimeout,
    persistence.OperationalError,
    persistence.InterfaceError,
    ConnectionError,
    socket.timeout,
)


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, _TRANSIENT)


def is_write_conflict(exc: BaseException) -> bool:
    return isinstance(exc, (persistence.IntegrityError, psycopg.errors.UniqueViolation))
