"""進捗管理の集計項目 — the counters each business line's `report_counts` answers (its
`views/report.py` declares how each is counted; tests/unit/test_report_counters.py holds the two
alike). A city profile's KPI row names one of its business line's counters, or is 手入力
(deploy/profiles, kasane.report.rows)."""
from kasane_contracts.vocabulary.community import PLACE_KINDS, TRAINING_KINDS

REPORT_COUNTERS = {
    "consultation": {
        "consultations_new": "新規相談件数（つなぎ戻しを除く）",
        "consultations_total": "延相談件数（受付と継続相談）",
    },
    "collaboration": {
        "referrals_received": "多機関協働へのつなぎの受理件数",
        "assessments_made": "インテーク・アセスメントシートの作成件数",
        "plans_made": "多機関協働事業プランの作成件数",
        "multi_layered_meetings": "重層的支援会議の開催回数",
        "support_meetings": "支援会議の開催回数",
    },
    "outreach": {
        "surveys_sent": "地域の実情アンケートの送付件数",
        "mapping_sites": "マッピング調査の実施か所数",
        "popup_desks": "アウトリーチ型相談所の開設日数",
        "popup_desk_places": "アウトリーチ型相談所の箇所数",
        "follow_ups": "追跡調査数",
        "plans_made": "アウトリーチ等事業プランの作成件数",
    },
    "participation": {
        "plans_made": "参加支援事業プランの作成件数",
        "new_community_hosts": "地域住民組織等の受入先の新規開拓数",
        "new_company_hosts": "企業等の受入先の新規開拓数",
        "experience_days_held": "職場見学・職場体験会の開催回数",
        "work_experience_new": "就労体験の新規登録者数",
        "work_experience_registered": "就労体験の登録者数（全体）",
        "sessions": "就労体験の実施延件数",
    },
    "community": {
        "consultations_from_residents": "市民からの相談件数",
        "consultations_from_groups": "団体等からの相談件数",
        "consultations_from_companies": "企業等からの相談件数",
        "resident_matchings": "市民と地域活動とのマッチング件数",
        "company_matchings_total": "地域と企業等とのマッチング件数（延）",
        "company_matchings_new": "地域と企業等とのマッチング件数（新規）",
        "trainings_held": "研修の開催回数（全種類）",
        "training_attendees": "研修の参加者数（全種類、延）",
        **{f"{kind}_courses_held": f"{name}の開催回数" for kind, name in TRAINING_KINDS.items()},
        **{f"{kind}_course_attendees": f"{name}の参加者数（延）" for kind, name in TRAINING_KINDS.items()},
        "life_support_supporters_trained": "生活支援サポーター養成講座の修了者（累計）",
        "visitors": "来所者数（全ての場）",
        **{f"visitors_{kind}": f"{name}の来所者数" for kind, name in PLACE_KINDS.items()},
        "activities_held": "地域福祉活動の回数（延）",
        "groups_active": "地域福祉活動の団体数",
    },
}
