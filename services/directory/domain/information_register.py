"""情報管理台帳 — the city's register of the personal information each contractor held, and what
became of it. A contractor's exit (委託終了時の返還・廃棄, DOMAIN.md §10) is recorded here: to
which archive each instance's history went, the proof that the copy is whole (its chain head),
and how many data keys were moved to the archive and destroyed at the contractor. Nothing
personal: instance ids, counts and hashes only."""
from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import event

from kasane.keyed import KeyedAggregate


class InformationRegister(KeyedAggregate):
    """One organisation's entries in the 情報管理台帳."""

    KEY = "organisation_id"
    NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/directory/information-register")

    @event("Opened")
    def __init__(self, organisation_id: str):
        self.organisation_id = organisation_id
        self.exits: list[dict] = []

    def record_exit(self, archive: str, instances: list, recorded_by: dict, recorded_at: str) -> None:
        """返還・廃棄の記録 — the organisation's instances went to `archive`, proven and destroyed."""
        if not instances:
            raise ValueError("an exit names at least one instance")
        self._exit_recorded(self.organisation_id, archive, list(instances), recorded_by, recorded_at)

    @event("ExitRecorded")
    def _exit_recorded(self, organisation_id: str, archive: str, instances: list, recorded_by: dict,
                       recorded_at: str) -> None:
        self.exits.append({"organisation_id": organisation_id, "archive": archive,
                           "instances": instances, "recorded_by": recorded_by, "recorded_at": recorded_at})
