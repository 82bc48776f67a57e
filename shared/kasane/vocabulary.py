"""The program's controlled vocabulary (用語): wire codes and the Japanese labels caseworkers read.

Codes travel in events and contracts; labels are what screens, reports and the demo print.
Every list cites the seed it comes from (../shared/seeds, see DOMAIN.md §3 and §9).
"""

# 地域生活課題 (Komae ordinance art. 16, seed 001 §4) and the compound patterns the seeds name.
ISSUE_CATEGORIES = {
    "welfare": "福祉",
    "care": "介護",
    "care_prevention": "介護予防",
    "health_medical": "保健医療",
    "housing": "住まい",
    "employment": "就労",
    "education": "教育",
    "disaster_crime_prevention": "防災・防犯",
    "isolation": "孤立",
    "8050": "8050",
    "double_care": "ダブルケア",
    "hikikomori": "ひきこもり",
    "young_carer": "ヤングケアラー",
    "disability_grey_zone": "障がいグレーゾーン",
    "self_neglect": "セルフネグレクト",
    "abuse": "虐待",
    "dv": "DV",
    "poverty": "生活困窮",
    "language_barrier": "外国籍（言葉の壁）",
}

# 相談経路 — how the consultation reached the desk (issue 4, 包括的相談支援事業用シート).
CHANNELS = {
    "counter": "窓口",
    "phone": "電話",
    "email": "メール",
    "line": "LINE",
    "home_visit": "訪問",
    "outreach_desk": "出張相談",
}

# 相談者 — who consulted.
CONSULTED_BY = {
    "self": "本人",
    "family": "家族",
    "agency": "関係機関",
    "minsei_iin": "民生委員",
    "neighbour": "近隣住民",
    "anonymous": "匿名",
}

# 緊急度 — abuse or danger to life calls for same-day action.
URGENCY = {
    "normal": "通常",
    "priority": "要注意",
    "emergency": "緊急（虐待・安全確保）",
}

# 多機関協働へつなぐ理由 (seed 001 §1(5), 002 §II: complex, between systems, roles to divide).
REFERRAL_REASONS = {
    "compound_issues": "複合課題",
    "gap_between_systems": "制度の狭間",
    "role_division_needed": "役割分担が必要",
}

# 続柄 — relation in the household.
RELATIONS = {
    "self": "本人",
    "spouse": "配偶者",
    "parent": "親",
    "child": "子",
    "sibling": "兄弟姉妹",
    "grandparent": "祖父母",
    "grandchild": "孫",
    "other": "その他",
    "unknown": "不明",
}

# 事業 — the five business lines (法106条の4第2項), one service each (DOMAIN.md §2).
BUSINESS_LINES = {
    "consultation": "包括的相談支援事業",
    "collaboration": "多機関協働事業",
    "outreach": "アウトリーチ等を通じた継続的支援事業",
    "participation": "参加支援事業",
    "community": "地域づくり事業",
}


def label(vocabulary: dict, code: str) -> str:
    """The Japanese label for a code, or the code itself when the list does not know it."""
    return vocabulary.get(code, code)


# 同意者 — who gave consent to share information (本人同意; DOMAIN.md §4, §9 相談受付・申込票).
CONSENT_GIVEN_BY = {
    "self": "本人",
    "representative": "代理人",
}

# 同意の方法 — how consent was given.
CONSENT_METHODS = {
    "written": "書面",
    "oral": "口頭",
}

# 同意の目的 — what the shared information may be used for (seed 001 §1(5), 002 §II: つなぎ,
# 多機関協働 and 重層的支援会議, アウトリーチ, 参加支援).
CONSENT_PURPOSES = {
    "connection": "他の相談支援機関へのつなぎ",
    "collaboration": "多機関協働・重層的支援会議での共有",
    "outreach": "アウトリーチ等を通じた継続的支援",
    "participation": "参加支援",
}

# 相談の状態 — where a consultation stands at its agency (issue 4 outcomes).
CONSULTATION_STATUSES = {
    "awaiting_intake": "受付待ち",
    "open": "対応中",
    "watching": "見守り",
    "referred": "多機関協働へつなぎ済",
    "connected": "他機関へつなぎ済",
    "resolved": "終結（解決）",
}

