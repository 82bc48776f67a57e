"""用語 shared by every business line: 地域生活課題, channels, urgency, referral reasons, relations, the
business lines, consent (本人同意), and `label`.
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

# 監査員 — the auditors' role as a call's context names it (`reader_role`, set by the gateway and by
# `kasane audit history`): the audit ledger shows a 支援会議's decisions to it (DOMAIN §11).
AUDITOR_ROLE = "監査員"
