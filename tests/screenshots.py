"""`make screenshots` — PNGs of the caseworkers' main pages, with the 8050 story's data, in
var/screenshots/: the story is played in Chromium across three organisations' gateways on a vhost
and databases of its own (removed afterwards), and each main page is captured as it is shown."""
from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent
sys.path[:0] = [str(TESTS.parent)]  # the checkout: tests.*
OUT = TESTS.parent / "var" / "screenshots"


def main() -> int:
    os.environ.setdefault("KASANE_STATE_DIR", tempfile.mkdtemp(prefix="kasane-screens-"))
    import tests.story_steps as steps
    from tests.browser_helpers import chromium
    from tests.servers import slice_of_servers
    from gateway.domain.roles import CASEWORKER
    from tests.gateway_helpers import add_staff
    from tests.story_helpers import story_world
    from tests.screenshots_accounts import shoot_account_pages

    OUT.mkdir(parents=True, exist_ok=True)
    shoot = Shooter()
    with slice_of_servers(Path(os.environ["KASANE_STATE_DIR"])) as p:
        world = story_world(p, Path(tempfile.mkdtemp(prefix="kasane-city-")))
        staff = {k: add_staff(g, f"{k}-{secrets.token_hex(2)}", CASEWORKER) for k, g in world["gates"].items()}
        with chromium() as browser:
            pages = {k: steps.signed_in(browser, g, staff[k]) for k, g in world["gates"].items()}
            desk, takikan, shakyo = pages["desk"], pages["takikan"], pages["shakyo"]
            desk.goto("/login"), shoot(desk, "ログイン")
            desk.click("button[type=submit]"), shoot(desk, "ログイン（入力エラー）")
            pages["desk"] = desk = steps.signed_in(browser, world["gates"]["desk"], staff["desk"])
            desk.goto("/intake"), shoot(desk, "相談受付（世帯の検索）")
            household = steps.desk_takes_the_intake_and_refers(desk)
            desk.goto("/intake"), desk.fill("#kana", "ハチマル ゴーマル"), desk.click("main button[type=submit]")
            shoot(desk, "相談受付票（候補の世帯）")
            desk.click("form[action='/intake'] button[type=submit]"), shoot(desk, "相談受付票（入力エラー）")
            desk.goto(household), shoot(desk, "世帯")
            case = steps.takikan_accepts_assesses_plans_and_approves(takikan, world["city"])
            takikan.goto("/today"), shoot(takikan, "受付一覧（多機関協働）")
            takikan.goto(case), shoot(takikan, "多機関協働のケース")
            steps.outreach_records_a_visit(shakyo)
            shoot(shakyo, "アウトリーチの記録")
            shakyo.goto("/today"), shoot(shakyo, "受付一覧（アウトリーチ）")
            steps.takikan_ends_the_case(takikan, case)
            steps.reload_until(desk, "/today", "多機関協働からのつなぎ戻し", "the hand-back")
            shoot(desk, "受付一覧（窓口・つなぎ戻し）")
    shoot_every_line(shoot, Path(tempfile.mkdtemp(prefix="kasane-lines-")))
    # One's own account, drafts, the organisation-wide timeline, the read log and dead letters
    # (tests/screenshots_accounts.py) on a slice of their own, once the story's has gone.
    with slice_of_servers(Path(os.environ["KASANE_STATE_DIR"])) as p, chromium() as browser:
        shoot_account_pages(p, browser, shoot)
    print(f"{shoot.count} screenshots in {OUT}")
    return 0


def shoot_every_line(shoot, tmp: Path) -> None:
    """多機関協働's meetings, アウトリーチ, 参加支援 and 地域づくり, with data made through their pages."""
    from tests.browser_helpers import chromium
    from tests.casework_helpers import every_line_s_pages, lines_world
    from tests.servers import slice_of_servers
    from tests.story_steps import signed_in

    with slice_of_servers(Path(os.environ["KASANE_STATE_DIR"])) as p:
        world = lines_world(p, tmp)
        paths = every_line_s_pages(world)
        with chromium() as browser:
            pages = {k: signed_in(browser, g, world["staff"][k]) for k, g in world["gates"].items()}
            for name, (gate, path) in paths.items():
                pages[gate].goto(path)
                shoot(pages[gate], name)


class Shooter:
    def __init__(self):
        self.count = 0

    def __call__(self, page, name: str) -> None:
        self.count += 1
        page.screenshot(path=str(OUT / f"{self.count:02d}-{name}.png"), full_page=True)


if __name__ == "__main__":
    sys.exit(main())
