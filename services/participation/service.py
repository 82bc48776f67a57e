"""nameko entrypoints of the participation service (参加支援事業): validate, call the
application, return. Queries that show a person's details are recorded as reads (閲覧記録)."""
from kasane.clock import today
from kasane.runtime.commands import HouseholdQuerySchema, load_command
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import BusinessLineEntrypoints
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

    @rpc
    def receive_request(self, command: dict) -> dict:
        """相談支援機関からの依頼 — accepted only with the person's consent (本人同意)."""
        return self._command(ReceiveRequestSchema(), command, self.kasane.app.receive_request)

    @rpc
    def assess_needs(self, command: dict) -> dict:
        """ニーズの把握 — wishes, strengths, limits and conditions."""
        return self._command(AssessNeedsSchema(), command, self.kasane.app.assess_needs)

    @rpc
    def make_plan(self, command: dict) -> dict:
        """参加支援事業プランの作成 — goals and review dates (again: a revision)."""
        return self._command(MakePlanSchema(), command, self.kasane.app.make_plan)

    @rpc
    def register_work_experience(self, command: dict) -> dict:
        """就労体験事業への登録."""
        return self._command(RegisterWorkExperienceSchema(), command,
                             self.kasane.app.register_work_experience)

    @rpc
    def close_support(self, command: dict) -> dict:
        """終結 — once every match has ended."""
        return self._command(CloseSupportSchema(), command, self.kasane.app.close_support)

    # -- 受入先・開拓 --------------------------------------------------------------------------

    @rpc
    def register_host(self, command: dict) -> dict:
        """受入先の登録 — a newly developed host (開拓) or an existing resource."""
        return self._command(RegisterHostSchema(), command, self.kasane.app.register_host,
                             "development target")

    @rpc
    def hold_experience_day(self, command: dict) -> dict:
        """職場見学・職場体験会の開催."""
        return self._command(ExperienceDaySchema(), command, self.kasane.app.hold_experience_day)

    # -- マッチング・フォローアップ -------------------------------------------------------------

    @rpc
    def match(self, command: dict) -> dict:
        """マッチング — record the match with a host."""
        return self._command(MatchSchema(), command, self.kasane.app.match)

    @rpc
    def start_match(self, command: dict) -> dict:
        return self._command(StartMatchSchema(), command, self.kasane.app.start_match, "match")

    @rpc
    def record_session(self, command: dict) -> dict:
        """参加の記録 — one session attended (延べ件数)."""
        return self._command(SessionSchema(), command, self.kasane.app.record_session, "match")

    @rpc
    def end_match(self, command: dict) -> dict:
        """終了 — with its reason."""
        return self._command(EndMatchSchema(), command, self.kasane.app.end_match, "match")

    @rpc
    def schedule_follow_up(self, command: dict) -> dict:
        """フォローアップの予定 — with the person or with the host."""
        return self._command(ScheduleFollowUpSchema(), command, self.kasane.app.schedule_follow_up,
                             "match")

    @rpc
    def record_follow_up(self, command: dict) -> dict:
        return self._command(RecordFollowUpSchema(), command, self.kasane.app.record_follow_up,
                             "match")

    @rpc
    def report_host_problem(self, command: dict) -> dict:
        """受入先からの課題 — recorded and sent to the plan's owner (多機関協働)."""
        return self._command(HostProblemSchema(), command, self.kasane.app.report_host_problem,
                             "match")

    # -- queries ------------------------------------------------------------------------------

    @rpc
    def get_support(self, support_id: str) -> dict:
        """参加支援の記録 — needs, plan and matches; personal, so the read is recorded."""
        return self._read_one("get_support", "support_id", support_id, self.kasane.app.support,
                              "participation support")

    @rpc
    def supports_of(self, household_id: str) -> list:
        """The household's supports (ids and status, nothing personal)."""
        data, _ = load_command(HouseholdQuerySchema(), {"household_id": household_id})
        return self.kasane.app.supports_of(data["household_id"])

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
