"""Spreadsheet files built by hand, as a hostile or careless program writes them: for the
record tests and the input benchmark (benchmarks/inputs_bench.py)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from prospector.export import EMAIL_COLUMNS

SHEET = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{rows}' \
        '</sheetData></worksheet>'
ANN_ROW = ["sent", "first", "Ann@a.com", "Ann", "", "A broken link", "Hi Ann,", "", "", "", "http://gone.com/x", "", ""]


def _column(i: int) -> str:
    name, i = "", i + 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def row_xml(number: int, values: list[str]) -> str:
    return f'<row r="{number}">' + "".join(
        f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values)) + "</row>"


def workbook(path: Path, sheet_xml: str, shared: Iterable[bytes] = ()) -> Path:
    """An .xlsx of one sheet named "emails"; `shared`: its shared strings part, in pieces."""
    pieces = iter(shared)
    first = next(pieces, b"")
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
             f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{office}.worksheet+xml"/>'
             + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{office}.sharedStrings+xml"/>'
                if first else "") + "</Types>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                                  'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="emails" '
                                      'sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" '
                   'Target="worksheets/sheet1.xml"/>' + (f'<Relationship Id="rId2" Type="{rel}/sharedStrings" '
                                                         'Target="sharedStrings.xml"/>' if first else "")
                   + "</Relationships>")
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if first:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
                member.write(first)
                for piece in pieces:
                    member.write(piece)
    return path


def dimension_bomb(path: Path) -> Path:
    """A few KB declaring A1:XFD1048576: openpyxl would pad every row to 16,384 cells."""
    return workbook(path, SHEET.format(dimension='<dimension ref="A1:XFD1048576"/>',
                                       rows=row_xml(1, EMAIL_COLUMNS) + row_xml(2, ANN_ROW)))


def big_cell_workbook(path: Path, size: int = 400_000_000) -> Path:
    """About 400 KB whose one cell unpacks to `size` characters."""
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
    whole, rest = divmod(size, 2**20)
    shared = [head, *[b"a" * 2**20] * whole, b"a" * rest, b"</t></si></sst>"]
    return workbook(path, SHEET.format(
        dimension="", rows=row_xml(1, EMAIL_COLUMNS) + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'), shared)


def big_csv(path: Path, row: bytes, size: int = 200_000_000) -> int:
    """An emails CSV of `size` bytes or more: the header, then `row` again and again; how many rows."""
    count = size // len(row) + 1
    with path.open("wb") as handle:
        handle.write(b"\xef\xbb\xbf" + ",".join(EMAIL_COLUMNS).encode() + b"\r\n")
        handle.write(row * count)
    return count
