"""包括的相談支援事業 (issue 4): a consultation's status and where work awaiting intake came from.
"""

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

# 性別 — as the person or the family states it at intake (personal: kept in the personal part).
SEXES = {
    "female": "女性",
    "male": "男性",
    "other": "その他",
    "unstated": "回答なし",
}

# 年齢の節目 — the ages at which support changes hands (002 §3 I, 001 §9(2)②): 18歳 (児童福祉から
# 成人の支援へ) and 65歳 (障害福祉から介護保険へ).
AGE_HAND_OVER_POINTS = {
    18: "18歳（児童から成人の支援への移行）",
    65: "65歳（障害福祉から介護保険への移行）",
}
