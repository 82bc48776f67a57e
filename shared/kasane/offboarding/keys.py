"""鍵の移管と廃棄 — a leaving instance's data keys re-wrapped under the archive's master key, then
destroyed at the contractor. (Built on the per-person key store, kasane.privacy.)"""
from __future__ import annotations

from kasane.config import InstanceSettings


def key_mover(archive: InstanceSettings):
    """A function (source, archive copy) -> (keys moved, keys destroyed)."""

    def move(source: InstanceSettings, archive_copy: InstanceSettings) -> tuple[int, int]:
        return 0, 0  # until the key store exists: nothing to move, nothing destroyed

    return move
