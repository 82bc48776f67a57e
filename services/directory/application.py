"""The directory application: apply a city's profile (プロファイルの反映), list what it holds.

Applying records only the differences, in one transaction: re-applying the same profile records
nothing; a changed field records a change; an entry gone from the profile is retired, never
deleted. Two applications racing each other collide on the same aggregate versions and the
loser runs again on the winner's state.
"""
from __future__ import annotations

from eventsourcing.application import AggregateNotFoundError

from kasane.clock import now, utc_iso
from kasane.errors import InvalidCommand, NotFound
from kasane.store.application import KasaneApplication
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork
from kasane_contracts.events.directory import CITY_WIDE

from directory.domain.agency import Agency
from directory.domain.city import Cities, CityProfile
from directory.domain.entry import entry_uuid
from directory.domain.information_register import InformationRegister
from directory.domain.instances import InstanceRegistry
from directory.domain.kpi_actuals import KpiActuals
from directory.domain.organisation import Organisation
from directory.domain.reconcile import reconcile
from directory.profile import Profile
from directory.records import agency_records, city_record, organisation_records


class DirectoryApplication(KasaneApplication):
    @retry_on_conflict
    def apply_profile(self, profile: Profile, trace: Trace) -> dict:
        """プロファイルの反映 — record what differs between the profile and the directory."""
        uow, city = UnitOfWork(self), profile.city_id
        cities = uow.find(Cities.create_id()) or Cities()
        cities.include(city)
        uow.add(cities)
        city_profile = uow.find(entry_uuid("city", city, city))
        listed = city_profile.record if city_profile else {"organisation_ids": [], "agency_ids": []}
        organisations = self._reconcile(uow, Organisation, "organisation", city,
                                        listed["organisation_ids"], organisation_records(profile))
        agencies = self._reconcile(uow, Agency, "agency", city, listed["agency_ids"],
                                   agency_records(profile))
        record = city_record(profile, [*listed["organisation_ids"], *organisations.registered],
                             [*listed["agency_ids"], *agencies.registered])
        if city_profile is None:
            uow.add(CityProfile(city=city, record=record))
        else:
            city_profile.revise(record)
        events = uow.take_events(trace)
        if events:
            self.save_events(events)
        return {"city": city, "recorded": len(events), "organisations": organisations.as_dict(),
                "agencies": agencies.as_dict()}

    def announce(self, city: str, trace: Trace) -> dict:
        """再告知 — publish the city's whole directory again: every organisation and agency as it
        is now (registered, or withdrawn/disabled), then the city's profile. An instance added
        after the profile was applied thus learns all of it, and its copy becomes complete; a
        copy that already held it records nothing. Recorded, like every change, as events."""
        if city not in self.cities():
            raise NotFound(f"the directory holds no profile of {city}")
        record = self.city_profile(city).record
        uow = UnitOfWork(self)
        counts = {}
        for kind in ("organisation", "agency"):
            entries = [uow.get(entry_uuid(kind, city, entry_id)) for entry_id in record[f"{kind}_ids"]]
            for entry in entries:
                entry.announce()
                uow.add(entry)
            counts[kind] = len(entries)
        profile = uow.get(entry_uuid("city", city, city))
        profile.announce()  # last: its arrival tells a copy that it now holds everything
        uow.add(profile)
        events = uow.take_events(trace)
        self.save_events(events)
        return {"city": city, "announced": {"organisations": counts["organisation"],
                                            "agencies": counts["agency"]}}

    @retry_on_conflict
    def register_instances(self, instances: list[dict], keep_others: bool, trace: Trace) -> dict:
        """インスタンス名簿の登録 — city IT registers the bus's instances and their keys; records
        (and publishes the whole registry) only when something differs."""
        uow = UnitOfWork(self)
        registry = uow.find(InstanceRegistry.create_id()) or InstanceRegistry()
        uow.add(registry)
        changed = registry.register(instances, keep_others=keep_others)
        events = uow.take_events(trace)
        if changed:
            self.save_events(events)
        return {"changed": changed, "instances": sorted(registry.instances)}

    def registered_instances(self) -> list[dict]:
        try:
            registry = self.repository.get(InstanceRegistry.create_id())
        except AggregateNotFoundError:
            return []
        return [registry.instances[i] for i in sorted(registry.instances)]

    def _reconcile(self, uow: UnitOfWork, entry_class, kind: str, city: str, known_ids, records):
        known = {entry_id: uow.get(entry_uuid(kind, city, entry_id)) for entry_id in known_ids}
        touched, outcome = reconcile(entry_class, city, known, records)
        for aggregate in touched:
            uow.add(aggregate)
        return outcome

    # -- 照会 ------------------------------------------------------------------------------------

    @retry_on_conflict
    def enter_kpi_actual(self, *, city: str, fiscal_year: int, kpi_id: str, value: float,
                         entered_by: dict, note: str | None, trace: Trace) -> dict:
        """手入力 — record a KPI row's actual as entered by city staff (the row must be the city's)."""
        try:
            targets = self.city_profile(city).record.get("kpi_targets", [])
        except AggregateNotFoundError:
            raise InvalidCommand({"city": [f"{city} のプロファイルは反映されていません。"]}) from None
        if kpi_id not in {k["id"] for k in targets}:
            raise InvalidCommand({"kpi_id": [f"{city} の数値目標にない項目です。"]})
        actuals = self._find_kpi_actuals(city, fiscal_year) or KpiActuals(city=city, fiscal_year=fiscal_year)
        actuals.enter(kpi_id=kpi_id, value=value, entered_by=entered_by,
                      entered_at=utc_iso(now()), note=note)
        self.save_traced(actuals, trace=trace)
        return actuals.entries[kpi_id]

    @retry_on_conflict
    def record_contractor_exit(self, *, organisation_id: str, archive: str, instances: list,
                               recorded_by: dict, trace: Trace) -> dict:
        """情報管理台帳への記録 — a contractor's exit: its instances' archive, proof and key counts."""
        uow = UnitOfWork(self)
        register = uow.find_or_add(InformationRegister.create_id(organisation_id),
                                   lambda: InformationRegister(organisation_id=organisation_id))
        register.record_exit(archive=archive, instances=instances, recorded_by=recorded_by,
                             recorded_at=utc_iso(now()))
        self.save_traced(register, trace=trace)
        return register.exits[-1]

    def kpi_actuals(self, city: str, fiscal_year: int) -> dict:
        actuals = self._find_kpi_actuals(city, fiscal_year)
        return {"city": city, "fiscal_year": fiscal_year,
                "entries": sorted(actuals.entries.values(), key=lambda e: e["kpi_id"]) if actuals else []}

    def _find_kpi_actuals(self, city: str, fiscal_year: int) -> KpiActuals | None:
        try:
            return self.repository.get(KpiActuals.create_id(city, fiscal_year))
        except AggregateNotFoundError:
            return None

    def cities(self) -> list[str]:
        try:
            return list(self.repository.get(Cities.create_id()).cities)
        except AggregateNotFoundError:
            return []

    def city_profile(self, city: str) -> CityProfile:
        return self.repository.get(entry_uuid("city", city, city))

    def organisations(self) -> list[dict]:
        """組織一覧 — the organisations every city's profile lists now."""
        return [entry.record for city in self.cities()
                for entry in self._entries(city, "organisation") if entry.active]

    def agencies(self, business_line: str | None = None, area: str | None = None) -> list[dict]:
        """機関一覧 — the agencies listed now; by business line; by area, where an area's
        agencies are those placed in it, those covering it and the city-wide ones of its city."""
        found = []
        for city in self.cities():
            if area is not None and area not in self._area_ids(city):
                continue
            for entry in self._entries(city, "agency"):
                record = entry.record
                if not entry.active or business_line not in (None, record["business_line"]):
                    continue
                if area is None or record["area"] in (area, CITY_WIDE) or area in record["covers"]:
                    found.append(record)
        return found

    def _area_ids(self, city: str) -> set[str]:
        return {a["id"] for a in self.city_profile(city).record["areas"]}

    def _entries(self, city: str, kind: str) -> list:
        ids = self.city_profile(city).record[f"{kind}_ids"]
        return [self.repository.get(entry_uuid(kind, city, entry_id)) for entry_id in ids]
