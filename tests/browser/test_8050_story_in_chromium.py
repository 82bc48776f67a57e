"""The 8050 story in Chromium, across three organisations' gateways: the desk finds no household,
takes the intake with consent and refers; 多機関協働 accepts, assesses, drafts a plan with an
outreach role chosen from the city's directory and records the 重層的支援会議's approval; the
社協's outreach worker sees the role request and records a visit; the case ends and the desk
sees the hand-back. The 社協 worker cannot open the desk's household; a withdrawn consent shows
as withdrawn at the desk and stops 多機関協働's meetings on the household."""
import secrets

import pytest

from tests.browser_helpers import chromium, serious_violations
from tests.servers import slice_of_servers
from gateway.domain.roles import CASEWORKER
from tests.gateway_helpers import add_staff
from tests.story_helpers import story_world
from tests.story_steps import (desk_takes_the_intake_and_refers, outreach_records_a_visit, reload_until,
                         signed_in, takikan_accepts_assesses_plans_and_approves, takikan_ends_the_case)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def story(platform, tmp_path_factory):
    with slice_of_servers(platform.state_dir) as p:
        world = story_world(p, tmp_path_factory.mktemp("story"))
        world["staff"] = {k: add_staff(g, f"{k}-{secrets.token_hex(2)}", CASEWORKER)
                          for k, g in world["gates"].items()}
        with chromium() as browser:
            world["pages"] = {k: signed_in(browser, g, world["staff"][k]) for k, g in world["gates"].items()}
            yield world


@pytest.fixture(scope="module")
def household(story):
    return desk_takes_the_intake_and_refers(story["pages"]["desk"])


@pytest.fixture(scope="module")
def case(story, household):
    return takikan_accepts_assesses_plans_and_approves(story["pages"]["takikan"], story["city"])


def test_the_social_welfare_council_s_outreach_worker_sees_the_role_request_and_records_a_visit(story, case):
    outreach_records_a_visit(story["pages"]["shakyo"])
    assert serious_violations(story["pages"]["shakyo"]) == []


def test_the_desk_sees_the_hand_back_when_the_case_ends(story, case):
    takikan, desk = story["pages"]["takikan"], story["pages"]["desk"]
    assert serious_violations(takikan) == []
    takikan_ends_the_case(takikan, case)
    reload_until(desk, "/today", "多機関協働からのつなぎ戻し", "the hand-back at the desk")
    assert "長男は週1回外出できるようになった" in desk.inner_text("main")


def test_another_organisation_s_caseworker_sees_nothing_of_the_household(story, household):
    shakyo = story["pages"]["shakyo"]
    shakyo.goto(household)
    assert "八十" not in shakyo.inner_text("body") and "見つかりません" in shakyo.inner_text("main")


def test_a_withdrawn_consent_shows_as_withdrawn_and_stops_the_meetings_on_the_household(story, household, case):
    desk, takikan = story["pages"]["desk"], story["pages"]["takikan"]
    desk.goto(household)
    while desk.locator("text=この同意の撤回を記録する").count():  # the mother's and the son's
        desk.locator("text=この同意の撤回を記録する").first.click()
        desk.wait_for_load_state()
    assert desk.inner_text("#members + table").count("撤回済み") == 2
    reload_until(takikan, case, "会議で扱える同意がありません", "the withdrawal at 多機関協働")
