"""忘却 on the real RabbitMQ and PostgreSQL (issue 21): a person erased by 削除請求 (`kasane erase`)
is forgotten by the running 多機関協働's index of case persons — the index that notices a likely
same person when a referral opens a case — without a restart: the same mother referred again by
another desk after her erasure is noticed as nobody's."""
import io

import pytest

from kasane.cli import privacy

from tests.integration.test_same_person_bus import HOKATSU, KIKAN, MOTHER, refer_with_consent, two_desks_referring_to
from tests.servers import wait_until

pytestmark = pytest.mark.integration


def test_a_person_erased_while_the_instance_runs_is_matched_by_no_later_referral(platform, unique):
    first_desk, second_desk, takikan = two_desks_referring_to(platform, f"fg-{{}}-{unique}")
    platform.start(takikan)
    with platform.rpc() as rpc:
        at_first, at_second = rpc[first_desk.settings.instance], rpc[second_desk.settings.instance]
        at_takikan = rpc[takikan.settings.instance]
        first = refer_with_consent(at_first, HOKATSU, MOTHER)
        wait_until(lambda: at_takikan.open_case_of(first["household_id"]), message="the first case")
        assert at_takikan.same_person_checks({})["checks"] == []  # the index has taken the first case in
        privacy.erase(first["person_ids"][0], "削除請求 第2号", household=False, operator="city-it",
                      deployment=[first_desk, takikan], out=io.StringIO())
        second = refer_with_consent(at_second, KIKAN, MOTHER)
        wait_until(lambda: at_takikan.open_case_of(second["household_id"]), message="the second case")
        assert at_takikan.same_person_checks({})["checks"] == []
    platform.stop(first_desk, second_desk, takikan)


def test_an_erased_persons_details_stop_opening_in_the_running_instance_at_its_next_catch_up(platform, unique):
    """The unwrapped keys a running instance holds in memory go with the erasure it follows: the
    case reads 廃棄済み at once, not when the key cache would have expired (60 s)."""
    first_desk, _, takikan = two_desks_referring_to(platform, f"fk-{{}}-{unique}")
    platform.start(takikan)
    with platform.rpc() as rpc:
        at_takikan = rpc[takikan.settings.instance]
        first = refer_with_consent(rpc[first_desk.settings.instance], HOKATSU, MOTHER)
        case = wait_until(lambda: at_takikan.open_case_of(first["household_id"]), message="the case")
        assert MOTHER["name"] in str(at_takikan.case_record(case["case_id"]))  # its key now held in memory
        privacy.erase(first["person_ids"][0], "削除請求 第3号", household=False, operator="city-it",
                      deployment=[first_desk, takikan], out=io.StringIO())
        at_takikan.open_cases({})  # a query that follows the log, as every list page does
        record = str(at_takikan.case_record(case["case_id"]))
    assert MOTHER["name"] not in record and "廃棄済み" in record
    platform.stop(first_desk, takikan)
