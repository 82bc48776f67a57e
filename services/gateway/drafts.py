"""下書き — a form posted after its session expired is kept, not lost: sealed (AES-256-GCM under
the gateway's secrets key, gateway.sealing) in the gateway's own database, tied to the staff
account, found again after the person signs in. What was typed (names, notes) is never in a URL
or a log: the row holds the account, a digest of the form's path, the sealed form and the time.
A draft goes when its form is posted successfully or the person discards it."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from gateway.domain.sessions import digest
from gateway.sealing import SecretBox
from gateway.storage import DRAFTS

#: Forms never kept: passwords and codes are not written down anywhere.
NEVER_KEPT = ("/login", "/logout", "/account")
NOT_KEPT_FIELDS = frozenset({"csrf_token", "password", "code", "current_password", "new_password",
                             "new_password_again"})


def keeps(path: str) -> bool:
    return not any(path == p or path.startswith(p + "/") for p in NEVER_KEPT)


@dataclass
class Draft:
    draft_id: str
    path: str
    fields: dict[str, list[str]]
    saved_at: datetime


class Drafts:
    def __init__(self, datastore, box: SecretBox):
        self.datastore, self.box = datastore, box

    def _run(self, statement: str, params: tuple) -> list[dict]:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def save(self, staff_id: str, path: str, form, at: datetime) -> str:
        """The form as posted (a werkzeug MultiDict), but its token and any password."""
        fields = {k: form.getlist(k) for k in form if k not in NOT_KEPT_FIELDS}
        sealed = self.box.seal(json.dumps({"path": path, "fields": fields}, ensure_ascii=False))
        draft_id = str(uuid4())
        self._run(f"INSERT INTO {DRAFTS} (draft_id, staff_id, path_digest, sealed, saved_at) "
                  "VALUES (%s, %s, %s, %s, %s)", (draft_id, staff_id, digest(path), sealed, at))
        return draft_id

    def latest(self, staff_id: str) -> str | None:
        rows = self._run(f"SELECT draft_id FROM {DRAFTS} WHERE staff_id = %s ORDER BY saved_at DESC "
                         "LIMIT 1", (staff_id,))
        return str(rows[0]["draft_id"]) if rows else None

    def get(self, staff_id: str, draft_id: str) -> Draft | None:
        """The person's own draft (another's is not found)."""
        try:
            UUID(draft_id)
        except ValueError:
            return None
        rows = self._run(f"SELECT sealed, saved_at FROM {DRAFTS} WHERE draft_id = %s AND staff_id = %s",
                         (draft_id, staff_id))
        if not rows:
            return None
        opened = json.loads(self.box.open(rows[0]["sealed"]) or "{}")
        return Draft(draft_id, opened["path"], opened["fields"], rows[0]["saved_at"])

    def discard(self, staff_id: str, draft_id: str) -> None:
        self._run(f"DELETE FROM {DRAFTS} WHERE draft_id = %s AND staff_id = %s", (draft_id, staff_id))

    def posted(self, staff_id: str, path: str) -> None:
        """The form at `path` went through: its drafts are no longer needed."""
        self._run(f"DELETE FROM {DRAFTS} WHERE staff_id = %s AND path_digest = %s",
                  (staff_id, digest(path)))
