"""参加支援事業 (seed 004 §5(4), 002 §III(1)(2), 003 ch.2 4): hosts, offers, requests, endings,
follow-ups, host problems, weekdays.
"""

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

# 参加支援ケースの状況.
PARTICIPATION_STATUSES = {
    "received": "受付",
    "assessed": "ニーズ把握済み",
    "planned": "プラン作成済み",
    "matched": "マッチング中",
    "closed": "終結",
}
