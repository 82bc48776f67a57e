"""Pages of a search (検索結果のページ): every search answers a bounded page and a cursor to the
next one, so one reply never carries thousands of persons and a read is recorded only for what
was shown. The cursor is opaque to callers (an offset into the search's stable order)."""
from __future__ import annotations

import base64
from typing import Sequence

from marshmallow import ValidationError, fields, validate

PAGE_SIZE, MAX_PAGE_SIZE = 20, 50


def page_size() -> fields.Integer:
    return fields.Integer(strict=True, load_default=PAGE_SIZE, validate=validate.Range(
        min=1, max=MAX_PAGE_SIZE, error=f"1から{MAX_PAGE_SIZE}までの件数にしてください。"))


def cursor() -> fields.String:
    return fields.String(load_default=None, allow_none=True, validate=_check_cursor)


def _offset(token: str | None) -> int:
    if not token:
        return 0
    text = base64.urlsafe_b64decode(token.encode("ascii") + b"==").decode("ascii")
    if not text.startswith("o:") or not text[2:].isdigit():
        raise ValueError("not a cursor")
    return int(text[2:])


def _check_cursor(token: str | None) -> None:
    try:
        _offset(token)
    except (ValueError, UnicodeError):
        raise ValidationError("続きの指定（cursor）が正しくありません。") from None


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode("ascii")).decode("ascii").rstrip("=")


def page(rows: Sequence, *, limit: int = PAGE_SIZE, cursor: str | None = None) -> tuple[list, str | None]:
    """The rows of one page of an ordered result and the cursor of the next (None at the end)."""
    start = _offset(cursor)
    shown = list(rows[start:start + limit])
    return shown, (_token(start + limit) if start + limit < len(rows) else None)
