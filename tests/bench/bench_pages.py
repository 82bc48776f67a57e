"""`make bench`: the caseworkers' pages in headless Chromium (Debian's) — time to first byte and
full load of the household page of a household with 1,000 events and of today's work (受付一覧)
with 500 open consultations, p50/p95 over repeated loads; beside them, in the same run, the JSON
API's read of the same household (requests, no browser) as the baseline. Goal: p95 < 300 ms.
"""
from __future__ import annotations

# Not green (no kasane.greening): Playwright's driver needs the real threads and sockets, as in the tests.
import logging
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout: tests.*

from tests.browser_helpers import chromium  # noqa: E402
from tests.samples import make_intake  # noqa: E402
from tests.servers import slice_of_servers  # noqa: E402
from gateway.domain.roles import CASEWORKER  # noqa: E402
from tests.gateway_helpers import Browser, add_staff  # noqa: E402
from tests.pages_helpers import desk_gateway  # noqa: E402
from tests.story_steps import signed_in  # noqa: E402

EVENTS = int(os.environ.get("KASANE_BENCH_HOUSEHOLD_EVENTS", 1000))
OPEN = int(os.environ.get("KASANE_BENCH_OPEN_ITEMS", 500))
LOADS = int(os.environ.get("KASANE_BENCH_PAGE_LOADS", 40))
logging.getLogger("amqp").setLevel(logging.ERROR)
NAVIGATION = """() => { const n = performance.getEntriesByType('navigation')[0];
                        return [n.responseStart - n.startTime, n.loadEventEnd - n.startTime]; }"""


def say(line: str) -> None:
    print(line, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def loads(page, path: str) -> tuple[list[float], list[float]]:
    page.goto(path)  # warm: templates compiled, connections open
    ttfb, full = [], []
    for _ in range(LOADS):
        page.goto(path, wait_until="load")
        first, loaded = page.evaluate(NAVIGATION)
        ttfb.append(first), full.append(loaded)
    return ttfb, full


def api_reads(gateway, account, household: str) -> list[float]:
    api = Browser(gateway)
    api.sign_in(account)
    times = []
    for _ in range(LOADS):
        t = time.perf_counter()
        api.get(f"/api/households/{household}").raise_for_status()
        times.append((time.perf_counter() - t) * 1000)
    return times


def line(what: str, ttfb: list, full: list, baseline: float) -> None:
    say(f"  {what}: TTFB p50 {percentile(ttfb, 50):6.1f} ms p95 {percentile(ttfb, 95):6.1f} ms | "
        f"full load p50 {percentile(full, 50):6.1f} ms p95 {percentile(full, 95):6.1f} ms | "
        f"TTFB p50 / API read p50 {percentile(ttfb, 50) / baseline:4.2f}x")


def fill(rpc, desk: str) -> str:
    """500 open consultations at the desk's agency; one household with 1,000 events."""
    for i in range(OPEN - 1):
        rpc[desk].receive_consultation(make_intake())
        if (i + 1) % 100 == 0:
            say(f"    相談受付 {i + 1}")
    taken = rpc[desk].receive_consultation(make_intake())
    contact = {"consultation_id": taken["consultation_id"], "channel": "phone", "caseworker_id": "bench"}
    for i in range(EVENTS - len(rpc[desk].household_timeline(taken["household_id"])["entries"])):
        rpc[desk].record_contact(contact)
        if (i + 1) % 250 == 0:
            say(f"    継続相談 {i + 1}")
    return taken["household_id"]


def main() -> int:
    say("== kasane bench: 職員の画面 (headless Chromium) ==")
    state = Path(tempfile.mkdtemp(prefix="kasane-pagebench-"))
    os.environ["KASANE_STATE_DIR"] = str(state)
    u = secrets.token_hex(2)
    with slice_of_servers(state) as p:
        desk = p.instance("consultation", f"pb-desk-{u}", organisation=f"org-pb-{u}")
        gateway = desk_gateway(p, f"pb-gate-{u}", f"org-pb-{u}", peers=[desk])
        p.start(desk), p.start(gateway)
        account = add_staff(gateway, f"pb-{u}", CASEWORKER)
        with p.rpc() as rpc:
            say(f"{OPEN} open consultations, a household with {EVENTS} events")
            household = fill(rpc, desk.settings.instance)
        baseline = percentile(api_reads(gateway, account, household), 50)
        say(f"  baseline: GET /api/households/{{id}} ({EVENTS} events) p50 {baseline:6.1f} ms")
        with chromium() as browser:
            page = signed_in(browser, gateway, account)
            line(f"世帯 ({EVENTS} events, goal p95 < 300 ms)", *loads(page, f"/households/{household}"), baseline)
            line(f"受付一覧 ({OPEN} open, goal p95 < 300 ms)", *loads(page, "/today"), baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
