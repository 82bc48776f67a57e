"""情報提供 — what a role request or a hand-back may carry, decided at the moment it is recorded
by each person's own consent (本人同意, 000 §4, 002 §4(3); DOMAIN.md §4), never by another
household member's: the persons whose unwithdrawn consent (their own, or a representative's,
recorded as such) covers the receiving organisation or the purpose; each person's goal only
under that person's consent; free text (role notes, household goal, summaries), which may name
anyone, only when every person concerned is covered. Persons concerned are those the case, its
assessment and its plan name (a plan's goal for a person the desk never shared is theirs too)."""
from __future__ import annotations

from collaboration.domain.case import Case
from collaboration.domain.consent import Disclosure, HouseholdConsent, disclosure_for, shared_personal
from collaboration.domain.plan import REQUESTED_SERVICES, SupportPlan


def known_person_ids(case: Case, assessment=None, plan: SupportPlan | None = None) -> list[str]:
    ids = list(case.persons)
    if assessment is not None:
        ids += assessment.person_ids()
    if plan is not None:
        ids += plan.content["goal_person_ids"]
    return list(dict.fromkeys(map(str, ids)))


def role_request_sharing(consent: HouseholdConsent | None, case: Case, plan: SupportPlan,
                         role: dict, assessment=None) -> tuple[Disclosure, dict | None]:
    """For a role sent to outreach or participation the consent purpose is that service's; to
    a consultation desk (or another agency) it is つなぎ (connection)."""
    purpose = role["service"] if role["service"] in REQUESTED_SERVICES else "connection"
    disclosure = disclosure_for(consent, known_person_ids(case, assessment, plan),
                                organisation=role["organisation"], purpose=purpose)
    personal = {"persons": list(case.persons.values()),
                "summary": plan.personal["role_notes"].get(role["role_id"]),
                "household_goal": plan.personal["household_goal"]}
    shared = shared_personal(personal, disclosure, ("summary", "household_goal"))
    if shared is not None:
        shared["goals"] = [g for g in plan.personal["person_goals"]
                           if g["person_id"] in disclosure.person_ids]
    return disclosure, shared


def hand_back_sharing(consent: HouseholdConsent | None, case: Case, to_organisation: str,
                      summary: str | None, assessment=None,
                      plan: SupportPlan | None = None) -> tuple[Disclosure, dict | None]:
    """つなぎ戻し goes to a consultation agency: the consent purpose is つなぎ (connection)."""
    disclosure = disclosure_for(consent, known_person_ids(case, assessment, plan),
                                organisation=to_organisation, purpose="connection")
    personal = {"persons": list(case.persons.values()), "plan_summary": summary}
    return disclosure, shared_personal(personal, disclosure, ("plan_summary",))
