"""まとめ送り — a run of AMQP frames written to the socket together, not one send() each.

py-amqp writes every frame (a publish, an ack) with its own `sendall`. On loopback each send
wakes the broker and runs its TCP stack in the sender's time slice: profiled on the relay
draining a backlog (py-spy, 2026-12-07), a quarter of its CPU was the send syscall. Within
`gathered_writes(connection)` frames are copied into one buffer and sent every `limit` bytes
and once at the end — the bytes and their order on the wire are unchanged.

Only for a connection one green thread owns (the relay's, the consumer's). When the block
fails, what was gathered is dropped: the caller's error ends the connection anyway, and
nothing it stands for was confirmed or acked.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

LIMIT = 256 * 1024  # bytes gathered before a send: a few hundred events, well under socket buffers


@contextmanager
def gathered_writes(connection, limit: int = LIMIT) -> Iterator[None]:
    """Frames written on `connection` (kombu's or py-amqp's) inside the block go out together."""
    transport = getattr(connection, "connection", connection).transport
    send = transport._write  # py-amqp's raw writer (sendall for TCP): an instance attribute
    pending = bytearray()

    def gather(data) -> None:
        pending.extend(data)  # a copy: py-amqp reuses the buffer `data` views for the next frame
        if len(pending) >= limit:
            send(bytes(pending))
            pending.clear()

    transport._write = gather
    try:
        yield
    finally:
        transport._write = send
    if pending:
        send(bytes(pending))
