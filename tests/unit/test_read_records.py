"""閲覧記録 — reads recorded per household, or per record when it has no household yet."""
from eventsourcing.utils import get_topic
from kasane_contracts import validate_envelope

from kasane.audit.reads import ReadLog, personal_data_read, record_reads
from kasane.bus.envelope import Origin, envelope_for
from kasane.store.application import KasaneApplication

READER = {"name": "常盤平 相談員", "organisation": "org-desk"}
ORIGIN = Origin("community", "org-place", "place-1")


def published(app) -> list[dict]:
    out = []
    for n in app.recorder.select_notifications(1, 100):
        event = app.mapper.to_domain_event(n)
        if n.topic == get_topic(ReadLog.PersonalDataRead):
            out.append(validate_envelope(envelope_for(personal_data_read(event), event, ORIGIN, n.id)))
    return out


def test_a_read_of_households_is_one_record_per_household_with_the_reader():
    app = KasaneApplication()
    households = ["5a0f4bd6-6f1e-4c1a-9d7e-2f7f0c1b9a11", "7b8e2c1d-0a4f-4e7b-8c3d-9e1f2a3b4c5d"]
    record_reads(app, "desk-1", READER, "consultation.find_households", households + households[:1])
    reads = published(app)
    assert sorted(r["household_id"] for r in reads) == sorted(households)
    assert all(r["payload"]["reader"] == READER for r in reads)


def test_a_record_of_no_household_yet_is_logged_under_its_own_id():
    app = KasaneApplication()
    sheet = "0d4b3a2c-1e5f-4a6b-9c7d-8e9f0a1b2c3d"
    record_reads(app, "place-1", READER, "community.get_tsunagu_sheet", [], [sheet])
    record_reads(app, "place-1", READER, "community.get_tsunagu_sheet", [], [sheet])
    reads = published(app)
    assert len(reads) == 2 and all(r["household_id"] is None for r in reads)
    assert reads[0]["payload"]["record_ids"] == [sheet]
    assert app.repository.get(ReadLog.create_id(f"record/{sheet}")).subject == f"record/{sheet}"
