"""User-supplied lists: parse, validate, and report each bad row as one line naming file:line."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from prospector.items import OwnPage, Prospect
from prospector.urls import InvalidUrl, host_of, normalise, registered_domain

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
    """A user's file as text (UTF-8, with or without BOM), or one clear InputFileError."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputFileError(f"{path}: file not found") from None
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        raise InputFileError(f"{path}: not a UTF-8 text file ({exc.__class__.__name__})") from None


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
    if path.suffix.lower() == ".csv":
        return True
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    return "url" in [c.strip().lower() for c in first.split(",")] and "," in first


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(text.splitlines())
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
