"""Which directory events every business-line instance takes into its copy (名簿の写し), and how.

Each handler gets the envelope and the consumer's unit of work, like every other handler: what
it records is saved with the inbox entry in one transaction (kasane.bus.consumer), so a
redelivered event changes nothing. The kernel merges these into each business-line service's
own subscriptions (kasane.services.subscriptions, which also binds the bus queues) and handlers
(kasane.runtime.dependency); the directory itself and the audit ledger keep no copy.
"""
from __future__ import annotations

import logging

from kasane.directory_copy.aggregate import DirectoryCopy, KnownCities
from kasane.directory_copy.instances import registry_taken
from kasane.store.unit_of_work import UnitOfWork
from kasane_contracts.vocabulary import BUSINESS_LINES

log = logging.getLogger(__name__)

#: The directory's events, (type, version); broadcast, about no household.
SUBSCRIPTIONS = [
    ("directory.organisation_registered", 1),
    ("directory.organisation_changed", 1),
    ("directory.organisation_disabled", 1),
    ("directory.agency_registered", 1),
    ("directory.agency_changed", 1),
    ("directory.agency_withdrawn", 1),
    ("directory.city_profile_applied", 1),  # stored events of directories before issue 19
    ("directory.city_profile_applied", 2),  # with the city's meeting bodies (会議体)
    ("directory.city_profile_applied", 3),  # with whose plans a 重層的支援会議 judges
    ("directory.instances_registered", 1),  # stored events of directories before receiving keys
    ("directory.instances_registered", 2),  # with each instance's receiving key (受信鍵)
]
#: Payload fields that say when, not what: not part of the record the copy keeps.
WHEN = ("registered_at", "changed_at", "changed")


def keeps_copy(service: str) -> bool:
    """Every business line keeps a copy; the directory is the original, the audit ledger keeps
    every event whole anyway."""
    return service in BUSINESS_LINES


def copy_of(uow: UnitOfWork, city: str) -> DirectoryCopy:
    """The city's copy, started (and the city listed) the first time the city is heard of."""
    copy = uow.find(DirectoryCopy.create_id(city))
    if copy is None:
        copy = DirectoryCopy(city=city)
        uow.add(copy)
        cities = uow.find(KnownCities.create_id()) or KnownCities()
        cities.include(city)
        uow.add(cities)
    return copy


def _from_directory(envelope: dict) -> bool:
    if envelope["origin"]["service"] == "directory":
        return True
    # Only the directory speaks for the city's directory; say so without the payload.
    log.warning("directory event %s from a %s instance ignored", envelope["type"],
                envelope["origin"]["service"])
    return False


def _record(payload: dict) -> dict:
    return {key: value for key, value in payload.items() if key not in WHEN}


def entry_taken(kind: str):
    def handle(envelope: dict, uow: UnitOfWork) -> None:
        """組織・機関の登録・変更 → the copy keeps the current record."""
        if not _from_directory(envelope):
            return
        p = envelope["payload"]
        copy_of(uow, p["city"]).take_entry(kind, _record(p), p.get("registered_at") or p["changed_at"])
    return handle


def entry_retired(kind: str, when: str):
    def handle(envelope: dict, uow: UnitOfWork) -> None:
        """機関の廃止・組織の無効 → the copy marks it, and keeps its record."""
        if not _from_directory(envelope):
            return
        p = envelope["payload"]
        record = {key: value for key, value in p.items() if key != when}
        copy_of(uow, p["city"]).retire_entry(kind, p[f"{kind}_id"], p[when], record)
    return handle


def profile_applied(envelope: dict, uow: UnitOfWork) -> None:
    """市のプロファイルの反映 → the city's areas, KPI targets, (v2) meeting bodies and (v3) whose
    plans a 重層的支援会議 judges, whole."""
    if not _from_directory(envelope):
        return
    p = envelope["payload"]
    profile = {key: value for key, value in p.items() if key not in ("changed", "applied_at")}
    copy_of(uow, p["city"]).take_profile(profile, first=p["changed"] == [], at=p["applied_at"])


def handlers() -> dict:
    """(type, version) → handler(envelope, uow), for the consumer."""
    return {
        ("directory.organisation_registered", 1): entry_taken("organisation"),
        ("directory.organisation_changed", 1): entry_taken("organisation"),
        ("directory.organisation_disabled", 1): entry_retired("organisation", "disabled_at"),
        ("directory.agency_registered", 1): entry_taken("agency"),
        ("directory.agency_changed", 1): entry_taken("agency"),
        ("directory.agency_withdrawn", 1): entry_retired("agency", "withdrawn_at"),
        ("directory.city_profile_applied", 1): profile_applied,
        ("directory.city_profile_applied", 2): profile_applied,
        ("directory.city_profile_applied", 3): profile_applied,
        ("directory.instances_registered", 1): registry_taken,
        ("directory.instances_registered", 2): registry_taken,
    }


def merged_handlers(own: dict) -> dict:
    """The service's own handlers plus the copy's; a service that handles a directory event
    itself keeps its own handler (it then keeps its copy itself)."""
    return {**handlers(), **own}


def merged_subscriptions(own: list) -> list:
    """The service's own subscriptions plus the copy's, each once."""
    own = list(own)
    return own + [s for s in SUBSCRIPTIONS if s not in {tuple(o[:2]) for o in own}]
