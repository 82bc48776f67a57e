"""The campaign's network cut (issue 22): a loopback TCP proxy the harness owns forwards until it
is cut, then drops open connections and closes new ones, and forwards again once the cut ends."""
from __future__ import annotations

import socket
import threading

import pytest

from kasane.cli.main import main
from kasane.faults.proxy import CuttableProxy, Degradation, FaultyProxy


@pytest.fixture
def echo_port():
    server = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=lambda c=conn: [c.sendall(d) for d in iter(lambda: c.recv(1024), b"")],
                             daemon=True).start()
    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def roundtrip(port: int) -> bytes:
    """What comes back through the proxy: the echo, or nothing when it closed (or reset) the connection."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
            conn.sendall(b"ping")
            return conn.recv(4)
    except ConnectionResetError:
        return b""


def received(conn) -> bytes:
    try:
        return conn.recv(4)
    except ConnectionResetError:
        return b""


def test_the_proxy_forwards_drops_while_cut_and_forwards_again(echo_port):
    proxy = CuttableProxy(echo_port)
    try:
        assert roundtrip(proxy.port) == b"ping"
        held = socket.create_connection(("127.0.0.1", proxy.port), timeout=2)
        held.sendall(b"ping")
        assert held.recv(4) == b"ping"
        proxy.begin_cut()
        assert received(held) == b""  # the open connection was dropped
        assert roundtrip(proxy.port) == b""  # a new one is closed at once
        proxy.end_cut()
        assert roundtrip(proxy.port) == b"ping"
        held.close()
    finally:
        proxy.close()


def timed_roundtrips(port: int, count: int) -> list[float]:
    import time
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        times = []
        for _ in range(count):
            began = time.monotonic()
            conn.sendall(b"ping")
            assert conn.recv(4) == b"ping"  # in order, nothing lost: TCP's promise kept
            times.append(time.monotonic() - began)
        return times


def test_a_delayed_link_holds_every_chunk_back_and_heals_when_the_fault_ends(echo_port):
    proxy = FaultyProxy(echo_port)
    try:
        assert max(timed_roundtrips(proxy.port, 3)) < 0.1
        proxy.degrade(Degradation(latency=0.1, jitter=0.05), seed=4)
        assert all(0.2 <= t < 1.0 for t in timed_roundtrips(proxy.port, 3))  # each way, per chunk
        proxy.heal()
        assert max(timed_roundtrips(proxy.port, 3)) < 0.1
    finally:
        proxy.close()


def test_a_lossy_link_stalls_now_and_then_the_same_way_for_the_same_seed(echo_port):
    def stalls(seed: int) -> list[bool]:
        proxy = FaultyProxy(echo_port)
        try:
            proxy.degrade(Degradation(stall_chance=0.3, stall_for=0.8), seed=seed)
            return [t > 0.1 for t in timed_roundtrips(proxy.port, 8)]  # a busy machine's own delays stay below
        finally:
            proxy.close()
    first = stalls(11)
    assert any(first) and not all(first)
    assert first == stalls(11)


def test_a_campaign_without_a_seed_is_refused_in_one_line(capsys):
    with pytest.raises(SystemExit) as refused:
        main(["faults", "run", "--minutes", "1"])
    assert refused.value.code == 2
    assert "--seed" in capsys.readouterr().err
