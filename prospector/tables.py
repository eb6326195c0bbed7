"""Files users give and edit: CSV as spreadsheets save it (any common encoding, commas,
semicolons or tabs), plain text lists, and .xlsx — read row by row, within bounds, each row
numbered as a spreadsheet numbers it (the header is row 1).

Nothing here holds a whole file in memory: a 200 MB CSV costs what its longest row costs (an
.xlsx is read by workbooks.py, within its own bounds). A row whose bytes are not text in the
file's encoding, or whose cell holds a formula, is read with a `problem`: the caller reports it
as one line and goes on with the others.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from prospector.errors import UsageError

MAX_TEXT_BYTES = 512 * 2**20  # a CSV or text list; streamed, so this bounds time, not memory
MAX_LINE = 2**20  # characters in one line (and so in one cell)
MAX_COLUMNS = 256
SAMPLE_BYTES = 2**20  # of the lines with non-ASCII bytes, to tell a legacy encoding

DELIMITERS = (",", ";", "\t")  # European Excel saves CSV with semicolons
GZIP_MAGIC = b"\x1f\x8b"
UTF8, UTF16 = "utf-8", "utf-16"
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that were not text (surrogateescape)
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")

csv.field_size_limit(MAX_LINE)


class InputFileError(UsageError):
    """The file as a whole cannot be read (missing, not text, too large, no url column)."""


PROBLEMS_SHOWN = 20


@dataclass
class Unread:
    """The lines or rows of a file that could not be read: how many, and the first
    PROBLEMS_SHOWN as "file:line: why" (a file of any size costs no more)."""

    unit: str = "rows"
    count: int = 0
    shown: list[str] = field(default_factory=list)

    def add(self, where: str, why: str) -> None:
        self.count += 1
        if len(self.shown) < PROBLEMS_SHOWN:
            self.shown.append(f"{where}: {why}")

    def lines(self) -> list[str]:
        """The ones shown, and a line saying how many more."""
        more = self.count - len(self.shown)
        return [*self.shown, *([f"… and {more} more {self.unit} that could not be read"] if more else [])]


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it; a text file's line number
    cells: tuple[str, ...]
    problem: str = ""  # why the row cannot be used as it is
    formulas: frozenset[int] = frozenset()  # positions of cells that hold a formula (.xlsx)


@dataclass
class Table:
    """A header and the rows under it, read as they are iterated (once)."""

    path: Path
    header: list[str]  # as written, stripped
    rows: Iterator[Row]
    encoding: str  # utf-8, utf-16, a legacy code page, or xlsx
    sheet: str = ""  # the .xlsx sheet read
    _close: Callable[[], None] = field(default=lambda: None, repr=False)

    @property
    def columns(self) -> list[str]:
        """The header as names: lower case, stripped."""
        return [h.strip().lower() for h in self.header]

    def close(self) -> None:
        self._close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_xlsx(path: Path) -> bool:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def open_table(path: str | Path, wanted: Callable[[list[str]], bool] = lambda columns: True) -> Table:
    """The table of a CSV or .xlsx file. For an .xlsx, the first sheet whose header `wanted`
    accepts (the active one if none does). Raises InputFileError."""
    from prospector.workbooks import xlsx_table

    path = Path(path)
    return xlsx_table(path, wanted) if is_xlsx(path) else _csv_table(path)


# --- text --------------------------------------------------------------------------------


def text_encoding(path: str | Path) -> str:
    """The encoding a user's text file is read with: utf-8 (with or without BOM), utf-16 (with
    a BOM: Excel's "Unicode text"), or the legacy code page charset-normalizer finds (Latin-1,
    Windows-1252 … from older spreadsheets). A UTF-8 file with a few bytes that are not is
    UTF-8: those rows are reported, never the whole file silently read as cp1252."""
    return _detected(Path(path))[0]


def _detected(path: Path) -> tuple[str, bool]:
    """(the encoding, whether some bytes are not text in it: their rows are then reported)."""
    size = file_size(path, MAX_TEXT_BYTES)
    with path.open("rb") as handle:
        head = handle.read(3)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return UTF16, False
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(UTF8)("surrogateescape")
        good = bad = 0
        sample = bytearray()
        for chunk in iter(lambda: handle.read(2**20), b""):
            if b"\x00" in chunk:
                raise _not_text(path)
            text = decoder.decode(chunk)
            good += len(_NON_ASCII.findall(text))
            escaped = len(_ESCAPED.findall(text))
            bad += escaped
            if escaped and len(sample) < SAMPLE_BYTES:
                sample += b"\n".join(line for line in chunk.split(b"\n") if max(line, default=0) > 127)
    if not bad or size == 0:
        return UTF8, False
    if good >= bad:
        return UTF8, True
    return _legacy_encoding(path, bytes(sample)), True


def _legacy_encoding(path: Path, sample: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    if not matches:
        raise _not_text(path)
    best = min(matches, key=lambda m: m.chaos)
    # A short file fits several code pages equally well; Windows-1252 (Excel's on Western
    # Windows) is the likeliest of those, Cyrillic or Japanese files still win on their own.
    western = [m for m in matches if m.encoding in ("cp1252", "latin_1", "iso8859_15") and m.chaos <= best.chaos]
    return (western[0] if western else best).encoding


def _not_text(path: Path) -> InputFileError:
    return InputFileError(f"{path}: not a text file (no text encoding fits it)")


def file_size(path: Path, limit: int) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputFileError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise InputFileError(f"{path}: a folder, not a file")
    if size > limit:
        raise InputFileError(f"{path}: {size / 2**20:,.0f} MB, more than prospector reads "
                             f"({limit // 2**20} MB); split it")
    return size


def open_bytes(path: Path) -> IO[bytes]:
    """The file's bytes, gunzipped when it is gzip (told by its first bytes, never its name:
    ranked lists and Majestic's exports come so); InputFileError when it cannot be opened."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if raw.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw


