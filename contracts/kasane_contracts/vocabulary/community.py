"""地域づくり事業 (issue 10; seeds 001 §10(4), 004 §5(2), DOMAIN.md §2): places, coordinators, area
issues, development targets, つなぐシート, matchings, consulters.
"""

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

# 研修の種類 — trainings are counted apart by kind (seed 004_80d15c30c045b89b.txt §5(2):
# ボランティア入門講座 12回・延30名 in 地域づくり事業; 生活支援サポーター養成講座 2回・延460名 in
# 生活支援体制整備事業; seed 003_b2db04212c78b606.txt: 生活支援サポーター養成研修の受講人数 50名).
TRAINING_KINDS = {
    "volunteer_intro": "ボランティア入門講座",
    "life_support_supporter": "生活支援サポーター養成講座",
    "other": "その他の研修",
}
