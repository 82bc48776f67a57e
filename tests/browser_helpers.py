"""Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright (never a
downloaded browser), one per test module; axe-core (installed by `make install` from the npm
registry) run inside the page; moving through a page with the keyboard alone."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent.parent / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, base: str):
    """A fresh context (its own cookies) in Japanese. The pages forbid scripts (CSP); the test's
    own axe-core is let in by bypassing it, which the application's pages never need."""
    context = browser.new_context(base_url=base, locale="ja-JP", bypass_csp=True,
                                  viewport={"width": 1280, "height": 900})
    return context.new_page()


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A/AA rules)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in SERIOUS]


def tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching `selector` has the focus (fails if it never does)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"the keyboard never reaches {selector}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def choose_radio(page, name: str, value: str, limit: int = 40) -> None:
    """Tab into the radio group, then arrow keys until the wanted choice is checked."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", f'[name="{name}"][value="{value}"]'):
            if not page.evaluate("() => document.activeElement.checked"):
                page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"the keyboard never reaches {name}={value}")


def tick(page, name: str, value: str) -> None:
    tab_to(page, f'input[type=checkbox][name="{name}"][value="{value}"]')
    page.keyboard.press("Space")


def answer_intake(page) -> None:
    """The intake's required answers for a person met at the counter, on their own, about
    isolation, without consent (the name and the rest filled by the caller)."""
    page.check('[name=channel][value=counter]')
    page.check('[name=consulted_by][value=self]')
    page.check('[name=main_topic][value=isolation]')
    page.check('[name=consent][value=no]')


def submit_intake(page) -> None:
    """Send the intake form; the household's page follows."""
    page.click("main form[action='/intake'] button[type=submit]")
    page.wait_for_url("**/households/*")
