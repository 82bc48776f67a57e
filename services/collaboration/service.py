"""nameko entrypoints of the collaboration service: validate, call the application, return."""
from functools import partial

from kasane.runtime.commands import load_command
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import BusinessLineEntrypoints, Command
from kasane.runtime.wiring import business_line

from collaboration.application import CollaborationApplication
from collaboration.schemas import (AreaIssuesQuerySchema, DraftPlanSchema, EndCaseSchema,
                                   MonitoringSchema,
                                   MultiLayeredMeetingSchema, OpenCasesSchema,
                                   ReadSupportMeetingSchema, RecordAssessmentSchema,
                                   ReturnReferralSchema, RevisePlanSchema, SamePersonDecisionSchema,
                                   PlanProposalsSchema, SamePersonChecksSchema, SupportMeetingSchema)


class CollaborationService(BusinessLineEntrypoints):
    name = "collaboration"
    kasane = KasaneRuntime(business_line(CollaborationApplication))

    command_subject = "case"

    return_referral = Command(ReturnReferralSchema, "差し戻し — return a referral to its agency with the reason.")
    record_assessment = Command(RecordAssessmentSchema,
                                "インテーク・アセスメント — record (or revise) the case's assessment.")
    draft_plan = Command(DraftPlanSchema, "支援プラン案 — draft a plan (or a re-plan) for the case.")
    revise_plan = Command(RevisePlanSchema, "プランの修正 — revise a draft plan.", what="plan")
    hold_multi_layered_meeting = Command(MultiLayeredMeetingSchema,
                                         "重層的支援会議の記録 — decisions per case and social resource shortages.")
    record_monitoring = Command(MonitoringSchema,
                                "モニタリング — check the plan in force; a change of situation opens a re-plan.")
    close_case = Command(EndCaseSchema, "終結 — close the case as a meeting judged, and hand the household back.")
    suspend_case = Command(EndCaseSchema, "中断 — suspend the case as a meeting decided, and hand the household back.")
    hold_support_meeting = Command(SupportMeetingSchema,
                                   "支援会議 (法106条の6) — recorded here only, readable by its members only.")
    decide_same_person = Command(
        SamePersonDecisionSchema,
        "同一人物の判断 — join a referral to the existing case, or keep them apart (recorded).",
        what="same person check")

    @rpc
    def read_support_meeting(self, command: dict) -> dict:
        """支援会議の記録 — for a member person of a member organisation, as the call's context
        names the reader and the broker vouches for the organisation (any organisation may call
        this one: kasane.bus.access.SHARED_CALLS); refused (and recorded) for anyone else. A
        granted read also goes to the audit ledger (閲覧記録: who read which household's 支援会議
        record, never what it says)."""
        record = self._command(ReadSupportMeetingSchema(), command,
                               partial(self.kasane.app.support_meeting, reader=self.kasane.vouched_reader()),
                               "support meeting")
        # Household ids only: not even the meeting's id leaves (art. 106-6 secrecy).
        self.kasane.record_read("read_support_meeting", record["household_ids"])
        return record

    @rpc
    def get_case(self, case_id: str) -> dict:
        """ケース照会 — one case with its referring agencies."""
        return self._query("case_id", case_id, self.kasane.app.case)

    @rpc
    def case_record(self, case_id: str) -> dict:
        """ケース記録 — the case with its assessments and plans, every revision kept."""
        # Assessments and plans hold what was learnt about the persons: a read (閲覧記録).
        return self._read_one("case_record", "case_id", case_id, self.kasane.app.case_record, "case")

    @rpc
    def open_case_of(self, household_id: str) -> dict | None:
        """The household's open case, or None."""
        return self._query("household_id", household_id, self.kasane.app.open_case_of)

    @rpc
    def household_consent(self, household_id: str) -> dict:
        """同意状況 — consents learnt for the household (ids and scope only, nothing personal)."""
        return self._query("household_id", household_id, self.kasane.app.household_consent)

    @rpc
    def open_cases(self, query: dict | None = None) -> dict:
        """支援ケース一覧 — open cases with their next monitoring date, overdue first."""
        data, _ = load_command(OpenCasesSchema(), query or {})
        return self.kasane.app.open_cases(data["today"])

    @rpc
    def same_person_checks(self, query: dict | None = None) -> dict:
        """同一人物の確認待ち — likely same persons across referrals (ids only)."""
        data, _ = load_command(SamePersonChecksSchema(), query or {})
        return self.kasane.app.same_person_checks(data["undecided_only"])

    @rpc
    def plan_proposals(self, query: dict | None = None) -> dict:
        """提出されたプラン — 参加支援・アウトリーチ等事業プラン awaiting a 重層的支援会議's judgement."""
        data, _ = load_command(PlanProposalsSchema(), query or {})
        found = self.kasane.app.plan_proposals(data["undecided_only"])
        # The goals (under consent) are about the persons: a read (閲覧記録).
        households = list(dict.fromkeys(p["household_id"] for p in found["proposals"] if p["personal"]))
        if households:
            self.kasane.record_read("plan_proposals", households)
        return found

    @rpc
    def area_issues(self, area: str | None = None) -> dict:
        """地域課題 — the area issues shared by 地域づくり, of one area (圏域) or of all."""
        data, _ = load_command(AreaIssuesQuerySchema(), {"area": area})
        return self.kasane.app.area_issues(data["area"])
