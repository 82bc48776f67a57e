"""Reading a city's file: CSV (UTF-8, with or without BOM, else Shift_JIS/CP932 as Japanese
Excel writes it) or .xlsx (openpyxl, read-only), as numbered rows of column → cell.

A row's number is the one a person sees: the spreadsheet's row in an .xlsx, the record's
position counting the header as row 1 in a CSV (the line, unless a cell spans lines).
"""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Iterator

ENCODINGS = ("utf-8-sig", "cp932")


class UnreadableFile(ValueError):
    """The file is not one this reader takes (said in one sentence, naming no cell)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_rows(path: Path, *, header_row: int = 1, sheet: str | None = None,
              encoding: str | None = None) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The header (column names) and the data rows below it, blank rows left out."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx(path, header_row, sheet)
    if path.suffix.lower() in (".csv", ".txt"):
        return _csv(path, header_row, encoding)
    raise UnreadableFile(f"CSV か .xlsx のファイルを指定してください（{path.suffix or '拡張子なし'} は読めません）")


def decode(data: bytes, encoding: str | None = None) -> str:
    for candidate in ([encoding] if encoding else ENCODINGS):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("文字コードが UTF-8 でも Shift_JIS (CP932) でもありません")


def _csv(path: Path, header_row: int, encoding: str | None):
    reader = csv.reader(io.StringIO(decode(path.read_bytes(), encoding), newline=""))
    lines = list(reader)
    if len(lines) < header_row:
        raise UnreadableFile("見出しの行がありません")
    header = [h.strip() for h in lines[header_row - 1]]
    rows = ((number, _named(header, cells))
            for number, cells in enumerate(lines[header_row:], start=header_row + 1))
    return header, (r for r in rows if any(v not in (None, "") for v in r[1].values()))


def _xlsx(path: Path, header_row: int, sheet: str | None):
    from openpyxl import load_workbook  # only for .xlsx
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(".xlsx として開けません") from None
    if sheet and sheet not in book.sheetnames:
        raise UnreadableFile("指定したシートがありません")
    cells = book[sheet] if sheet else book.worksheets[0]
    rows = cells.iter_rows(min_row=header_row, values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]

    def data():
        for number, values in enumerate(rows, start=header_row + 1):
            named = _named(header, values)
            if any(v not in (None, "") for v in named.values()):
                yield number, named
        book.close()
    return header, data()


def _named(header: list[str], cells) -> dict:
    cells = list(cells)
    return {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header) if name}
