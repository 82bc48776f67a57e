"""アウトリーチ等を通じた継続的支援事業 — consent obtained by outreach (issue 8).

Broadcast and pseudonymous, like consultation.consent_recorded: consultation and collaboration
learn that the person consented, to whom and for what, so they may act; no name, address or
description travels (those go only addressed, with outreach.person_connected).
"""
from ..fields import UuidString, non_empty_string
from .common import ConsentScopeSchema


class OutreachConsentObtainedV1(ConsentScopeSchema):
    """同意取得 — a person reached by outreach consented to sharing their information with the
    named organisations or for the named purposes (v1)."""

    outreach_case_id = UuidString(required=True)
    worker_id = non_empty_string(required=True)
