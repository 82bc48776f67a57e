"""履歴 — the campaign's history file: one JSON line per command (its answer), per fault (its
start and end) and per catch-up, each with its time. Ids and kinds only: commands' personal
fields never reach it (the workload's people are fictional, and still not written down).
"""
from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timezone
from pathlib import Path


class History:
    def __init__(self, path: Path):
        self.path = path
        self.started = time.monotonic()
        self.entries: list[dict] = []
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "w", encoding="utf-8")

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 3)

    def record(self, kind: str, **fields) -> dict:
        entry = {"t": self.elapsed(), "at": datetime.now(timezone.utc).isoformat(), "kind": kind, **fields}
        with self._lock:
            self.entries.append(entry)
            self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._file.flush()
        return entry

    def of_kind(self, kind: str) -> list[dict]:
        with self._lock:
            return [e for e in self.entries if e["kind"] == kind]

    def close(self) -> None:
        self._file.close()


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
