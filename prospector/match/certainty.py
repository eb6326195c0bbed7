"""Which dead links the archive should be asked about first: those whose match is least
certain, or whose anchor and URL say least of what the page was ("this post" linking
`/?p=1832`). The archive is slow (20 requests a minute) and what it says pays most there: a
link already matched with confidence rarely changes, one with nothing to go on often does."""

from __future__ import annotations

from collections.abc import Sequence

from prospector.match.query import is_vague, slug_words
from prospector.store.history import ArchiveCandidate

CERTAIN = 0.75  # a match at least this confident waits until the uncertain ones are asked about


def opaque(url: str) -> bool:
    """A URL whose path names no topic: `/?p=2290`, `bit.ly/3Kx9QfA`, `/node/88`."""
    return not any(word.isalpha() and len(word) >= 3 for word in slug_words(url).split())


def says_little(candidate: ArchiveCandidate) -> int:
    """0-2: one for anchors that are all vague, one for an opaque URL."""
    return int(all(is_vague(a) for a in candidate.anchors)) + int(opaque(candidate.url))


def ask_order(candidates: Sequence[ArchiveCandidate]) -> list[str]:
    """The URLs in the order to ask about them: the uncertain (not matched yet, matched below
    CERTAIN, or saying little) first — those saying least, then the least confident — then the
    others as given (the callers give them most valuable first)."""
    def key(item: tuple[int, ArchiveCandidate]) -> tuple[int, int, float, int]:
        position, c = item
        little = says_little(c)
        sure = c.confidence if c.confidence is not None else 0.0
        if little or sure < CERTAIN:
            return (0, -little, sure, position)
        return (1, 0, 0.0, position)

    return [c.url for _, c in sorted(enumerate(candidates), key=key)]
