"""まとめ書き (group commit): the saves that arrive while another is being written wait for it,
then go together, in one transaction, with one writers' lock and one COMMIT.

Under load a process's commands queue on the writers' lock, one transaction each (issue 24:
8 concurrent 紹介 waited 36 ms on average for it, with every transaction's round trip, lock,
COMMIT and relay pass paid again). Batching changes no guarantee: a save is answered only once
its events are committed; each save's events stay together and in its order; nothing waits for
a batch to fill (a save that finds no write in progress goes at once). A batch the store refuses
— a write conflict, one save's inbox duplicate — is written again one save at a time, so each
caller gets what its own save would have got alone. A failure that would fail every save alike
(the database unreachable after the recorder's retries) is given to each of them.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Sequence

from eventsourcing.persistence import InterfaceError, OperationalError

MAX_EVENTS = 500  # a batch's events at most: bounds one transaction, and the relay's offers
_SAME_FOR_ALL = (InterfaceError, OperationalError)  # the connection, not any one save


class SaveInterrupted(OperationalError):
    """The writer of this save's batch stopped before it was answered (its green thread killed):
    whether the batch committed is unknown, as after a lost connection; the inbox makes a
    message's retry harmless, a command's caller sees it fail."""


@dataclass(eq=False)
class _Save:
    events: list
    inbox: list
    turn: threading.Event
    leads: bool = False
    recordings: list | None = None
    error: BaseException | None = None

    def outcome(self) -> list:
        if self.error is not None:
            raise self.error
        return self.recordings or []


class GroupCommit:
    """Writes saves through `write(events, inbox) -> recordings` (one transaction), batched,
    then calls `saved(recordings)` once per transaction before the savers are answered."""

    _turn = threading.Event  # what a waiting saver waits on (a test's own stops one)

    def __init__(self, write: Callable[[list, list], list], saved: Callable[[list], None]):
        self._write, self._saved = write, saved
        self._lock = threading.Lock()
        self._waiting: list[_Save] = []
        self._writing = False

    @property
    def waiting(self) -> int:
        """Saves not yet taken into a write."""
        with self._lock:
            return len(self._waiting)

    def save(self, events: list, inbox: Sequence) -> list:
        """The save's recordings once committed (or its own failure)."""
        mine = _Save(list(events), list(inbox), turn=self._turn())
        with self._lock:
            self._waiting.append(mine)
            mine.leads = not self._writing
            self._writing = True
        if not mine.leads:
            self._wait_for_turn(mine)
        if mine.leads:
            self._write_batch(self._take())
        return mine.outcome()

    def _wait_for_turn(self, mine: _Save) -> None:
        """Until the writer answers this save or hands it the writing. A saver stopped meanwhile
        (its green thread killed) leaves the queue, and passes the writing on if it had been
        handed it: the saves behind it would otherwise wait for good."""
        try:
            mine.turn.wait()
        except BaseException:
            with self._lock:
                if mine in self._waiting:
                    self._waiting.remove(mine)  # not taken into a write: never stored
                handed = mine.leads
            if handed:
                self._hand_over()
            raise

    def _take(self) -> list[_Save]:
        """The saves waiting, in arrival order, up to MAX_EVENTS (at least one)."""
        with self._lock:
            count, size = 0, 0
            for save in self._waiting:
                if count and size + len(save.events) > MAX_EVENTS:
                    break
                count, size = count + 1, size + len(save.events)
            batch, self._waiting = self._waiting[:count], self._waiting[count:]
            return batch

    def _write_batch(self, batch: list[_Save]) -> None:
        try:
            if len(batch) == 1:
                self._write_alone(batch[0])
            else:
                self._write_together(batch)
        finally:
            self._hand_over()
            for save in batch:
                if save.recordings is None and save.error is None:
                    save.error = SaveInterrupted("the batch's writer stopped before its answer")
                save.turn.set()

    def _write_together(self, batch: list[_Save]) -> None:
        try:
            recordings = self._write([e for s in batch for e in s.events], [i for s in batch for i in s.inbox])
        except _SAME_FOR_ALL as failed:
            for save in batch:
                save.error = failed
            return
        except Exception:  # noqa: BLE001 — one save's fault: each alone shows whose
            for save in batch:
                self._write_alone(save)
            return
        start = 0
        for save in batch:
            save.recordings, start = recordings[start:start + len(save.events)], start + len(save.events)
        self._saved(recordings)

    def _write_alone(self, save: _Save) -> None:
        try:
            save.recordings = self._write(save.events, save.inbox)
        except Exception as failed:  # noqa: BLE001 — the saver's own, raised in its thread
            save.error = failed
            return
        self._saved(save.recordings)

    def _hand_over(self) -> None:
        """The next waiting save writes the next batch; none waiting: the next save writes."""
        with self._lock:
            if self._waiting:
                self._waiting[0].leads = True
                self._waiting[0].turn.set()
            else:
                self._writing = False
