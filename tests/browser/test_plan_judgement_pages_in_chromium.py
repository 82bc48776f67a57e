"""The pages of plans judged at a 重層的支援会議 (issue 19) in Chromium (Debian's, headless):
axe-core finds no serious or critical violation on a 参加支援 support whose plan awaits the
meeting (no hosts, said so) and once sent back with its reasons, nor on the 多機関協働 case
listing the plan with its judgement form, as shown and as refused."""
import pytest

from tests.browser_helpers import chromium, serious_violations
from tests.judged_helpers import consenting_case, judge, judged_world, participation_plan_proposed
from tests.servers import slice_of_servers
from tests.story_steps import reload_until, signed_in

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform, tmp_path_factory):
    with slice_of_servers(platform.state_dir) as p:
        world = judged_world(p, tmp_path_factory.mktemp("judged-chromium"))
        with chromium() as browser:
            world["browser"] = {k: signed_in(browser, world["gates"][k], world["staff"][k]) for k in ("takikan", "sanka")}
            yield world


def test_a_plan_proposed_judged_and_sent_back_has_no_serious_violation_on_either_side(world):
    case, household = consenting_case(world)
    path, _ = participation_plan_proposed(world, household)
    sanka, takikan, found = world["browser"]["sanka"], world["browser"]["takikan"], {}
    sanka.goto(path)
    assert "承認されるまで、マッチングはできません" in sanka.inner_text("main")
    found["参加支援（プラン提案中）"] = serious_violations(sanka)
    reload_until(takikan, f"/cases/{case}", "判断待ち", "the plan proposed to 多機関協働")
    found["ケース（提出されたプラン）"] = serious_violations(takikan)
    takikan.click("form[action$='/plan-judgements'] button[type=submit]")
    takikan.wait_for_load_state()
    assert "入力内容に問題があります" in takikan.inner_text("main")
    found["プランの判断（エラー）"] = serious_violations(takikan)
    judge(world, case, judgement_0="sent_back", reasons_0=["roles_missing"], judgement_comment_0="通う手段を加える")
    reload_until(sanka, path, "差し戻し（見直して再提案）", "the judgement at 参加支援")
    assert "役割分担・連携先が足りない" in sanka.inner_text("main")
    found["参加支援（差し戻し）"] = serious_violations(sanka)
    assert {name: v for name, v in found.items() if v} == {}
