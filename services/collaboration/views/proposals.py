"""提出されたプラン — the 参加支援・アウトリーチ等事業プラン proposed for a 重層的支援会議's judgement,
in the order received (ids only; domain/proposals.py). In memory, fed from the instance's own log."""
from __future__ import annotations

from collaboration.domain.proposals import PlanProposal


class PlanProposals:
    def __init__(self):
        self.ids: list = []

    def apply(self, e) -> None:
        if isinstance(e, PlanProposal.Received):
            self.ids.append(e.originator_id)
