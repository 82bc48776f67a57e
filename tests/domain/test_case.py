"""ケース — opening and joining cases in multi-agency collaboration, in memory."""
from datetime import datetime, timezone
from uuid import uuid4

from collaboration.domain.households import HouseholdCases, take_referral

NOW = datetime(2026, 11, 20, tzinfo=timezone.utc)


def referral(**overrides) -> dict:
    fields = {"referral_id": str(uuid4()), "consultation_id": str(uuid4()),
              "referring_agency": {"agency_id": "a1", "name": "常盤平高齢者いきいき安心センター"},
              "origin_instance": "c1", "reasons": ["compound_issues"]}
    fields.update(overrides)
    return fields


def test_the_first_referral_of_a_household_opens_a_case():
    household = uuid4()
    index, case = take_referral(None, None, household, referral(), NOW)
    assert case.status == "open" and case.household_id == household
    assert index.open_case_id == case.id
    assert index.id == HouseholdCases.create_id(household)


def test_a_further_referral_joins_the_open_case():
    household = uuid4()
    index, case = take_referral(None, None, household, referral(), NOW)
    second = referral(referring_agency={"agency_id": "a2", "name": "基幹相談支援センター"})
    index, joined = take_referral(index, case, household, second, NOW)
    assert joined is case and len(case.referrals) == 2
    assert case.first_referral["referring_agency"]["agency_id"] == "a1"
    assert type(case.collect_events()[-1]).__name__ == "ReferralJoined"


def test_the_same_referral_twice_changes_nothing():
    household, first = uuid4(), referral()
    index, case = take_referral(None, None, household, first, NOW)
    case.collect_events()
    take_referral(index, case, household, dict(first), NOW)
    assert case.collect_events() == [] and len(case.referrals) == 1


def test_the_household_index_id_is_the_same_for_the_same_household():
    household = uuid4()
    assert HouseholdCases.create_id(household) == HouseholdCases.create_id(household)
    assert HouseholdCases.create_id(household) != HouseholdCases.create_id(uuid4())
