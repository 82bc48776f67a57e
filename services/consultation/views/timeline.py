"""世帯の経過 — one household's history in this instance, in the order it was recorded.

Only what happened, never personal details: the timeline is what an auditor replays (DOMAIN.md
§3). A household that absorbed others shows their history too.
"""
from __future__ import annotations

from kasane_contracts.vocabulary import LEAD_SOURCES, REFERRAL_RETURN_REASONS, label

from consultation.domain.consent import HouseholdConsents
from consultation.domain.consultation import Consultation
from consultation.domain.household import Household
from consultation.domain.lead import Lead

LABELS = {
    Household.Registered: ("household_registered", "世帯登録"),
    Household.PersonsAdded: ("persons_added", "世帯員の追加"),
    Household.HouseholdsMerged: ("households_merged", "世帯の統合（統合先）"),
    Household.MergedInto: ("merged_into", "世帯の統合（統合元）"),
    Consultation.Received: ("consultation_received", "相談受付"),
    Consultation.ReferredToCollaboration: ("referred_to_collaboration", "多機関協働へつなぎ"),
    Consultation.ConnectedToAgency: ("connected_to_agency", "他の相談支援機関へつなぎ"),
    Consultation.Resolved: ("resolved", "終結（解決）"),
    Consultation.WatchContinued: ("watch_continued", "見守り継続"),
    Consultation.ContactRecorded: ("contact_recorded", "継続相談"),
    Consultation.ReturnedFromCollaboration: ("returned_from_collaboration", "多機関協働からの差し戻し"),
    HouseholdConsents.ConsentRecorded: ("consent_recorded", "本人同意の記録"),
    HouseholdConsents.ConsentWithdrawn: ("consent_withdrawn", "本人同意の撤回"),
    HouseholdConsents.Disclosed: ("disclosed", "情報提供（同意に基づく）"),
    Lead.Arrived: ("lead_arrived", "受付待ち"),
    Lead.TakenIn: ("lead_taken_in", "受付待ちから受付"),
}
# The ids that tell which record an entry belongs to (all non-personal).
_REFERENCES = ("referral_id", "connection_id", "contact_id", "consent_id", "disclosure_id",
               "consultation_id", "merged_household_id", "into_household_id", "kind")


class HouseholdTimeline:
    def __init__(self):
        self.entries: dict[str, list] = {}
        self.absorbed: dict[str, list] = {}

    def apply(self, e) -> None:
        if type(e) not in LABELS:
            return
        # A household's own registration names it by its id; every other event says it.
        household_id = (e.originator_id if isinstance(e, Household.Registered)
                        else getattr(e, "household_id", None))
        if household_id is None:
            return
        code, text = LABELS[type(e)]
        if isinstance(e, Lead.Arrived):
            text = f"受付待ち（{LEAD_SOURCES[e.kind]}）"
        elif isinstance(e, Consultation.ReturnedFromCollaboration):
            text = f"{text}（{label(REFERRAL_RETURN_REASONS, e.reason)}）"
        entry = {"at": e.timestamp.isoformat(), "event": code, "label": text,
                 "record_id": str(e.originator_id),
                 "agency": _agency_of(e)}
        entry.update({k: str(getattr(e, k)) for k in _REFERENCES if getattr(e, k, None)})
        if isinstance(e, Consultation.ReturnedFromCollaboration):
            entry.update(case_id=e.case_id, reason=e.reason,
                         returned_at=e.returned_at.isoformat())
        self.entries.setdefault(str(household_id), []).append(entry)
        if isinstance(e, Household.HouseholdsMerged):
            self.absorbed.setdefault(str(household_id), []).append(str(e.merged_household_id))

    def of(self, household_id: str) -> list:
        """The household's entries and those of the households it absorbed, in recorded order."""
        ids, pending = [], [str(household_id)]
        while pending:
            current = pending.pop()
            if current not in ids:
                ids.append(current)
                pending.extend(self.absorbed.get(current, []))
        merged = [dict(entry, household_id=h) for h in ids for entry in self.entries.get(h, [])]
        return sorted(merged, key=lambda entry: entry["at"])


def _agency_of(e) -> str | None:
    for attribute in ("agency", "from_agency", "referring_agency"):
        agency = getattr(e, attribute, None)
        if agency:
            return agency.get("name")
    return None
