"""アウトリーチ等を通じた継続的支援事業 (issue 8; seeds 004 §5(3), 000 §5, 002, 001 §1(4)): stages,
leads, contacts, plans, area work and hand-overs.
"""

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

# 終了の理由 — why an outreach case ends (つなぎ does not end it: 002 §3 I(3), 004 §5(3)).
OUTREACH_CLOSURE_REASONS = {
    "refused_clearly": "本人の拒否が明確",
    "moved_away": "転居",
    "deceased": "死亡",
    "handed_to_agency_watch_ended": "支援機関へ移行し見守り終了",
    "resolved": "課題が解消し見守り終了",
    "other": "その他",
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

# アウトリーチ等事業プランの報告 — what happened to the plan, reported to 多機関協働 (issue 8).
OUTREACH_PLAN_CHANGES = {
    "made": "作成",
    "revised": "見直し",
    "closed": "終了",
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
