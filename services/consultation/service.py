"""nameko entrypoints of the consultation service: validate, call the application, return."""

from kasane.runtime.commands import HouseholdQuerySchema, load_command, not_found_as
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import BusinessLineEntrypoints
from kasane.runtime.wiring import business_line

from consultation.application import ConsultationApplication
from consultation.members import household_members
from consultation.imports import ImportConsultationsSchema, import_consultations
from consultation.import_contacts import ImportContactsSchema, import_contacts
from consultation.import_households import ImportHouseholdsSchema, import_households
from consultation.schemas import (AgencyQuerySchema, AreaIssuesQuerySchema, ConnectToAgencySchema,
                                  ConsultationQuerySchema, ContinueWatchSchema,
                                  FindHouseholdsSchema, FiscalYearQuerySchema,
                                  MergeHouseholdsSchema,
                                  ReceiveConsultationSchema, RecordConsentSchema,
                                  RecordContactSchema, ReferToCollaborationSchema,
                                  RequestOutreachSchema, ResolveSchema,
                                  WithdrawConsentSchema)


class ConsultationService(BusinessLineEntrypoints):
    name = "consultation"
    kasane = KasaneRuntime(business_line(ConsultationApplication, "agencies", "collaboration_instance"))

    command_subject = "consultation"

    @rpc
    def receive_consultation(self, command: dict) -> dict:
        """相談受付 — record an intake sheet."""
        return self._command(ReceiveConsultationSchema(), command,
                             self.kasane.app.receive_consultation, "lead")

    @rpc
    def import_consultations(self, command: dict) -> dict:
        """データ移行 — a batch of a city's existing records, each as an intake (kasane import)."""
        data, trace = load_command(ImportConsultationsSchema(), command)
        app = self.kasane.app  # refused without a named person in the context
        return import_consultations(app, trace, imported_by=self.kasane.reader.get("name"), **data)

    @rpc
    def import_contacts(self, command: dict) -> dict:
        """データ移行 — a batch of 継続相談 records on consultations imported earlier."""
        data, trace = load_command(ImportContactsSchema(), command)
        app = self.kasane.app  # refused without a named person in the context
        return import_contacts(app, trace, imported_by=self.kasane.reader.get("name"), **data)

    @rpc
    def import_households(self, command: dict) -> dict:
        """データ移行 — a batch of members of a separate household sheet (世帯員名簿)."""
        data, trace = load_command(ImportHouseholdsSchema(), command)
        app = self.kasane.app  # refused without a named person in the context
        return import_households(app, trace, imported_by=self.kasane.reader.get("name"), **data)

    @rpc
    def find_households(self, query: dict) -> dict:
        """世帯・本人の検索 — candidates by kana name, birth date, area, before creating one."""
        data, _ = load_command(FindHouseholdsSchema(), query)
        found = self.kasane.app.find_households(**data)
        self.kasane.record_read("find_households", [c["household_id"] for c in found["candidates"]])
        return found

    @rpc
    def merge_households(self, command: dict) -> dict:
        """世帯の統合 — two records are one household; both histories are kept."""
        return self._command(MergeHouseholdsSchema(), command,
                             self.kasane.app.merge_households, "household")

    @rpc
    def record_consent(self, command: dict) -> dict:
        """本人同意の記録."""
        return self._command(RecordConsentSchema(), command,
                             self.kasane.app.record_consent, "household")

    @rpc
    def withdraw_consent(self, command: dict) -> dict:
        """本人同意の撤回 — stops further sharing at once."""
        return self._command(WithdrawConsentSchema(), command,
                             self.kasane.app.withdraw_consent, "household")

    @rpc
    def refer_to_collaboration(self, command: dict) -> dict:
        """多機関協働へつなぐ — refer the consultation's household to multi-agency collaboration."""
        return self._command(ReferToCollaborationSchema(), command,
                             self.kasane.app.refer_to_collaboration)

    @rpc
    def request_outreach(self, command: dict) -> dict:
        """アウトリーチの依頼 — ask one outreach instance to reach a person (personal only under consent)."""
        return self._command(RequestOutreachSchema(), command, self.kasane.app.request_outreach)

    @rpc
    def connect_to_agency(self, command: dict) -> dict:
        """他の相談支援機関へつなぐ — only with consent; the other instance receives it."""
        return self._command(ConnectToAgencySchema(), command, self.kasane.app.connect_to_agency)

    @rpc
    def resolve_consultation(self, command: dict) -> dict:
        """終結（解決）."""
        return self._command(ResolveSchema(), command, self.kasane.app.resolve)

    @rpc
    def continue_watch(self, command: dict) -> dict:
        """見守り — with the next contact date."""
        return self._command(ContinueWatchSchema(), command, self.kasane.app.continue_watch)

    @rpc
    def record_contact(self, command: dict) -> dict:
        """継続相談 — a further contact (counts in 延べ)."""
        return self._command(RecordContactSchema(), command, self.kasane.app.record_contact)

    @rpc
    def get_consultation(self, consultation_id: str) -> dict:
        data, _ = load_command(ConsultationQuerySchema(), {"consultation_id": consultation_id})
        with not_found_as("consultation"):
            return self.kasane.app.consultation(data["consultation_id"])

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
        data, _ = load_command(HouseholdQuerySchema(), {"household_id": household_id})
        with not_found_as("household"):
            return self.kasane.app.household_timeline(data["household_id"])

    @rpc
    def household_members(self, household_id: str) -> dict:
        """世帯員と本人同意 — the household's persons and their consents (a read: recorded)."""
        data, _ = load_command(HouseholdQuerySchema(), {"household_id": household_id})
        with not_found_as("household"):
            found = household_members(self.kasane.app, data["household_id"])
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
