"""開いている記録 (kasane.open_records): which records are open, in log order."""
from dataclasses import dataclass

from kasane.open_records import OpenRecords


@dataclass
class Happened:
    kind: str
    originator_id: str


class Cases(OpenRecords):
    def opens(self, e) -> bool:
        return e.kind == "opened"

    def ends(self, e) -> bool:
        return e.kind == "closed"

    def reopens(self, e) -> bool:
        return e.kind == "handed_back"


def test_open_records_are_those_opened_and_not_ended_or_handed_back_open_again_in_log_order():
    cases = Cases()
    for kind, case in [("opened", "a"), ("opened", "b"), ("opened", "c"), ("closed", "b"),
                       ("closed", "c"), ("handed_back", "c"), ("noted", "a")]:
        cases.apply(Happened(kind, case))
    assert cases.open_ids() == ["a", "c"]