# 受付待ちの経路 — where work awaiting intake came from (seed 001: つなぐシート, つなぎ戻し).
LEAD_SOURCES = {
    "tsunagu_sheet": "つなぐシート（地域づくり）",
    "outreach": "アウトリーチからのつなぎ",
    "hand_back": "多機関協働からのつなぎ戻し",
    "connection": "他の相談支援機関からのつなぎ",
}

# プランの終わり方 — how a 多機関協働 plan ended before the hand-back (DOMAIN.md §5).
PLAN_ENDINGS = {
    "closed": "終結",
    "suspended": "中断",
}

# --- 多機関協働事業 (issue 5; seeds 001 §1(5), 002 §II and §4(3), 000 §4, 004 §6) ------------

# ケースの状態 — where a household's case stands in 多機関協働 (DOMAIN.md §5).
CASE_STATUSES = {
    "open": "受理（アセスメント中）",
    "planning": "プラン案作成中",
    "monitoring": "支援中（モニタリング）",
    "replanning": "再プラン中（状況変化）",
    "closed": "終結",
    "suspended": "中断",
    "returned": "差し戻し",
}

# 差し戻しの理由 — why 多機関協働 returned a referral instead of taking the household on.
REFERRAL_RETURN_REASONS = {
    "single_agency_can_handle": "単独の支援機関で対応可能",
    "not_compound": "複合課題に当たらない",
    "information_insufficient": "情報不足（再度のつなぎを依頼）",
    "other": "その他",
}

# 支援プランの状態.
PLAN_STATUSES = {
    "draft": "プラン案",
    "revision_requested": "会議で修正を求められた",
    "in_force": "実施中",
    "superseded": "再プランにより終了",
}

# 役割分担の担い手 — which line of work (or agency outside the program) takes a role in a plan.
ROLE_SERVICES = {
    "consultation": "包括的相談支援事業",
    "outreach": "アウトリーチ等を通じた継続的支援事業",
    "participation": "参加支援事業",
    "community": "地域づくり事業",
    "other_agency": "その他の支援関係機関",
}

# 役割の内容 — what the organisation does in the plan (プランシート check items, DOMAIN.md §9).
ROLE_TASKS = {
    "continuing_consultation": "継続的な相談支援",
    "outreach_visits": "訪問・関係づくり（アウトリーチ）",
    "participation_matching": "社会参加の場とのマッチング",
    "employment_support": "就労支援",
    "care_services": "介護サービスの調整",
    "disability_services": "障害福祉サービスの調整",
    "livelihood_support": "生活困窮者自立支援",
    "child_support": "子育て・子どもの支援",
    "health_medical": "保健・医療",
    "housing_support": "住まいの支援",
    "watching": "見守り",
    "other": "その他",
}

# 会議の種類 — the two meetings side by side (002 §4(3), 000 §4).
MEETING_KINDS = {
    "multi_layered": "重層的支援会議",
    "support": "支援会議（法106条の6）",
}

# 重層的支援会議の判断 — per case on its agenda (001 §1(5)イ(オ)).
MEETING_DECISIONS = {
    "plan_appropriate": "プランの適切性を確認",
    "plan_revise": "プランの修正",
    "replan_agreed": "再プランの確認",
    "closure": "支援終結の判断",
    "suspension": "支援中断の決定",
}

# 会議の参加者の立場 (001 §1(5)イ(エ), ア(ウ)).
ATTENDEE_ROLES = {
    "host": "多機関協働事業者（主催）",
    "city": "市職員",
    "consultation": "包括的相談支援事業者",
    "outreach": "アウトリーチ等継続支援事業者",
    "participation": "参加支援事業者",
    "related_agency": "その他の支援関係機関",
    "service_provider": "サービス提供事業者",
    "minsei_iin": "民生委員・児童委員",
    "person": "本人",
}

# 目標の達成状況 — evaluated at closure (001 §1(5)イ(オ)③).
GOAL_ATTAINMENT = {
    "met": "達成",
    "partly_met": "一部達成",
    "not_met": "未達成",
}

# 中断の理由 (001 §1(5)イ(オ)④: 本人と連絡が完全に取れなくなった場合等).
SUSPENSION_REASONS = {
    "contact_lost": "本人と連絡が完全に取れない",
    "moved_away": "転出",
    "declined": "本人が支援を拒否",
    "deceased": "死亡",
    "other": "その他",
}

