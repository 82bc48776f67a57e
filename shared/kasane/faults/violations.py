"""違反 — the kinds of violation the campaign's checker reports, and one violation as reported
(ids and positions only: never a personal detail)."""
from __future__ import annotations

from dataclasses import dataclass

LOST = "lost"                      # an event a consumer is bound for, never processed there
UNRECORDED = "unrecorded"          # told by a store's own log (its relay's outbox), absent from the ledger
WRONG_RECIPIENT = "wrong_recipient"  # processed by an instance it was not meant for
EFFECT_WITHOUT_INBOX = "effect_without_inbox"  # effects of an event whose inbox entry is gone
DUPLICATE_EFFECT = "duplicate_effect"  # one cause, effects stored in more than one transaction
COMMAND_WITHOUT_EFFECT = "command_without_effect"  # acknowledged, yet nothing stored
CORRUPTED = "corrupted"            # a chain or signed checkpoint that does not verify
UNEXPECTED_DEAD_LETTER = "unexpected_dead_letter"  # dead letters other than the harness's poison
PERSONAL_BROADCAST = "personal_broadcast"  # a `personal` part on an event addressed to no one
SLOW_CATCH_UP = "slow_catch_up"    # an instance behind for longer than the bound after the last fault
WITHOUT_CONSENT = "without_consent"  # a person's details sent where no consent (or decision) covered it
OUTSIDE_MEETING = "outside_meeting"  # a 支援会議 decision sent to an organisation not among its members


@dataclass(frozen=True)
class Violation:
    kind: str
    instance: str
    detail: str  # ids and positions only: never a personal detail

    def as_dict(self) -> dict:
        return {"kind": self.kind, "instance": self.instance, "detail": self.detail}
