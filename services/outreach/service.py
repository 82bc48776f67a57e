"""nameko entrypoints of the outreach service: validate, call the application, return."""

from kasane.runtime.commands import load_command
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import BusinessLineEntrypoints, Command
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

    take_lead = Command(TakeLeadSchema,
                        "把握 — record who is concerned, what was noticed and where the lead came from.")
    change_stage = Command(ChangeStageSchema,
                           "関係性の段階 — move the relationship to another stage (not 同意取得 nor つなぎ).")
    record_contact = Command(RecordContactSchema,
                             "関わりの記録 — a visit, call or letter, direct or indirect, with its outcome.")
    close_case = Command(CloseCaseSchema, "終了 — the case ends by an explicit closure with its reason.")
    record_consent = Command(RecordConsentSchema,
                             "同意取得 — the person consented; published (pseudonymously) for the others to act.")
    withdraw_consent = Command(WithdrawConsentSchema, "同意の撤回 — nothing more is shared under that consent.")
    connect_to_consultation = Command(
        ConnectSchema, "つなぎ — connect the consenting person to a consultation agency's instance.")
    hand_over = Command(HandOverSchema,
                        "引き継ぎ — to a consultation desk or to 多機関協働, under consent or a 支援会議 decision.")
    make_plan = Command(MakePlanSchema, "アウトリーチ等事業プランの作成.")
    revise_plan = Command(RevisePlanSchema, "プランの見直し.", what="plan")
    close_plan = Command(ClosePlanSchema, "プランの終了.", what="plan")
    record_area_work = Command(AreaWorkSchema, "地域での取組 — a survey, mapping, pop-up desk or follow-up.",
                               what="area work")
    record_survey_returns = Command(SurveyReturnsSchema, "アンケートの回収 — returns and cases found.", what="survey")

    @rpc
    def case_record(self, case_id: str) -> dict:
        """ケース記録 — persons, contacts, consents, plan: personal details, so a read is recorded."""
        return self._read_one("case_record", "case_id", case_id, self.kasane.app.case, "case")

    @rpc
    def open_leads(self, query: dict | None = None) -> dict:
        """把握している人の一覧 — by stage and last contact, longest silence first (no personal details)."""
        data, _ = load_command(OpenLeadsSchema(), query or {})
        return self.kasane.app.open_leads(data["today"])
