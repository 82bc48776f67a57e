"""nameko entrypoints of the consultation service: validate, call the application, return."""
from dataclasses import dataclass
from functools import partial
from typing import Callable

from kasane.runtime.commands import load_command
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import BusinessLineEntrypoints, Command
from kasane.runtime.wiring import business_line

from consultation.application import ConsultationApplication
from consultation.members import household_members
from consultation.imports import ImportConsultationsSchema, import_consultations
from consultation.import_contacts import ImportContactsSchema, import_contacts
from consultation.import_households import ImportHouseholdsSchema, import_households
from consultation.schemas import (AgencyQuerySchema, AreaIssuesQuerySchema, ConnectToAgencySchema,
                                  ContinueWatchSchema,
                                  FindHouseholdsSchema, FiscalYearQuerySchema,
                                  MergeHouseholdsSchema,
                                  ReceiveConsultationSchema, RecordConsentSchema,
                                  RecordContactSchema, ReferToCollaborationSchema,
                                  RequestOutreachSchema, ResolveSchema,
                                  WithdrawConsentSchema)


@dataclass(frozen=True)
class Import(Command):
    """データ移行 — a batch of a city's existing records, given to `importer`, which records who
    imported it (kasane import): the person in the call's context."""

    importer: Callable | None = None

    def run(self, service, command: dict, name: str) -> dict:
        data, trace = load_command(self.schema(), command)
        app = service.kasane.app  # refused without a named person in the context
        return self.importer(app, trace, imported_by=service.kasane.reader.get("name"), **data)


class ConsultationService(BusinessLineEntrypoints):
    name = "consultation"
    kasane = KasaneRuntime(business_line(ConsultationApplication, "agencies", "collaboration_instance"))

    command_subject = "consultation"

    receive_consultation = Command(ReceiveConsultationSchema, "相談受付 — record an intake sheet.", what="lead")
    merge_households = Command(MergeHouseholdsSchema,
                               "世帯の統合 — two records are one household; both histories are kept.", what="household")
    record_consent = Command(RecordConsentSchema, "本人同意の記録.", what="household")
    withdraw_consent = Command(WithdrawConsentSchema, "本人同意の撤回 — stops further sharing at once.",
                               what="household")
    refer_to_collaboration = Command(
        ReferToCollaborationSchema,
        "多機関協働へつなぐ — refer the consultation's household to multi-agency collaboration.")
    request_outreach = Command(
        RequestOutreachSchema,
        "アウトリーチの依頼 — ask one outreach instance to reach a person (personal only under consent).")
    connect_to_agency = Command(ConnectToAgencySchema,
                                "他の相談支援機関へつなぐ — only with consent; the other instance receives it.")
    resolve_consultation = Command(ResolveSchema, "終結（解決）.", use_case="resolve")
    continue_watch = Command(ContinueWatchSchema, "見守り — with the next contact date.")
    record_contact = Command(RecordContactSchema, "継続相談 — a further contact (counts in 延べ).")

    # -- データ移行 (kasane import) -------------------------------------------------------------

    import_consultations = Import(ImportConsultationsSchema,
                                  "データ移行 — a batch of a city's existing records, each as an intake.",
                                  importer=import_consultations)
    import_contacts = Import(ImportContactsSchema,
                             "データ移行 — a batch of 継続相談 records on consultations imported earlier.",
                             importer=import_contacts)
    import_households = Import(ImportHouseholdsSchema,
                               "データ移行 — a batch of members of a separate household sheet (世帯員名簿).",
                               importer=import_households)

    # -- queries ------------------------------------------------------------------------------

    @rpc
    def find_households(self, query: dict) -> dict:
        """世帯・本人の検索 — candidates by kana name, birth date, area, before creating one."""
        data, _ = load_command(FindHouseholdsSchema(), query)
        found = self.kasane.app.find_households(**data)
        self.kasane.record_read("find_households", [c["household_id"] for c in found["candidates"]])
        return found

    @rpc
    def get_consultation(self, consultation_id: str) -> dict:
        return self._query("consultation_id", consultation_id, self.kasane.app.consultation)

    @rpc
    def open_consultations(self, agency_id: str) -> dict:
        """相談対応中の一覧 — an agency's open consultations and work awaiting intake."""
        data, _ = load_command(AgencyQuerySchema(), {"agency_id": agency_id})
        found = self.kasane.app.open_consultations(data["agency_id"])
        # The leads awaiting intake carry what the sender's consent allowed to share: a read.
        self.kasane.record_read("open_consultations", [
            lead.get("household_id") for lead in found["awaiting_intake"] if lead.get("personal")])
        return found

    @rpc
    def household_timeline(self, household_id: str) -> dict:
        """世帯の経過 — one household's history in this instance."""
        return self._query("household_id", household_id, self.kasane.app.household_timeline, "household")

    @rpc
    def household_members(self, household_id: str) -> dict:
        """世帯員と本人同意 — the household's persons and their consents (a read: recorded)."""
        found = self._query("household_id", household_id, partial(household_members, self.kasane.app), "household")
        self.kasane.record_read("household_members", [found["household_id"]])
        return found

    @rpc
    def fiscal_year_counts(self, query: dict) -> dict:
        """年度別相談件数 — new and total (延べ) per agency, channel and category."""
        data, _ = load_command(FiscalYearQuerySchema(), query)
        return self.kasane.app.fiscal_year_counts(**data)

    @rpc
    def area_issues(self, area: str | None = None) -> dict:
        """地域課題 — 地域課題シート shared by 地域づくり (about no household), newest first."""
        data, _ = load_command(AreaIssuesQuerySchema(), {"area": area})
        return self.kasane.app.area_issues(data["area"])
