"""多機関協働事業 (issue 5; seeds 001 §1(5), 002 §II and §4(3), 000 §4, 004 §6): cases, plans, roles,
meetings and their decisions, 支援会議, social resources, and how a plan ended.
"""

# プランの終わり方 — how a 多機関協働 plan ended before the hand-back (DOMAIN.md §5).
PLAN_ENDINGS = {
    "closed": "終結",
    "suspended": "中断",
}

# ケースの状態 — where a household's case stands in 多機関協働 (DOMAIN.md §5).
CASE_STATUSES = {
    "open": "受理（アセスメント中）",
    "planning": "プラン案作成中",
    "monitoring": "支援中（モニタリング）",
    "replanning": "再プラン中（状況変化）",
    "closed": "終結",
    "suspended": "中断",
    "returned": "差し戻し",
    "joined": "統合（同一人物として他のケースへ）",
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
    "joined": "統合により終了（統合先のケースに引き継ぎ）",
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

# 会議体の位置付け — under which legal basis a city's own meeting body meets (seed 001 §10(4):
# Komae's 支援調整会議, 地域ケア会議 … serve as 重層的支援会議 and as 支援会議 by case; 004 §6(2):
# ふくし総合支援会議 is Ise's 支援会議; a body may also be another kind of meeting, e.g. 003's
# 相談支援包括化推進会議 or 生活困窮者自立支援法's 支援調整会議, 004 §5(1)).
MEETING_BASES = {
    **MEETING_KINDS,
    "other": "その他の会議体（重層的支援会議・支援会議としない）",
}

# 重層的支援会議の判断 — per case on its agenda (001 §1(5)イ(オ)).
MEETING_DECISIONS = {
    "plan_appropriate": "プランの適切性を確認",
    "plan_revise": "プランの修正",
    "replan_agreed": "再プランの確認",
    "closure": "支援終結の判断",
    "suspension": "支援中断の決定",
    "review": "支援状況の検証・評価（再プランなし）",
    "resumption": "支援再開の決定",
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

# 同一人物の確認 — what 多機関協働's staff decided when two desks' referrals likely name the same
# person (kana and birth date, as the desks' search compares them; issue 19, DOMAIN §3).
SAME_PERSON_DECISIONS = {
    "join": "同一世帯として既存のケースに統合",
    "keep_apart": "別の世帯として分けたまま",
}

# 重層的支援会議が適切性を協議するプラン (001 §1(5)イ(イ)①: 多機関協働事業（参加支援事業、アウトリーチ等継続
# 支援事業）で作成したプランの適切性の協議) — which lines' plans a city's profile has judged there.
JUDGED_PLAN_SERVICES = {
    "outreach": "アウトリーチ等事業プラン",
    "participation": "参加支援事業プラン",
}

# 会議の判断 on a proposed 参加支援・アウトリーチ等事業プラン.
PLAN_JUDGEMENTS = {
    "approved": "適切と判断（実施）",
    "sent_back": "差し戻し（理由を付して修正を求める）",
}

# 提出されたプランの状態 — an outreach or participation plan's revision as its worker sees it where
# a 重層的支援会議 judges plans (kasane.plan_judgement: proposed, sent_back, in_force).
JUDGED_PLAN_STATUSES = {
    "proposed": "提案中（重層的支援会議の判断待ち）",
    "in_force": "承認済（実施中）",
    "sent_back": "差し戻し（見直して再提案）",
}

# 差し戻しの理由 — why a meeting sent a proposed plan back (001 §1(5)イ(オ)①: 本人の目標、モニタリング
# の時期の検討; 000 §4: 支援提供者による支援プランの共有).
PLAN_SEND_BACK_REASONS = {
    "goals_unclear": "本人の目標が不明確・本人の希望に沿っていない",
    "roles_missing": "役割分担・連携先が足りない",
    "review_dates": "見直し時期（モニタリング）が適切でない",
    "consent_scope": "本人同意の範囲を確かめる必要がある",
    "other": "その他",
}
