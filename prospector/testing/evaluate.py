"""Measure the matcher on a labelled set: dead link -> expected own page(s), or none."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from prospector.items import OwnPage
from prospector.match.query import LinkQuery, build_query
from prospector.match.rank import MatchResult

if TYPE_CHECKING:
    from prospector.fakeweb import WebSpec


@dataclass(frozen=True)
class Case:
    query: LinkQuery
    expected: frozenset[str]  # acceptable own-page URLs; empty: nothing fits


@dataclass(frozen=True)
class Scores:
    cases: int
    top1: float  # right first suggestion, or rightly none
    top3: float  # for cases with an answer: an acceptable page among the suggestions
    no_match_precision: float  # of the "nothing fits" answers, how many were right
    no_match_recall: float  # of the cases where nothing fits, how many were said so
    misses: tuple[str, ...]  # one line per wrong top-1, for reading


def load_pages(path: str | Path, base: str = "") -> list[OwnPage]:
    return [OwnPage(url=base + p["url"], title=p["title"], description=p["description"],
                    headings=p["headings"], text=p["text"])
            for p in json.loads(Path(path).read_text(encoding="utf-8"))]


def load_cases(path: str | Path, base: str = "") -> list[Case]:
    with Path(path).open(encoding="utf-8", newline="") as f:
        return [Case(build_query(row["dead_url"], [(row["anchor"], row["context"], row["page_title"])]),
                     frozenset(base + e for e in row["expected"].split("|") if e))
                for row in csv.DictReader(f)]


def load_match_dev_cases(path: str | Path, base: str) -> list[Case]:
    """The match-dev format: expected_path (empty: nothing fits) and also_ok paths (`;`)."""
    with Path(path).open(encoding="utf-8", newline="") as f:
        return [Case(build_query(row["dead_url"], [(row["anchor"], row["context"], row["page_title"])]),
                     frozenset(base + p for p in [row["expected_path"], *row["also_ok"].split(";")] if p)
                     if row["expected_path"] else frozenset())
                for row in csv.DictReader(f)]


def read_site_folder(folder: str | Path, base: str) -> list[OwnPage]:
    """A static site on disk (…/path/index.html) read as the match stage reads fetched pages."""
    from prospector.crawl.content import read_own_page

    folder = Path(folder)
    pages = []
    for file in sorted(folder.rglob("index.html")):
        content = read_own_page(file.read_bytes())
        pages.append(OwnPage(url=base + site_path(folder, file), title=content.title,
                             description=content.description, headings=content.headings, text=content.text))
    return pages


def site_path(folder: Path, index_file: Path) -> str:
    """`folder/a/b/index.html` -> `/a/b/`; the folder's own index.html -> `/`."""
    parts = index_file.parent.relative_to(folder).parts
    return "/" + "".join(f"{part}/" for part in parts)


def score(cases: Sequence[Case], rank: Callable[[list[LinkQuery]], list[MatchResult]]) -> Scores:
    results = rank([c.query for c in cases])
    top1 = top3 = said_none = said_none_right = 0
    misses = []
    answerable = [c for c in cases if c.expected]
    for case, result in zip(cases, results, strict=False):
        first = result.suggestions[0].url if result.suggestions else None
        right = (first in case.expected) if case.expected else first is None
        top1 += right
        if case.expected and any(s.url in case.expected for s in result.suggestions):
            top3 += 1
        if first is None:
            said_none += 1
            said_none_right += not case.expected
        if not right:
            best = result.best
            misses.append(f"{case.query.dead_url}: expected {sorted(case.expected) or 'none'}, got "
                          f"{first or 'none'} (best {best.url if best else '-'} {best.score if best else 0:.3f})")
    unanswerable = len(cases) - len(answerable)
    return Scores(
        cases=len(cases),
        top1=top1 / len(cases),
        top3=top3 / max(1, len(answerable)),
        no_match_precision=said_none_right / said_none if said_none else 1.0,
        no_match_recall=said_none_right / unanswerable if unanswerable else 1.0,
        misses=tuple(misses),
    )


MATCH_DEV_HOST = "www.fastapi-docs.org"


def static_site_spec(folder: str | Path, host: str = MATCH_DEV_HOST) -> WebSpec:
    """Serve a static site folder (…/path/index.html, sitemap.xml, robots.txt) from the fake web,
    its absolute URLs pointed at the fake web's port."""
    from prospector.fakeweb import Resource, Site, WebSpec

    folder = Path(folder)
    here = f"http://{host}/"

    def ported(text: str) -> str:
        return text.replace(here, f"http://{host}:%PORT%/")

    pages = {site_path(folder, f): Resource(body=ported(f.read_text(encoding="utf-8")))
             for f in folder.rglob("index.html")}
    pages["/sitemap.xml"] = Resource(body=ported((folder / "sitemap.xml").read_text(encoding="utf-8")),
                                     content_type="application/xml")
    return WebSpec([Site(host, pages, robots=ported((folder / "robots.txt").read_text(encoding="utf-8")))])
