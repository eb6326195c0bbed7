"""Backlink exports, read: who links where, as a backlink tool says it (issue 24's `import`
reads them into the store). The format is told by the header row, never by the file's name;
the encoding by its bytes (Ahrefs writes UTF-16 with a BOM), the delimiter by the header;
gzip (Majestic's large exports) and zip (Google Search Console's Links export, a CSV per
table) are read as they come. Rows are parsed one line at a time, so a line that is not valid
CSV (Majestic writes some) costs that row only, and a file of any length costs one row of
memory.

What each row claims — the anchor, the context, rel, the tool's authority, a target's HTTP
code — is a claim: the crawl reads the page and the check decides.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from prospector.tables import InputFileError, Unread, csv_delimiter, open_bytes
from prospector.urls import InvalidUrl, normalise

PREAMBLE_LINES = 20  # lines before the header a file may have (Moz writes a few)
_TRUE = {"true", "1", "yes", "y", "+", "x"}
_FALSE = {"false", "0", "no", "n", "-", ""}


@dataclass(frozen=True)
class Backlink:
    source: str  # file:row (file[member]:row in a zip)
    referring_url: str  # the page that links (normalised, as every URL below)
    target_url: str  # what it links ("" when the export names no target: Search Console's Linking page)
    anchor: str = ""
    context: str = ""  # the export's left context, anchor and right context: `claimed_context`
    referring_title: str = ""
    nofollow: bool = False
    ugc: bool = False
    sponsored: bool = False
    authority: float | None = None  # the tool's own 0-100 measure of the referring site or page
    authority_source: str = ""  # "Ahrefs Domain rating", "Semrush Page ascore", "Majestic TrustFlow" …
    claimed_status: int | None = None  # the target's HTTP code as the tool last saw it

    @property
    def rel(self) -> str:
        return " ".join(name for name, on in (("nofollow", self.nofollow), ("ugc", self.ugc),
                                              ("sponsored", self.sponsored)) if on)


@dataclass(frozen=True)
class ExportFormat:
    name: str
    required: tuple[str, ...]  # lower-case header names that tell it
    referring: str
    target: str = ""
    anchor: str = ""
    left: str = ""
    right: str = ""
    title: str = ""
    nofollow: str = ""
    ugc: str = ""
    sponsored: str = ""
    authority: tuple[tuple[str, str], ...] = ()  # (column, its label): the first present gives the authority
    status: str = ""
    absent: tuple[str, ...] = ()  # header names that rule the format out


# In the order tried: the more specific first.
FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("Ahrefs", ("referring page url", "target url"), "referring page url", "target url", "anchor",
                 "left context", "right context", "referring page title", "nofollow", "ugc", "sponsored",
                 (("domain rating", "Ahrefs Domain rating"),), "target page http code"),
    ExportFormat("Semrush", ("source url", "target url", "nofollow"), "source url", "target url", "anchor",
                 title="source title", nofollow="nofollow", ugc="ugc", sponsored="sponsored",
                 authority=(("page ascore", "Semrush Page ascore"), ("page score", "Semrush Page score")),
                 absent=("anchor text",)),
    ExportFormat("Majestic", ("target url", "source url", "anchor text", "flagnofollow"), "source url", "target url",
                 "anchor text", nofollow="flagnofollow", authority=(("sourcetrustflow", "Majestic TrustFlow"),)),
    ExportFormat("Moz", ("url", "target url", "anchor text"), "url", "target url", "anchor text", title="title",
                 authority=(("domain authority", "Moz Domain Authority"),)),
    ExportFormat("Search Console", ("linking page",), "linking page"),
    ExportFormat("CSV", ("referring_url", "target_url"), "referring_url", "target_url", "anchor"),
)
KNOWN = ", ".join(f.name for f in FORMATS[:-1]) + " or a CSV with referring_url,target_url[,anchor]"


def export_format(header: list[str]) -> ExportFormat | None:
    names = {h.strip().lower() for h in header}
    return next((f for f in FORMATS if set(f.required) <= names and not names & set(f.absent)), None)


@dataclass
class BacklinkRead:
    """What reading one export gave, as it is read: `rows()` yields the good rows."""

    path: str
    format: str = ""
    rows_read: int = 0
    skipped_tables: list[str] = field(default_factory=list)  # a zip's CSVs that hold no links
    unread: Unread = field(default_factory=Unread)  # rows that could not be read


def read_backlinks(path: str | Path) -> tuple[BacklinkRead, Iterator[Backlink]]:
    """The export at `path`: what was read so far (filled in as the rows are iterated) and its
    rows. InputFileError: a file that cannot be read, or in no known format (said before any
    row is yielded)."""
    path = Path(path)
    read = BacklinkRead(str(path))
    tables = list(_tables(path))
    known = [table for table in tables if table.form is not None]
    read.skipped_tables = [table.name for table in tables if table.form is None]
    if not known:
        for table in tables:
            table.text.close()
        raise InputFileError(f"{path}: not a backlink export prospector knows; give {KNOWN}")
    read.format = known[0].form.name  # type: ignore[union-attr]

    def rows() -> Iterator[Backlink]:
        try:
            for table in known:
                yield from _rows(read, table)
        finally:
            for table in tables:
                table.text.close()

    return read, rows()


@dataclass(frozen=True)
class _Table:
    name: str  # the file, or file[member] in a zip
    text: IO[str]  # the lines after the header
    header: list[str]  # lower case, stripped
    header_line: int
    delimiter: str
    form: ExportFormat | None


def _tables(path: Path) -> Iterator[_Table]:
    """Each table of the file: the file itself, or each CSV of a zip."""
    try:
        with path.open("rb") as probe:
            magic = probe.read(4)
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if magic.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputFileError(f"{path}: not a readable zip file ({exc})") from None
        with archive:  # the members opened keep the file open until they are closed
            for member in archive.infolist():
                if member.filename.lower().endswith((".csv", ".tsv", ".txt")):
                    yield _table(f"{path}[{member.filename}]", archive.open(member))
        return
    yield _table(str(path), open_bytes(path))


def _table(name: str, raw: IO[bytes]) -> _Table:
    """The header row (after at most PREAMBLE_LINES lines), its line number and the format."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[type-var]
    try:
        start = buffered.peek(4)[:4]
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputFileError(f"{name}: cannot read it ({exc})") from None
    encoding = "utf-16" if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    text = io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="")
    for number in range(1, PREAMBLE_LINES + 1):
        line = text.readline()
        if not line:
            break
        delimiter = csv_delimiter(line)
        try:
            header = _cells(line, delimiter)
        except csv.Error:
            continue
        form = export_format(header)
        if form is not None:
            return _Table(name, text, [h.strip().lower() for h in header], number, delimiter, form)
    return _Table(name, text, [], 0, ",", None)


