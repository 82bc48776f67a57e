"""What the community service tells the others, and which events it listens to.

Published:
- a つなぐシート sent under the person's consent (community.tsunagu_sheet_sent v1), addressed to
  the chosen agency's consultation instance with its personal part; a sheet kept without
  consent has no translator, so nothing of it ever leaves (seed 001_ddff1cd5bed04970.txt §10(4));
- a 地域課題シート (community.area_issue_recorded v1), broadcast to every agency and to
  多機関協働: about an area, never a household (household_id null), no personal part.
Consumed: collaboration.social_resource_shortage_found v1 → a development target.
"""
from __future__ import annotations

from functools import partial

from kasane.bus.envelope import Outgoing, utc_iso
from kasane.integration import Consumes, Integration, Publishes
from kasane.shortages import take_shortage

from community.domain.area_issue import AreaIssueSheet
from community.domain.development_target import DevelopmentTarget
from community.domain.tsunagu_sheet import TsunaguSheet


def tsunagu_sheet_sent(e) -> Outgoing:
    consent = e.consent
    return Outgoing(
        type="community.tsunagu_sheet_sent", version=1, household_id=None,
        payload={"sheet_id": str(e.originator_id), "place": e.place, "liaison_id": e.liaison_id,
                 "to_agency": e.to_agency, "issue_categories": e.issue_categories,
                 "consent": {"given_by": consent["given_by"], "method": consent["method"],
                             "given_at": utc_iso(consent["given_at"])},
                 "written_at": utc_iso(e.written_at)},
        personal=e.personal, recipient=e.to_instance)


def area_issue_recorded(e) -> Outgoing:
    return Outgoing(
        type="community.area_issue_recorded", version=1, household_id=None,
        payload={"sheet_id": str(e.originator_id), "area": e.area, "committee": e.committee,
                 "issue_categories": e.issue_categories, "description": e.description,
                 "raised_by": e.raised_by, "recorded_on": e.recorded_on.isoformat()})


INTEGRATION = Integration(
    consumes=(Consumes("collaboration.social_resource_shortage_found", 1,
                       partial(take_shortage, kind=DevelopmentTarget)),),
    publishes=(Publishes(TsunaguSheet.Sent, tsunagu_sheet_sent),
               Publishes(AreaIssueSheet.Recorded, area_issue_recorded)))

#: What tests and tools read directly, derived from the table.
SUBSCRIPTIONS, handlers, translators = (INTEGRATION.subscriptions(), INTEGRATION.handlers,
                                        INTEGRATION.translators)
