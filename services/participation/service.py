"""nameko entrypoints of the participation service (参加支援事業): validate, call the
application, return. Queries that show a person's details are recorded as reads (閲覧記録)."""

from kasane.clock import today
from kasane.runtime.commands import load_command
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import BusinessLineEntrypoints, Command
from kasane.runtime.wiring import business_line

from participation.application import ParticipationApplication
from participation.schemas import (AssessNeedsSchema, CloseSupportSchema, EndMatchSchema,
                                   ExperienceDaySchema,
                                   FollowUpsDueSchema, HostProblemSchema,
                                   MakePlanSchema, MatchSchema, ReceiveRequestSchema, RecordFollowUpSchema,
                                   RegisterHostSchema, RegisterWorkExperienceSchema,
                                   ScheduleFollowUpSchema, SessionSchema, StartMatchSchema)


class ParticipationService(BusinessLineEntrypoints):
    name = "participation"
    kasane = KasaneRuntime(business_line(ParticipationApplication, "collaboration_instance"))

    command_subject = "participation support"

    # -- 依頼・ニーズ・プラン -------------------------------------------------------------------

    receive_request = Command(ReceiveRequestSchema,
                              "相談支援機関からの依頼 — accepted only with the person's consent (本人同意).")
    assess_needs = Command(AssessNeedsSchema, "ニーズの把握 — wishes, strengths, limits and conditions.")
    make_plan = Command(MakePlanSchema, "参加支援事業プランの作成 — goals and review dates (again: a revision).")
    register_work_experience = Command(RegisterWorkExperienceSchema, "就労体験事業への登録.")
    close_support = Command(CloseSupportSchema, "終結 — once every match has ended.")

    # -- 受入先・開拓 --------------------------------------------------------------------------

    register_host = Command(RegisterHostSchema, "受入先の登録 — a newly developed host (開拓) or an existing resource.",
                            what="development target")
    hold_experience_day = Command(ExperienceDaySchema, "職場見学・職場体験会の開催.")

    # -- マッチング・フォローアップ -------------------------------------------------------------

    match = Command(MatchSchema, "マッチング — record the match with a host.")
    start_match = Command(StartMatchSchema, what="match")
    record_session = Command(SessionSchema, "参加の記録 — one session attended (延べ件数).", what="match")
    end_match = Command(EndMatchSchema, "終了 — with its reason.", what="match")
    schedule_follow_up = Command(ScheduleFollowUpSchema, "フォローアップの予定 — with the person or with the host.",
                                 what="match")
    record_follow_up = Command(RecordFollowUpSchema, what="match")
    report_host_problem = Command(HostProblemSchema, "受入先からの課題 — recorded and sent to the plan's owner (多機関協働).",
                                  what="match")

    # -- queries ------------------------------------------------------------------------------

    @rpc
    def get_support(self, support_id: str) -> dict:
        """参加支援の記録 — needs, plan and matches; personal, so the read is recorded."""
        return self._read_one("get_support", "support_id", support_id, self.kasane.app.support,
                              "participation support")

    @rpc
    def supports_of(self, household_id: str) -> list:
        """The household's supports (ids and status, nothing personal)."""
        return self._query("household_id", household_id, self.kasane.app.supports_of)

    @rpc
    def propose_hosts(self, support_id: str) -> dict:
        """マッチング候補 — ranked and explained from the person's needs: a read."""
        return self._read_one("propose_hosts", "support_id", support_id, self.kasane.app.propose_hosts,
                              "participation support")

    @rpc
    def get_match(self, match_id: str) -> dict:
        """マッチングの記録 — sessions, follow-ups, problems; personal notes: a read."""
        return self._read_one("get_match", "match_id", match_id, self.kasane.app.match_record, "match")

    @rpc
    def open_supports(self) -> dict:
        """参加支援の一覧 — open supports, newest first (ids and status, nothing personal)."""
        return self.kasane.app.open_supports()

    @rpc
    def host_menu(self) -> dict:
        """受入先一覧 (支援メニュー) — hosts, what they offer, free places."""
        return self.kasane.app.host_menu()

    @rpc
    def development_targets(self) -> dict:
        """開拓目標 — missing social resources from 重層的支援会議."""
        return self.kasane.app.development_targets()

    @rpc
    def follow_ups_due(self, query: dict | None = None) -> dict:
        """フォローアップ予定 — open check-ins with persons and hosts, overdue first (ids only)."""
        data, _ = load_command(FollowUpsDueSchema(), query or {})
        return self.kasane.app.follow_ups_due(data["today"] or today())