def _cells(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter, strict=True), [])


def _rows(read: BacklinkRead, table: _Table) -> Iterator[Backlink]:
    form = table.form
    assert form is not None
    column = {h: i for i, h in reversed(list(enumerate(table.header)))}  # the first of a repeated name
    needed = max(column[form.referring], column.get(form.target, 0)) + 1
    for number, line in enumerate(table.text, start=table.header_line + 1):
        if not line.strip():
            continue
        read.rows_read += 1
        where = f"{table.name}:{number}"
        try:
            cells = _cells(line, table.delimiter)
        except csv.Error as exc:
            read.unread.add(where, f"not a valid CSV row ({exc})")
            continue
        if len(cells) < needed:
            read.unread.add(where, f"{len(cells)} cells, where the header has {len(table.header)}")
            continue
        try:
            yield _backlink(where, form, column, cells)
        except ValueError as exc:
            read.unread.add(where, str(exc))


def _backlink(where: str, form: ExportFormat, column: dict[str, int], cells: list[str]) -> Backlink:
    def cell(name: str) -> str:
        index = column.get(name) if name else None
        return cells[index].strip() if index is not None and index < len(cells) else ""

    referring = _url(cell(form.referring), form.referring)
    target = _url(cell(form.target), form.target) if form.target else ""
    anchor = cell(form.anchor)
    context = " ".join(part for part in (cell(form.left), anchor, cell(form.right)) if part) if form.left else ""
    authority_column, label = next(((name, label) for name, label in form.authority if name in column), ("", ""))
    authority = _number(cell(authority_column), authority_column) if authority_column else None
    status = cell(form.status)
    return Backlink(where, referring, target, anchor, context, cell(form.title), _flag(cell(form.nofollow)),
                    _flag(cell(form.ugc)), _flag(cell(form.sponsored)), authority,
                    label if authority is not None else "", int(status) if status.isdigit() else None)


def _url(text: str, column: str) -> str:
    """The URL in its canonical form (urls.normalise), as the crawl and the check name it."""
    try:
        return normalise(text.strip().replace(" ", "%20"))  # Majestic writes some URLs with their spaces
    except InvalidUrl:
        raise ValueError(f"{column}: not an http(s) URL: {text[:200]!r}") from None


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"expected true or false, not {text[:40]!r}")


def _number(text: str, column: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"{column}: {text[:40]!r} is not a number") from None
    if not 0 <= value <= 100:
        raise ValueError(f"{column}: {value:g} is not within 0-100")
    return value
