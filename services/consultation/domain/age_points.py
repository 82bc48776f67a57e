"""年齢の節目 — a household member near an age at which support changes hands (18歳, 65歳:
002 §3 I, 001 §9(2)②) is flagged at intake, so that the hand-over is prepared before it comes.
"Near" is within the year before the birthday (or on it). The flag names the person id and the
age, never the birth date."""
from __future__ import annotations

from datetime import date

from kasane_contracts.vocabulary import AGE_HAND_OVER_POINTS

WITHIN_DAYS = 365


def birthday(birth_date: date, age: int) -> date:
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:  # born on 29 February: the birthday falls on 1 March
        return date(birth_date.year + age, 3, 1)


def age_hand_overs(persons: list, on: date) -> list[dict]:
    """The persons (with a known birth date) whose 18th or 65th birthday is within a year."""
    flags = []
    for person in persons:
        born = person.get("birth_date")
        if not born:
            continue
        born = date.fromisoformat(born) if isinstance(born, str) else born
        for age, label in AGE_HAND_OVER_POINTS.items():
            if 0 <= (birthday(born, age) - on).days <= WITHIN_DAYS:
                flags.append({"person_id": person["person_id"], "age": age, "label": label})
    return flags
