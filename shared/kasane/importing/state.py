"""再開 — where an interrupted import resumes: per instance and source file (by its SHA-256),
how many rows were answered, and the rows refused or left for a caseworker so far.

Written after each batch is answered, atomically (a new file renamed over the old), so a kill
at any moment leaves the last whole state. Rows answered but not yet written here are sent
again on resume and answered `already_recorded` by the service (its ids are deterministic):
the state only saves time; exactly-once rests on the service.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kasane.config import state_dir


@dataclass
class ImportState:
    instance: str
    file_sha256: str
    answered: int = 0  # data rows answered, in file order
    recorded: int = 0
    already_recorded: int = 0
    consents_later: int = 0  # rows recorded earlier whose consent or its withdrawal came now
    refused: list = field(default_factory=list)  # [{"row", "column", "rule"}]
    ambiguous: list = field(default_factory=list)  # [{"row", "consultation_id", "household_id", "candidates"}]
    complete: bool = False

    @staticmethod
    def path_for(instance: str, file_sha256: str) -> Path:
        return state_dir() / "import" / f"{instance}-{file_sha256[:16]}.json"

    @classmethod
    def resume(cls, instance: str, file_sha256: str) -> "ImportState":
        """The unfinished import of this file into this instance, else a new one."""
        path = cls.path_for(instance, file_sha256)
        if path.exists():
            saved = cls(**json.loads(path.read_text(encoding="utf-8")))
            if not saved.complete:
                return saved
        return cls(instance, file_sha256)

    def save(self) -> None:
        path = self.path_for(self.instance, self.file_sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(asdict(self), f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
