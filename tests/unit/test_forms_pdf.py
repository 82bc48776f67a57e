"""帳票 — each form as a PDF with Japanese fonts embedded, read back as text (pdftotext) and as
PNG pages (pdftoppm): labels and the household's values there, withheld parts marked, the
consent version the right one."""
import subprocess
from datetime import datetime, timezone

import pytest

from audit.history import replay
from kasane.forms.render import form_pdf
from tests.forms_helpers import household

TAKIKAN = {"name": "多機関 一郎", "organisation": "ise-fukushi-sogo-shien"}
OUTSIDER = {"name": "地域 次郎", "organisation": "ise-shakyo-community"}


def history_of(entries, household_id, as_of=None) -> dict:
    result = replay(household_id, entries, as_of)
    result["entries"] = [e for e in entries if as_of is None or e["occurred_at"] <= as_of.isoformat().replace("+00:00", "Z")]
    return result


def text_and_pages(pdf: bytes, tmp_path) -> tuple[str, list]:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    text = "".join(text.split())  # a table cell may wrap: compare without white space
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / "page")], check=True)
    return text, sorted(tmp_path.glob("page*.png"))


def embedded_fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


@pytest.fixture
def seeded():
    return household()


def test_the_intake_form_is_the_consent_given_version_with_the_persons_details(seeded, tmp_path):
    hh, entries = seeded
    pdf = form_pdf("intake", history_of(entries, hh), TAKIKAN)
    text, pages = text_and_pages(pdf, tmp_path)
    assert "相談受付・申込票（本人同意あり）" in text and "伊勢花子" in text and "イセハナコ" in text
    assert "地域包括支援センター（東）" in text and "令和7年(2025年)6月2日" in text
    assert pages and pages[0].stat().st_size > 1000
    fonts = embedded_fonts(pdf, tmp_path)
    fonts = [line.split() for line in fonts.splitlines()[2:]]
    assert [f[0].split("+")[1] for f in fonts] == ["Noto-Sans-CJK-JP"]  # one font, a subset
    assert fonts[0][-5] == "yes"  # emb(edded)


def test_the_intake_form_before_consent_is_the_no_consent_version(seeded, tmp_path):
    hh, entries = seeded
    before = history_of(entries, hh, datetime(2025, 6, 5, tzinfo=timezone.utc))
    text, _ = text_and_pages(form_pdf("intake", before, TAKIKAN), tmp_path)
    assert "相談受付・申込票（本人同意なし）" in text and "伊勢花子" not in text


def test_an_organisation_outside_the_consent_sees_the_identity_withheld(seeded, tmp_path):
    hh, entries = seeded
    text, _ = text_and_pages(form_pdf("assessment", history_of(entries, hh), OUTSIDER), tmp_path)
    assert "インテーク・アセスメントシート" in text and "（非開示）" in text
    assert "伊勢花子" not in text and "1944" not in text


def test_identity_items_carry_over_to_every_later_sheet(seeded, tmp_path):
    hh, entries = seeded
    names = {"ise-fukushi-sogo-shien": "健康福祉部 福祉総合支援センター"}
    for form, label in (("assessment", "世帯構成"), ("plan", "役割分担"), ("progress", "支援経過"),
                        ("evaluation", "目標の達成")):
        text, _ = text_and_pages(form_pdf(form, history_of(entries, hh), TAKIKAN, names), tmp_path)
        assert "基本情報" in text and "伊勢花子" in text and "生年月日" in text and label in text, form
        assert "昭和19年(1944年)5月12日" in text
        assert form != "progress" or "健康福祉部福祉総合支援センター" in text


def test_the_plan_sheet_checks_outreach_and_leaves_participation_unchecked(seeded, tmp_path):
    hh, entries = seeded
    text, _ = text_and_pages(form_pdf("plan", history_of(entries, hh), TAKIKAN), tmp_path)
    assert "プランシート（多機関協働事業プラン兼利用申込書）" in text
    assert "■アウトリーチ等を通じた継続的支援事業" in text and "□参加支援事業" in text
    assert "令和7年(2025年)10月31日" in text


def test_the_evaluation_sheet_shows_the_closure_as_known_on_the_date(seeded, tmp_path):
    hh, entries = seeded
    text, _ = text_and_pages(form_pdf("evaluation", history_of(entries, hh), TAKIKAN), tmp_path)
    assert "評価シート" in text and "終結" in text and "必要" in text
    before = history_of(entries, hh, datetime(2025, 12, 1, tzinfo=timezone.utc))
    text, _ = text_and_pages(form_pdf("evaluation", before, TAKIKAN), tmp_path)
    assert "（記録なし）" in text and "終結日" in text
