"""データ移行 end to end: `kasane import` as city IT runs it, into a running consultation instance
with the audit ledger beside it, from generated files in Shift_JIS, UTF-8 and .xlsx laid out as
the national 支援ケース一覧 (deploy/import/national-case-list.yaml)."""
import json
import os
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from kasane.client import rpc_cluster
from kasane.errors import Unidentified
from kasane.importing.sources import file_sha256
from kasane.importing.state import ImportState

from consultation.imports import import_id

from tests.servers import wait_until

pytestmark = pytest.mark.e2e

KASANE = str(Path(sys.executable).with_name("kasane"))
MAPPING = str(Path(__file__).resolve().parents[2] / "deploy" / "import" / "national-case-list.yaml")
AGENCY = {"agency_id": "imp-hokatsu", "name": "常盤平高齢者いきいき安心センター"}
DESK = "imp-desk"
OPERATOR = "移行 担当"
HEADER = ["ケース番号", "世帯番号", "受付日", "相談方法", "相談者", "相談内容の分類", "相談内容",
          "氏名", "ふりがな", "生年月日", "終結日"]
SECRET_BIRTH = "きのうの夜"  # a refused cell: never to be repeated by any report


def case(number: int, received: str, household: str = "", kana: str | None = None, **cells) -> dict:
    row = {"ケース番号": f"C{number}", "世帯番号": household, "受付日": received, "相談方法": "電話",
           "相談者": "家族", "相談内容の分類": "介護、ひきこもり・不登校", "相談内容": "母の介護",
           "氏名": f"見本 {number}", "ふりがな": kana or f"ミホン {number}", "生年月日": "昭和17年5月10日",
           "終結日": ""}
    return {**row, **cells}


