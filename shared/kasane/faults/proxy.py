"""The network between one instance and the campaign's broker node, owned by the harness
(ネットワーク障害): a TCP proxy on loopback that can
- cut (ネットワーク断): open connections dropped, new ones closed at once;
- delay (遅延): every chunk held back by a latency with jitter, in order;
- lose (パケット損失): the link stalls now and then, as TCP does when segments are lost and
  retransmitted, holding what is in flight until the stall ends.
Jitter and stalls come from a `random.Random` seeded by the fault, so a seed gives the same
delays. Nothing outside this machine is ever addressed.
"""
from __future__ import annotations

import random
import socket
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Degradation:
    """How the link misbehaves while a delay or loss fault holds."""
    latency: float = 0.0     # seconds added to every chunk
    jitter: float = 0.0      # up to this much more, drawn per chunk
    stall_chance: float = 0.0  # per chunk: the link stalls …
    stall_for: float = 0.0   # … for up to this long


class FaultyProxy:
    def __init__(self, target_port: int, host: str = "127.0.0.1"):
        self.target = (host, target_port)
        self.listener = socket.create_server((host, 0))
        self.port = self.listener.getsockname()[1]
        self.cut = threading.Event()
        self.degradation = Degradation()
        self._draw = random.Random(0)
        self._open: set = set()
        self._lock = threading.Lock()
        self._stopping = False
        threading.Thread(target=self._accept, daemon=True, name="faults-proxy").start()

    def _accept(self) -> None:
        while not self._stopping:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            pair = (client, upstream)
            with self._lock:
                self._open.add(pair)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b, pair), daemon=True).start()

    def _pump(self, source, sink, pair) -> None:
        try:
            while chunk := source.recv(65536):
                self._hold()
                sink.sendall(chunk)
        except OSError:
            pass
        self._close(pair)

    def _hold(self) -> None:
        """Wait as the degraded link would before passing a chunk on (nothing while healthy)."""
        d = self.degradation
        if not (d.latency or d.stall_chance):
            return
        with self._lock:  # one seeded sequence of draws, whichever connection asks
            wait = d.latency + self._draw.uniform(0, d.jitter)
            if self._draw.random() < d.stall_chance:
                wait += self._draw.uniform(0, d.stall_for)
        time.sleep(wait)

    def _close(self, pair) -> None:
        with self._lock:
            self._open.discard(pair)
        for s in pair:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def begin_cut(self) -> None:
        self.cut.set()
        with self._lock:
            pairs = list(self._open)
        for pair in pairs:
            self._close(pair)

    def end_cut(self) -> None:
        self.cut.clear()

    def degrade(self, degradation: Degradation, seed: int) -> None:
        with self._lock:
            self._draw = random.Random(seed)
            self.degradation = degradation

    def heal(self) -> None:
        self.degradation = Degradation()

    def close(self) -> None:
        self._stopping = True
        self.begin_cut()
        self.listener.close()


CuttableProxy = FaultyProxy  # the name the first campaign knew it by
