"""インスタンス名簿 with receiving keys (受信鍵, issue 21), in memory: the directory publishes the
registry as directory.instances_registered v2 with each instance's receiving key (null for one
registered without), a rotated key is a change the registry records, and city IT's command
refuses a receiving key that is no X25519 public key, naming the field, storing nothing."""
import pytest
from marshmallow import ValidationError

from kasane.store.trace import Trace
from directory.application import DirectoryApplication
from directory.schemas import RegisterInstancesSchema

from tests.domain.test_directory_apply import events_of, published

SIGNING = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
RECEIVING, ROTATED = "ab" * 32, "cd" * 32


def record(instance: str, receiving: str | None = RECEIVING) -> dict:
    return {"instance": instance, "organisation": "matsudo-shakyo", "service": "outreach",
            "public_key": SIGNING, "receiving_key": receiving}


def register(app, records) -> list:
    data = RegisterInstancesSchema().load({"instances": records})
    return app.register_instances(data["instances"], True, Trace.for_command())["changed"]


def registries(app) -> list[dict]:
    return [e for e in published(app, events_of(app)) if e["type"] == "directory.instances_registered"]


def test_the_registry_leaves_as_v2_with_each_instance_s_receiving_key_or_null():
    app = DirectoryApplication()
    register(app, [record("matsudo-csw"), {k: v for k, v in record("matsudo-gate").items() if k != "receiving_key"}])
    [registry] = registries(app)
    assert registry["version"] == 2
    assert {r["instance"]: r["receiving_key"] for r in registry["payload"]["instances"]} == {
        "matsudo-csw": RECEIVING, "matsudo-gate": None}


def test_a_rotated_receiving_key_is_a_change_the_registry_records_and_publishes():
    app = DirectoryApplication()
    register(app, [record("matsudo-csw")])
    assert register(app, [record("matsudo-csw")]) == []  # the same key: nothing recorded
    assert register(app, [record("matsudo-csw", ROTATED)]) == ["matsudo-csw"]
    latest = registries(app)[-1]["payload"]
    assert (latest["changed"], latest["instances"][0]["receiving_key"]) == (["matsudo-csw"], ROTATED)


def test_a_receiving_key_that_is_no_x25519_public_key_is_refused_by_field_and_nothing_is_stored():
    app = DirectoryApplication()
    with pytest.raises(ValidationError) as refused:
        register(app, [record("matsudo-csw", RECEIVING.upper())])
    assert "receiving_key" in refused.value.messages["instances"][0]
    assert events_of(app) == []
