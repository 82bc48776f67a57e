"""The 多機関協働 world for the casework page tests: the 8050 story's three organisations (desk,
the city's 多機関協働, the 社協's outreach) on a vhost of their own, driven as a browser without
JavaScript would (tests.pages_helpers.Pages)."""
from __future__ import annotations

import re

from tests.pages_helpers import Pages, intake_form
from tests.servers import wait_until

CASE_LINK = re.compile(r'href="/cases/([0-9a-f-]{36})"')
REIWA_9_3_31 = {"monitoring_on_era": "reiwa", "monitoring_on_year": "9", "monitoring_on_month": "3",
                "monitoring_on_day": "31"}


def referred_household(desk: Pages, kana: str, consent: bool = True) -> str:
    """The desk takes an intake (with or without 本人同意) and refers it to 多機関協働."""
    desk.post("/intake/search", {"kana": kana})
    overrides = {"p0_kana": kana} if consent else {"p0_kana": kana, "consent": "no", "consent_purposes": []}
    household = desk.post("/intake", intake_form(**overrides))
    assert "/households/" in household.url, household.text[:500]
    if consent:  # the son's consent too, on the household page
        person = re.findall(r'name="person_id" value="([^"]+)"', household.text)
        for p in person:
            desk.post(household.url.removeprefix(desk.base) + "/consents",
                      {"person_id": p, "consent_given_by": "self", "consent_method": "oral",
                       "consent_purposes": ["collaboration", "outreach"]})
    consultation = re.search(r'name="consultation_id" value="([^"]+)"', household.text).group(1)
    referred = desk.post(household.url.removeprefix(desk.base) + "/refer",
                         {"consultation_id": consultation, "reasons": ["compound_issues"]})
    assert referred.status_code == 200, referred.text[:500]
    return household.url.rsplit("/", 1)[1]


def case_of(rpc, takikan_instance: str, household_id: str) -> str:
    found = wait_until(lambda: rpc[takikan_instance].open_case_of(household_id), timeout=60,
                       message="the referral at 多機関協働")
    return found["case_id"]


def plan_in_force(takikan: Pages, case: str, city: str, consented: bool = True) -> str:
    """Assessed, planned with the 社協's outreach role, approved by the 重層的支援会議."""
    takikan.post(f"/cases/{case}/assessment", {"a_categories": ["8050"], "a_situation": "母の介護と長男のひきこもり"})
    planned = takikan.post(f"/cases/{case}/plan", {"household_goal": "長男が週に一度外出できる",
                                                  "role_agency": f"{city}-csw-outreach",
                                                  "role_task": "outreach_visits", **REIWA_9_3_31})
    assert "世帯の目標: 長男が週に一度外出できる" in planned.text, planned.text[:2000]
    if consented:
        wait_until(lambda: "共有に同意あり" in takikan.get(f"/cases/{case}").text, timeout=60,
                   message="the consent at 多機関協働")
        approved = takikan.post(f"/cases/{case}/meeting", {"decision": "plan_appropriate"})
        assert 'id="case-status">支援中（モニタリング）' in approved.text, approved.text[:3000]
    return case
