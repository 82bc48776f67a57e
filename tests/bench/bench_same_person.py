"""The cost of noticing a likely same person (issue 19, collaboration/identity.py): taking in a
referral whose persons travel under consent is compared with every other household's open case;
a referral without consent brings no persons and skips the comparison. Both are measured in the
same run on an in-memory 多機関協働 holding N open cases with persons (N = 500, 2,000), and the
ratio printed beside the absolute figures. In memory: the store's cost is not what is measured."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout: tests.domain helpers

from tests.domain.collaboration_steps import Takikan  # noqa: E402

DESK = {"service": "consultation", "organisation": "org-desk", "instance": "desk"}


def referral(with_persons: bool, n: int) -> tuple[str, dict]:
    payload = {"referral_id": str(uuid4()), "consultation_id": str(uuid4()),
               "referring_agency": {"agency_id": "hokatsu", "name": "包括"}, "reasons": ["compound_issues"],
               "issue_categories": ["care"], "urgency": "normal", "referred_at": "2026-06-01T00:00:00Z",
               "caseworker_id": "sw"}
    if with_persons:
        payload["personal"] = {"persons": [{"person_id": str(uuid4()), "kana": f"ミホン {n:05d}",
                                            "birth_date": "1950-01-01", "name": "見本"}]}
    return str(uuid4()), payload


def timed(takikan: Takikan, with_persons: bool, rounds: int, start: int) -> list[float]:
    times = []
    for n in range(rounds):
        household_id, payload = referral(with_persons, start + n)
        began = time.perf_counter()
        takikan.deliver("consultation.household_referred", household_id, payload, DESK)
        times.append(time.perf_counter() - began)
    return times


def main() -> None:
    for cases in (500, 2000):
        takikan = Takikan()
        timed(takikan, True, cases, 0)  # the open cases, each with one person
        without = timed(takikan, False, 50, 10**6)
        with_ = timed(takikan, True, 50, 2 * 10**6)
        base, ours = statistics.median(without), statistics.median(with_)
        print(f"{cases:>5} open cases: referral without consent p50 {base * 1000:.2f} ms, "
              f"with persons (compared) p50 {ours * 1000:.2f} ms — {ours / base:.2f}× the baseline")


if __name__ == "__main__":
    main()
