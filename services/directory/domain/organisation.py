"""組織 — an organisation of a city: its sections (所管課), 社会福祉協議会, 社会福祉法人, NPO, 医師会.

An organisation is never deleted: one that leaves the profile is disabled (無効), and one that
comes back is reinstated with its record.
"""
from __future__ import annotations

from directory.domain.entry import DirectoryEntry


class Organisation(DirectoryEntry):
    """組織 — one organisation's record as its city's profile gives it."""

    kind = "organisation"

    class Disabled(DirectoryEntry.Retired):
        """無効 — the organisation is gone from the profile; its history stays."""

    retirement, retired = "Disabled", "disabled"
