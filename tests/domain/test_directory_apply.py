"""プロファイルの反映 — applying a profile records only the differences, in memory: the same
profile again records nothing, a changed field one change, a row gone a withdrawal (never a
deletion), and every recorded event leaves as a valid integration event."""
import copy
from collections import Counter
from pathlib import Path

import pytest
import yaml
from eventsourcing.utils import get_topic
from kasane_contracts import validate_envelope

from kasane.bus.envelope import Origin, envelope_for
from kasane.store.trace import Trace
from directory.application import DirectoryApplication
from directory.domain.agency import Agency
from directory.domain.organisation import Organisation
from directory.integration import translators
from directory.profile import load_profile, parse_profile

PROFILES = Path(__file__).resolve().parents[2] / "deploy" / "profiles"
ORIGIN = Origin("directory", "市", "test-directory")


def shipped(city: str) -> dict:
    return yaml.safe_load((PROFILES / f"{city}.yaml").read_text(encoding="utf-8"))


def as_profile(data: dict):
    return parse_profile(yaml.safe_dump(data, allow_unicode=True), "edited.yaml")


def apply(app, profile):
    return app.apply_profile(profile, Trace.for_command())


def events_of(app) -> list:
    """Every stored domain event, in log order (the in-memory store's notification log)."""
    found, start = [], 1
    while section := app.notification_log.select(start, 10):
        found += [app.mapper.to_domain_event(n) for n in section]
        start = section[-1].id + 1
    return found


def published(app, events) -> list[dict]:
    """The integration events the relay would publish for these domain events."""
    registry, envelopes = translators(), []
    for position, event in enumerate(events, start=1):
        outgoing = registry.translate(get_topic(type(event)), event)
        if outgoing:
            envelopes.append(validate_envelope(envelope_for(outgoing, event, ORIGIN, position)))
    return envelopes


def row(data: dict, agency_id: str) -> dict:
    return next(r for t in data["agency_tables"] for r in t["rows"] if r["id"] == agency_id)


@pytest.mark.parametrize("city", ["matsudo", "komae", "matsumoto", "ichikawa", "ise"])
def test_a_first_application_registers_everything_and_each_event_meets_its_contract(city):
    app, profile = DirectoryApplication(), load_profile(PROFILES / f"{city}.yaml")
    summary = apply(app, profile)
    assert len(summary["agencies"]["registered"]) == len(profile.agencies)
    assert len(summary["organisations"]["registered"]) == len(profile.organisations)
    types = Counter(e["type"] for e in published(app, events_of(app)))
    assert types == {"directory.agency_registered": len(profile.agencies),
                     "directory.organisation_registered": len(profile.organisations),
                     "directory.city_profile_applied": 1}


def test_the_same_profile_again_records_nothing():
    app, profile = DirectoryApplication(), load_profile(PROFILES / "matsudo.yaml")
    apply(app, profile)
    before = len(events_of(app))
    summary = apply(app, load_profile(PROFILES / "matsudo.yaml"))
    assert summary["recorded"] == 0 and len(events_of(app)) == before


def test_a_changed_field_records_one_change_naming_the_fields():
    app, data = DirectoryApplication(), shipped("matsudo")
    apply(app, as_profile(data))
    before = len(events_of(app))
    changed = copy.deepcopy(data)
    row(changed, "matsudo-hokatsu-tokiwadaira").update({"運営形態": "直営", "operator": "matsudo-chiiki-hokatsu-care"})
    summary = apply(app, as_profile(changed))
    assert summary["agencies"]["changed"] == ["matsudo-hokatsu-tokiwadaira"]
    new = events_of(app)[before:]
    assert [type(e) for e in new] == [Agency.Changed]
    assert new[0].changed == ["operating_form", "operator"]
    assert new[0].previous == {"operating_form": "委託", "operator": None}
    [event] = published(app, new)
    assert event["type"] == "directory.agency_changed"
    assert event["payload"]["operating_form"] == "直営" and event["household_id"] is None


