"""psycopg's wait on eventlet's hub itself (グリーンな待ち).

psycopg's `wait_select` under eventlet calls the green `select` at every wait: it builds a
listener per descriptor and a timer for its 0.1 s interval (which only lets Ctrl-C in), then tears
them down — per round trip, a tenth of a service's CPU in the write path's profile (issue 24).
This wait parks the green thread on the connection's socket with `trampoline`, with no timer
unless the caller gave a timeout. When psycopg waits for either direction (a pipeline sending),
one non-blocking poll tells which is ready, as the generator must know; the socket mostly is
writable, and the green thread goes on without a trip through the hub. Installed by
kasane.greening.
"""
from __future__ import annotations

from time import monotonic

from eventlet.green import select as green_select
from eventlet.hubs import trampoline
from eventlet.patcher import original
from psycopg import errors, waiting
from psycopg.waiting import READY_NONE, READY_R, READY_RW, READY_W, WAIT_R, WAIT_W

_select = original("select").select  # never blocks here: a zero timeout


class _Elapsed(Exception):
    pass


def green_wait(gen, fileno: int, interval: float = 0.0, timeout: float | None = None):
    """Consume psycopg's generator `gen`, parking on `fileno` whenever it would block."""
    deadline = None if timeout is None else monotonic() + timeout
    try:
        wanted = next(gen)
        while True:
            wanted = gen.send(_until_ready(fileno, wanted, deadline))
    except StopIteration as done:
        return done.value


def _until_ready(fileno: int, wanted, deadline: float | None) -> waiting.Ready:
    left = None if deadline is None else max(0.0, deadline - monotonic())
    if wanted == WAIT_R or wanted == WAIT_W:
        try:
            trampoline(fileno, read=wanted == WAIT_R, write=wanted == WAIT_W, timeout=left,
                       timeout_exc=_Elapsed)
        except _Elapsed:
            raise errors._WaitTimeout("wait timeout expired") from None
        return READY_R if wanted == WAIT_R else READY_W
    # Either direction (a pipeline sending): trampoline takes one only. The socket is mostly
    # writable already; otherwise the green select waits for both.
    ready = _ready_now(fileno)
    if ready == READY_NONE:
        green_select.select([fileno], [fileno], [], left)
        ready = _ready_now(fileno)
        if ready == READY_NONE and left is not None:
            raise errors._WaitTimeout("wait timeout expired")
    return ready


def _ready_now(fileno: int) -> waiting.Ready:
    readable, writable, _ = _select([fileno], [fileno], [], 0)
    return READY_RW if readable and writable else READY_R if readable else READY_W if writable else READY_NONE


def install() -> None:
    """psycopg looks its wait up on `psycopg.waiting` at every call."""
    waiting.wait = green_wait

