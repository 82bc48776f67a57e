"""情報提供 — what a role request or a hand-back may carry, decided by the household's consent
at the moment it is recorded (DOMAIN.md §4): the persons whose unwithdrawn consent covers the
receiving organisation (or the purpose), and free text only when every person is covered."""
from __future__ import annotations

from collaboration.domain.case import Case
from collaboration.domain.consent import Disclosure, HouseholdConsent, disclosure_for, shared_personal
from collaboration.domain.plan import SupportPlan


def known_person_ids(case: Case, assessment=None) -> list[str]:
    ids = list(case.persons)
    if assessment is not None:
        ids += assessment.person_ids()
    return list(dict.fromkeys(ids))


def role_request_sharing(consent: HouseholdConsent | None, case: Case, plan: SupportPlan,
                         role: dict, assessment=None) -> tuple[Disclosure, dict | None]:
    """For a role sent to outreach or participation: the consent purpose is that service's."""
    disclosure = disclosure_for(consent, known_person_ids(case, assessment),
                                organisation=role["organisation"], purpose=role["service"])
    personal = {"persons": list(case.persons.values()),
                "summary": plan.personal["role_notes"].get(role["role_id"]),
                "goals": plan.personal["person_goals"],
                "household_goal": plan.personal["household_goal"]}
    return disclosure, shared_personal(personal, disclosure, ("summary", "goals", "household_goal"))


def hand_back_sharing(consent: HouseholdConsent | None, case: Case, to_organisation: str,
                      summary: str | None, assessment=None) -> tuple[Disclosure, dict | None]:
    """つなぎ戻し goes to a consultation agency: the consent purpose is つなぎ (connection)."""
    disclosure = disclosure_for(consent, known_person_ids(case, assessment),
                                organisation=to_organisation, purpose="connection")
    personal = {"persons": list(case.persons.values()), "plan_summary": summary}
    return disclosure, shared_personal(personal, disclosure, ("plan_summary",))
