"""紹介・つなぎ・アウトリーチの依頼: a sharing consultation, its household and the household's
consent records are read in one round trip when the caseload names the household (issue 24);
a consultation the caseload does not know is read first and its household after, as before."""
from __future__ import annotations

import pytest

from kasane.runtime.commands import load_command
from kasane.store import unit_of_work
from kasane.store.application import postgres_env
from tests.samples import AGENCY, make_intake

pytestmark = pytest.mark.integration


@pytest.fixture
def desk(platform, unique):
    from consultation.application import ConsultationApplication
    deployed = platform.instance("consultation", f"sharing-{unique}")
    app = ConsultationApplication(env=postgres_env(deployed.settings, pool_size=1),
                                  instance=deployed.settings.instance, organisation=deployed.settings.organisation,
                                  agencies=deployed.agencies, collaboration_instance=f"takikan-{unique}")
    yield app
    app.close()


def consenting_consultation(app) -> str:
    """A consultation whose first person consents to sharing with 多機関協働."""
    from consultation.schemas import ReceiveConsultationSchema, RecordConsentSchema
    data, trace = load_command(ReceiveConsultationSchema(), make_intake())
    received = app.receive_consultation(trace, **data)
    consent = {"household_id": received["household_id"], "person_id": received["person_ids"][0],
               "given_by": "self", "method": "written", "caseworker_id": "sw-01", "agency": AGENCY,
               "purposes": ["collaboration"], "given_at": "2026-11-21T10:00:00+09:00"}
    data, trace = load_command(RecordConsentSchema(), consent)
    app.record_consent(trace, **data)
    return received["consultation_id"]


def refer(app, consultation_id: str) -> dict:
    from consultation.schemas import ReferToCollaborationSchema
    data, trace = load_command(ReferToCollaborationSchema(), {
        "consultation_id": consultation_id, "caseworker_id": "sw-01", "reasons": ["compound_issues"]})
    return app.refer_to_collaboration(trace, **data)


class RoundTrips:
    """The store's reads during a use case: batch reads (prefetch) and single aggregate reads."""

    def __init__(self, app, monkeypatch):
        self.batches, self.singles = 0, 0
        batch, single = unit_of_work.run_statements, app.recorder.select_events

        def counted_batch(*args, **kwargs):
            self.batches += 1
            return batch(*args, **kwargs)

        def counted_single(*args, **kwargs):
            self.singles += 1
            return single(*args, **kwargs)
        monkeypatch.setattr(unit_of_work, "run_statements", counted_batch)
        monkeypatch.setattr(app.recorder, "select_events", counted_single)


def test_a_referral_reads_its_consultation_household_and_consents_in_one_round_trip(desk, monkeypatch):
    consultation_id = consenting_consultation(desk)
    desk.views.catch_up()
    trips = RoundTrips(desk, monkeypatch)
    referred = refer(desk, consultation_id)
    assert referred["shared_person_ids"]  # the consent was read: the person is shared
    assert (trips.batches, trips.singles) == (1, 0)


def test_a_consultation_the_caseload_does_not_know_is_still_referred_with_its_consents(desk, monkeypatch):
    consultation_id = consenting_consultation(desk)
    desk.views.catch_up()
    desk.caseload.consultations.clear()  # as if the views had not seen it yet
    trips = RoundTrips(desk, monkeypatch)
    referred = refer(desk, consultation_id)
    assert referred["shared_person_ids"]
    assert (trips.batches, trips.singles) == (2, 0)