def _open_text(path: Path, encoding: str) -> IO[str]:
    codec = "utf-8-sig" if encoding == UTF8 else encoding
    errors = "strict" if encoding == UTF16 else "surrogateescape"
    return io.TextIOWrapper(path.open("rb"), encoding=codec, errors=errors, newline="")


def _lines(path: Path, handle: IO[str]) -> Iterator[str]:
    """The file's lines, each at most MAX_LINE characters (else InputFileError)."""
    number = 0
    try:
        while True:
            line = handle.readline(MAX_LINE + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE:
                raise InputFileError(f"{path}:{number}: a line of more than {MAX_LINE:,} characters; "
                                     "is it a table saved as text?")
            yield line
    except UnicodeDecodeError:
        raise _not_text(path) from None


def text_lines(path: str | Path) -> Iterator[Row]:
    """A plain text file, line by line (one cell each, line ending removed)."""
    path = Path(path)
    encoding, mixed = _detected(path)
    with _open_text(path, encoding) as handle:
        for number, line in enumerate(_lines(path, handle), start=1):
            text = line.rstrip("\r\n")
            yield Row(number, (text,), _byte_problem(text, encoding) if mixed else "")


def first_line(path: str | Path) -> str:
    """The first line that is neither blank nor a # comment."""
    path = Path(path)
    with _open_text(path, text_encoding(path)) as handle:
        for line in _lines(path, handle):
            if line.strip() and not line.startswith("#"):
                return line.rstrip("\r\n")
    return ""


def csv_delimiter(line: str) -> str:
    """The delimiter of a CSV: the one that splits its header into the most columns."""
    return max(DELIMITERS, key=lambda sep: (len(line.split(sep)), sep == ","))


def _byte_problem(text: str, encoding: str) -> str:
    found = _ESCAPED.search(text)
    if not found:
        return ""
    byte = ord(found.group()) - 0xDC00
    return (f"not valid {'UTF-8' if encoding == UTF8 else encoding} text (byte 0x{byte:02x}); save the file "
            "as UTF-8 again")


def _csv_table(path: Path) -> Table:
    encoding, mixed = _detected(path)
    handle = _open_text(path, encoding)
    try:
        lines = _lines(path, handle)
        first = next(lines, "")
        delimiter = csv_delimiter(first.rstrip("\r\n"))
        reader = csv.reader(_chain(first, lines), delimiter=delimiter)
        header = next(reader, [])
    except BaseException:
        handle.close()
        raise
    if _ESCAPED.search(first):
        handle.close()
        raise InputFileError(f"{path}:1: {_byte_problem(first, encoding)}")

    def rows() -> Iterator[Row]:
        number = 1
        try:
            for cells in reader:
                number += 1
                yield Row(number, tuple(cells), _byte_problem(" ".join(cells), encoding) if mixed else "")
        except csv.Error as exc:
            raise InputFileError(f"{path}:{number}: not a readable CSV ({exc})") from None
        finally:
            handle.close()

    return Table(path, [h.strip() for h in header], rows(), encoding, _close=handle.close)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest
