"""Domain authority, offline: a ranked list of domains the user downloaded, read for the
campaign's own domains only. Nothing is downloaded by prospector.

The list's format is told by its first line, never by the file's name: Tranco (`rank,domain`,
no header), the Majestic Million (`GlobalRank,TldRank,Domain,TLD,…`), DomCop's Open PageRank
(`"Rank","Domain","Open Page Rank"`) and Common Crawl's host or domain ranks (tab-separated,
`#harmonicc_pos #harmonicc_val #pr_pos #pr_val #host_rev …`, host names reversed as
`com.example`). Any of them may be gzipped. The file is streamed line by line and only the
wanted domains are kept, so a multi-gigabyte list costs the memory of those domains.

Authority is 0–100, monotone in the list's measure:
- a rank r (Tranco, Majestic's GlobalRank, Common Crawl's harmonic-centrality position, Open
  PageRank's Rank when its score is missing): 100 × (1 − log10(r) / 7), rounded to a tenth and
  clipped to 0–100 — rank 1 is 100, 10 is 85.7, 1,000 is 57.1, 100,000 is 28.6, 10 million
  and beyond 0;
- an Open PageRank score s (0–10): 10 × s.
A domain listed twice keeps its higher authority. A Common Crawl host list gives a domain the
rank of the host that is the domain itself or its www. host.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from prospector.tables import InputFileError, Unread, open_bytes

RANK_DECADES = 7  # a rank of 10**7 or more maps to 0
_TRANCO_LINE = re.compile(r"^\s*\d+\s*,\s*[^,\s]+\s*$")


def from_rank(rank: int) -> float:
    """The authority of a list's rank (1 is the top)."""
    return round(min(100.0, max(0.0, 100 * (1 - math.log10(rank) / RANK_DECADES))), 1)


@dataclass(frozen=True)
class DomainAuthority:
    domain: str  # as the campaign names it: a prospect's registered domain
    authority: float  # 0-100, by the map above
    source: str  # the list: Tranco, Majestic Million, Open PageRank, Common Crawl
    rank: int | None = None  # its rank there (None: Open PageRank's score decided)


@dataclass
class AuthorityRead:
    """What reading one list gave."""

    path: str
    source: str
    lines: int = 0  # data lines read
    found: dict[str, DomainAuthority] = field(default_factory=dict)
    unread: Unread = field(default_factory=lambda: Unread("lines"))  # lines that could not be read


def keep_best(found: dict[str, DomainAuthority], candidate: DomainAuthority) -> None:
    """`candidate` into `found` unless its domain already has a higher authority there."""
    held = found.get(candidate.domain)
    if held is None or candidate.authority > held.authority:
        found[candidate.domain] = candidate


# A line's fields -> (domain, rank, score 0-10 or None), or ValueError saying why not.
Parse = Callable[[list[str]], tuple[str, int | None, float | None]]


@dataclass(frozen=True)
class ListFormat:
    source: str
    delimiter: str
    has_header: bool
    parse: Parse


def _whole(text: str, what: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"{what} {text.strip()[:40]!r} is not a whole number") from None
    if value < 1:
        raise ValueError(f"{what} {value} is not a rank (1 is the top)")
    return value


def _tranco(cells: list[str]) -> tuple[str, int | None, float | None]:
    if len(cells) < 2:
        raise ValueError("expected rank,domain")
    return cells[1], _whole(cells[0], "rank"), None


def _majestic(cells: list[str]) -> tuple[str, int | None, float | None]:
    if len(cells) < 3:
        raise ValueError("expected GlobalRank,TldRank,Domain,…")
    return cells[2], _whole(cells[0], "GlobalRank"), None


def _open_pagerank(cells: list[str]) -> tuple[str, int | None, float | None]:
    if len(cells) < 3:
        raise ValueError('expected "Rank","Domain","Open Page Rank"')
    rank = _whole(cells[0], "Rank") if cells[0].strip() else None
    try:
        score = float(cells[2]) if cells[2].strip() else None
    except ValueError:
        raise ValueError(f"Open Page Rank {cells[2].strip()[:40]!r} is not a number") from None
    if score is not None and not 0 <= score <= 10:
        raise ValueError(f"Open Page Rank {score:g} is not within 0-10")
    if score is None and rank is None:
        raise ValueError("neither a rank nor a score")
    return cells[1], rank, score


def _common_crawl(cells: list[str]) -> tuple[str, int | None, float | None]:
    if len(cells) < 5:
        raise ValueError("expected five tab-separated fields (#harmonicc_pos … #host_rev)")
    return ".".join(reversed(cells[4].strip().split("."))), _whole(cells[0], "harmonicc_pos"), None


FORMATS = {
    "tranco": ListFormat("Tranco", ",", False, _tranco),
    "majestic": ListFormat("Majestic Million", ",", True, _majestic),
    "open_pagerank": ListFormat("Open PageRank", ",", True, _open_pagerank),
    "common_crawl": ListFormat("Common Crawl", "\t", True, _common_crawl),
}
KNOWN = ("Tranco (rank,domain), the Majestic Million (GlobalRank,TldRank,Domain,…), Open PageRank "
         '("Rank","Domain","Open Page Rank") or Common Crawl\'s host or domain ranks (#harmonicc_pos …)')


def list_format(first_line: str) -> ListFormat | None:
    """The format a list's first line shows, or None."""
    line = first_line.lstrip("\ufeff").strip()
    lowered = line.lower()
    if lowered.startswith("#harmonicc_pos"):
        return FORMATS["common_crawl"]
    names = [cell.strip().lower() for cell in next(csv.reader([line]), [])]
    if names[:3] == ["globalrank", "tldrank", "domain"]:
        return FORMATS["majestic"]
    if names[:3] == ["rank", "domain", "open page rank"]:
        return FORMATS["open_pagerank"]
    if names == ["rank", "domain"] or _TRANCO_LINE.match(line):
        return FORMATS["tranco"]
    return None


def _open(path: Path) -> IO[str]:
    return io.TextIOWrapper(open_bytes(path), encoding="utf-8", errors="replace", newline="")


def _first_line(path: Path, handle: IO[str]) -> tuple[str, ListFormat]:
    """The list's first line and the format it shows; InputFileError if it shows none."""
    try:
        first = handle.readline()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputFileError(f"{path}: cannot read it ({exc})") from None
    form = list_format(first)
    if form is None:
        raise InputFileError(f"{path}: not a ranked domain list prospector knows; give {KNOWN}")
    return first, form


def list_source(path: str | Path) -> str:
    """The list a file is (its source's name), from its first line; InputFileError if none:
    said before a long run starts, not after it."""
    with _open(Path(path)) as handle:
        return _first_line(Path(path), handle)[1].source


def read_authority(path: str | Path, domains: Collection[str]) -> AuthorityRead:
    """The authority of each of `domains` the list at `path` holds; a line that cannot be read
    is counted and (the first 20) described. InputFileError: a file that cannot
    be read, or in no known format."""
    path = Path(path)
    wanted = {d.lower() for d in domains}
    with _open(path) as handle:
        first, form = _first_line(path, handle)
        read = AuthorityRead(str(path), form.source)
        lines = _numbered(first, handle, form.has_header)
        try:
            for number, text in lines:
                _read_line(read, form, number, text, wanted)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise InputFileError(f"{path}: cannot read it past line {read.lines + 1} ({exc})") from None
    return read


def _numbered(first: str, rest: IO[str], has_header: bool) -> Iterator[tuple[int, str]]:
    if not has_header:
        yield 1, first
    yield from enumerate(rest, start=2)


def _read_line(read: AuthorityRead, form: ListFormat, number: int, text: str, wanted: set[str]) -> None:
    if not text.strip():
        return
    read.lines += 1
    cells = next(csv.reader([text], delimiter=form.delimiter), []) if form.delimiter == "," else \
        text.rstrip("\r\n").split("\t")
    try:
        domain, rank, score = form.parse(cells)
    except ValueError as exc:
        read.unread.add(f"{read.path}:{number}", str(exc))
        return
    domain = domain.strip().lower().rstrip(".")
    if form is FORMATS["common_crawl"] and domain.startswith("www."):
        domain = domain[4:]  # a host list: the www. host stands for its domain
    if domain in wanted:
        authority = round(10 * score, 1) if score is not None else from_rank(rank or 1)
        keep_best(read.found, DomainAuthority(domain, authority, form.source, rank))
