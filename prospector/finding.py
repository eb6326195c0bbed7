"""Where prospects come from besides a list: a backlink export (`prospector import`) and a
ranked list of domains for their authority (`prospector authority`), read into a campaign's
store with what each said noted."""

from __future__ import annotations

from pathlib import Path

from prospector.summaries import AuthoritySummary, ImportSummary
from prospector.workspace import Workspace


def read_authority_list(space: Workspace, path: str | Path) -> AuthoritySummary:
    """The stored prospects' domains' authority from a ranked list (authority.py)."""
    from prospector.authority import read_authority

    with space.store(must_exist=True) as store:
        domains = store.prospect_domains()
    read = read_authority(path, domains)
    with space.store() as store:
        store.save_authority(read.found.values())
    space.note_problems(read.unread.lines())
    return AuthoritySummary.of(read, len(domains))


def import_exports(space: Workspace, paths: tuple[str | Path, ...]) -> ImportSummary:
    """Backlink exports into the store (backlink_import.py), one after the other; a file that
    cannot be read at all is an error before anything of it is stored."""
    from prospector.backlink_import import import_backlinks

    results = []
    with space.store() as store:
        for path in paths:
            results.append(import_backlinks(store, path))
            space.note_problems(results[-1].problems)
        total = len(store.prospects())
    return ImportSummary.of(results, total)
