"""名簿の記載 — what organisations and agencies share: a stable id per city (field diffs are the
kernel's `kasane.directory_copy.aggregate.changed_fields`, shared with every copy)."""
from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

DIRECTORY_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/directory")


def entry_uuid(kind: str, city: str, entry_id: str) -> UUID:
    """The aggregate id of one entry: the same city and id always name the same aggregate, so
    two applications of one profile racing each other collide instead of registering twice."""
    return uuid5(DIRECTORY_NAMESPACE, f"{kind}/{city}/{entry_id}")
