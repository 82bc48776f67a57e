"""`kasane report` writes the files it is asked for (CSV with BOM, HTML), refuses a year it cannot
read in one sentence; the 支援ケース一覧 prints an agency's open cases without personal details."""
import subprocess
from argparse import Namespace
from datetime import datetime

import pytest

from kasane.cli import report as report_cli
from kasane.config import ConfigurationError, REPO_ROOT
from kasane.fiscal_year import JST
from kasane.forms.case_list import case_list_html, consultation_rows
from kasane.forms.render import to_pdf
from kasane.report.build import build_report
from directory.profile import load_profile


def test_the_report_command_writes_csv_with_a_bom_and_an_html_page(tmp_path):
    profile = load_profile(REPO_ROOT / "deploy" / "profiles" / "ichikawa.yaml")
    result = build_report(profile, 2023, [], [], datetime(2024, 4, 5, tzinfo=JST))
    args = Namespace(csv=str(tmp_path / "r.csv"), html=str(tmp_path / "r.html"), json=False)
    assert report_cli.write(result, args, out=None) == 0
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "令和5年度" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "相談支援機関等から多機関協働事業につながったケース数" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_a_fiscal_year_the_command_cannot_read_is_refused_in_one_sentence():
    args = Namespace(action=["fiscal-year", "someday"], city="ise", reader=None, note=None)
    with pytest.raises(ConfigurationError, match="年度を読めません"):
        report_cli.report(args)


def test_the_case_list_prints_the_agencys_open_cases(tmp_path):
    found = {"consultations": [{"household_id": "7d0c1e9a-0000-4000-8000-000000000001",
                                "issue_category_labels": ["8050", "ひきこもり"], "received_at": "2025-06-02T01:10:00+00:00",
                                "status_label": "対応中", "caseworker_id": "cw-0012"}]}
    html = case_list_html({"agency_id": "a", "name": "地域包括支援センター（東）"}, consultation_rows(found),
                          {"name": "多機関 一郎", "organisation": "ise-city"}, "2026-04-01T00:00:00Z")
    path = tmp_path / "list.pdf"
    path.write_bytes(to_pdf(html))
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "支援ケース一覧" in text and "地域包括支援センター（東）" in text and "8050、ひきこもり" in text
    assert "令和7年(2025年)6月2日" in text and "件数:1件" in text
