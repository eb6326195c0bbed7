"""User-supplied lists: parse, validate, and report each bad row as one line naming file:line."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from prospector.items import OwnPage, Prospect
from prospector.urls import InvalidUrl, host_of, normalise, registered_domain, scheme_of

EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
PROSPECT_COLUMNS = ("url", "name", "email", "notes", "max_pages", "max_depth", "path_prefix")


@dataclass(frozen=True)
class InputProblem:
    source: str  # file:line
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class InputFileError(Exception):
    """The file as a whole cannot be read (missing, not text, no url column)."""


def read_text(path: Path) -> str:
    """A user's file as text, or one clear InputFileError. UTF-8 (with or without BOM) first,
    UTF-16 with a BOM (Excel's "Unicode text"), else the encoding charset-normalizer finds
    (Latin-1, Windows-1252 … from older spreadsheets); `text_encoding` says which."""
    return _decoded(path)[0]


def text_encoding(path: str | Path) -> str:
    """The encoding a user's file was read with ("utf-8" for UTF-8 with or without BOM)."""
    return _decoded(Path(path))[1]


def _decoded(path: Path) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: a folder, not a file") from None
    not_text = InputFileError(f"{path}: not a text file (no text encoding fits it)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise not_text from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise not_text
    best = min(matches, key=lambda m: m.chaos)
    # A short file fits several code pages equally well; Windows-1252 (Excel's on Western
    # Windows) is the likeliest of those, Cyrillic or Japanese files still win on their own.
    western = [m for m in matches if m.encoding in ("cp1252", "latin_1", "iso8859_15") and m.chaos <= best.chaos]
    chosen = western[0] if western else best
    if "\x00" in str(chosen):
        raise not_text
    return str(chosen), chosen.encoding


def read_prospects(path: str | Path) -> tuple[list[Prospect], list[InputProblem]]:
    """Read a prospect list: a CSV with a `url` column, or plain text with one URL per line
    (`#` starts a comment). Good rows are returned; every bad one becomes an InputProblem."""
    path = Path(path)
    text = read_text(path)
    rows = _csv_rows(path, text) if _looks_like_csv(path, text) else _text_rows(text)
    prospects: list[Prospect] = []
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        source = f"{path}:{line}"
        try:
            prospect = _prospect(row, source)
        except ValueError as exc:
            problems.append(InputProblem(source, str(exc)))
            continue
        if prospect.url in seen:
            problems.append(InputProblem(source, f"duplicate of line {seen[prospect.url]}: {prospect.url}"))
            continue
        seen[prospect.url] = line
        prospects.append(prospect)
    return prospects, problems


def _looks_like_csv(path: Path, text: str) -> bool:
    """A .csv file, or any file whose first line is a header with a `url` column."""
    if path.suffix.lower() == ".csv":
        return True
    first = _first_line(text)
    return any(sep in first and "url" in [c.strip().strip('"').lower() for c in first.split(sep)]
               for sep in DELIMITERS)


DELIMITERS = (",", ";", "\t")  # European Excel saves CSV with semicolons


def _first_line(text: str) -> str:
    return next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")


def csv_delimiter(text: str) -> str:
    """The delimiter of a CSV: the one that splits its header into the most columns."""
    first = _first_line(text)
    return max(DELIMITERS, key=lambda sep: (len(first.split(sep)), sep == ","))


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(text.splitlines(), delimiter=csv_delimiter(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "url" not in header:
        raise InputFileError(f"{path}:1: no 'url' column in the header ({', '.join(header) or 'empty'})")
    reader.fieldnames = header
    rows = []
    for row in reader:
        values = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(values.values()) or values.get("url", "").startswith("#"):
            continue
        rows.append((reader.line_num, values))
    return rows


def _text_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split(" #", 1)[0].strip()  # a comment line, or a comment after the URL
        if line and not line.startswith("#"):
            rows.append((number, {"url": line}))
    return rows


def _prospect(row: dict[str, str], source: str) -> Prospect:
    raw = row.get("url", "")
    if not raw:
        raise ValueError("empty url")
    scheme = scheme_of(raw)
    if scheme and scheme not in ("http", "https"):
        raise ValueError(f"not a web URL ({scheme}): {raw[:60]!r}")
    if "://" not in raw:
        raw = "https://" + raw
    try:
        url = normalise(raw)
    except InvalidUrl as exc:
        raise ValueError(str(exc)) from None
    host = host_of(url)
    if "." not in host:
        raise ValueError(f"not a public host name: {host!r}")
    email = row.get("email", "")
    if email and not EMAIL.match(email):
        raise ValueError(f"invalid email {email!r}")
    prefix = row.get("path_prefix", "")
    if prefix and not prefix.startswith("/"):
        raise ValueError(f"path_prefix must start with '/': {prefix!r}")
    return Prospect(
        url=url,
        domain=registered_domain(host),
        path_prefix=prefix,
        name=row.get("name", ""),
        email=email,
        notes=row.get("notes", ""),
        max_pages=_positive_int(row, "max_pages"),
        max_depth=_positive_int(row, "max_depth", minimum=0),
        source=source,
    )


def _positive_int(row: dict[str, str], column: str, minimum: int = 1) -> int | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{column} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise ValueError(f"{column} must be at least {minimum}, got {number}")
    return number


def read_own_pages(path: str | Path) -> tuple[list[OwnPage], list[InputProblem]]:
    """Read the user's own pages from a CSV with a `url` column (optional `title`,
    `description`): the alternative to a sitemap."""
    path = Path(path)
    text = read_text(path)
    pages: list[OwnPage] = []
    problems: list[InputProblem] = []
    seen: set[str] = set()
    for line, row in _csv_rows(path, text):
        source = f"{path}:{line}"
        try:
            url = normalise(row.get("url", "") or "")
        except InvalidUrl as exc:
            problems.append(InputProblem(source, str(exc)))
            continue
        if url in seen:
            problems.append(InputProblem(source, f"duplicate page {url}"))
            continue
        seen.add(url)
        pages.append(OwnPage(url=url, title=row.get("title", ""), description=row.get("description", "")))
    return pages, problems


@dataclass(frozen=True)
class Suppression:
    """Who must not be contacted: exact addresses, and whole domains."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    def blocks(self, email: str, *domains: str) -> bool:
        email = email.lower()
        if email and email in self.emails:
            return True
        hosts = [email.partition("@")[2]] if email else []
        return any(registered_domain(h) in self.domains for h in [*hosts, *domains] if h)


def read_suppression(path: str | Path) -> tuple[Suppression, list[InputProblem]]:
    """A do-not-contact list: one address or domain per line (a CSV's first column works too;
    a header line and `#` comments are skipped)."""
    path = Path(path)
    text = read_text(path)
    emails: set[str] = set()
    domains: set[str] = set()
    problems: list[InputProblem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.split(",", 1)[0].strip().strip('"').lower()
        if not value or value.startswith("#") or (number == 1 and value in ("email", "domain", "email_or_domain")):
            continue
        if "@" in value:
            if EMAIL.match(value):
                emails.add(value)
            else:
                problems.append(InputProblem(f"{path}:{number}", f"invalid email {value!r}"))
        elif "." in value and " " not in value:
            domains.add(registered_domain(value.removeprefix("*.").split("/")[0]))
        else:
            problems.append(InputProblem(f"{path}:{number}", f"neither an email nor a domain: {value!r}"))
    return Suppression(frozenset(emails), frozenset(domains)), problems
