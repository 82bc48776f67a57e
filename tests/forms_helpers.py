"""One household's envelopes as the audit ledger keeps them, for the form tests and the bench."""
from __future__ import annotations

from uuid import uuid4

from kasane.bus.envelope import event_id_for

DESK = {"service": "consultation", "organisation": "ise-city-desk-operator", "instance": "ise-desk"}
TAKIKAN = {"service": "collaboration", "organisation": "ise-fukushi-sogo-shien", "instance": "ise-takikan"}
AGENCY = {"agency_id": "ise-hokatsu-higashi", "name": "地域包括支援センター（東）"}


def envelope(type_: str, origin: dict, at: str, payload: dict, household_id: str, recipient=None,
             position: int = 1) -> dict:
    body = {"event_id": event_id_for(origin["instance"], position), "type": type_, "version": 1,
            "occurred_at": at, "household_id": household_id, "origin": origin, "position": position,
            "correlation_id": str(uuid4()), "causation_id": str(uuid4()), "payload": payload}
    return {**body, "recipient": recipient} if recipient else body


def household(consent: bool = True, closed: bool = True, suffix: str = "") -> tuple[str, list[dict]]:
    """伊勢 花子 (本人) and her son: received, referred with consent, a plan with outreach, closed.
    `suffix` names the origin instances apart (a ledger takes each origin's position once)."""
    hh = str(uuid4())
    desk, takikan = ({**o, "instance": o["instance"] + suffix} for o in (DESK, TAKIKAN))
    consultation_id = str(uuid4())
    persons = [{"person_id": str(uuid4()), "name": "伊勢 花子", "kana": "イセ ハナコ",
                "birth_date": "1944-05-12", "relation": "self", "area": "東"},
               {"person_id": str(uuid4()), "name": "伊勢 太郎", "kana": "イセ タロウ",
                "birth_date": "1973-11-03", "relation": "child", "area": None}]
    out = [envelope("consultation.consultation_received", desk, "2025-06-02T01:10:00Z", {
        "consultation_id": consultation_id, "agency": AGENCY, "received_at": "2025-06-02T01:10:00Z",
        "channel": "phone", "consulted_by": "family", "issue_categories": ["care", "8050", "hikikomori"],
        "urgency": "normal", "caseworker_id": "cw-0012"}, hh, position=1)]
    if consent:
        out.append(envelope("consultation.consent_recorded", desk, "2025-06-10T02:00:00Z", {
            "consent_id": str(uuid4()), "person_id": persons[0]["person_id"], "given_by": "self",
            "organisations": ["ise-fukushi-sogo-shien"], "purposes": ["collaboration"], "method": "written",
            "given_at": "2025-06-10T02:00:00Z", "agency": AGENCY, "caseworker_id": "cw-0012"}, hh, position=2))
        out.append(envelope("consultation.household_referred", desk, "2025-06-20T06:00:00Z", {
            "referral_id": str(uuid4()), "consultation_id": consultation_id, "referring_agency": AGENCY,
            "reasons": ["compound_issues"], "issue_categories": ["care", "8050", "hikikomori"],
            "urgency": "priority", "referred_at": "2025-06-20T05:55:00Z", "caseworker_id": "cw-0012",
            "personal": {"persons": persons, "summary": "母の介護と長男のひきこもりについての相談", "note": None}},
            hh, recipient={"instance": takikan["instance"], "organisation": takikan["organisation"]}, position=3))
        case_id = str(uuid4())
        out.append(envelope("collaboration.case_opened", takikan, "2025-06-21T00:00:00Z", {
            "case_id": case_id, "referral_id": str(uuid4()), "consultation_id": consultation_id,
            "referring_agency": AGENCY, "origin_instance": desk["instance"], "reasons": ["compound_issues"],
            "opened_at": "2025-06-21T00:00:00Z"}, hh, position=1))
        out.append(envelope("collaboration.plan_approved", takikan, "2025-07-30T05:00:00Z", {
            "plan_id": str(uuid4()), "case_id": case_id, "version": 1, "meeting_id": str(uuid4()),
            "approved_on": "2025-07-30", "goal_person_ids": [], "household_goal": True,
            "roles": [{"role_id": str(uuid4()), "service": "outreach", "task": "outreach_visits",
                       "organisation": "ise-shakyo", "agency": {"agency_id": "ise-outreach",
                       "name": "アウトリーチ等を通じた継続的支援事業"}, "starts_on": "2025-08-01"}],
            "monitoring_dates": ["2025-10-31"]}, hh, position=2))
        if closed:
            out.append(envelope("collaboration.case_closed", takikan, "2026-03-16T01:00:00Z", {
                "case_id": case_id, "meeting_id": str(uuid4()), "decided_on": "2026-03-15",
                "caseworker_id": "tk-02", "closed_at": "2026-03-16T01:00:00Z", "goals_met": "partly_met",
                "follow_up_needed": True}, hh, position=3))
    return hh, out
