"""A network cut the harness owns (ネットワーク断): a TCP proxy on loopback between one instance
and the campaign's broker node. While cut, open connections are dropped and new ones closed at
once; nothing outside this machine is ever addressed."""
from __future__ import annotations

import socket
import threading


class CuttableProxy:
    def __init__(self, target_port: int, host: str = "127.0.0.1"):
        self.target = (host, target_port)
        self.listener = socket.create_server((host, 0))
        self.port = self.listener.getsockname()[1]
        self.cut = threading.Event()
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
                sink.sendall(chunk)
        except OSError:
            pass
        self._close(pair)

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

    def close(self) -> None:
        self._stopping = True
        self.begin_cut()
        self.listener.close()
