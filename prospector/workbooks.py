""".xlsx files users give and edit, read within bounds: each member's unpacked size is checked
(ZipInfo.file_size) before anything is parsed, the dimension a sheet declares — which openpyxl
would pad every row to — is ignored, and cells come out as the text a CSV of the same sheet
would hold (tables.Table, rows numbered as the spreadsheet numbers them)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from prospector.tables import MAX_COLUMNS, InputFileError, Row, Table, file_size

MAX_XLSX_BYTES = 128 * 2**20  # the .xlsx file itself
MAX_XLSX_MEMBER = 64 * 2**20  # one member, uncompressed: openpyxl holds the shared strings whole
MAX_XLSX_TOTAL = 256 * 2**20  # all members, uncompressed


def xlsx_table(path: Path, wanted: Callable[[list[str]], bool]) -> Table:
    """The first sheet whose header `wanted` accepts (the active one if none does)."""
    file_size(path, MAX_XLSX_BYTES)
    _check_members(path)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises a zoo of types for a damaged or foreign file
        raise InputFileError(f"{path}: not a readable .xlsx file ({_why_unreadable(exc)})") from None
    try:
        sheets = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # a declared A1:XFD1048576 would pad every row to it
            first = next(sheet.iter_rows(min_row=1, max_row=1), ())
            sheets.append((sheet, [_cell_text(c.value).strip() for c in first[:MAX_COLUMNS]]))
        if not sheets:
            raise InputFileError(f"{path}: an .xlsx file without a sheet")
        chosen, header = next((s for s in sheets if wanted([name.lower() for name in s[1]])),
                              next((s for s in sheets if s[0].title == getattr(book.active, "title", "")), sheets[0]))
    except InputFileError:
        book.close()
        raise
    except Exception as exc:
        book.close()
        raise InputFileError(f"{path}: not a readable .xlsx file ({_why_unreadable(exc)})") from None
    while header and not header[-1]:
        header.pop()
    width = max(1, len(header))

    def rows() -> Iterator[Row]:
        try:
            for number, cells in enumerate(chosen.iter_rows(min_row=2, max_col=width), start=2):
                values = tuple(_cell_text(getattr(c, "value", None)) for c in cells)
                formulas = frozenset(i for i, c in enumerate(cells) if getattr(c, "data_type", "") == "f")
                yield Row(number, values, formulas=formulas)
        except InputFileError:
            raise
        except Exception as exc:
            raise InputFileError(f"{path}: not a readable .xlsx file ({_why_unreadable(exc)})") from None
        finally:
            book.close()

    return Table(path, header, rows(), "xlsx", chosen.title, _close=book.close)


def _check_members(path: Path) -> None:
    """Refuse before parsing what would not fit: a member (the sheet, its shared strings) that
    unpacks to more than MAX_XLSX_MEMBER, or all of them to more than MAX_XLSX_TOTAL."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputFileError(f"{path}: not a readable .xlsx file ({exc})") from None
    total = sum(m.file_size for m in members)
    big = max(members, key=lambda m: m.file_size, default=None)
    if big is not None and big.file_size > MAX_XLSX_MEMBER:
        raise InputFileError(f"{path}: its part {big.filename} unpacks to {big.file_size / 2**20:,.0f} MB, more than "
                             f"prospector reads ({MAX_XLSX_MEMBER // 2**20} MB); save the sheet as CSV")
    if total > MAX_XLSX_TOTAL:
        raise InputFileError(f"{path}: unpacks to {total / 2**20:,.0f} MB, more than prospector reads "
                             f"({MAX_XLSX_TOTAL // 2**20} MB); save the sheet as CSV")


def _why_unreadable(exc: BaseException) -> str:
    cause: BaseException | None = exc
    for _ in range(10):  # openpyxl wraps what defusedxml raised
        if cause is None:
            break
        if type(cause).__module__.startswith("defusedxml"):
            return "it declares XML entities or a DTD, refused as unsafe to read"
        cause = cause.__cause__ or cause.__context__
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


def _cell_text(value: Any) -> str:
    """A cell as the text a CSV of the same sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)
