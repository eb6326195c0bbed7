"""An export never leaves half a sheet behind and never writes over what the user typed: a full
disk or a folder that cannot be written leaves the last export byte for byte, and statuses in
emails.csv that are not recorded yet stop it (and `run`, before it crawls)."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pandas as pd
from conftest import MainRun, copy_store, fill, prospector, small_disk
from test_record import DRAFTS

from prospector.export import EMAIL_COLUMNS
from prospector.store import Store


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_an_export_on_a_full_disk_leaves_the_last_one_as_it_was(main_run: MainRun, tmp_path: Path) -> None:
    changed = copy_store(main_run.db, tmp_path / "changed.sqlite")
    with sqlite3.connect(changed) as db:  # a new export would differ in every file but emails.csv
        db.execute("UPDATE pages SET title = title || ' (updated)'")
        db.execute("UPDATE checks SET reason = reason || ' again'")
    with small_disk(tmp_path / "disk", 2048) as disk:
        out = disk / "out"
        first = prospector("export", "--db", str(main_run.db), "--out", str(out))
        assert first.returncode == 0, first.stderr
        before = files(out)
        assert set(before) == {"opportunities.csv", "emails.csv", "dead_links.csv", "prospects.csv",
                               "suggested_prospects.csv", "report.html"}
        fill(disk, leave=40_000)  # room for some of the files, not all
        second = prospector("export", "--db", str(changed), "--out", str(out))
        assert second.returncode == 1
        assert second.stderr == (f"Error: {out}: cannot write the export (No space left on device); the files there "
                                 "are as they were\n")
        assert files(out) == before  # every file as it was, and no temporary file left


def test_an_export_to_a_folder_that_cannot_be_written_is_one_line(main_run: MainRun, tmp_path: Path) -> None:
    with small_disk(tmp_path / "ro", 64, read_only=True) as folder:
        done = prospector("export", "--db", str(main_run.db), "--out", str(folder))
    assert done.returncode == 1
    assert done.stderr == (f"Error: {folder}: cannot write the export (Read-only file system); the files there are "
                           "as they were\n")


def mark(emails_csv: Path, statuses: dict[int, str]) -> None:
    """Statuses typed into rows (0-based) and saved as European Excel saves a CSV."""
    frame = pd.read_csv(emails_csv, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    for index, status in statuses.items():
        frame.loc[index, "status"] = status
    with emails_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False))


def exported(tmp_path: Path) -> tuple[Path, Path]:
    """A store with two drafts, exported: (the store, the export's folder)."""
    db = tmp_path / "store.sqlite"
    with Store(db) as store:
        store.save_drafts(DRAFTS)
    out = tmp_path / "out"
    assert prospector("export", "--db", str(db), "--out", str(out)).returncode == 0
    return db, out


def test_statuses_not_recorded_yet_stop_the_export_until_they_are(tmp_path: Path) -> None:
    db, out = exported(tmp_path)
    sheet = out / "emails.csv"
    mark(sheet, {0: "sent", 1: "sent"})
    typed = sheet.read_bytes()

    refused = prospector("export", "--db", str(db), "--out", str(out))
    assert refused.returncode == 1
    assert refused.stderr == (f"Error: {sheet} has statuses that are not recorded yet (rows 2, 3); record them first "
                              f"— prospector record {sheet} --db {db} — or empty those cells. Nothing was written.\n")
    assert sheet.read_bytes() == typed

    recorded = prospector("record", str(sheet), "--db", str(db))
    assert recorded.returncode == 0, recorded.stderr
    again = prospector("export", "--db", str(db), "--out", str(out))
    assert again.returncode == 0, again.stderr
    frame = pd.read_csv(sheet, encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == EMAIL_COLUMNS and set(frame["status"]) == {""}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM history WHERE status = 'sent'").fetchone() == (2,)


def test_run_checks_the_sheet_before_it_crawls(tmp_path: Path) -> None:
    db, out = exported(tmp_path)
    mark(out / "emails.csv", {1: "replied"})
    (tmp_path / "p.txt").write_text("http://never-crawled.com/\n", encoding="utf-8")
    (tmp_path / "pages.csv").write_text("url\nhttp://mine.com/a\n", encoding="utf-8")
    run = prospector("run", "--no-wayback", "--prospects", str(tmp_path / "p.txt"), "--pages",
                     str(tmp_path / "pages.csv"),
                     "--sender-name", "Sam", "--sender-email", "sam@mine.com", "--out", str(out), "--db", str(db),
                     "--nameserver", "127.0.0.1:9", "-q")
    assert run.returncode == 1
    assert run.stderr.startswith(f"Error: {out / 'emails.csv'} has statuses that are not recorded yet (row 3); ")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM prospects").fetchone() == (0,)  # it stopped before the crawl
