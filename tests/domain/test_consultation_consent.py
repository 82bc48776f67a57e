"""本人同意 — recording, withdrawing, and what a consent covers (in memory)."""
from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest

from consultation.domain.consent import HouseholdConsents, disclosure_for, require_consent_of
from consultation.domain.rules import ConsentRequired, ConsentRuleViolation

GIVEN = datetime(2026, 11, 1, 1, 0, tzinfo=timezone.utc)
LATER = GIVEN + timedelta(days=3)
AGENCY = {"agency_id": "a1", "name": "常盤平高齢者いきいき安心センター"}
MOTHER, SON = str(uuid4()), str(uuid4())


def consents(**overrides) -> tuple[HouseholdConsents, str]:
    records = HouseholdConsents(household_id=uuid4())
    consent_id = uuid4()
    fields = dict(consent_id=consent_id, person_id=MOTHER, given_by="self", organisations=["org-kikan"],
                  purposes=[], method="written", given_at=GIVEN, caseworker_id="sw-1", agency=AGENCY)
    fields.update(overrides)
    records.record(**fields)
    return records, str(consent_id)


def test_a_consent_records_who_for_what_how_and_when_with_a_representative_name_kept_personal():
    records, consent_id = consents(given_by="representative", representative="見本 一郎",
                                   purposes=["connection", "collaboration"], method="oral")
    recorded = records.collect_events()[-1]
    assert (recorded.given_by, recorded.method, recorded.purposes) == (
        "representative", "oral", ["collaboration", "connection"])
    assert recorded.personal == {"representative": "見本 一郎"}
    assert "見本" not in repr({k: v for k, v in vars(recorded).items() if k != "personal"})


@pytest.mark.parametrize("overrides,rule", [
    ({"organisations": [], "purposes": []}, "at least one organisation or purpose"),
    ({"given_by": "neighbour"}, "given_by"),
    ({"method": "email"}, "method"),
    ({"purposes": ["marketing"]}, "purposes"),
    ({"representative": "見本 一郎"}, "names no representative"),
])
def test_a_consent_that_breaks_a_rule_is_refused(overrides, rule):
    with pytest.raises(ConsentRuleViolation, match=rule) as refused:
        consents(**overrides)
    assert "見本" not in str(refused.value)


def test_a_consent_covers_its_organisations_or_purposes_only_for_its_person_and_once_given():
    records, consent_id = consents(purposes=["collaboration"])
    assert records.covering(MOTHER, "org-kikan", "connection", LATER) == consent_id
    assert records.covering(MOTHER, "org-other", "collaboration", LATER) == consent_id
    assert records.covering(MOTHER, "org-other", "connection", LATER) is None
    assert records.covering(SON, "org-kikan", "connection", LATER) is None
    assert records.covering(MOTHER, "org-kikan", "connection", GIVEN - timedelta(seconds=1)) is None


def test_a_withdrawal_stops_the_consent_covering_anything_and_cannot_be_repeated():
    records, consent_id = consents()
    records.withdraw(consent_id=consent_id, withdrawn_at=LATER, caseworker_id="sw-1", agency=AGENCY)
    assert records.covering(MOTHER, "org-kikan", "connection", LATER) is None
    with pytest.raises(ConsentRuleViolation, match="already withdrawn"):
        records.withdraw(consent_id=consent_id, withdrawn_at=LATER, caseworker_id="sw-1", agency=AGENCY)


def test_a_withdrawal_of_an_unknown_consent_or_before_it_was_given_is_refused():
    records, consent_id = consents()
    with pytest.raises(ConsentRuleViolation, match="no such consent"):
        records.withdraw(consent_id=uuid4(), withdrawn_at=LATER, caseworker_id="sw-1", agency=AGENCY)
    with pytest.raises(ConsentRuleViolation, match="before it was given"):
        records.withdraw(consent_id=consent_id, withdrawn_at=GIVEN - timedelta(days=1),
                         caseworker_id="sw-1", agency=AGENCY)


def test_a_disclosure_carries_only_covered_persons_and_free_text_only_when_all_are_covered():
    records, consent_id = consents()
    partly = disclosure_for([records], [MOTHER, SON], organisation="org-kikan", purpose="connection", at=LATER)
    assert (partly.person_ids, partly.consent_ids, partly.texts) == ((MOTHER,), (consent_id,), False)
    records.record(consent_id=uuid4(), person_id=SON, given_by="self", organisations=[],
                   purposes=["connection"], method="oral", given_at=GIVEN, caseworker_id="sw-1",
                   agency=AGENCY)
    fully = disclosure_for([records], [MOTHER, SON], organisation="org-kikan", purpose="connection", at=LATER)
    assert fully.person_ids == (MOTHER, SON) and fully.texts and len(fully.consent_ids) == 2


def test_connecting_needs_the_consent_of_the_person_concerned():
    records, _ = consents(person_id=SON)
    disclosure = disclosure_for([records], [MOTHER, SON], organisation="org-kikan",
                                purpose="connection", at=LATER)
    with pytest.raises(ConsentRequired):
        require_consent_of(disclosure, [MOTHER])
    require_consent_of(disclosure, [SON])
    with pytest.raises(ConsentRequired):
        require_consent_of(disclosure, [])


def test_a_sharing_is_recorded_on_the_consents_so_a_racing_withdrawal_conflicts():
    records, consent_id = consents()
    version = records.version
    disclosure = disclosure_for([records], [MOTHER], organisation="org-kikan", purpose="connection", at=LATER)
    records.record_disclosure(disclosure, disclosure_id=uuid4(), disclosed_at=LATER)
    disclosed = records.collect_events()[-1]
    assert records.version == version + 1
    assert (disclosed.organisation, disclosed.person_ids, disclosed.consent_ids) == (
        "org-kikan", [MOTHER], [consent_id])
