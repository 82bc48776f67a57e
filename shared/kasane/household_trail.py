"""世帯の足跡 — what one instance knows of each household, event by event, for the household page
of its organisation's gateway: when, what (a Japanese label), which record. Never a personal
detail: labels and ids only.

Every business line keeps it (kasane.store.business_line.BusinessLineApplication.follow). An
event names its household (`household_id`) or belongs to a record that did before (an outreach
case's later contacts), so the trail remembers each record's household. Only the events labelled
here are shown: bookkeeping (indexes, read records) stays out."""
from __future__ import annotations

LABELS = {
    # 多機関協働事業
    "collaboration/Case.Opened": "ケース開始（多機関協働）",
    "collaboration/Case.ReferralJoined": "つなぎをケースに統合",
    "collaboration/Case.ReferralReturned": "つなぎの差し戻し",
    "collaboration/Case.PlanDrafted": "支援プランの作成",
    "collaboration/Case.DecisionRecorded": "会議の決定の記録",
    "collaboration/Case.Monitored": "モニタリング",
    "collaboration/Case.HostProblemNoted": "参加支援の受入先からの課題",
    "collaboration/Case.OutreachPlanReported": "アウトリーチ等事業プランの報告",
    "collaboration/Case.Closed": "終結",
    "collaboration/Case.Suspended": "中断",
    "collaboration/Case.HandedBack": "つなぎ戻し",
    "collaboration/Case.Resumed": "再開",
    "collaboration/Assessment.Recorded": "アセスメントの記録",
    "collaboration/SupportPlan.Approved": "支援プランの決定",
    "collaboration/SupportPlan.RoleRequested": "役割分担の依頼",
    "collaboration/MultiLayeredMeeting.Held": "重層的支援会議",
    "collaboration/SupportMeeting.Held": "支援会議",
    "collaboration/HouseholdConsent.ConsentLearned": "本人同意の受領",
    "collaboration/HouseholdConsent.WithdrawalLearned": "本人同意の撤回の受領",
    # アウトリーチ等を通じた継続的支援事業
    "outreach/OutreachCase.LeadTaken": "把握（アウトリーチ）",
    "outreach/OutreachCase.StageChanged": "段階の変更（アウトリーチ）",
    "outreach/OutreachCase.ContactRecorded": "訪問・接触の記録",
    "outreach/OutreachCase.ConsentObtained": "本人同意の取得（アウトリーチ）",
    "outreach/OutreachCase.ConsentWithdrawn": "本人同意の撤回（アウトリーチ）",
    "outreach/OutreachCase.Connected": "つなぎ（アウトリーチから）",
    "outreach/OutreachCase.HandedOver": "引き継ぎ（アウトリーチから）",
    "outreach/OutreachCase.HandBackReceived": "つなぎ戻しの受領（アウトリーチ）",
    "outreach/OutreachCase.PlanMade": "アウトリーチ等事業プランの作成",
    "outreach/OutreachCase.Closed": "終結（アウトリーチ）",
    # 参加支援事業
    "participation/ParticipationSupport.Received": "参加支援の依頼の受付",
    "participation/ParticipationSupport.NeedsAssessed": "参加支援のニーズの把握",
    "participation/ParticipationSupport.PlanMade": "参加支援プランの作成",
    "participation/ParticipationSupport.MatchRecorded": "受入先とのマッチング",
    "participation/ParticipationSupport.MatchEnded": "マッチングの終了",
    "participation/ParticipationSupport.Closed": "終結（参加支援）",
    # 地域づくり事業
    "community/TsunaguSheet.Written": "つなぐシートの作成（地域づくり）",
    "community/TsunaguSheet.Sent": "つなぐシートの送付（地域づくり）",
    "community/CommunityConsultation.Received": "地域での相談の受付",
}


def key_of(event_class) -> str:
    return f"{event_class.__module__.split('.')[0]}/{event_class.__qualname__}"


class HouseholdTrail:
    """A view (kasane.store.log_follower): household id -> its entries, in recorded order."""

    def __init__(self):
        self.entries: dict[str, list] = {}
        self.household_of: dict = {}  # record (originator) id -> the household it is about

    def apply(self, e) -> None:
        household_id = getattr(e, "household_id", None)
        if household_id:
            self.household_of[e.originator_id] = household_id = str(household_id)
        else:
            household_id = self.household_of.get(e.originator_id)
        label = LABELS.get(key_of(type(e)))
        if household_id and label:
            self.entries.setdefault(household_id, []).append(
                {"at": e.timestamp.isoformat(), "event": key_of(type(e)), "label": label,
                 "record_id": str(e.originator_id)})

    def of(self, household_id: str) -> list:
        return list(self.entries.get(str(household_id), []))
