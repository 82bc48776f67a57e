"""`make bench`: データ移行 — a year of an Ichikawa-sized city's consultations (70,000 rows,
KASANE_BENCH_IMPORT_ROWS) in a Shift_JIS CSV laid out as the national 支援ケース一覧, imported
by `kasane import`'s own code into one running consultation instance; a second run of the same
file (every row answered already_recorded). Printed beside raw single-row PostgreSQL INSERTs
per second measured in the same run (autocommit, one connection). Goal: under 3 minutes.
"""
from __future__ import annotations

import io
import logging
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from kasane.cli import processes
from kasane.config import InstanceSettings
from kasane.deployment import DeployedInstance
from kasane.importing.mapping import Mapping
from kasane.importing.run import run_import

sys.path.insert(0, os.path.dirname(__file__))
from baseline import raw_inserts_per_second  # noqa: E402
from own_deployment import OwnDeployment  # noqa: E402

ROWS = int(os.environ.get("KASANE_BENCH_IMPORT_ROWS", 70_000))
MAPPING = Path(__file__).resolve().parents[2] / "deploy" / "import" / "national-case-list.yaml"
AGENCY = {"agency_id": "bench-hokatsu", "name": "ベンチ地域包括支援センター"}
OPERATOR = {"name": "ベンチ 移行担当", "organisation": "org-bench-import-desk"}
HEADER = ["ケース番号", "世帯番号", "受付日", "相談方法", "相談者", "相談内容の分類", "相談内容",
          "氏名", "ふりがな", "生年月日", "終結日"]
CHANNELS, CATEGORIES = ["電話", "来所", "訪問", "メール"], ["介護", "介護、ひきこもり・不登校", "住まい", "収入・生活費"]

logging.getLogger("amqp").setLevel(logging.ERROR)


def say(line: str) -> None:
    print(line, flush=True)


def generated_file(folder: Path, rows: int) -> Path:
    """A year (令和6年度) of intakes; every third row is a further intake of an earlier household."""
    out = io.StringIO()
    out.write(",".join(HEADER) + "\r\n")
    start = date(2024, 4, 1)
    for i in range(rows):
        person = i - i % 3 if i % 3 == 2 else i  # the third of each three is the first's household again
        day = start + timedelta(days=i * 365 // rows)
        born = date(1935, 1, 1) + timedelta(days=person * 7 % 25_000)
        out.write(",".join([
            f"B{i}", f"H{person}", f"R{day.year - 2018}.{day.month}.{day.day}", CHANNELS[i % 4], "本人",
            CATEGORIES[i % 4], "相談の概要（ベンチ）", f"見本 {person}", f"ミホン {person}",
            born.isoformat(), f"令和{day.year - 2018}年{day.month}月{day.day}日" if i % 5 == 0 else "",
        ]) + "\r\n")
    path = folder / "case-list.csv"
    path.write_bytes(out.getvalue().encode("cp932"))
    return path


class Bench(OwnDeployment):
    def __init__(self):
        super().__init__("kb", "kasane-bench")
        settings = InstanceSettings(service="consultation", instance="bench-import-desk",
                                    organisation=OPERATOR["organisation"], database=self.database,
                                    broker=self.broker)
        self.desk = DeployedInstance(settings=settings, agencies=(AGENCY,))

    def setup(self) -> None:
        self.provision([self.desk])
        processes.start(self.desk)
        processes.wait_ready([self.desk])

    def teardown(self) -> None:
        self.remove([self.desk])

    def raw_inserts_per_second(self, rows: int = 2000) -> float:
        return raw_inserts_per_second(self.database, self.database.database_for(self.desk.settings.instance), rows)

    def timed_import(self, path: Path) -> tuple[float, str]:
        mapping = Mapping.load(MAPPING, agencies=(AGENCY,))
        out = io.StringIO()
        started = time.perf_counter()
        run_import(path, instance=self.desk.settings.instance, mapping=mapping, broker=self.broker,
                   operator=OPERATOR, out=out)
        return time.perf_counter() - started, out.getvalue().strip().splitlines()[-1]


def main() -> int:
    with Bench() as bench:
        path = generated_file(Path(bench.state), ROWS)
        raw = bench.raw_inserts_per_second()
        say(f"baseline: raw single-row INSERTs {raw:,.0f} /s")
        seconds, summary = bench.timed_import(path)
        rate = ROWS / seconds
        say(f"import of {ROWS:,} rows: {seconds:,.1f} s, {rate:,.0f} rows/s ({rate / raw:.2f} × raw inserts); "
            f"goal < 180 s for 70,000 — {summary}")
        seconds, summary = bench.timed_import(path)
        say(f"the same file again: {seconds:,.1f} s, {ROWS / seconds:,.0f} rows/s "
            f"({ROWS / seconds / raw:.2f} × raw) — {summary}")
        raw_after = bench.raw_inserts_per_second()
        say(f"baseline again after the imports: {raw_after:,.0f} /s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