def write_csv(path: Path, rows: list, encoding: str) -> Path:
    lines = [",".join(HEADER)] + [",".join(r[h] for h in HEADER) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_xlsx(path: Path, rows: list) -> Path:
    book = Workbook()
    book.active.append(HEADER)
    for r in rows:
        book.active.append([r[h] for h in HEADER])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def desk(platform, tmp_path_factory):
    instance = platform.instance("consultation", DESK, organisation="org-imp", agencies=(AGENCY,))
    ledger = platform.instance("audit", "imp-ledger")
    platform.start(ledger, instance, kasane_audit_instance=ledger.settings.instance)
    deployment = tmp_path_factory.mktemp("import") / "instances.yaml"
    deployment.write_text(f"""
instances:
  - {{instance: {DESK}, service: consultation, organisation: org-imp,
      agencies: [{{agency_id: {AGENCY['agency_id']}, name: {AGENCY['name']}}}]}}
""", encoding="utf-8")
    env = {**os.environ, "KASANE_DEPLOYMENT": str(deployment),
           "KASANE_AMQP_VHOST": platform.broker.vhost}
    yield env, ledger.settings.instance


def kasane_import(env, path: Path, *more, timeout=300):
    return subprocess.run([KASANE, "import", str(path), "--instance", DESK, "--mapping", MAPPING,
                           "--operator", OPERATOR, *more], capture_output=True, text=True,
                          timeout=timeout, env=env)


def new_in(platform, fiscal_year: int) -> int:
    with platform.rpc() as rpc:
        return rpc[DESK].fiscal_year_counts({"fiscal_year": fiscal_year})["new"]


def test_a_dry_run_of_a_shift_jis_file_reports_each_refused_row_and_stores_nothing(platform, desk, tmp_path):
    env, _ = desk
    rows = [case(100 + i, f"令和3年{4 + i}月1日") for i in range(5)]
    rows[1]["生年月日"] = SECRET_BIRTH
    rows[3]["相談方法"] = "伝書鳩"
    rows[4]["生年月日"] = "令和20年1月1日"  # a day, but refused by the service's own input limits
    dry = kasane_import(env, write_csv(tmp_path / "r3.csv", rows, "cp932"), "--dry-run")
    assert dry.returncode == 1, dry.stderr
    assert "行 3 列「生年月日」: 日付として読めません" in dry.stdout
    assert "行 5 列「相談方法」: 対応表にない値です" in dry.stdout
    assert "行 6 列「生年月日」: 生年月日は1900-01-01から今日までの日付にしてください。" in dry.stdout
    assert "取込可 2 / 不備 3" in dry.stdout
    assert SECRET_BIRTH not in dry.stdout + dry.stderr and "伝書鳩" not in dry.stdout + dry.stderr
    assert new_in(platform, 2021) == 0
    assert not (tmp_path / "r3.refused.csv").exists()


def test_a_real_run_stores_the_good_rows_and_a_second_run_records_nothing(platform, desk, tmp_path):
    env, _ = desk
    rows = [case(200, "令和5年3月31日", household="H200"), case(201, "R5.4.1", household="H200"),
            case(202, "2023/4/2 10:30", 終結日="令和5年6月1日"), case(203, "R4.13.1"),
            case(204, "R5.5.5", 相談内容の分類="占い")]
    path = write_csv(tmp_path / "cases.csv", rows, "utf-8")
    first = kasane_import(env, path)
    assert first.returncode == 1, first.stderr  # two rows refused
    assert "記録 3 / 記録済み 0 / 不備 2" in first.stdout
    refused = (tmp_path / "cases.refused.csv").read_text(encoding="utf-8-sig").splitlines()
    assert refused[0].split(",")[-1] == "取込エラー" and len(refused) == 3
    assert refused[1].startswith("C203,") and "受付日: 暦にない日付です" in refused[1]
    assert (new_in(platform, 2022), new_in(platform, 2023)) == (1, 2)  # 3/31 is 令和4年度

    again = kasane_import(env, path)
    assert "記録 0 / 記録済み 3 / 不備 2" in again.stdout, again.stdout + again.stderr
    assert (new_in(platform, 2022), new_in(platform, 2023)) == (1, 2)


def test_an_xlsx_export_overlapping_an_earlier_one_records_only_its_new_rows(platform, desk, tmp_path):
    env, _ = desk
    first = [case(300 + i, f"令和2年{4 + i}月{1 + i}日") for i in range(8)]
    later = first[4:] + [case(308 + i, f"R2.{4 + i}.20") for i in range(4)]
    assert kasane_import(env, write_xlsx(tmp_path / "april.xlsx", first)).returncode == 0
    overlapping = kasane_import(env, write_xlsx(tmp_path / "may.xlsx", later))
    assert overlapping.returncode == 0, overlapping.stderr
    assert "記録 4 / 記録済み 4 / 不備 0" in overlapping.stdout
    assert new_in(platform, 2020) == 12


def test_a_person_known_to_two_households_is_listed_for_a_caseworker_not_merged(platform, desk, tmp_path, intake):
    env, _ = desk
    person = {"name": "二重 登録", "kana": "ニジュウ トウロク", "birth_date": "1950-01-01", "relation": "self"}
    with platform.rpc() as rpc:
        households = {rpc[DESK].receive_consultation(intake(agency=AGENCY, persons=[person]))["household_id"]
                      for _ in range(2)}
    path = write_csv(tmp_path / "twice.csv", [case(400, "R6.7.1", kana="にじゅう　とうろく",
                                                   生年月日="昭和25年1月1日")], "cp932")
    run = kasane_import(env, path)
    assert run.returncode == 0 and "世帯の確認待ち 1" in run.stdout, run.stdout + run.stderr
    [listed] = (tmp_path / "twice.ambiguous.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    row, _, household, candidates = listed.split(",")
    assert row == "2" and set(candidates.split()) == households and household not in households
    assert "ニジュウ" not in listed


def test_an_import_killed_halfway_and_run_again_records_every_row_exactly_once(platform, desk, tmp_path):
    env, _ = desk
    start, total = date(2019, 4, 1), 3000  # 平成31年4月 and 令和元年5月 onwards: 令和元年度
    rows = [case(10_000 + i, _wareki(start + timedelta(days=i % 360))) for i in range(total)]
    path = write_csv(tmp_path / "year.csv", rows, "cp932")
    state = ImportState.path_for(DESK, file_sha256(path))
    running = subprocess.Popen([KASANE, "import", str(path), "--instance", DESK, "--mapping", MAPPING,
                                "--operator", OPERATOR], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    wait_until(lambda: state.exists() and json.loads(state.read_text())["answered"] >= 600,
               timeout=120, message="a fifth of the rows answered")
    os.kill(running.pid, signal.SIGKILL)
    running.wait()
    answered = json.loads(state.read_text())["answered"]
    assert answered < total and new_in(platform, 2019) >= answered
    resumed = kasane_import(env, path)
    assert resumed.returncode == 0, resumed.stderr
    assert new_in(platform, 2019) == total


def test_an_import_stopped_with_ctrl_c_says_so_and_the_same_command_resumes_it(platform, desk, tmp_path):
    env, _ = desk
    # Enough rows that the import is still running when Ctrl-C reaches it, however fast the machine.
    rows = [case(20_000 + i, f"H30.{4 + i % 9}.{1 + i % 28}") for i in range(8000)]  # 平成30年度
    path = write_csv(tmp_path / "h30.csv", rows, "utf-8")
    state = ImportState.path_for(DESK, file_sha256(path))
    running = subprocess.Popen([KASANE, "import", str(path), "--instance", DESK, "--mapping", MAPPING,
                                "--operator", OPERATOR], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    wait_until(lambda: state.exists() and json.loads(state.read_text())["answered"] >= 200,
               timeout=120, message="the first batch answered", interval=0.02)
    running.send_signal(signal.SIGINT)
    said, _ = running.communicate(timeout=60)
    assert running.returncode == 130 and "同じコマンドで" in said
    assert kasane_import(env, path).returncode == 0
    assert new_in(platform, 2018) == 8000


def test_imported_consultations_appear_in_the_audit_history_as_imported(platform, desk, tmp_path):
    env, ledger = desk
    path = write_csv(tmp_path / "ledger.csv", [case(500, "令和6年4月1日", household="H500")], "utf-8")
    assert kasane_import(env, path).returncode == 0
    household = str(import_id(DESK, "household", "case-list:H500"))

    def history():
        with platform.rpc(reader={"name": "監査 花子", "organisation": "city-audit"}) as rpc:
            return rpc[ledger].history({"household_id": household})
    found = wait_until(lambda: (h := history())["events"] and h, message="the import in the ledger")
    assert [e["label"] for e in found["events"]] == ["相談受付（データ移行）"]
    [consultation] = found["state"]["consultations"].values()
    assert consultation["imported"] == {"file_sha256": file_sha256(path), "row": 2}


def _wareki(day: date) -> str:
    if day < date(2019, 5, 1):
        return f"平成31年{day.month}月{day.day}日"
    return f"R{day.year - 2018}.{day.month}.{day.day}"


def test_an_import_call_naming_no_person_is_refused(platform, desk):
    command = {"file_sha256": "0" * 64, "rows": [{"row": 2, "key": "anonymous:1", "intake": {}}]}
    with rpc_cluster(platform.broker) as rpc, pytest.raises(Unidentified):
        rpc[DESK].import_consultations(command)
