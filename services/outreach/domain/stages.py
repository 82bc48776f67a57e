"""関係性の段階 — 把握 → 情報収集 → 接触準備 → 接触 → 関係構築 → 同意取得 → つなぎ (issue 8; seed
004 §5(3) 「本人・家族への直接的・間接的な関わりを継続」, 000 §5 「時間をかけた丁寧な働きかけ」).

A relationship may move forward by several steps (a person met on the first visit) or back (a
person who stops answering): building trust is not linear. 同意取得 is reached only by recording
the person's consent, and つなぎ only by connecting them, so those two are never set by hand.

つなぎ戻し (issue 8, continued): when 多機関協働 hands back a household that outreach handed over
to it, the case opens again as a follow-up and a case that stood at つなぎ returns to 関係構築
(AFTER_HAND_BACK). The person was met and consented before, so the relationship is not started
again from 把握; but 同意取得 is reached only by recording consent, and the consent that allowed
the hand-over may since have been withdrawn, so the case does not claim it. From there outreach
carries on 「本人・家族への直接的・間接的な関わりを継続」 and the 追跡調査 of cases it found (seed
004 §5(3)); 多機関協働 returns the household to whoever carries on once roles are settled (seed 001
§1(4)オ 「多機関協働事業からのつなぎ戻し」).
"""
from __future__ import annotations

from kasane_contracts.vocabulary import OUTREACH_STAGES

from outreach.domain.rules import StageRuleViolation, check_codes

ORDER = list(OUTREACH_STAGES)
BY_EVENT_ONLY = ("consent_obtained", "connected")  # reached by recording consent / connecting
CONTACTED = "contacted"
AFTER_HAND_BACK = "building_relationship"  # 関係構築: where a handed-back case picks up again


def rank(stage: str) -> int:
    return ORDER.index(stage)


def check_stage_change(current: str, to: str) -> None:
    check_codes("stage", [to], OUTREACH_STAGES, StageRuleViolation)
    if to in BY_EVENT_ONLY:
        raise StageRuleViolation("同意取得 is reached by recording the person's consent and つなぎ by "
                                 "connecting them; neither is set by hand")
    if current in BY_EVENT_ONLY:
        raise StageRuleViolation("after 同意取得 the stage changes only by connecting the person or "
                                 "by the consent's withdrawal")
    if to == current:
        raise StageRuleViolation("the case is already at that stage")
