"""nameko entrypoints of the community service (地域づくり事業): validate, call the application,
return."""
from kasane.runtime.commands import load_command, not_found_as
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.rpc import rpc
from kasane.runtime.service import BusinessLineEntrypoints, Command
from kasane.runtime.wiring import business_line

from community import schemas
from community.application import CommunityApplication


class CommunityService(BusinessLineEntrypoints):
    name = "community"
    kasane = KasaneRuntime(business_line(CommunityApplication))

    command_subject = "place"

    # -- 場・活動 -------------------------------------------------------------------------------

    register_place = Command(schemas.RegisterPlaceSchema,
                             "場・活動の登録 — 通いの場, サロン, 子育て支援拠点, 居場所 … with operator and schedule.")
    record_visitors = Command(schemas.VisitorsSchema, "来所者数 — visitors of one day or session (a recount corrects it).")
    record_activity = Command(schemas.ActivitySchema, "地域福祉活動 — a group's activity held at the place.")
    change_place_status = Command(schemas.PlaceStatusSchema, "開設・休止・廃止.")

    # -- 生活支援コーディネーター ---------------------------------------------------------------

    appoint_coordinator = Command(schemas.AppointCoordinatorSchema,
                                  "生活支援コーディネーターの配置 — 第1層 (city-wide) or 第2層 (areas).", what="coordinator")
    assign_place = Command(schemas.AssignPlaceSchema, "担当する活動 — a coordinator supports a place.", what="coordinator")

    # -- シート ---------------------------------------------------------------------------------

    write_tsunagu_sheet = Command(schemas.WriteTsunaguSheetSchema,
                                  "つなぐシートの作成 — with consent and a chosen agency, sent to its instance.")
    send_tsunagu_sheet = Command(schemas.SendTsunaguSheetSchema,
                                 "つなぐシートの送付 — a kept sheet, now that the person consented.", what="tsunagu sheet")
    record_area_issue = Command(schemas.RecordAreaIssueSchema, "地域課題シートの作成 — shared with every agency and 多機関協働.",
                                what="area issue")
    record_area_issue_handling = Command(schemas.AreaIssueHandlingSchema,
                                         "検討の経緯・取組内容 — the next step in handling an area's issue.", what="area issue")

    @rpc
    def get_tsunagu_sheet(self, sheet_id: str) -> dict:
        """つなぐシート照会 — the sheet with the person's details, for the place's own staff."""
        data, _ = load_command(schemas.IdQuerySchema(), {"id": sheet_id})
        with not_found_as("tsunagu sheet"):
            sheet = self.kasane.app.tsunagu_sheet(data["id"])
        # 閲覧記録: a sheet precedes any household, so the read is logged under the sheet itself.
        self.kasane.record_read("get_tsunagu_sheet", [], [data["id"]])
        return sheet

    # -- 社会資源の開発・相談・マッチング・研修 -----------------------------------------------

    record_target_progress = Command(schemas.TargetProgressSchema, "社会資源の開発の進捗.", what="development target")
    record_community_consultation = Command(schemas.CommunityConsultationSchema,
                                            "地域活動に関する相談 — from a resident, a group or a company.",
                                            what="consultation")
    record_matching = Command(schemas.MatchingSchema, "マッチング — a resident with an activity, or a company with the area.")
    record_training = Command(schemas.TrainingSchema, "研修 (ボランティア入門講座) and its attendance.", what="training")

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
