"""モニタリング・終結・中断 — the collaboration application's use cases from a plan in force to
the hand-back (つなぎ戻し) (mixed into CollaborationApplication)."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from kasane.clock import now
from kasane.jsonable import jsonable
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace

from collaboration.domain.assessment import Assessment
from collaboration.domain.case import Case
from collaboration.domain.households import HouseholdCases
from collaboration.domain.consent import HouseholdConsent
from collaboration.sharing import hand_back_sharing


class Endings:
    @retry_on_conflict
    def record_monitoring(self, trace: Trace, *, case_id: UUID, **monitoring) -> dict:
        case: Case = self.repository.get(case_id)
        case.record_monitoring(**monitoring)
        self.save_traced(case, trace=trace)
        return {"case_id": str(case_id), "status": case.status,
                "next_monitoring_on": jsonable(case.next_monitoring_on)}

    def close_case(self, trace: Trace, **command) -> dict:
        """終結 — as the meeting judged; the household is handed back (つなぎ戻し)."""
        return self._end(trace, "closure", **command)

    def suspend_case(self, trace: Trace, **command) -> dict:
        """中断 — as the meeting decided (contact lost); the household is handed back."""
        return self._end(trace, "suspension", **command)

    @retry_on_conflict
    def _end(self, trace: Trace, decision: str, *, case_id: UUID, caseworker_id: str,
             summary: str | None = None, hand_back_to: dict | None = None,
             ended_at: datetime | None = None) -> dict:
        if hand_back_to:
            self.directory.require_known(
                agencies={"hand_back_to.agency.agency_id": hand_back_to["agency"]["agency_id"]})
        case: Case = self.repository.get(case_id)
        target = hand_back_target(hand_back_to) if hand_back_to else case.default_hand_back()
        consent = self.find(HouseholdConsent.create_id(case.household_id))
        plan = self.find(case.plan_in_force_id) if case.plan_in_force_id else None
        disclosure, shared = hand_back_sharing(consent, case, target["to_organisation"], summary,
                                               self.find(Assessment.create_id(case.id)), plan)
        hand_back_id = str(uuid4())
        case.end(decision, ended_at=ended_at or now(), caseworker_id=caseworker_id,
                 personal={"summary": summary},
                 hand_back={"hand_back_id": hand_back_id, **target,
                            "disclosure": disclosure.as_dict(), "personal": shared})
        self.save_traced(case, self._ended_in_index(case), trace=trace)
        return {"case_id": str(case_id), "status": case.status, "hand_back_id": hand_back_id,
                "handed_back_to": target["to_instance"],
                "shared_person_ids": list(disclosure.person_ids)}

    def _ended_in_index(self, case: Case) -> HouseholdCases | None:
        if case.is_open:
            return None
        index: HouseholdCases = self.repository.get(HouseholdCases.create_id(case.household_id))
        index.case_ended(case.id)
        return index


def hand_back_target(to: dict) -> dict:
    return {"to_agency": to["agency"], "to_instance": to["instance"],
            "to_organisation": to["organisation"],
            "consultation_id": str(to["consultation_id"]) if to.get("consultation_id") else None}

