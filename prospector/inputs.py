"""User-supplied lists: parse, validate, and report each bad row as one line naming file:line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from prospector.items import OwnPage, Prospect
from prospector.tables import (  # noqa: F401  (InputFileError and text_encoding are part of this module's API)
    DELIMITERS,
    InputFileError,
    first_line,
    is_xlsx,
    open_table,
    text_encoding,
    text_lines,
)
from prospector.urls import InvalidUrl, host_of, normalise, registered_domain, scheme_of

EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
PROSPECT_COLUMNS = ("url", "name", "email", "notes", "max_pages", "max_depth", "path_prefix")
# Headers other tools write for the same column (Screaming Frog's Address, BuzzStream's Website …).
COLUMN_ALIASES = {"address": "url", "website": "url", "domain": "url", "site": "url", "site url": "url",
                  "page url": "url", "e-mail": "email", "email address": "email", "e-mail address": "email",
                  "contact email": "email"}
KNOWN_COLUMNS = {*PROSPECT_COLUMNS, "title", "description"}  # a prospect list's and a page list's


@dataclass(frozen=True)
class InputProblem:
    source: str  # file:line
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def read_prospects(path: str | Path) -> tuple[list[Prospect], list[InputProblem]]:
    """Read a prospect list: a CSV or .xlsx with a `url` column, or plain text with one URL per
    line (`#` starts a comment). Good rows are returned; every bad one becomes an InputProblem."""
    path = Path(path)
    rows = table_rows(path, "url") if _looks_like_table(path) else _text_rows(path)
    prospects: list[Prospect] = []
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    for line, row, problem in rows:
        source = f"{path}:{line}"
        try:
            if problem:
                raise ValueError(problem)
            prospect = _prospect(row, source, problems)
        except ValueError as exc:
            problems.append(InputProblem(source, str(exc)))
            continue
        if prospect.url in seen:
            problems.append(InputProblem(source, f"duplicate of line {seen[prospect.url]}: {prospect.url}"))
            continue
        seen[prospect.url] = line
        prospects.append(prospect)
    return prospects, problems


def _looks_like_table(path: Path) -> bool:
    """A .csv or .xlsx file, or any file whose first line is a header with a `url` column."""
    if path.suffix.lower() == ".csv" or is_xlsx(path):
        return True
    first = first_line(path)
    return any(sep in first and "url" in canonical_columns([c.strip().strip('"') for c in first.split(sep)])
               for sep in DELIMITERS)


def canonical_columns(header: list[str]) -> list[str]:
    """A header as prospector names its columns: its own (url, name, email …) in lower case,
    other tools' names for them translated (COLUMN_ALIASES) unless the list has the column
    itself, and any other column as written (they travel to the outputs as they are)."""
    lowered = [" ".join(h.strip().lower().split()) for h in header]
    taken = {name for name in lowered if name in KNOWN_COLUMNS}
    names: list[str] = []
    for raw, name in zip(header, lowered, strict=False):
        if name in KNOWN_COLUMNS and name not in names:
            names.append(name)
        elif COLUMN_ALIASES.get(name) and COLUMN_ALIASES[name] not in taken:
            taken.add(COLUMN_ALIASES[name])
            names.append(COLUMN_ALIASES[name])
        else:
            names.append(" ".join(raw.split()))
    return names


def table_rows(path: Path, required: str) -> Iterator[tuple[int, dict[str, str], str]]:
    """(row number, column -> stripped value, why the row cannot be read) of each row of a
    table with a `required` column (or one of its aliases); blank rows and rows whose
    `required` cell starts with # are skipped. Columns keep their header's spelling unless
    they are one of prospector's."""
    with open_table(path, wanted=lambda columns: required in canonical_columns(columns)) as table:
        header = canonical_columns(table.header)
        if required not in header:
            where = f" (sheet {table.sheet!r})" if table.sheet else ""
            raise InputFileError(f"{path}:1: no {required!r} column in the header{where} "
                                 f"({', '.join(header) or 'empty'})")
        for row in table.rows:
            values = {k: v.strip() for k, v in zip(header, row.cells, strict=False) if k}
            if not any(values.values()) or values.get(required, "").startswith("#"):
                continue
            formula = next((header[i] for i in sorted(row.formulas) if i < len(header)), "")
            problem = row.problem or (f"the {formula} cell holds a formula; write the value itself" if formula else "")
            yield row.number, values, problem


def _text_rows(path: Path) -> Iterator[tuple[int, dict[str, str], str]]:
    for row in text_lines(path):
        line = row.cells[0].split(" #", 1)[0].strip()  # a comment line, or a comment after the URL
        if line and not line.startswith("#"):
            yield row.number, {"url": line}, row.problem


def _prospect(row: dict[str, str], source: str, problems: list[InputProblem] | None = None) -> Prospect:
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
    name, email = parseaddr(row.get("email", "").removeprefix("mailto:"))
    if row.get("email") and not EMAIL.match(email):
        if problems is not None:  # the prospect is crawled all the same; its contact is looked for there
            problems.append(InputProblem(source, f"invalid email {row['email'][:80]!r}: crawled all the same, "
                                                 "a contact is looked for on the site"))
        name, email = "", ""
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
        contact_name=" ".join(name.split())[:120],
        extra=tuple((k, v) for k, v in row.items() if k not in PROSPECT_COLUMNS),
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
    pages: list[OwnPage] = []
    problems: list[InputProblem] = []
    seen: set[str] = set()
    for line, row, problem in table_rows(path, "url"):
        source = f"{path}:{line}"
        if problem:
            problems.append(InputProblem(source, problem))
            continue
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
    emails: set[str] = set()
    domains: set[str] = set()
    problems: list[InputProblem] = []
    for row in text_lines(path):
        number, line = row.number, row.cells[0]
        value = line.split(",", 1)[0].strip().strip('"').lower()
        if not value or value.startswith("#") or (number == 1 and value in ("email", "domain", "email_or_domain")):
            continue
        if row.problem:
            problems.append(InputProblem(f"{path}:{number}", row.problem))
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
