"""相談支援機関・拠点 — an agency of a city: one row of the seed's tables (name, business line,
field, 設置形態, 運営形態, 所管課, target group, area, operating organisation).

An agency is never deleted: one that leaves the profile is withdrawn (廃止), and one that comes
back is reinstated with its record.
"""
from __future__ import annotations

from directory.domain.entry import DirectoryEntry


class Agency(DirectoryEntry):
    """相談支援機関 — one agency's record as its city's profile gives it."""

    kind = "agency"

    class Withdrawn(DirectoryEntry.Retired):
        """廃止 — the agency is gone from the profile; its history stays."""

    retirement, retired = "Withdrawn", "withdrawn"
