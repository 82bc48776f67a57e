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
