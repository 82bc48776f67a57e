"""nameko entrypoints of the directory service: validate, load the profile, call the application."""
from __future__ import annotations

import os
from pathlib import Path

from kasane.audit.reads import UNIDENTIFIED
from kasane.config import REPO_ROOT
from kasane.errors import InvalidCommand
from kasane.runtime.commands import load_command
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import InstanceEntrypoints
from kasane.runtime.wiring import Wiring

from directory.application import DirectoryApplication
from directory.profile import Profile, ProfileError, load_profile, profile_path
from directory.schemas import (AgencyQuerySchema, AnnounceSchema, ApplyProfileSchema, EnterKpiActualSchema,
                               KpiActualsQuerySchema, RecordContractorExitSchema,
                               RegisterInstancesSchema)

PROFILES_DIR = REPO_ROOT / "deploy" / "profiles"


def bootstrap(settings, env) -> Wiring:
    app = DirectoryApplication(env=env)
    return Wiring(app=app)


def profile_from(command: dict, environ=os.environ) -> Profile:
    """The profile a command names: deploy/profiles/<city>.yaml, or a file by absolute path when
    the instance allows it (KASANE_PROFILE_PATHS=1: tests, a city checking a draft)."""
    try:
        if "profile" in command:
            directory = Path(environ.get("KASANE_PROFILES_DIR", PROFILES_DIR))
            return load_profile(profile_path(directory, command["profile"]))
        if environ.get("KASANE_PROFILE_PATHS") != "1":
            raise InvalidCommand({"path": ["Loading a profile by path is not enabled on this "
                                           "instance (KASANE_PROFILE_PATHS=1)."]})
        return load_profile(command["path"])
    except ProfileError as exc:
        raise InvalidCommand({"profile": [str(exc)]}) from None


class DirectoryService(InstanceEntrypoints):
    name = "directory"
    kasane = KasaneRuntime(bootstrap)

    @rpc
    def apply_profile(self, command: dict) -> dict:
        """プロファイルの反映 — apply a city's profile; records (and publishes) only the differences."""
        data, trace = load_command(ApplyProfileSchema(), command)
        return self.kasane.app.apply_profile(profile_from(data), trace)

    @rpc
    def announce(self, command: dict) -> dict:
        """再告知 — publish the city's whole directory again, for instances that joined late."""
        data, trace = load_command(AnnounceSchema(), command)
        return self.kasane.app.announce(data["city"], trace)

    @rpc
    def register_instances(self, command: dict) -> dict:
        """インスタンス名簿の登録 — city IT registers the bus's instances and their signing keys."""
        data, trace = load_command(RegisterInstancesSchema(), command)
        return self.kasane.app.register_instances(data["instances"], not data["replace"], trace)

    @rpc
    def instances(self) -> list[dict]:
        """インスタンス名簿 — the instances registered now."""
        return self.kasane.app.registered_instances()

    @rpc
    def cities(self) -> list[str]:
        """市の一覧 — the cities whose profile this directory holds."""
        return self.kasane.app.cities()

    @rpc
    def organisations(self) -> list[dict]:
        """組織一覧 — every organisation the applied profiles list now."""
        return self.kasane.app.organisations()

    @rpc
    def agencies(self, business_line: str | None = None, area: str | None = None) -> list[dict]:
        """機関一覧 — the agencies listed now, by business line and/or area."""
        data, _ = load_command(AgencyQuerySchema(), {"business_line": business_line, "area": area})
        return self.kasane.app.agencies(**data)

    @rpc
    def enter_kpi_actual(self, command: dict) -> dict:
        """手入力の実績 — a KPI row no event can count, entered by city staff: who entered it is the
        caller (the call's reader), never a field of the command."""
        entered_by = self._caller("entered_by", "入力者")
        data, trace = load_command(EnterKpiActualSchema(), command, actor=entered_by)
        return self.kasane.app.enter_kpi_actual(**data, entered_by=entered_by, trace=trace)

    @rpc
    def record_contractor_exit(self, command: dict) -> dict:
        """情報管理台帳 — record a contractor's exit; who recorded it is the caller (its reader)."""
        recorded_by = self._caller("recorded_by", "記録者")
        data, trace = load_command(RecordContractorExitSchema(), command, actor=recorded_by)
        return self.kasane.app.record_contractor_exit(**data, recorded_by=recorded_by, trace=trace)

    def _caller(self, field: str, who: str) -> str:
        """The caller (the call's reader) as the one who enters or records (`who`), refused
        under `field` when the call names no one."""
        if self.kasane.reader == UNIDENTIFIED:
            raise InvalidCommand({field: [f"{who}が分かりません（呼び出しに{who}を付けてください）。"]})
        return self.kasane.reader

    @rpc
    def kpi_actuals(self, query: dict) -> dict:
        """手入力の実績の一覧 — the city's hand-entered actuals of one fiscal year."""
        data, _ = load_command(KpiActualsQuerySchema(), query)
        return self.kasane.app.kpi_actuals(data["city"], data["fiscal_year"])
