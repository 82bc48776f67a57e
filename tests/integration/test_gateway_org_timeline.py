"""The household page's timeline shows what the organisation knows across all its own instances
(here its desk and its outreach), newest first, each entry naming the service and organisation it
came from — and nothing another organisation's instance knows of the same household."""
import re
import secrets

import pytest

from tests.pages_helpers import desk_gateway, intake_form, signed_in

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform):
    u = secrets.token_hex(2)
    desk = platform.instance("consultation", f"tl-desk-{u}", organisation=f"org-tl-{u}")
    outreach = platform.instance("outreach", f"tl-out-{u}", organisation=f"org-tl-{u}")
    other = platform.instance("outreach", f"tl-other-{u}", organisation=f"org-tlo-{u}")
    gateway = desk_gateway(platform, f"tl-gate-{u}", f"org-tl-{u}", peers=[desk, outreach])
    platform.start(desk, outreach, other, gateway)
    pages = signed_in(gateway, f"tl-{u}")
    pages.post("/intake/search", {"kana": "ケイカ ハナ"})
    household = pages.post("/intake", intake_form(p0_kana="ケイカ ハナ")).url.rsplit("/", 1)[1]
    with platform.rpc() as rpc:
        for instance, note in ((outreach, "自宅を訪問"), (other, "ほかの組織の訪問")):
            lead = rpc[instance.settings.instance].take_lead({
                "source": "minsei_iin", "noticed_on": "2026-05-01", "worker_id": "csw-03",
                "household_id": household, "persons": [], "description": "雨戸が閉まったまま"})
            rpc[instance.settings.instance].record_contact({
                "case_id": lead["case_id"], "contacted_on": "2026-05-10", "mode": "direct",
                "with_whom": "self", "outcome": "talked", "worker_id": "csw-03", "note": note})
    return {"pages": pages, "household": household, "organisation": f"org-tl-{u}"}


def timeline(world) -> list[str]:
    page = world["pages"].get(f"/households/{world['household']}").text
    items = page[page.index('<ol class="timeline"'):page.index("</ol>", page.index('<ol class="timeline"'))]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip() for li in items.split("<li>")[1:]]


def test_the_timeline_shows_each_instance_s_entries_newest_first_naming_service_and_organisation(world):
    entries, org = timeline(world), world["organisation"]
    contact = next(e for e in entries if e.startswith("訪問・接触の記録"))
    lead = next(e for e in entries if e.startswith("把握（アウトリーチ）"))
    received = next(e for e in entries if e.startswith("相談受付"))
    assert f"アウトリーチ等を通じた継続的支援事業（{org}）" in contact and f"（{org}）" in lead
    assert f"包括的相談支援事業（{org}・" in received  # the desk names its agency too
    assert entries.index(contact) < entries.index(lead) < entries.index(received)  # newest first


def test_what_another_organisation_s_instance_knows_is_not_shown(world):
    entries = timeline(world)
    assert len([e for e in entries if e.startswith("訪問・接触の記録")]) == 1
    assert len([e for e in entries if e.startswith("把握（アウトリーチ）")]) == 1
