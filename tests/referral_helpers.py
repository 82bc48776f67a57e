"""A household referred from a consultation desk to 多機関協働, each its own process over the
real RabbitMQ and PostgreSQL: the start of every test of what follows a referral."""
from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from tests.samples import make_intake
from tests.servers import wait_until


@contextmanager
def referred_household(platform, prefix: str, unique: str, agency: dict):
    """A desk of `org-<prefix>-hokatsu` taking intakes for `agency` and the 多機関協働 instance of
    `org-<prefix>-takikan`, started; a new household received at the desk and referred, its
    case open in collaboration. Yields the RPC proxies (`rpc`, `desk`, `takikan`), the instances'
    names (`desk_instance`, `takikan_instance`) and what each call answered (`received`,
    `referral`, `case`); both instances are stopped at the end."""
    desk = platform.instance("consultation", f"{prefix}-hokatsu-{unique}", organisation=f"org-{prefix}-hokatsu",
                             agencies=(agency,))
    takikan = platform.instance("collaboration", f"{prefix}-takikan-{unique}", organisation=f"org-{prefix}-takikan")
    platform.start(desk, kasane_collaboration_instance=takikan.settings.instance)
    platform.start(takikan)
    try:
        with platform.rpc() as rpc:
            at_desk, at_takikan = rpc[desk.settings.instance], rpc[takikan.settings.instance]
            received = at_desk.receive_consultation(make_intake(agency=agency, new_household=True))
            referral = at_desk.refer_to_collaboration({
                "consultation_id": received["consultation_id"], "caseworker_id": "sw-01",
                "reasons": ["compound_issues"]})
            case = wait_until(lambda: at_takikan.open_case_of(received["household_id"]),
                              message="the case in collaboration")
            yield SimpleNamespace(rpc=rpc, desk=at_desk, takikan=at_takikan, received=received,
                                  referral=referral, case=case, desk_instance=desk.settings.instance,
                                  takikan_instance=takikan.settings.instance)
    finally:
        platform.stop(desk, takikan)


def meeting(case_id: str, decision: str, host: str = "org-takikan", held_on: str = "2026-06-20", **item) -> dict:
    """A 重層的支援会議 hosted by the organisation `host`, deciding `decision` on one case (`item`:
    the agenda item's further fields, e.g. a closure's goals_met)."""
    return {"held_on": held_on, "caseworker_id": "tk-1",
            "attendees": [{"organisation": host, "role": "host"}],
            "agenda": [{"case_id": case_id, "decision": decision, **item}]}
