"""A consent outreach obtains from a person it knows of no household yet (a lead from a
neighbour, taken through the outreach pages) reaches 多機関協働 with no household id: it is
taken in and nothing is stored, instead of failing the consumer (it was dead-lettered with a
TypeError). Its withdrawal likewise."""
from outreach.schemas import WithdrawConsentSchema

from tests.domain.collaboration_steps import Takikan
from tests.domain.outreach_steps import Csw


def test_a_consent_and_its_withdrawal_without_a_household_are_taken_in_and_store_nothing():
    takikan, csw = Takikan(), Csw()
    lead = csw.lead(persons=[{"name": "見本 五郎", "relation": "self"}])
    csw.contact(lead["case_id"])
    consent = csw.consent(lead["case_id"], lead["person_ids"][0], organisations=[], purposes=["connection"])
    csw.run("withdraw_consent", WithdrawConsentSchema(),
            {"case_id": lead["case_id"], "consent_id": consent["consent_id"], "worker_id": "csw-03"})
    envelopes = csw.published("outreach.consent_obtained") + csw.published("outreach.consent_withdrawn")
    assert [e["household_id"] for e in envelopes] == [None, None]
    before = takikan.stored()
    for envelope in envelopes:
        takikan.receive(envelope)
    assert takikan.stored() == before
