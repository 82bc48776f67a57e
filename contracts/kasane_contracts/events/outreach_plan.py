"""アウトリーチ等事業プランの報告 — an outreach plan made, revised or closed for a 多機関協働
role request, reported to the collaboration instance that asked (issue 8; seed 000 §4: the
重層的支援会議 discusses the plans of アウトリーチ等継続支援事業 too).

Addressed, and pseudonymous all the same: ids, the change, dates. The goals and approach are
free text about the person and stay in the outreach instance.
"""
from marshmallow import fields, validate

from kasane_contracts.vocabulary import OUTREACH_PLAN_CHANGES

from ..fields import (ContractSchema, IsoDate, JsonInteger, UuidString, code, non_empty_string,
                      unique_items)


class OutreachPlanReportedV1(ContractSchema):
    """プランの報告 — the outreach plan answering a role request changed (v1)."""

    plan_id = UuidString(required=True)
    outreach_case_id = UuidString(required=True)
    request_id = UuidString(required=True)
    collaboration_case_id = UuidString(required=True)
    change = code(OUTREACH_PLAN_CHANGES, "OUTREACH_PLAN_CHANGES", required=True)
    revision = JsonInteger(required=True, validate=validate.Range(min=1))
    changed_on = IsoDate(required=True)
    review_dates = fields.List(IsoDate(), required=True, validate=unique_items)
    worker_id = non_empty_string(required=True)
