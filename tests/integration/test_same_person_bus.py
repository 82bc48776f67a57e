"""One household, one case, over the real RabbitMQ and PostgreSQL (issue 19): the same mother is
taken in at two desks of two organisations (each finds only its own households, so the second
desk registers a new one), both refer her to 多機関協働 under her consent; 多機関協働 notices the
likely same person (kana written another way, same birth date), its staff join the second
referral to the first case, and the second desk learns the household id the case goes by
through the referral's answer, while its own consultation and household stay as they were."""
import pytest
from kombu import Connection

from tests.samples import make_intake
from tests.servers import wait_until

pytestmark = pytest.mark.integration

HOKATSU = {"agency_id": "sp-hokatsu", "name": "常盤平高齢者いきいき安心センター"}
KIKAN = {"agency_id": "sp-kikan", "name": "常盤平基幹相談支援センター"}
MOTHER = {"name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10", "relation": "self"}


def refer_with_consent(desk, agency: dict, person: dict) -> dict:
    received = desk.receive_consultation(make_intake(agency=agency, persons=[person]))
    desk.record_consent({"household_id": received["household_id"], "person_id": received["person_ids"][0],
                         "given_by": "self", "method": "written", "caseworker_id": "sw-01", "agency": agency,
                         "purposes": ["collaboration"], "given_at": "2026-11-19T09:00:00+09:00"})
    desk.refer_to_collaboration({"consultation_id": received["consultation_id"], "caseworker_id": "sw-01",
                                 "reasons": ["compound_issues"]})
    return received


def two_desks_referring_to(platform, name: str) -> tuple:
    """Two desks of two organisations, started, referring to a 多機関協働 instance (provisioned,
    not started); `name` has one {} for each instance's role."""
    first_desk = platform.instance("consultation", name.format("hokatsu"), organisation="org-sp-hokatsu",
                                   agencies=(HOKATSU,))
    second_desk = platform.instance("consultation", name.format("kikan"), organisation="org-sp-kikan",
                                    agencies=(KIKAN,))
    takikan = platform.instance("collaboration", name.format("takikan"), organisation="org-sp-takikan")
    platform.start(first_desk, second_desk, kasane_collaboration_instance=takikan.settings.instance)
    return first_desk, second_desk, takikan


def test_the_same_mother_from_two_desks_is_joined_to_one_case_and_the_second_desk_learns_its_household(
        platform, unique):
    first_desk, second_desk, takikan = two_desks_referring_to(platform, f"sp-{{}}-{unique}")
    platform.start(takikan)
    try:
        with platform.rpc() as rpc:
            at_first, at_second = rpc[first_desk.settings.instance], rpc[second_desk.settings.instance]
            at_takikan = rpc[takikan.settings.instance]
            first = refer_with_consent(at_first, HOKATSU, MOTHER)
            case = wait_until(lambda: at_takikan.open_case_of(first["household_id"]), message="the first case")
            second = refer_with_consent(at_second, KIKAN, {**MOTHER, "kana": "みほん　はな"})
            assert second["household_id"] != first["household_id"]  # each desk sees its own only
            [check] = wait_until(lambda: at_takikan.same_person_checks({})["checks"],
                                 message="the likely same person noticed")
            assert (check["other_case_id"], check["household_id"]) == (case["case_id"], second["household_id"])
            decided = at_takikan.decide_same_person({"check_id": check["check_id"], "decision": "join",
                                                     "caseworker_id": "tk-01"})
            assert decided["decision"]["decision"] == "join"
            joined = wait_until(
                lambda: at_second.get_consultation(second["consultation_id"])["collaboration_household_id"],
                message="the second desk learning the joined household")
            assert joined == first["household_id"]
            assert at_takikan.open_case_of(second["household_id"]) is None
            assert [r["consultation_id"] for r in at_takikan.get_case(case["case_id"])["referrals"]] == [
                first["consultation_id"], second["consultation_id"]]
            # the first desk's own consultation is not touched by the answer meant for the second
            assert at_first.get_consultation(first["consultation_id"])["collaboration_household_id"] is None
            assert at_takikan.same_person_checks({})["checks"] == []
            assert at_takikan.get_case(decided["case_id"])["status"] == "joined"
    finally:
        platform.stop(first_desk, second_desk, takikan)


def inbox_depth(platform, instance: str) -> int:
    with Connection(platform.broker.amqp_uri) as connection:
        return connection.channel().queue_declare(queue=f"inbox.{instance}", passive=True).message_count


def test_two_referrals_of_one_mother_waiting_together_in_the_inbox_are_noticed_as_the_same_person(
        platform, unique):
    """多機関協働 is down while two desks refer the same mother: when it starts, both referrals
    come in together (one batch of its consumer) and neither may miss the other."""
    first_desk, second_desk, takikan = two_desks_referring_to(platform, f"sp2-{{}}-{unique}")
    try:
        with platform.rpc() as rpc:
            first = refer_with_consent(rpc[first_desk.settings.instance], HOKATSU, MOTHER)
            second = refer_with_consent(rpc[second_desk.settings.instance], KIKAN,
                                        {**MOTHER, "kana": "みほん　はな"})
            # two consents and two referrals wait in its inbox
            wait_until(lambda: inbox_depth(platform, takikan.settings.instance) >= 4,
                       message="both referrals waiting")
            platform.start(takikan)
            at_takikan = rpc[takikan.settings.instance]
            [check] = wait_until(lambda: at_takikan.same_person_checks({})["checks"],
                                 message="the likely same person noticed")
            cases = {h: at_takikan.open_case_of(h)["case_id"]
                     for h in (first["household_id"], second["household_id"])}
            assert {(check["household_id"], check["case_id"]), (check["other_household_id"], check["other_case_id"])} == set(
                cases.items())
    finally:
        platform.stop(first_desk, second_desk, takikan)
