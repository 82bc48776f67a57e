"""Optimistic concurrency: a use case that lost a race to another writer of the same aggregate
runs again on fresh state (the store refuses the stale write, so nothing is overwritten)."""
from __future__ import annotations

import time
from functools import wraps

from eventsourcing.persistence import IntegrityError

ATTEMPTS = 5


def retry_on_conflict(use_case):
    @wraps(use_case)
    def run(*args, **kwargs):
        for attempt in range(ATTEMPTS):
            try:
                return use_case(*args, **kwargs)
            except IntegrityError:
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(0.005 * 2 ** attempt)
    return run