# 不足している社会資源 — found at 重層的支援会議 for community building (002 §5(2), 003 ch.4(3)).
SOCIAL_RESOURCE_KINDS = {
    "place_to_belong": "居場所・交流の場",
    "intermediate_work": "中間的就労の場",
    "work_experience": "職場見学・就労体験の受入先",
    "housing": "住まいの確保",
    "transport": "移動手段",
    "meals": "食の支援（地域食堂など）",
    "watching": "見守り",
    "care_services": "介護・福祉サービス",
    "consultation": "相談先",
    "other": "その他",
}

# --- アウトリーチ等を通じた継続的支援事業 (issue 8; seeds 004 §5(3), 000 §5, 002, 001 §1(4)) --

# 関係性の段階 — where outreach stands with a person who does not ask for help, in order.
OUTREACH_STAGES = {
    "identified": "把握",
    "gathering": "情報収集",
    "preparing_contact": "接触準備",
    "contacted": "接触",
    "building_relationship": "関係構築",
    "consent_obtained": "同意取得",
    "connected": "つなぎ",
}

# 把握の経路 — where an outreach lead came from (004 §5(3): アンケート, マッピング, 相談所).
OUTREACH_LEAD_SOURCES = {
    "collaboration_role": "多機関協働からの役割の依頼",
    "consultation_agency": "相談支援機関",
    "support_meeting": "支援会議の決定",
    "minsei_iin": "民生委員",
    "survey": "地域の実情アンケート",
    "mapping": "マッピング調査",
    "popup_desk": "アウトリーチ型相談所",
    "neighbour": "近隣住民",
    "other": "その他",
}

# 関わりの方法 — 直接的・間接的な関わり (004 §5(3)).
OUTREACH_CONTACT_MODES = {
    "direct": "直接（訪問・面談）",
    "indirect": "間接（手紙・電話・関係者経由）",
}

# 関わった相手.
OUTREACH_CONTACT_WITH = {
    "self": "本人",
    "family": "家族",
    "neighbour": "近隣住民",
    "agency": "関係機関",
}

# 関わりの結果.
OUTREACH_CONTACT_OUTCOMES = {
    "met": "会えた",
    "talked": "話ができた",
    "no_answer": "不在・応答なし",
    "letter_left": "手紙を置いた",
    "refused": "拒否された",
    "information_obtained": "情報を得た",
}

# アウトリーチ等事業プランの状態.
OUTREACH_PLAN_STATUSES = {
    "in_force": "実施中",
    "closed": "終了",
}

# 地域での取組 — 004 §5(3)'s yearly targets: アンケート 343件, マッピング 9か所, 相談所 17か所, 追跡調査 60件.
OUTREACH_AREA_WORK = {
    "survey": "地域の実情アンケート",
    "mapping": "マッピング調査",
    "popup_desk": "アウトリーチ型相談所",
    "follow_up": "追跡調査",
}

# 参加支援事業 (seed 004 §5(4), 002 §III(1)(2), 003 ch.2 4) — participation support.
# 受入先の種別: 地域住民組織等 (ボランティア体験), 企業等 (職場見学・職場体験・就労体験), 地域の居場所.
HOST_KINDS = {
    "community_group": "地域住民組織等",
    "company": "企業等",
    "community_place": "地域の居場所・活動の場",
}

# 受入先が提供する参加の形 (004 §5(4) 実施内容).
PARTICIPATION_OFFERS = {
    "volunteer_experience": "ボランティア体験",
    "workplace_visit": "職場見学",
    "workplace_experience": "職場体験",
    "work_experience": "就労体験",
    "place_to_belong": "居場所への参加",
}

# 参加支援の依頼の経路 (issue 9: 多機関協働の役割の依頼 or 相談支援機関から).
PARTICIPATION_REQUEST_SOURCES = {
    "collaboration_role": "多機関協働の役割の依頼",
    "consultation_agency": "相談支援機関からの依頼",
}

# マッチングの終了理由.
PARTICIPATION_END_REASONS = {
    "goal_reached": "目標の達成",
    "moved_to_employment": "就労へ移行",
    "moved_to_other_place": "他の参加の場へ移行",
    "person_declined": "本人の希望による終了",
    "host_declined": "受入先の事情による終了",
    "health": "体調・健康上の理由",
    "contact_lost": "連絡が取れない",
    "other": "その他",
}

# フォローアップの相手 (002 §III(2): 本人の状態と受入先の課題).
FOLLOW_UP_WITH = {
    "person": "本人",
    "host": "受入先",
}

