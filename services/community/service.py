"""nameko entrypoints of the community service (地域づくり事業): validate, call the application,
return."""
from kasane.runtime.commands import load_command, not_found_as
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import BusinessLineEntrypoints
from kasane.runtime.wiring import business_line

from community import schemas
from community.application import CommunityApplication


class CommunityService(BusinessLineEntrypoints):
    name = "community"
    kasane = KasaneRuntime(business_line(CommunityApplication))

    # -- 場・活動 -------------------------------------------------------------------------------

    @rpc
    def register_place(self, command: dict) -> dict:
        """場・活動の登録 — 通いの場, サロン, 子育て支援拠点, 居場所 … with operator and schedule."""
        return self._command(schemas.RegisterPlaceSchema(), command,
                             self.kasane.app.register_place, "place")

    @rpc
    def record_visitors(self, command: dict) -> dict:
        """来所者数 — visitors of one day or session (a recount corrects it)."""
        return self._command(schemas.VisitorsSchema(), command,
                             self.kasane.app.record_visitors, "place")

    @rpc
    def record_activity(self, command: dict) -> dict:
        """地域福祉活動 — a group's activity held at the place."""
        return self._command(schemas.ActivitySchema(), command,
                             self.kasane.app.record_activity, "place")

    @rpc
    def change_place_status(self, command: dict) -> dict:
        """開設・休止・廃止."""
        return self._command(schemas.PlaceStatusSchema(), command,
                             self.kasane.app.change_place_status, "place")

    # -- 生活支援コーディネーター ---------------------------------------------------------------

    @rpc
    def appoint_coordinator(self, command: dict) -> dict:
        """生活支援コーディネーターの配置 — 第1層 (city-wide) or 第2層 (areas)."""
        return self._command(schemas.AppointCoordinatorSchema(), command,
                             self.kasane.app.appoint_coordinator, "coordinator")

    @rpc
    def assign_place(self, command: dict) -> dict:
        """担当する活動 — a coordinator supports a place."""
        return self._command(schemas.AssignPlaceSchema(), command,
                             self.kasane.app.assign_place, "coordinator")

    # -- シート ---------------------------------------------------------------------------------

    @rpc
    def write_tsunagu_sheet(self, command: dict) -> dict:
        """つなぐシートの作成 — with consent and a chosen agency, sent to its instance."""
        return self._command(schemas.WriteTsunaguSheetSchema(), command,
                             self.kasane.app.write_tsunagu_sheet, "place")

    @rpc
    def send_tsunagu_sheet(self, command: dict) -> dict:
        """つなぐシートの送付 — a kept sheet, now that the person consented."""
        return self._command(schemas.SendTsunaguSheetSchema(), command,
                             self.kasane.app.send_tsunagu_sheet, "tsunagu sheet")

    @rpc
    def get_tsunagu_sheet(self, sheet_id: str) -> dict:
        """つなぐシート照会 — the sheet with the person's details, for the place's own staff."""
        data, _ = load_command(schemas.IdQuerySchema(), {"id": sheet_id})
        with not_found_as("tsunagu sheet"):
            sheet = self.kasane.app.tsunagu_sheet(data["id"])
        # 閲覧記録: a sheet precedes any household, so the read is logged under the sheet itself.
        self.kasane.record_read("get_tsunagu_sheet", [], [data["id"]])
        return sheet

    @rpc
    def record_area_issue(self, command: dict) -> dict:
        """地域課題シートの作成 — shared with every agency and 多機関協働."""
        return self._command(schemas.RecordAreaIssueSchema(), command,
                             self.kasane.app.record_area_issue, "area issue")

    @rpc
    def record_area_issue_handling(self, command: dict) -> dict:
        """検討の経緯・取組内容 — the next step in handling an area's issue."""
        return self._command(schemas.AreaIssueHandlingSchema(), command,
                             self.kasane.app.record_area_issue_handling, "area issue")

    # -- 社会資源の開発・相談・マッチング・研修 -----------------------------------------------

    @rpc
    def record_target_progress(self, command: dict) -> dict:
        """社会資源の開発の進捗."""
        return self._command(schemas.TargetProgressSchema(), command,
                             self.kasane.app.record_target_progress, "development target")

    @rpc
    def record_community_consultation(self, command: dict) -> dict:
        """地域活動に関する相談 — from a resident, a group or a company."""
        return self._command(schemas.CommunityConsultationSchema(), command,
                             self.kasane.app.record_community_consultation, "consultation")

    @rpc
    def record_matching(self, command: dict) -> dict:
        """マッチング — a resident with an activity, or a company with the area."""
        return self._command(schemas.MatchingSchema(), command,
                             self.kasane.app.record_matching, "place")

    @rpc
    def record_training(self, command: dict) -> dict:
        """研修 (ボランティア入門講座) and its attendance."""
        return self._command(schemas.TrainingSchema(), command,
                             self.kasane.app.record_training, "training")

    # -- 照会 ---------------------------------------------------------------------------------

    @rpc
    def places(self, query: dict | None = None) -> dict:
        """場・活動の一覧 (per area)."""
        data, _ = load_command(schemas.AreaQuerySchema(), query or {})
        return self.kasane.app.places(data["area"])

    @rpc
    def area_issues(self, query: dict | None = None) -> dict:
        """地域課題の一覧 — open ones first."""
        data, _ = load_command(schemas.AreaQuerySchema(), query or {})
        return self.kasane.app.area_issues(data["area"])

    @rpc
    def development_targets(self) -> dict:
        """社会資源の開発目標の一覧."""
        return self.kasane.app.development_targets()

    @rpc
    def development_target_of(self, shortage_id: str) -> dict | None:
        data, _ = load_command(schemas.ShortageQuerySchema(), {"shortage_id": shortage_id})
        return self.kasane.app.development_target_of(str(data["shortage_id"]))

    @rpc
    def coordinators(self) -> dict:
        """生活支援コーディネーターの一覧."""
        return self.kasane.app.coordinators()
