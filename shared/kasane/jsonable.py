"""What an RPC answer may carry: JSON (dates, times and ids as text)."""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID


def jsonable(value):
    """Dates, times and ids as text, all the way down; sets become lists."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return value
