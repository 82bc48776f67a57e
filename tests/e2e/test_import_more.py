"""データ移行 end to end, of what comes with the intakes: the consent box (本人同意, its withdrawal),
住所・電話・性別, the 支援経過 file of further contacts (継続相談) and a separate household sheet
(世帯員名簿), as `kasane import` takes them from generated files in UTF-8, Shift_JIS and .xlsx laid
out as the national templates (deploy/import/national-*.yaml), into a running instance."""
import os
import subprocess
from datetime import datetime
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from kasane.clock import JST
from kasane.errors import NotFound

from consultation.imports import import_id

pytestmark = pytest.mark.e2e

KASANE = str(Path(sys.executable).with_name("kasane"))
TEMPLATES = Path(__file__).resolve().parents[2] / "deploy" / "import"
AGENCY = {"agency_id": "imp2-hokatsu", "name": "常盤平高齢者いきいき安心センター"}
DESK = "imp2-desk"
CASES = ["ケース番号", "受付日", "相談方法", "相談者", "相談内容", "氏名", "ふりがな", "生年月日", "性別",
         "住所", "電話番号", "終結日", "同意日", "同意者", "代理人氏名", "同意方法", "同意の範囲", "同意撤回日"]
CONTACTS = ["経過番号", "ケース番号", "対応日", "対応方法", "担当者", "対応内容"]
MEMBERS = ["世帯番号", "続柄", "氏名", "ふりがな", "生年月日"]
SECRET = "秘密の宣伝会社"  # a refused cell: never repeated by any report
FORMATS = {"utf8": ("csv", "utf-8"), "sjis": ("csv", "cp932"), "xlsx": ("xlsx", None)}


def case(number: str, **cells) -> dict:
    row = {"ケース番号": number, "受付日": "令和6年4月1日", "相談方法": "来所", "相談者": "本人",
           "相談内容": "生活の相談", "氏名": f"見本 {number}", "ふりがな": f"ミホン {number}",
           "生年月日": "昭和30年1月1日", "性別": "女", "住所": "松戸市常盤平1-1", "電話番号": "047-000-0000",
           "終結日": "", "同意日": "", "同意者": "", "代理人氏名": "", "同意方法": "", "同意の範囲": "",
           "同意撤回日": ""}
    return {**row, **cells}


def written(path: Path, header: list, rows: list, form: str) -> Path:
    kind, encoding = FORMATS[form]
    path = path.with_suffix("." + kind)
    if kind == "xlsx":
        book = Workbook()
        book.active.append(header)
        for r in rows:
            book.active.append([r.get(h, "") for h in header])
        book.save(path)
    else:
        lines = [",".join(header)] + [",".join(r.get(h, "") for h in header) for r in rows]
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.fixture(scope="module")
def env(platform, tmp_path_factory):
    instance = platform.instance("consultation", DESK, organisation="org-imp2", agencies=(AGENCY,))
    platform.start(instance)
    deployment = tmp_path_factory.mktemp("import2") / "instances.yaml"
    deployment.write_text(f"""
instances:
  - {{instance: {DESK}, service: consultation, organisation: org-imp2,
      agencies: [{{agency_id: {AGENCY['agency_id']}, name: {AGENCY['name']}}}]}}
""", encoding="utf-8")
    yield {**os.environ, "KASANE_DEPLOYMENT": str(deployment), "KASANE_AMQP_VHOST": platform.broker.vhost}
    platform.stop(instance)


def kasane_import(env, path: Path, template: str, *more):
    run = subprocess.run([KASANE, "import", str(path), "--instance", DESK, "--mapping",
                          str(TEMPLATES / template), "--operator", "移行 担当", *more],
                         capture_output=True, text=True, timeout=300, env=env)
    assert SECRET not in run.stdout + run.stderr
    return run


def consultation_id(number: str) -> str:
    return str(import_id(DESK, "consultation", f"case-list:{number}"))


def stored(platform, number: str):
    with platform.rpc() as rpc:
        try:
            return rpc[DESK].get_consultation(consultation_id(number))
        except NotFound:
            return None


def shared_on_referral(platform, number: str) -> list:
    with platform.rpc() as rpc:
        return rpc[DESK].refer_to_collaboration({"consultation_id": consultation_id(number),
                                                 "reasons": ["compound_issues"], "caseworker_id": "sw-01"})["shared_person_ids"]


@pytest.mark.parametrize("form", list(FORMATS))
def test_imported_consents_govern_sharing_as_a_caseworkers_would_and_count_once(platform, env, tmp_path, form):
    given, withdrawn, none, refused = (f"{form}-{n}" for n in ("given", "withdrawn", "none", "refused"))
    rows = [case(given, 同意日="令和6年4月1日", 同意方法="書面", 同意の範囲="多機関協働、つなぎ"),
            case(withdrawn, 同意者="代理人", 代理人氏名="見本 代理", 同意方法="口頭", 同意の範囲="多機関協働",
                 同意撤回日="令和6年5月1日"),
            case(none),
            case(refused, 同意の範囲=SECRET)]
    path = written(tmp_path / f"cases-{form}", CASES, rows, form)
    dry = kasane_import(env, path, "national-case-list.yaml", "--dry-run")
    assert dry.returncode == 1 and "行 5 列「同意の範囲」: 対応表にない値です" in dry.stdout, dry.stdout + dry.stderr
    assert stored(platform, given) is None

    first = kasane_import(env, path, "national-case-list.yaml")
    assert "記録 3 / 記録済み 0 / 不備 1" in first.stdout, first.stdout + first.stderr
    again = kasane_import(env, path, "national-case-list.yaml")
    assert "記録 0 / 記録済み 3 / 不備 1" in again.stdout, again.stdout + again.stderr
    assert stored(platform, refused) is None
    with platform.rpc() as rpc:
        members = rpc[DESK].household_members(stored(platform, withdrawn)["household_id"])
    [consent] = members["consents"]
    assert (consent["given_by"], consent["method"], consent["status"]) == ("representative", "oral", "withdrawn")
    assert datetime.fromisoformat(consent["given_at"]) == datetime(2024, 4, 1, tzinfo=JST)  # the 受付日

    assert shared_on_referral(platform, given) == stored(platform, given)["person_ids"]
    assert shared_on_referral(platform, withdrawn) == []
    assert shared_on_referral(platform, none) == []


