"""忘却 — what a running instance's in-memory views do with a person's details once the person
(削除請求) or the household is erased: the same as they would read after a restart, when the
store opens the destroyed keys' parts as 廃棄済み (kasane.privacy.sealing). The log follower
(kasane.store.log_follower) tells each view with a `forget(subject_id, household)` method.
"""
from __future__ import annotations

from typing import Any

from kasane.privacy.sealing import _erased_like, _shape, erased_person


def is_subject(subject_id: str, household: bool, person_id: Any, household_id: Any) -> bool:
    """Whether a person entry (of this household) is the erased subject's, or met in it."""
    return str(person_id) == subject_id or (household and str(household_id) == subject_id)


def forget_personal(personal: Any, subject_id: str, household: bool, household_id: Any) -> Any:
    """The personal part with the erased subject's details as 廃棄済み: a person's entry when the
    person is erased; every person and every other detail when the whole household is."""
    if not isinstance(personal, dict):
        return personal
    whole = household and str(household_id) == subject_id
    forgotten = {}
    for name, value in personal.items():
        if isinstance(value, list):
            forgotten[name] = [_forget_entry(v, subject_id, household, household_id, whole) for v in value]
        else:
            forgotten[name] = _erased_like(_shape(value)) if whole else value
    return forgotten


def _forget_entry(entry: Any, subject_id: str, household: bool, household_id: Any, whole: bool) -> Any:
    if isinstance(entry, dict) and "person_id" in entry:
        if is_subject(subject_id, household, entry["person_id"], household_id):
            return erased_person(str(entry["person_id"]), _shape(entry))
        return entry
    return _erased_like(_shape(entry)) if whole else entry
