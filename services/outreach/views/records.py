"""ケース記録 — one outreach case as the worker reads it (支援経過記録): persons, lead, stage,
contacts, consents, connections and the plan. It shows personal details: the service records
the read (閲覧記録)."""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from kasane.vocabulary import OUTREACH_LEAD_SOURCES, OUTREACH_STAGES


def jsonable(value):
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def case_record(case, plan=None) -> dict:
    return jsonable({
        "case_id": case.id, "household_id": case.household_id,
        "source": case.source, "source_label": OUTREACH_LEAD_SOURCES[case.source],
        "lead": case.lead, "noticed_on": case.noticed_on,
        "stage": case.stage, "stage_label": OUTREACH_STAGES[case.stage],
        "personal": case.personal, "contacts": case.contacts,
        "consents": list(case.consents.values()), "connections": case.connections,
        "support_meeting_decisions": getattr(case, "decisions", []),
        "plan": None if plan is None else {
            "plan_id": plan.id, "status": plan.status, "revision": plan.revision,
            "made_on": plan.made_on, "review_dates": plan.review_dates, "personal": plan.personal},
    })
