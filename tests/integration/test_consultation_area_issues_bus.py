"""地域課題シート reach the consultation agencies too, over the real RabbitMQ and PostgreSQL: a
running consultation process takes community.area_issue_recorded v1 (broadcast, about no
household) as published by a (pretend) community instance's relay, keeps it as an area issue
readable with the `area_issues` RPC (newest first, 日本語 labels), and a redelivered copy changes
nothing."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from kasane.bus.envelope import event_id_for
from kasane.bus.topology import routing_key
from kasane_contracts import validate_envelope

from tests.bus_helpers import area_issues_of, inbox_rows, publish, wait_for_area

pytestmark = pytest.mark.integration

HOKATSU = {"agency_id": "ai-hokatsu", "name": "常盤平高齢者いきいき安心センター"}


@pytest.fixture(scope="module")
def desk(platform):
    consultation = platform.instance("consultation", "ai-hokatsu", organisation="org-hokatsu",
                                     agencies=(HOKATSU,))
    platform.start(consultation)
    yield consultation
    platform.stop(consultation)


def sheet(origin: str, position: int, area: str, recorded_on: str) -> dict:
    """A valid community.area_issue_recorded v1 envelope (broadcast, household_id null)."""
    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    body = {"event_id": event_id_for(origin, position), "type": "community.area_issue_recorded",
            "version": 1, "occurred_at": now, "household_id": None,
            "origin": {"service": "community", "organisation": "org-shakyo", "instance": origin},
            "position": position, "correlation_id": str(uuid4()), "causation_id": str(uuid4()),
            "payload": {"sheet_id": str(uuid4()), "area": area, "committee": "福祉のまちづくり委員会",
                        "issue_categories": ["isolation"],
                        "description": "団地の高齢者が集まれる場所がない",
                        "raised_by": "neighbourhood_association", "recorded_on": recorded_on}}
    assert validate_envelope(body) == body
    return body


def send(platform, body: dict) -> None:
    publish(platform.broker, body, routing_key(body["origin"]["instance"], body["type"], 1))


def test_area_issue_sheets_are_kept_listed_newest_first_and_a_redelivery_changes_nothing(
        platform, desk, unique):
    instance, chiiki, area = desk.settings.instance, f"ai-chiiki-{unique}", f"第1圏域-{unique}"
    first, later = sheet(chiiki, 1, area, "2026-07-10"), sheet(chiiki, 2, area, "2026-09-01")
    elsewhere = sheet(chiiki, 3, f"他-{unique}", "2026-08-01")
    for body in (first, later, elsewhere):
        send(platform, body)

    listed = area_issues_of(platform, instance, f"他-{unique}")
    issues = listed(area)["issues"]
    assert [i["sheet_id"] for i in issues] == [later["payload"]["sheet_id"], first["payload"]["sheet_id"]]
    assert issues[0]["label"] == "地域課題" and issues[0]["raised_by_label"] == "町会・自治会"
    assert issues[0]["recorded_on"] == "2026-09-01" and issues[0]["from_instance"] == chiiki
    assert issues[0]["area"] == area and "household_id" not in issues[0]
    everywhere = {i["sheet_id"] for i in listed(None)["issues"]}
    assert {b["payload"]["sheet_id"] for b in (first, later, elsewhere)} <= everywhere

    # A redelivered copy (same event id and position) changes nothing.
    send(platform, first)
    marker = sheet(chiiki, 4, f"印-{unique}", "2026-06-01")
    send(platform, marker)  # delivered after the copy: once it is listed, the copy was handled
    wait_for_area(listed, f"印-{unique}", "the sheet after the copy")
    assert [i["sheet_id"] for i in listed(area)["issues"]] == [
        later["payload"]["sheet_id"], first["payload"]["sheet_id"]]
    assert [row[0] for row in inbox_rows(desk, chiiki)] == [1, 2, 3, 4]
