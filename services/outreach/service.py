"""nameko entrypoints of the outreach service: validate, call the application, return."""

from kasane.runtime.commands import load_command
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import BusinessLineEntrypoints
from kasane.runtime.wiring import business_line

from outreach.application import OutreachApplication
from outreach.schemas import (AreaWorkSchema, ChangeStageSchema, CloseCaseSchema,
                              ClosePlanSchema, ConnectSchema, HandOverSchema, MakePlanSchema,
                              OpenLeadsSchema, RecordConsentSchema, RecordContactSchema,
                              RevisePlanSchema,
                              SurveyReturnsSchema, TakeLeadSchema, WithdrawConsentSchema)


class OutreachService(BusinessLineEntrypoints):
    name = "outreach"
    kasane = KasaneRuntime(business_line(OutreachApplication, "agencies", "collaboration_instance"))

    command_subject = "case"

    @rpc
    def take_lead(self, command: dict) -> dict:
        """把握 — record who is concerned, what was noticed and where the lead came from."""
        return self._command(TakeLeadSchema(), command, self.kasane.app.take_lead)

    @rpc
    def change_stage(self, command: dict) -> dict:
        """関係性の段階 — move the relationship to another stage (not 同意取得 nor つなぎ)."""
        return self._command(ChangeStageSchema(), command, self.kasane.app.change_stage)

    @rpc
    def record_contact(self, command: dict) -> dict:
        """関わりの記録 — a visit, call or letter, direct or indirect, with its outcome."""
        return self._command(RecordContactSchema(), command, self.kasane.app.record_contact)

    @rpc
    def close_case(self, command: dict) -> dict:
        """終了 — the case ends by an explicit closure with its reason."""
        return self._command(CloseCaseSchema(), command, self.kasane.app.close_case)

    @rpc
    def record_consent(self, command: dict) -> dict:
        """同意取得 — the person consented; published (pseudonymously) for the others to act."""
        return self._command(RecordConsentSchema(), command, self.kasane.app.record_consent)

    @rpc
    def withdraw_consent(self, command: dict) -> dict:
        """同意の撤回 — nothing more is shared under that consent."""
        return self._command(WithdrawConsentSchema(), command, self.kasane.app.withdraw_consent)

    @rpc
    def connect_to_consultation(self, command: dict) -> dict:
        """つなぎ — connect the consenting person to a consultation agency's instance."""
        return self._command(ConnectSchema(), command, self.kasane.app.connect_to_consultation)

    @rpc
    def hand_over(self, command: dict) -> dict:
        """引き継ぎ — to a consultation desk or to 多機関協働, under consent or a 支援会議 decision."""
        return self._command(HandOverSchema(), command, self.kasane.app.hand_over)

    @rpc
    def make_plan(self, command: dict) -> dict:
        """アウトリーチ等事業プランの作成."""
        return self._command(MakePlanSchema(), command, self.kasane.app.make_plan)

    @rpc
    def revise_plan(self, command: dict) -> dict:
        """プランの見直し."""
        return self._command(RevisePlanSchema(), command, self.kasane.app.revise_plan, "plan")

    @rpc
    def close_plan(self, command: dict) -> dict:
        """プランの終了."""
        return self._command(ClosePlanSchema(), command, self.kasane.app.close_plan, "plan")

    @rpc
    def record_area_work(self, command: dict) -> dict:
        """地域での取組 — a survey, mapping, pop-up desk or follow-up."""
        return self._command(AreaWorkSchema(), command, self.kasane.app.record_area_work,
                             "area work")

    @rpc
    def record_survey_returns(self, command: dict) -> dict:
        """アンケートの回収 — returns and cases found."""
        return self._command(SurveyReturnsSchema(), command, self.kasane.app.record_survey_returns,
                             "survey")

    @rpc
    def case_record(self, case_id: str) -> dict:
        """ケース記録 — persons, contacts, consents, plan: personal details, so a read is recorded."""
        return self._read_one("case_record", "case_id", case_id, self.kasane.app.case, "case")

    @rpc
    def open_leads(self, query: dict | None = None) -> dict:
        """把握している人の一覧 — by stage and last contact, longest silence first (no personal details)."""
        data, _ = load_command(OpenLeadsSchema(), query or {})
        return self.kasane.app.open_leads(data["today"])
