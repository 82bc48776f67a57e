"""帳票 from the audit ledger: the household's events published by (pretend, authenticated)
origins, read back as of a date through `household_entries`, printed as PDF by the forms
command, and each print recorded in the ledger as a read (閲覧記録)."""
import subprocess
import sys

import pytest

from tests.bus_helpers import publish
from tests.servers import wait_until
from tests.forms_helpers import household
from kasane.bus.topology import routing_key
from kasane.cli.forms import household_form

pytestmark = pytest.mark.integration

READER = {"name": "多機関 一郎", "organisation": "ise-fukushi-sogo-shien"}


@pytest.fixture
def ledger(platform, unique):
    deployed = platform.instance("audit", f"forms-ledger-{unique}", organisation="ise-city-audit")
    platform.start(deployed)
    yield deployed
    platform.stop(deployed)


def published_household(platform, ledger, unique) -> str:
    hh, entries = household(suffix=f"-{unique}")
    for e in entries:
        recipient = (e.get("recipient") or {}).get("instance")
        publish(platform.broker, e, routing_key(e["origin"]["instance"], e["type"], e["version"], recipient))
    query = {"household_id": hh, "purpose": "試験"}
    with platform.rpc(reader=READER) as rpc:
        wait_until(lambda: len(rpc[ledger.settings.instance].household_entries(query)["entries"]) == len(entries),
                   message="every event of the household in the ledger")
    return hh


def test_a_form_printed_from_the_ledger_as_of_a_date_is_recorded_as_a_read(platform, ledger, unique, tmp_path):
    hh = published_household(platform, ledger, unique)
    out = tmp_path / "intake.pdf"
    assert household_form(ledger, hh, "intake", "2025-06-05", READER, str(out), sys.stderr) == 0
    text = "".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "相談受付・申込票（本人同意なし）" in text and "令和7年(2025年)6月5日" in text
    assert household_form(ledger, hh, "plan", None, READER, str(tmp_path / "plan.pdf"), sys.stderr) == 0
    with platform.rpc() as rpc:
        purposes = [r["purpose"] for r in rpc[ledger.settings.instance].reads(hh)]
    assert "帳票出力（intake）" in purposes and "帳票出力（plan）" in purposes
