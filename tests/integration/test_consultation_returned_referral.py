"""差し戻し over the real RabbitMQ and PostgreSQL: a consultation desk refers a household to
多機関協働 (its own process), 多機関協働 returns the referral with the reason, and the desk's
consultation is 対応中 again in its open consultations with a 日本語 note, and on the timeline."""
import pytest

from tests.referral_helpers import referred_household
from tests.servers import wait_until

pytestmark = pytest.mark.integration

HOKATSU = {"agency_id": "rt-hokatsu-tokiwadaira", "name": "常盤平高齢者いきいき安心センター"}


def test_a_returned_referral_is_open_again_at_the_desk_with_the_reason(platform, unique):
    with referred_household(platform, "rt", unique, HOKATSU) as referred:
        at_desk, at_takikan = referred.desk, referred.takikan
        received, referral, case = referred.received, referred.referral, referred.case
        assert not at_desk.open_consultations(HOKATSU["agency_id"])["consultations"]
        at_takikan.return_referral({"case_id": case["case_id"], "referral_id": referral["referral_id"],
                                    "reason": "single_agency_can_handle", "caseworker_id": "cw-takikan",
                                    "note": "包括で対応可能"})

        def returned_row():
            rows = at_desk.open_consultations(HOKATSU["agency_id"])["consultations"]
            return [r for r in rows if r["consultation_id"] == received["consultation_id"]]

        [row] = wait_until(returned_row, message="the returned consultation open at the desk")
        assert (row["status"], row["status_label"]) == ("open", "対応中")
        assert row["note"] == "多機関協働から差し戻されました（理由：単独の支援機関で対応可能）"
        assert row["returned"]["referral_id"] == referral["referral_id"]
        assert row["returned"]["case_id"] == case["case_id"]
        assert row["returned"]["reason"] == "single_agency_can_handle"
        consultation = at_desk.get_consultation(received["consultation_id"])
        assert consultation["status"] == "open"
        assert [r["reason"] for r in consultation["returns"]] == ["single_agency_can_handle"]
        entries = at_desk.household_timeline(received["household_id"])["entries"]
        assert entries[-1]["event"] == "returned_from_collaboration"
        assert entries[-1]["label"] == "多機関協働からの差し戻し（単独の支援機関で対応可能）"
        # 対応中 again: it may be referred anew
        again = at_desk.refer_to_collaboration({
            "consultation_id": received["consultation_id"], "caseworker_id": "sw-01",
            "reasons": ["compound_issues"]})
        assert again["referral_id"] != referral["referral_id"]
        assert not returned_row()
