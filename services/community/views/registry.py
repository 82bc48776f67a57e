"""一覧 — which places, sheets, targets and coordinators exist, in the order they were made
(the aggregates themselves are read from the repository when listed)."""
from __future__ import annotations

from community.domain.area_issue import AreaIssueSheet
from community.domain.coordinator import Coordinator
from community.domain.development_target import DevelopmentTarget
from community.domain.place import Place
from community.domain.tsunagu_sheet import TsunaguSheet

_KINDS = {Place.Registered: "places", TsunaguSheet.Written: "tsunagu_sheets",
          AreaIssueSheet.Recorded: "area_issues", DevelopmentTarget.Set: "targets",
          Coordinator.Appointed: "coordinators"}


class Registry:
    def __init__(self):
        self.ids: dict[str, list] = {kind: [] for kind in _KINDS.values()}

    def apply(self, e) -> None:
        kind = _KINDS.get(type(e))
        if kind:
            self.ids[kind].append(e.originator_id)
