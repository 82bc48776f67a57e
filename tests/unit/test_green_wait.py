"""kasane.green_wait: psycopg's generators driven on eventlet's hub (real sockets, no database)."""
from __future__ import annotations

import socket

import eventlet
import pytest
from psycopg import errors
from psycopg.waiting import READY_R, READY_W, WAIT_R, WAIT_RW

from kasane.green_wait import green_wait


def generator_waiting_for(*waits):
    """A psycopg-like generator: yields each wait, records the readiness it is sent back."""
    told = []
    for wanted in waits:
        told.append((yield wanted))
    return told


def test_a_wait_for_reading_returns_once_the_peer_has_written_from_another_green_thread():
    ours, peer = socket.socketpair()
    with ours, peer:
        eventlet.spawn_after(0.05, peer.send, b"x")
        assert green_wait(generator_waiting_for(WAIT_R), ours.fileno()) == [READY_R]


def test_a_wait_for_either_direction_says_which_one_is_ready():
    ours, peer = socket.socketpair()
    with ours, peer:
        assert green_wait(generator_waiting_for(WAIT_RW), ours.fileno()) == [READY_W]
        peer.send(b"x")
        told = green_wait(generator_waiting_for(WAIT_RW), ours.fileno())
        assert told == [READY_R | READY_W]


def test_a_wait_past_its_timeout_fails_as_psycopgs_own_does():
    ours, peer = socket.socketpair()
    with ours, peer, pytest.raises(errors._WaitTimeout):
        green_wait(generator_waiting_for(WAIT_R), ours.fileno(), timeout=0.05)


def test_the_generators_answer_is_the_waits_answer():
    def answering():
        yield WAIT_RW
        return "rows"
    ours, peer = socket.socketpair()
    with ours, peer:
        assert green_wait(answering(), ours.fileno()) == "rows"


def test_a_wait_for_either_direction_on_a_full_socket_parks_until_the_peer_reads():
    ours, peer = socket.socketpair()
    with ours, peer:
        ours.setblocking(False)
        while True:  # fill the socket until it takes no more
            try:
                ours.send(b"x" * 65536)
            except BlockingIOError:
                break
        with pytest.raises(errors._WaitTimeout):
            green_wait(generator_waiting_for(WAIT_RW), ours.fileno(), timeout=0.05)

        def drain():
            peer.setblocking(False)
            while True:
                try:
                    peer.recv(1 << 20)
                except BlockingIOError:
                    return
        eventlet.spawn_after(0.05, drain)
        assert green_wait(generator_waiting_for(WAIT_RW), ours.fileno()) == [READY_W]
