"""What every kasane service exposes besides its own use cases, and how a service declares the
entrypoints that are only a command (`Command`)."""
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from marshmallow import Schema

from kasane.runtime.rpc import rpc

from kasane.directory_copy.handlers import keeps_copy
from kasane.directory_copy.instances import registry_of
from kasane.directory_copy.reader import DirectoryCopyReader
from kasane.directory_copy.schemas import (AgencyQuerySchema, CityQuerySchema, KpiQuerySchema,
                                           MeetingBodyQuerySchema, OrganisationQuerySchema)
from kasane.errors import NotFound
from kasane.runtime.commands import FiscalYearSchema, HouseholdQuerySchema, load_command, not_found_as, query_by

if TYPE_CHECKING:
    from kasane.runtime.dependency import CallHandle


@dataclass(frozen=True)
class Command:
    """An entrypoint that is only its command, declared as a class attribute of the service:
    `take_lead = Command(TakeLeadSchema, "把握 — …")`. The service class makes it an RPC
    entrypoint of that name which validates the command against `schema`, calls the
    application's use case of the same name (or `use_case`) and reports a missing record as
    NotFound(`what`, else the service's `command_subject`); `doc` is its docstring."""

    schema: type[Schema]
    doc: str | None = None
    use_case: str | None = None
    what: str | None = None

    def entrypoint(self, service_class: type, name: str):
        def entrypoint(service: "InstanceEntrypoints", command: dict) -> dict:
            return self.run(service, command, name)

        entrypoint.__name__, entrypoint.__qualname__ = name, f"{service_class.__qualname__}.{name}"
        entrypoint.__doc__ = self.doc
        return rpc(entrypoint)

    def run(self, service: "InstanceEntrypoints", command: dict, name: str) -> dict:
        # The use case is reached first: without a person in the context, refused before validating.
        use_case = getattr(service.kasane.app, self.use_case or name)
        return service._command(self.validator, command, use_case, self.what)

    @cached_property
    def validator(self) -> Schema:
        """One instance for every call: marshmallow keeps no call's state on it, and building
        one per call was a twentieth of a command's CPU (issue 24)."""
        return self.schema()


class InstanceEntrypoints:
    """Mixed into each service class, which sets `kasane = KasaneRuntime(bootstrap)`."""

    kasane: "CallHandle"  # what nameko injects into each worker

    #: What a command's missing record is called in its NotFound error ("case", "place" …).
    command_subject = "record"

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for name, declared in list(vars(cls).items()):
            if isinstance(declared, Command):
                setattr(cls, name, declared.entrypoint(cls, name))

    def _command(self, schema, command: dict, use_case, what: str | None = None):
        """The thin entrypoint: validate (marshmallow), call the application, return."""
        data, trace = load_command(schema, command)
        with not_found_as(what or self.command_subject):
            return use_case(trace, **data)

    def _query(self, id_field: str, value, use_case, what: str | None = None):
        """The thin query: the id (`id_field`: household_id, case_id …) validated, the use case
        called with it, a missing record reported as NotFound(`what`, else `command_subject`)."""
        data, _ = load_command(query_by(id_field)(), {id_field: value})
        with not_found_as(what or self.command_subject):
            return use_case(data[id_field])

    def _read_one(self, entrypoint: str, id_field: str, value, use_case, what: str) -> dict:
        """One record holding personal details, found by its id (`id_field`), a missing one
        reported as NotFound(`what`); the read recorded with its household and its id (閲覧記録)."""
        record = self._query(id_field, value, use_case, what)
        household = record.get("household_id")
        self.kasane.record_read(entrypoint, [household] if household else [], [record[id_field]])
        return record

    @rpc
    def health(self) -> dict:
        """稼働状況 — which instance this is, how far its relay and consumer have got."""
        return self.kasane.health()

    # -- 名簿の写し (every business line's copy of the city's directory) ------------------------

    @rpc
    def directory_cities(self) -> list[dict]:
        """名簿の写しの市一覧 — the cities this instance's copy holds, and whether whole."""
        return self._directory_copy().summary()

    @rpc
    def directory_instances(self) -> list[dict] | None:
        """インスタンス名簿の写し — the bus's instances as this copy holds them (None: not yet)."""
        found = registry_of(self.kasane.app)
        return None if found is None else [found.instances[i] for i in sorted(found.instances)]

    @rpc
    def directory_agencies(self, business_line: str | None = None, area: str | None = None,
                           include_withdrawn: bool = False) -> list[dict]:
        """機関一覧 (写し) — the agencies the copy knows, by business line and/or area."""
        data, _ = load_command(AgencyQuerySchema(), {
            "business_line": business_line, "area": area, "include_withdrawn": include_withdrawn})
        return self._directory_copy().agencies(**data)

    @rpc
    def directory_organisations(self, city: str | None = None,
                                include_disabled: bool = False) -> list[dict]:
        """組織一覧 (写し) — the organisations the copy knows."""
        data, _ = load_command(OrganisationQuerySchema(),
                               {"city": city, "include_disabled": include_disabled})
        return self._directory_copy().organisations(**data)

    @rpc
    def directory_areas(self, city: str) -> dict:
        """圏域一覧 (写し) — a city's areas (日常生活圏域 …) as its profile was last applied."""
        data, _ = load_command(CityQuerySchema(), {"city": city})
        return self._directory_copy().areas(data["city"])

    @rpc
    def directory_kpi_targets(self, city: str, fiscal_year: int | None = None) -> dict:
        """数値目標 (写し) — a city's yearly targets, of one fiscal year (年度) or all."""
        data, _ = load_command(KpiQuerySchema(), {"city": city, "fiscal_year": fiscal_year})
        return self._directory_copy().kpi_targets(data["city"], data["fiscal_year"])

    @rpc
    def directory_meeting_bodies(self, basis: str | None = None) -> list[dict]:
        """会議体一覧 (写し) — the city's own meeting bodies, of one basis (multi_layered, support)."""
        data, _ = load_command(MeetingBodyQuerySchema(), {"basis": basis})
        return self._directory_copy().meeting_bodies(data["basis"])

    def _directory_copy(self) -> DirectoryCopyReader:
        if not keeps_copy(self.kasane.settings.service):
            raise NotFound("this instance keeps no copy of the directory (名簿の写し): "
                           "ask the directory itself, or a business-line instance")
        return DirectoryCopyReader(self.kasane.app)


class BusinessLineEntrypoints(InstanceEntrypoints):
    """What every business line exposes besides its use cases: its yearly counts and its
    progress report (its application is a kasane.store.business_line.BusinessLineApplication)."""

    @rpc
    def fiscal_year_counts(self, query: dict) -> dict:
        """年度別件数 — what the business line did in one fiscal year (年度)."""
        data, _ = load_command(FiscalYearSchema(), query)
        return self.kasane.app.fiscal_year_counts(data["fiscal_year"])

    @rpc
    def household_trail(self, household_id: str) -> dict:
        """世帯の足跡 — what this instance knows of the household, for its organisation's
        household page: labels, times and record ids, no personal detail."""
        data, _ = load_command(HouseholdQuerySchema(), {"household_id": household_id})
        return self.kasane.app.household_trail(str(data["household_id"]))

    @rpc
    def report_counts(self, query: dict) -> dict:
        """進捗管理 — the KPI counters of one fiscal year by month, agency and area."""
        data, _ = load_command(FiscalYearSchema(), query)
        return self.kasane.app.report_counts(data["fiscal_year"])
