"""Sample inputs many test modules share (fictional households only)."""
from __future__ import annotations

AGENCY = {"agency_id": "tokiwadaira-hokatsu", "name": "常盤平高齢者いきいき安心センター"}


def make_intake(**overrides) -> dict:
    command = {
        "agency": AGENCY,
        "received_at": "2026-11-20T09:30:00+09:00",
        "channel": "phone",
        "consulted_by": "minsei_iin",
        "persons": [
            {"name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10", "relation": "self"},
            {"name": "見本 一郎", "kana": "ミホン イチロウ", "relation": "child"},
        ],
        "summary": "母の介護と長男のひきこもり",
        "issue_categories": ["care", "8050", "hikikomori"],
        "urgency": "priority",
        "caseworker_id": "sw-01",
        # The caseworker's explicit choice (a new household); tests of the search itself
        # override it with household_id or by removing it.
        "new_household": True,
    }
    command.update(overrides)
    return command


def three_area_issues(sheet) -> tuple[dict, dict, dict]:
    """地域課題シート made by `sheet(**fields)`: one recorded 2026-07-10, a later one with two
    categories raised by a 民生委員, and one about another area (狛江第2圏域)."""
    return (sheet(recorded_on="2026-07-10"),
            sheet(recorded_on="2026-09-01", issue_categories=["isolation", "care_prevention"],
                  raised_by="minsei_iin"),
            sheet(area="狛江第2圏域"))
