"""インスタンス名簿 on the real broker: once city IT registers the bus's instances with the
directory, every business line's copy refuses events from an instance the registry does not
list for the organisation whose bus user sent them (issue 14).

Its own module: the registry is broadcast to every business-line inbox bound at that moment,
and an instance holding it refuses every origin it does not list.
"""
import pytest

from kasane.audit.verify import registered_public_key
from kasane.bus.topology import routing_key

from tests.bus_helpers import dead_letters, publish, referral_envelope, sender_uri
from tests.servers import wait_until

pytestmark = pytest.mark.integration

ORGANISATION = "org-registry-desks"


def desk_envelope(instance: str) -> dict:
    envelope = referral_envelope(instance)
    envelope["origin"]["organisation"] = ORGANISATION
    return envelope


def test_once_the_directory_registers_the_instances_an_unlisted_instance_is_refused(platform, unique):
    """City IT's broker admitted an instance the directory's registry does not list (a stale
    admission): its correctly signed events are refused, those of a listed one taken."""
    takikan = platform.instance("collaboration", "registry-takikan")
    directory = platform.instance("directory", "registry-directory", organisation="org-registry-city")
    platform.start(directory)
    platform.start(takikan)
    listed, unlisted = desk_envelope(f"registry-listed-{unique}"), desk_envelope(f"registry-rogue-{unique}")
    for envelope in (listed, unlisted):  # both admitted on the broker, both with keys
        sender_uri(platform.broker, envelope["origin"])
    records = [{"instance": d.settings.instance, "organisation": d.settings.organisation,
                "service": d.settings.service, "public_key": registered_public_key(d.settings.instance)}
               for d in (takikan, directory)]
    records.append({"instance": listed["origin"]["instance"], "organisation": listed["origin"]["organisation"],
                    "service": "consultation", "public_key": registered_public_key(listed["origin"]["instance"])})
    with platform.rpc() as rpc:
        assert rpc[directory.settings.instance].register_instances({"instances": records})["changed"]
        wait_until(lambda: rpc[takikan.settings.instance].directory_instances(),
                   message="the registry in 多機関協働's copy")
        publish(platform.broker, unlisted, routing_key(unlisted["origin"]["instance"], unlisted["type"], 1))
        publish(platform.broker, listed, routing_key(listed["origin"]["instance"], listed["type"], 1))
        wait_until(lambda: rpc[takikan.settings.instance].open_case_of(listed["household_id"]),
                   message="the listed instance's referral as a case")
        assert rpc[takikan.settings.instance].open_case_of(unlisted["household_id"]) is None
        again = rpc[directory.settings.instance].register_instances({"instances": records})
    assert again["changed"] == []  # the same registry records nothing
    refused = [m.headers["x-kasane-reason-detail"] for m in dead_letters(platform.broker, takikan.settings.instance)]
    assert any("lists no instance" in detail for detail in refused)
    platform.stop(takikan, directory)
