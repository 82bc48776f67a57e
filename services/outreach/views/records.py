"""ケース記録 — one outreach case as the worker reads it (支援経過記録): persons, lead, stage,
contacts, consents, connections, 多機関協働からのつなぎ戻し and the plan. It shows personal
details: the service records the read (閲覧記録)."""
from __future__ import annotations

from kasane.jsonable import jsonable
from kasane_contracts.vocabulary import ISSUE_CATEGORIES, OUTREACH_LEAD_SOURCES, OUTREACH_STAGES, PLAN_ENDINGS, label

HAND_BACK_LABEL = "多機関協働からのつなぎ戻し"


def case_record(case, plan=None) -> dict:
    return jsonable({
        "case_id": case.id, "household_id": case.household_id,
        "source": case.source, "source_label": OUTREACH_LEAD_SOURCES[case.source],
        "lead": case.lead, "noticed_on": case.noticed_on,
        "stage": case.stage, "stage_label": OUTREACH_STAGES[case.stage],
        "personal": case.personal, "contacts": case.contacts,
        "consents": list(case.consents.values()), "connections": case.connections,
        "support_meeting_decisions": getattr(case, "decisions", []),
        "hand_backs": [hand_back_view(h) for h in case.hand_backs],
        "closure": getattr(case, "closure", None),  # 終了 with its reason, once closed
        "plan": None if plan is None else {
            "plan_id": plan.id, "status": plan.status, "revision": plan.revision,
            "made_on": plan.made_on, "review_dates": plan.review_dates, "personal": plan.personal,
            # 重層的支援会議の判断 where the city's profile has the plan judged (issue 19)
            "in_force_revision": plan.in_force_revision, "proposed_to": plan.proposed_to,
            "judgements": plan.judgements},
    })


def hand_back_view(hand_back: dict) -> dict:
    """つなぎ戻し as the worker reads it: ids, codes with their Japanese labels, no personal part."""
    return jsonable({
        **hand_back, "label": HAND_BACK_LABEL,
        "ending_label": PLAN_ENDINGS[hand_back["ending"]],
        "issue_category_labels": [label(ISSUE_CATEGORIES, c) for c in hand_back["issue_categories"]]})
