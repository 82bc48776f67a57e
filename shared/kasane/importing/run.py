"""One import (取込): read the file, map and check each row, send the good ones in batches to
the instance's import use case (the mapping's `rpc`), keep the state after each batch, and say what happened.

`dry_run`: every row is checked by the mapping and by the service's own schema and rules
(the service answers without storing), and each refusal is reported (row, column, rule).
A real run stores the good rows; the refused ones are written, as they were, to
`<file>.refused.csv` with the reasons, to fix and import again; rows whose household a
caseworker must choose are listed, by ids only, in `<file>.ambiguous.csv`.
"""
from __future__ import annotations

import csv
import io
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from kasane.client import rpc_cluster
from kasane.errors import InvalidCommand, Unidentified
from kasane.importing.mapping import Mapping, Mapped
from kasane.importing.progress import Progress
from kasane.importing.sources import UnreadableFile, file_sha256, read_rows
from kasane.importing.state import ImportState

BATCH_SIZE = 200  # the service's limit per call (consultation.imports.BATCH_LIMIT)
ATTEMPTS = 3  # a batch that lost a race with another import of the same rows is sent again
ERROR_COLUMN = "取込エラー"


def run_import(path: Path, *, instance: str, mapping: Mapping, broker, operator: dict,
               dry_run: bool = False, out=sys.stdout, progress_stream=None,
               batch_size: int = BATCH_SIZE) -> int:
    path = Path(path)
    sha256 = file_sha256(path)
    header, read = read_rows(path, header_row=mapping.header_row, sheet=mapping.sheet,
                             encoding=mapping.encoding)
    missing, absent = mapping.missing_columns(header)
    if missing:
        raise UnreadableFile(f"取込定義の必須の列がファイルにありません: {', '.join(missing)}")
    if absent:
        (progress_stream or sys.stderr).write(f"ファイルにない列（空として読みます）: {', '.join(absent)}\n")
    rows = list(read)
    state = ImportState(instance, sha256) if dry_run else ImportState.resume(instance, sha256)
    progress = Progress(len(rows), done=state.answered, stream=progress_stream)
    with rpc_cluster(broker, timeout=300, reader=operator) as rpc:
        _send_batches(rpc[instance], rows, state, mapping, progress, dry_run, batch_size)
    progress.finish()
    state.complete = True
    if not dry_run:
        state.save()
        _write_outputs(path, header, rows, state)
    _summarise(path, state, len(rows), progress, dry_run, out)
    return 1 if state.refused else 0


def _send_batches(service, rows, state: ImportState, mapping: Mapping, progress: Progress,
                  dry_run: bool, batch_size: int) -> None:
    with interrupts_between_batches() as stop:
        for start in range(state.answered, len(rows), batch_size):
            batch = rows[start:start + batch_size]
            _take(service, state, [mapping.map_row(n, v) for n, v in batch], mapping, dry_run)
            state.answered += len(batch)
            if not dry_run:
                state.save()
            progress.advance(len(batch))
            stop.check()


class _Stop:
    def __init__(self):
        self.asked = threading.Event()

    def check(self) -> None:
        if self.asked.is_set():
            raise KeyboardInterrupt


@contextmanager
def interrupts_between_batches():
    """Ctrl-C takes effect after the batch in flight is answered and noted, never inside it (under
    eventlet a KeyboardInterrupt raised in the hub could be lost, and the import went on)."""
    stop, previous = _Stop(), signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda signum, frame: stop.asked.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _take(service, state: ImportState, mapped: list[Mapped], mapping: Mapping, dry_run: bool) -> None:
    for m in mapped:
        state.refused += m.errors
    good = [m for m in mapped if m.command is not None]
    if not good:
        return
    command = {"file_sha256": state.file_sha256, "dry_run": dry_run,
               "rows": [_without_nones(m.command) for m in good if m.command is not None]}
    answer = _send(service, mapping.rpc, command)
    by_row = {m.row: m for m in good}
    for result in answer["results"]:
        _absorb(state, result, by_row[result["row"]], mapping)