def test_a_row_gone_is_withdrawn_kept_and_can_come_back():
    app, data = DirectoryApplication(), shipped("matsudo")
    apply(app, as_profile(data))
    without = copy.deepcopy(data)
    table = next(t for t in without["agency_tables"] if t["table"] == "障害者相談支援業務")
    table["rows"] = [r for r in table["rows"] if r["id"] != "matsudo-kikan-soudan-onbu"]
    before = len(events_of(app))
    assert apply(app, as_profile(without))["agencies"]["retired"] == ["matsudo-kikan-soudan-onbu"]
    assert "matsudo-kikan-soudan-onbu" not in {a["agency_id"] for a in app.agencies()}
    # Only the withdrawal: the city keeps the id among those it ever listed, nothing is deleted.
    [withdrawn] = events_of(app)[before:]
    assert type(withdrawn) is Agency.Withdrawn
    assert [e["type"] for e in published(app, [withdrawn])] == ["directory.agency_withdrawn"]
    assert apply(app, as_profile(without))["recorded"] == 0
    back = apply(app, as_profile(data))
    assert back["agencies"]["reinstated"] == ["matsudo-kikan-soudan-onbu"]
    assert [e["type"] for e in published(app, events_of(app)[-1:])] == ["directory.agency_registered"]


def test_an_organisation_gone_is_disabled_and_a_renamed_one_changed():
    app, data = DirectoryApplication(), shipped("komae")
    apply(app, as_profile(data))
    edited = copy.deepcopy(data)
    edited["organisations"] = [o for o in edited["organisations"] if o["id"] != "komae-comarch"]
    row(edited, "komae-nogawa-no-engawa-komachi")["operator"] = None
    next(o for o in edited["organisations"] if o["id"] == "komae-fukushi-soudan")["name"] = "福祉保健部 福祉相談課"
    summary = apply(app, as_profile(edited))
    assert summary["organisations"] == {"registered": [], "changed": ["komae-fukushi-soudan"],
                                        "reinstated": [], "retired": ["komae-comarch"]}
    assert {type(e) for e in events_of(app)} >= {Organisation.Disabled, Organisation.Changed}
    assert "komae-comarch" not in {o["organisation_id"] for o in app.organisations()}


def test_agencies_by_business_line_and_by_area():
    app = DirectoryApplication()
    apply(app, load_profile(PROFILES / "matsudo.yaml"))
    apply(app, load_profile(PROFILES / "matsumoto.yaml"))
    collaboration = {a["agency_id"] for a in app.agencies(business_line="collaboration")}
    assert collaboration == {"matsudo-takikan-kyodo"}
    tokiwadaira = {a["agency_id"] for a in app.agencies(area="matsudo-tokiwadaira")}
    assert {"matsudo-hokatsu-tokiwadaira", "matsudo-hokatsu-kikan"} <= tokiwadaira
    assert not any(a.startswith("matsumoto-") for a in tokiwadaira)
    okada = {a["agency_id"] for a in app.agencies(business_line="consultation", area="matsumoto-okada")}
    assert "matsumoto-hokatsu-hokubu" in okada and "matsumoto-hokatsu-chuo" not in okada
    assert app.agencies(area="nowhere") == []


def test_announcing_again_publishes_every_entry_as_it_is_now_and_the_city_last():
    app = DirectoryApplication()
    apply(app, load_profile(PROFILES / "komae.yaml"))
    edited = shipped("komae")
    table = next(t for t in edited["agency_tables"] if len(t["rows"]) > 1)
    gone = table["rows"].pop()["id"]
    apply(app, as_profile(edited))
    already = len(events_of(app))

    result = app.announce("komae", Trace.for_command())

    announced = published(app, events_of(app)[already:])
    types = Counter(e["type"] for e in announced)
    assert result["announced"]["agencies"] == types["directory.agency_registered"] + types["directory.agency_withdrawn"]
    assert [e["payload"]["agency_id"] for e in announced if e["type"] == "directory.agency_withdrawn"] == [gone]
    assert types["directory.organisation_registered"] == result["announced"]["organisations"]
    assert announced[-1]["type"] == "directory.city_profile_applied" and announced[-1]["payload"]["changed"] == []
    with pytest.raises(Exception, match="no profile of ise"):
        app.announce("ise", Trace.for_command())
