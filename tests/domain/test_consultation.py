"""相談 — the consultation aggregate's rules, in memory."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from consultation.domain.consultation import Consultation, ConsultationRuleViolation

NOW = datetime(2026, 11, 20, 0, 30, tzinfo=timezone.utc)


def received(**overrides) -> Consultation:
    fields = dict(household_id=uuid4(), agency={"agency_id": "a1", "name": "窓口"}, received_at=NOW,
                  channel="counter", consulted_by="self", issue_categories=["poverty", "housing"],
                  urgency="normal", caseworker_id="sw-1",
                  persons=[{"person_id": str(uuid4()), "name": "見本 太郎"}], summary="家賃が払えない")
    fields.update(overrides)
    return Consultation.receive(**fields)


def test_a_consultation_is_received_whatever_the_persons_age_or_field():
    child = received(persons=[{"birth_date": "2015-04-01", "relation": "child"}], issue_categories=["education"])
    elder = received(persons=[{"birth_date": "1930-01-01"}], issue_categories=[])
    assert child.status == elder.status == "open"


def test_personal_details_are_kept_in_one_part_of_the_received_event():
    consultation = received()
    [event] = consultation.collect_events()
    assert event.personal == {"persons": [consultation.personal["persons"][0]], "summary": "家賃が払えない"}
    assert "見本 太郎" not in repr({k: v for k, v in vars(event).items() if k != "personal"})


def test_issue_categories_are_kept_once_each():
    assert received(issue_categories=["8050", "care", "8050"]).issue_categories == ["8050", "care"]


@pytest.mark.parametrize("field,value", [("channel", "fax"), ("consulted_by", "police"),
                                         ("urgency", "someday"), ("issue_categories", ["unknown"])])
def test_a_code_outside_the_vocabulary_is_refused(field, value):
    with pytest.raises(ConsultationRuleViolation, match=field):
        received(**{field: value})


def test_a_referral_to_collaboration_carries_household_agency_and_reasons():
    consultation = received()
    consultation.refer_to_collaboration(referral_id=uuid4(), reasons=["compound_issues"],
                                        referred_at=NOW, caseworker_id="sw-1", note="メモ")
    event = consultation.collect_events()[-1]
    assert consultation.status == "referred"
    assert (event.household_id, event.referring_agency, event.reasons) == (
        consultation.household_id, consultation.agency, ["compound_issues"])
    assert event.personal == {"note": "メモ"}


def test_a_referral_needs_a_reason_from_the_list():
    consultation = received()
    with pytest.raises(ConsultationRuleViolation, match="at least one reason"):
        consultation.refer_to_collaboration(referral_id=uuid4(), reasons=[], referred_at=NOW,
                                            caseworker_id="sw-1", note=None)
    with pytest.raises(ConsultationRuleViolation, match="reasons"):
        consultation.refer_to_collaboration(referral_id=uuid4(), reasons=["bored"], referred_at=NOW,
                                            caseworker_id="sw-1", note=None)
    assert consultation.status == "open"


def test_a_consultation_is_referred_only_once():
    consultation = received()
    consultation.refer_to_collaboration(referral_id=uuid4(), reasons=["gap_between_systems"],
                                        referred_at=NOW, caseworker_id="sw-1", note=None)
    with pytest.raises(ConsultationRuleViolation, match="cannot be referred again"):
        consultation.refer_to_collaboration(referral_id=uuid4(), reasons=["compound_issues"],
                                            referred_at=NOW, caseworker_id="sw-1", note=None)