def _send(service, rpc: str, command: dict) -> dict:
    for attempt in range(ATTEMPTS):
        try:
            return getattr(service, rpc)(command)
        except (InvalidCommand, Unidentified):
            raise
        except Exception:  # a conflict with a concurrent import, a busy broker: send again
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _absorb(state: ImportState, result: dict, mapped: Mapped, mapping: Mapping) -> None:
    status = result["status"]
    if status == "refused":
        state.refused += [{"row": result["row"], "column": mapping.column_of(path, mapped.person_slots),
                           "rule": message} for path, message in _flatten(result["errors"])]
        return
    if status == "already_recorded":
        state.already_recorded += 1
        state.consents_later += 1 if result.get("consent") else 0
        return
    state.recorded += 1
    if result.get("household") == "ambiguous":
        state.ambiguous.append({k: result.get(k, "") for k in ("row", "consultation_id", "household_id", "candidates")})


def _flatten(errors, path=()):
    """marshmallow's nested messages as (field path, message) pairs."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _flatten(value, path + (() if key == "_schema" else (key,)))
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        for message in errors:
            yield path, message
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            yield from _flatten(value, path + (index,))
    else:
        yield path, str(errors)


def _without_nones(command: dict) -> dict:
    return {k: v for k, v in command.items() if v is not None}


def _write_outputs(path: Path, header: list, rows: list, state: ImportState) -> None:
    refused_path, ambiguous_path = outputs_of(path)
    reasons: dict[int, list] = {}
    for e in state.refused:
        reasons.setdefault(e["row"], []).append(f"{e['column']}: {e['rule']}")
    _write_csv(refused_path, [*header, ERROR_COLUMN],
               ([*[_cell(values.get(h)) for h in header], " / ".join(reasons[n])]
                for n, values in rows if n in reasons), keep=bool(reasons))
    _write_csv(ambiguous_path, ["行", "consultation_id", "household_id", "候補の世帯"],
               ([a["row"], a["consultation_id"], a["household_id"], " ".join(a["candidates"])]
                for a in state.ambiguous), keep=bool(state.ambiguous))


def outputs_of(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.stem + ".refused.csv"), path.with_name(path.stem + ".ambiguous.csv")


def _write_csv(path: Path, header: list, lines, keep: bool) -> None:
    """UTF-8 with BOM (Japanese Excel opens it as it is); no file when there is nothing to list."""
    if not keep:
        path.unlink(missing_ok=True)
        return
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(lines)
    path.write_text(text.getvalue(), encoding="utf-8-sig")


def _cell(value) -> str:
    return "" if value is None else str(value)


def _summarise(path: Path, state: ImportState, total: int, progress: Progress, dry_run: bool, out) -> None:
    for e in sorted(state.refused, key=lambda e: e["row"]):
        out.write(f"行 {e['row']} 列「{e['column']}」: {e['rule']}\n")
    refused_rows = len({e["row"] for e in state.refused})
    if dry_run:
        out.write(f"確認のみ（何も記録していません）: {total:,} 行のうち 取込可 {total - refused_rows:,} / "
                  f"不備 {refused_rows:,}\n")
        return
    out.write(f"取込: {total:,} 行 — 記録 {state.recorded:,} / 記録済み {state.already_recorded:,} / "
              f"不備 {refused_rows:,} / 世帯の確認待ち {len(state.ambiguous):,} "
              f"（{progress.rate():,.0f} 行/秒）\n")
    if state.consents_later:
        out.write(f"記録済みの行のうち {state.consents_later:,} 行は、本人同意またはその撤回を新たに記録しました\n")
    refused_path, ambiguous_path = outputs_of(path)
    if refused_rows:
        out.write(f"不備のある行は {refused_path} に書きました（直して取り込み直してください）\n")
    if state.ambiguous:
        out.write(f"世帯を職員が選ぶ行は {ambiguous_path} にあります（世帯検索・世帯の統合で判断）\n")
