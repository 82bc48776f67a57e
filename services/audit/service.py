"""nameko entrypoints of the audit ledger: validate, call the application, return."""
from kasane.audit.reads import identified
from kasane.config import state_dir
from kasane.errors import Unidentified
from kasane.runtime.commands import HouseholdQuerySchema, load_command
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import InstanceEntrypoints
from kasane.runtime.wiring import Wiring

from audit.application import AuditLedgerApplication
from audit import read_log
from audit.schemas import HistoryQuerySchema, InstanceQuerySchema, PrintedQuerySchema, ReadLogQuerySchema


def bootstrap(settings, env) -> Wiring:
    app = AuditLedgerApplication(env=env, instance=settings.instance, keys_dir=state_dir() / "keys")
    return Wiring(app=app, on_refused=app.record_refusal)


class AuditLedgerService(InstanceEntrypoints):
    name = "audit"
    kasane = KasaneRuntime(bootstrap)

    @rpc
    def history(self, query: dict) -> dict:
        """支援経過の再生 — a household's history as known at `as_of`; the read is recorded."""
        return self.kasane.app.history(*self._household_read(query))

    @rpc
    def household_entries(self, query: dict) -> dict:
        """帳票の元 — a household's replay and recorded events as known at `as_of`; the read is recorded."""
        return self.kasane.app.household_entries(*self._household_read(query))

    def _household_read(self, query: dict) -> tuple:
        """What a read of one household's history names: the household, as known when, who reads
        (the call's context) and why (the reader's purpose, else the query's)."""
        data, _ = load_command(HistoryQuerySchema(), query)
        reader = self._reader()
        return str(data["household_id"]), data["as_of"], reader, reader.get("purpose") or data["purpose"]

    @rpc
    def record_printed(self, query: dict) -> int:
        """閲覧記録 — a printed list (支援ケース一覧) showed these households to the caller."""
        data, _ = load_command(PrintedQuerySchema(), query)
        reader = self._reader()
        for household_id in data["household_ids"]:
            self.kasane.app._record_read(str(household_id), reader, data["purpose"], None)
        return len(data["household_ids"])

    def _reader(self) -> dict:
        """The person of the call's authenticated context; never a field of the query."""
        reader = self.kasane.reader
        if not identified(reader):
            raise Unidentified("支援経過の再生と帳票には、閲覧する者（監査員・市の担当者）の名前が必要です "
                               "(no reader in the call's context)")
        return reader

    @rpc
    def reads(self, household_id: str) -> list:
        """閲覧記録 — who read the household's history, when."""
        data, _ = load_command(HouseholdQuerySchema(), {"household_id": household_id})
        return self.kasane.app.reads(str(data["household_id"]))

    @rpc
    def read_log(self, query: dict) -> list:
        """閲覧記録の検索 — by the person who read and/or by household, newest first (for auditors)."""
        data, _ = load_command(ReadLogQuerySchema(), query)
        self._reader()  # an identified person only: the log says who read what
        household = str(data["household_id"]) if data["household_id"] else None
        return read_log.search(self.kasane.app, data["staff"], household, data["limit"])

    @rpc
    def checkpoints(self, instance: str) -> list:
        """The signed checkpoints the instance handed to the ledger (accepted or rejected)."""
        data, _ = load_command(InstanceQuerySchema(), {"instance": instance})
        return self.kasane.app.checkpoints(data["instance"])
