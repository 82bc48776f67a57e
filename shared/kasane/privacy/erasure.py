"""廃棄の記録 — erasing a data subject (削除請求) and recording a lost key store, each as an event
of the instance's own chained log (`PrivacyLog`), which holds nothing personal: the subject's
pseudonymous id, the reason, who and when.

Erasure destroys the subject's keys in the instance's key store; every event sealed under them
then reads as 廃棄済み, while the events themselves, their chain and their counts stay.
"""
from __future__ import annotations

from datetime import datetime, timezone
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import event

from kasane.keyed import KeyedAggregate
from kasane.config import InstanceSettings
from kasane.errors import KasaneError
from kasane.privacy.provision import create_key_store, key_store_exists, open_key_store
from kasane.store.trace import Trace

NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/privacy")


class PrivacyLog(KeyedAggregate):
    """個人情報の廃棄記録 — one per instance."""

    KEY, NAMESPACE, KIND = "instance", NAMESPACE, "privacy-log/"

    @event("Opened")
    def __init__(self, instance: str):
        self.instance = instance
        self.erased: list[str] = []
        self.losses: list[dict] = []

    @event("SubjectErased")
    def record_erasure(self, subject_id: str, household: bool, reason: str, operator: str,
                       erased_at: str, keys: int) -> None:
        self.erased.append(subject_id)

    @event("KeyStoreLossRecorded")
    def record_loss(self, reason: str, operator: str, recorded_at: str) -> None:
        self.losses.append({"reason": reason, "operator": operator, "recorded_at": recorded_at})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def _with_log(settings: InstanceSettings, change) -> None:
    from kasane.store.application import KasaneApplication, postgres_env

    app = KasaneApplication(env=postgres_env(settings, pool_size=1))
    try:
        try:
            log: PrivacyLog = app.repository.get(PrivacyLog.create_id(settings.instance))
        except AggregateNotFoundError:
            log = PrivacyLog(instance=settings.instance)
        if change(log):
            app.save_traced(log, trace=Trace.for_command(actor={"instance": settings.instance, "role": "city-it"}))
    finally:
        app.close()


def erase_subject(settings: InstanceSettings, subject_id: str, reason: str, operator: str,
                  household: bool = False) -> int:
    """Destroy the subject's keys in this instance and record it (once); the keys destroyed."""
    keys = open_key_store(settings)
    try:
        destroyed = keys.destroy(subject_id, reason, household=household)
    finally:
        keys.close()

    def record(log: PrivacyLog) -> bool:
        if subject_id in log.erased and not destroyed:
            return False
        log.record_erasure(subject_id=subject_id, household=household, reason=reason,
                           operator=operator, erased_at=_now(), keys=len(destroyed))
        return True

    _with_log(settings, record)
    return len(destroyed)


def record_key_store_loss(settings: InstanceSettings, reason: str, operator: str) -> None:
    """鍵保管庫の喪失の記録: a new, empty key store, and the loss in the instance's own log; what
    was sealed before reads as 廃棄済み from then on."""
    if key_store_exists(settings):
        raise KasaneError(f"{settings.instance}: its key store is present; nothing to record as lost")
    if not reason:
        raise KasaneError(f"{settings.instance}: city IT must give the loss's reason (--reason TEXT)")
    create_key_store(settings)

    def record(log: PrivacyLog) -> bool:
        log.record_loss(reason=reason, operator=operator, recorded_at=_now())
        return True

    _with_log(settings, record)
