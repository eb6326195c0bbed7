from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prospector.crawl.retry import retry_after_seconds, retry_delay

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("header,seconds", [
    ("120", 120.0), (" 5 ", 5.0), ("Thu, 26 Nov 2026 12:00:30 GMT", 30.0),
    ("Thu, 26 Nov 2026 11:00:00 GMT", 0.0), ("soon", None), ("", None), (None, None),
])
def test_retry_after_header(header, seconds) -> None:
    assert retry_after_seconds(header, now=NOW) == seconds


@pytest.mark.parametrize("attempt,retry_after,delay", [
    (1, None, 1.0), (2, None, 2.0), (3, None, 4.0), (10, None, 60.0),
    (1, 30.0, 30.0), (1, 61.0, None),
])
def test_backoff_and_retry_after(attempt, retry_after, delay) -> None:
    assert retry_delay(attempt, retry_after, base=1.0, cap=60.0) == delay