# 受入先から報告された課題の種類.
HOST_PROBLEM_KINDS = {
    "attendance": "出席・遅刻・欠席",
    "relationships": "人間関係",
    "health": "体調・健康",
    "work_fit": "作業・活動が合わない",
    "safety": "安全上の問題",
    "host_capacity": "受入体制の問題",
    "other": "その他",
}

# 曜日 — 参加できる日・受入できる日.
WEEKDAYS = {
    "mon": "月", "tue": "火", "wed": "水", "thu": "木", "fri": "金", "sat": "土", "sun": "日",
}

# --- 地域づくり事業 (issue 10; seeds 001 §10(4), 004 §5(2), DOMAIN.md §2) ----------------------

# 場・活動の種類 — the places and activities community building registers (DOMAIN.md §2).
PLACE_KINDS = {
    "kayoi_no_ba": "通いの場",
    "salon": "サロン",
    "childcare_hub": "子育て支援拠点",
    "community_activity_centre": "地域活動支援センター",
    "ibasho": "居場所",
    "multigenerational_hub": "多世代交流拠点",
}

# 場の状態.
PLACE_STATUSES = {
    "open": "開設中",
    "paused": "休止中",
    "closed": "廃止",
}

# 生活支援コーディネーターの層.
COORDINATOR_LAYERS = {
    "first": "第1層（市全域）",
    "second": "第2層（日常生活圏域）",
}

# 地域課題シートを起こした人 (seed 001 §10(4) 4.: 福祉のまちづくり委員会の構成員).
AREA_ISSUE_RAISERS = {
    "committee_member": "委員会構成員",
    "neighbourhood_association": "町会・自治会",
    "minsei_iin": "民生委員・児童委員",
    "place_staff": "施設職員（つなぐシート連絡員）",
    "csw": "CSW",
    "resident": "地域住民",
}

# 地域課題の取扱状況.
AREA_ISSUE_STATUSES = {
    "shared": "共有済",
    "considering": "検討中",
    "in_progress": "取組中",
    "resolved": "解決",
    "closed": "終了",
}

# 社会資源の開発の進捗.
DEVELOPMENT_STATUSES = {
    "not_started": "未着手",
    "in_progress": "開発中",
    "developed": "開発済",
    "dropped": "見送り",
}

# つなぐシートの状態.
TSUNAGU_SHEET_STATUSES = {
    "kept_without_consent": "同意なし（場で保管）",
    "sent": "相談支援機関へ送付済",
}

# マッチングの種類 (004 §5(2)).
MATCHING_KINDS = {
    "resident_activity": "市民と地域活動とのマッチング",
    "company_area": "地域と企業等とのマッチング",
}

# 地域活動に関する相談の相談者 (004 §5(2): 市民, 団体等, 企業等).
COMMUNITY_CONSULTERS = {
    "resident": "市民",
    "group": "団体等",
    "company": "企業等",
}

# 参加支援ケースの状況.
PARTICIPATION_STATUSES = {
    "received": "受付",
    "assessed": "ニーズ把握済み",
    "planned": "プラン作成済み",
    "matched": "マッチング中",
    "closed": "終結",
}

# アウトリーチ等事業プランの報告 — what happened to the plan, reported to 多機関協働 (issue 8).
OUTREACH_PLAN_CHANGES = {
    "made": "作成",
    "revised": "見直し",
    "closed": "終了",
}

# 支援会議の決定 — the role a member organisation takes for a household the 支援会議 (法106条の6)
# discussed without the person's consent (seed 000 §4, 001 §1(5)ア; issue 8).
SUPPORT_MEETING_ROLES = {
    "outreach_contact": "アウトリーチによる接触",
    "information_gathering": "情報収集",
    "watching": "見守り",
    "consultation": "相談対応",
    "coordination": "関係機関の調整",
    "other": "その他",
}

# アウトリーチからの引き継ぎの根拠 — why a person's details may go with a hand-over (issue 8).
OUTREACH_HANDOVER_BASES = {
    "consent": "本人同意",
    "support_meeting": "支援会議の決定（法106条の6）",
}

# アウトリーチからの引き継ぎ先 — the business line that takes the person over.
OUTREACH_HANDOVER_TARGETS = {
    "consultation": "包括的相談支援事業",
    "collaboration": "多機関協働事業",
}
