"""開いている記録 — which records of one kind exist and which of them have ended: an in-process
view (fed from the instance's log, kasane.store.log_follower) from which a list of the open ones
loads each record itself (`BusinessLineApplication.listed(view.open_ids)`), the log being the
only index."""
from __future__ import annotations


class OpenRecords:
    """A record opens with an event for which `opens(e)` holds, ends with one for which `ends(e)`
    holds, and is open again after one for which `reopens(e)` holds (つなぎ戻し), in log order."""

    def __init__(self):
        self.ids: list = []
        self.ended: set = set()

    def opens(self, e) -> bool:
        raise NotImplementedError

    def ends(self, e) -> bool:
        return False

    def reopens(self, e) -> bool:
        return False

    def apply(self, e) -> None:
        if self.opens(e):
            self.ids.append(e.originator_id)
        elif self.ends(e):
            self.ended.add(e.originator_id)
        elif self.reopens(e):
            self.ended.discard(e.originator_id)

    def open_ids(self) -> list:
        return [record_id for record_id in self.ids if record_id not in self.ended]
