from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from conftest import MainRun, prospector
from webs import case_url

from prospector.export import neutralise, write_csv


@pytest.mark.parametrize("value,expected", [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'), ("+1", "'+1"), ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), (404, 404), ("", ""),
])
def test_formula_cells_are_neutralised(value, expected) -> None:
    assert neutralise(value) == expected


def test_csv_round_trip_keeps_text_newlines_and_unicode(tmp_path: Path) -> None:
    frame = pd.DataFrame({"title": ['=HYPERLINK("http://x","y")', 'ü é 中文 🎉', 'two\nlines "quoted"']})
    path = write_csv(frame, tmp_path / "t.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert [r["title"] for r in csv.DictReader(f)] == [
            '\'=HYPERLINK("http://x","y")', 'ü é 中文 🎉', 'two\nlines "quoted"']
    assert pd.read_csv(path, encoding="utf-8-sig")["title"].tolist()[1:] == ['ü é 中文 🎉', 'two\nlines "quoted"']
    plain = write_csv(frame, tmp_path / "p.csv", encoding="utf-8")
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_dead_links_csv(main_run: MainRun, tmp_path: Path) -> None:
    run = prospector("export", "--db", str(main_run.db), "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    frame = pd.read_csv(tmp_path / "dead_links.csv", encoding="utf-8-sig")
    assert list(frame.columns) == ["dead_url", "link_kind", "verdict", "reason", "reason_code", "status",
                                   "referring_pages", "referring_domains", "archived_url", "archived_at",
                                   "archived_title"]
    assert frame["verdict"].value_counts().to_dict() == {"dead": 13, "likely_dead": 4}
    port = main_run.web.port
    row = frame[frame["dead_url"] == case_url(port, "410")].iloc[0]
    assert (row["verdict"], row["reason"], row["reason_code"], row["status"], row["referring_pages"],
            row["referring_domains"]) == ("dead", "410 Gone", "http_410", 410, 1, 1)
    assert frame["verdict"].tolist() == sorted(frame["verdict"].tolist(), key=["dead", "likely_dead"].index)
    again = tmp_path / "again"
    prospector("export", "--db", str(main_run.db), "--out", str(again))
    assert (again / "dead_links.csv").read_bytes() == (tmp_path / "dead_links.csv").read_bytes()