@pytest.mark.parametrize("form", list(FORMATS))
def test_contacts_join_their_imported_consultation_once_and_refused_ones_store_nothing(platform, env, tmp_path, form):
    open_case, closed_case = f"{form}-open", f"{form}-closed"
    cases = [case(open_case), case(closed_case, 終結日="令和6年6月1日")]
    assert kasane_import(env, written(tmp_path / f"c-{form}", CASES, cases, form), "national-case-list.yaml").returncode == 0

    def contact(number, case_number, day, **cells):
        return {"経過番号": f"{form}-K{number}", "ケース番号": case_number, "対応日": day, "対応方法": "家庭訪問",
                "担当者": "sw-01", "対応内容": "自宅を訪問した", **cells}
    rows = [contact(1, open_case, "令和6年4月10日"), contact(2, open_case, "R6.5.1 14:00"),
            contact(3, closed_case, "令和6年6月1日 10:00"),   # on the 終結日 itself: before the 終結
            contact(4, closed_case, "令和6年7月1日"),         # after the 終結: refused
            contact(5, f"{form}-nowhere", "令和6年4月10日"),   # no such case imported: refused
            contact(6, open_case, "令和6年4月11日", 対応方法=SECRET)]
    path = written(tmp_path / f"keika-{form}", CONTACTS, rows, form)
    first = kasane_import(env, path, "national-contacts.yaml")
    assert first.returncode == 1 and "記録 3 / 記録済み 0 / 不備 3" in first.stdout, first.stdout + first.stderr
    assert "行 6 列「ケース番号」" in first.stdout and "行 7 列「対応方法」: 対応表にない値です" in first.stdout
    again = kasane_import(env, path, "national-contacts.yaml")
    assert "記録 0 / 記録済み 3 / 不備 3" in again.stdout, again.stdout + again.stderr
    assert [c["contacted_at"][:10] for c in stored(platform, open_case)["contacts"]] == ["2024-04-10", "2024-05-01"]
    assert len(stored(platform, closed_case)["contacts"]) == 1


@pytest.mark.parametrize("form", list(FORMATS))
def test_a_household_sheet_and_the_case_list_meet_in_one_household_by_its_number(platform, env, tmp_path, form):
    household = f"{form}-H"
    sheet = [{"世帯番号": household, "続柄": "本人", "氏名": "見本 母", "ふりがな": f"ミホン ハハ {form}",
              "生年月日": "昭和17年5月10日"},
             {"世帯番号": household, "続柄": "長男", "氏名": "見本 長男", "ふりがな": f"ミホン チョウナン {form}",
              "生年月日": "昭和47年3月1日"},
             {"世帯番号": household, "続柄": "長男", "氏名": "見本 次", "ふりがな": "ミホン", "生年月日": SECRET}]
    path = written(tmp_path / f"setai-{form}", MEMBERS, sheet, form)
    first = kasane_import(env, path, "national-households.yaml")
    assert first.returncode == 1 and "記録 2 / 記録済み 0 / 不備 1" in first.stdout, first.stdout + first.stderr
    assert "行 4 列「生年月日」: 日付として読めません" in first.stdout
    again = kasane_import(env, path, "national-households.yaml")
    assert "記録 0 / 記録済み 2 / 不備 1" in again.stdout, again.stdout + again.stderr

    number = f"{form}-setai"
    cases = [{**case(number, ふりがな=f"ミホン ハハ {form}", 生年月日="昭和17年5月10日"), "世帯番号": household}]
    intake = kasane_import(env, written(tmp_path / f"k-{form}", [*CASES, "世帯番号"], cases, form),
                           "national-case-list.yaml")
    assert intake.returncode == 0, intake.stdout + intake.stderr
    with platform.rpc() as rpc:
        members = rpc[DESK].household_members(stored(platform, number)["household_id"])
    assert sorted(p["relation"] for p in members["persons"]) == ["child", "self"]
    assert str(import_id(DESK, "household", f"case-list:{household}")) == members["household_id"]


def test_a_withdrawal_in_a_later_export_is_taken_in_and_stops_sharing(platform, env, tmp_path):
    number = "later-withdrawn"
    given = case(number, 同意日="令和6年4月1日", 同意の範囲="多機関協働")
    assert kasane_import(env, written(tmp_path / "april", CASES, [given], "utf8"), "national-case-list.yaml").returncode == 0
    later = kasane_import(env, written(tmp_path / "june", CASES, [{**given, "同意撤回日": "令和6年6月1日"}], "sjis"),
                          "national-case-list.yaml")
    assert "記録 0 / 記録済み 1 / 不備 0" in later.stdout and "1 行は、本人同意またはその撤回を新たに記録しました" in later.stdout
    assert shared_on_referral(platform, number) == []
