"""Pipelines that send everything before they wait (パイプラインの送信漏れ防止).

psycopg 3.3.9 (Python and C alike) ends a pipeline's send loop as soon as no command is
queued, without looking at what libpq's last `flush()` answered: when the socket took only part
of the output (a large statement, a busy server), the rest stays in libpq's buffer while psycopg
waits for the server's answer — and the server, having read half a message, waits for the rest.
Found as a consumer hung for good in the middle of a save (`kasane_events` INSERT "active",
ClientRead), reproduced by `tests/integration/test_pipeline_flush.py` without eventlet.

Every save goes through eventsourcing's pipeline, so the fix is installed once, at import: after
psycopg's own send loop, flush until libpq has nothing left, reading input meanwhile (psycopg's
`send` generator: green-friendly, no round trip added). Remove when psycopg checks the flush.
"""
from __future__ import annotations

from psycopg import _pipeline_base, generators

_psycopg_communicate = _pipeline_base.pipeline_communicate


def communicate_then_flush(pgconn, commands):
    """psycopg's pipeline_communicate, then every byte it left in libpq's buffer sent."""
    results = yield from _psycopg_communicate(pgconn, commands)
    yield from generators.send(pgconn)
    return results


def install() -> None:
    _pipeline_base.pipeline_communicate = communicate_then_flush


install()
