"""`prospector record` on sheets that are hostile or damaged: bounded memory whatever the file
declares or holds, a stray byte or a formula named by row, the right sheet of a workbook,
dates that cannot be, draft and record one at a time."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import measured, peak_memory_kb, prospector, summary
from sheets import SHEET, big_cell_workbook, big_csv, dimension_bomb, row_xml, workbook
from test_record import ANN, BOB, db, history, sheet  # noqa: F401  (db: the fixture)

from prospector import Campaign, UsageError
from prospector.campaign import RowsRejected
from prospector.export import EMAIL_COLUMNS
from prospector.store import Store

pytestmark = pytest.mark.heavy  # scheduled first: see conftest.py

MEMORY_CEILING_KB = 500 * 1024  # the bound; measured figures are in benchmarks/results.md


def test_a_sheet_declaring_a_million_rows_by_16384_columns_costs_what_its_cells_cost(db: Path, tmp_path: Path) -> None:
    bomb = dimension_bomb(tmp_path / "emails.xlsx")
    assert bomb.stat().st_size < 8_000
    done = measured("record", str(bomb), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert summary(done.stdout)["recorded (new)"] == "1"
    assert peak_memory_kb(done.stderr) < MEMORY_CEILING_KB


def test_a_cell_that_unpacks_to_400_mb_is_refused_before_it_is_read(db: Path, tmp_path: Path) -> None:
    bomb = big_cell_workbook(tmp_path / "emails.xlsx")
    assert bomb.stat().st_size < 500_000
    done = measured("record", str(bomb), "--db", str(db))
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (f"Error: {bomb}: its part xl/sharedStrings.xml unpacks to 381 MB, more "
                                           "than prospector reads (64 MB); save the sheet as CSV")
    assert peak_memory_kb(done.stderr) < MEMORY_CEILING_KB


def test_a_200_mb_sheet_is_read_row_by_row(db: Path, tmp_path: Path) -> None:
    """Every row well-formed and the same sent email: recorded once, in bounded memory."""
    row = {c: "" for c in EMAIL_COLUMNS} | {**ANN, "status": "sent", "body": "Hi Ann,\r\nthe link is dead.\r\n"}
    line = sheet(tmp_path / "one.csv", [row]).read_bytes().split(b"\r\n", 1)[1]
    big = tmp_path / "emails.csv"
    count = big_csv(big, line)
    assert big.stat().st_size > 200_000_000
    done = measured("record", str(big), "--db", str(db))
    assert done.returncode == 0, done.stderr[-500:]
    table = summary(done.stdout)
    assert (table["recorded (new)"], table["sent"]) == ("1", "1")
    assert int(table["rows with a status"]) == count
    assert peak_memory_kb(done.stderr) < MEMORY_CEILING_KB


# --- what a spreadsheet or a person does to a sheet ------------------------------------------

@pytest.mark.parametrize("bom", [False, True])
def test_a_stray_windows_byte_in_a_utf8_sheet_is_named_by_row(db: Path, tmp_path: Path, bom: bool) -> None:
    path = sheet(tmp_path / "emails.csv", [{**ANN, "status": "sent", "body": "Grüße, Ann — PLACEHOLDER"},
                                           {**BOB, "status": "skip"}], bom=bom)
    path.write_bytes(path.read_bytes().replace(b"PLACEHOLDER", b"it\x92s dead"))
    with pytest.raises(RowsRejected) as refused:
        Campaign(db).record(path)
    assert refused.value.problems == (f"{path}:2: not valid UTF-8 text (byte 0x92); save the file as UTF-8 again",)
    assert history(db) == []


def test_a_formula_in_the_status_cell_is_named(db: Path, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(EMAIL_COLUMNS)
    book.active.append([ANN.get(c, "") for c in EMAIL_COLUMNS])
    book.active["A2"] = '=IF(1=1,"sent","")'
    book.save(tmp_path / "emails.xlsx")
    with pytest.raises(RowsRejected) as refused:
        Campaign(db).record(tmp_path / "emails.xlsx")
    assert refused.value.problems == (f"{tmp_path / 'emails.xlsx'}:2: the status cell holds a formula "
                                      '(=IF(1=1,"sent","")); write the status itself (sent, skip, replied, won, lost)',)


def test_the_sheet_with_the_emails_columns_is_read_and_named(db: Path, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["what", "when"])
    emails = book.create_sheet("Sent this week")
    emails.append(EMAIL_COLUMNS)
    emails.append([{**ANN, "status": "sent"}.get(c, "") for c in EMAIL_COLUMNS])
    book.active = 0  # the notes are what the file opens on
    book.save(tmp_path / "emails.xlsx")
    done = prospector("record", str(tmp_path / "emails.xlsx"), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert (summary(done.stdout)["sheet read"], summary(done.stdout)["recorded (new)"]) == ("Sent this week", "1")


def test_xml_entities_in_a_workbook_are_refused_saying_why(db: Path, tmp_path: Path) -> None:
    xxe = workbook(tmp_path / "emails.xlsx", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                   + SHEET.format(dimension="", rows=row_xml(1, ["&e;"])))
    with pytest.raises(UsageError) as refused:
        Campaign(db).record(xxe)
    assert str(refused.value) == (f"{xxe}: not a readable .xlsx file (it declares XML entities or a DTD, refused as "
                                  "unsafe to read)")


def test_a_date_in_the_future_is_refused_and_a_wrong_one_can_be_corrected(db: Path, tmp_path: Path) -> None:
    path = sheet(tmp_path / "emails.csv", [{**ANN, "status": "sent"}])
    future = prospector("record", str(path), "--on", "2206-01-01", "--db", str(db))
    assert (future.returncode, future.stderr) == (2, "Error: on: 2206-01-01 is in the future; give the day the "
                                                     "emails were sent\n")
    wrong = (date.today() - timedelta(days=40)).isoformat()
    right = (date.today() - timedelta(days=3)).isoformat()
    assert prospector("record", str(path), "--on", wrong, "--db", str(db)).returncode == 0
    again = prospector("record", str(path), "--on", right, "--db", str(db))  # recording again changes nothing
    assert (again.returncode, summary(again.stdout)["already recorded"], history(db)[0][2]) == (0, "1", wrong)
    moved = prospector("record", str(path), "--on", right, "--redate", "--db", str(db))
    assert (moved.returncode, summary(moved.stdout)["moved to this date"], history(db)[0][2]) == (0, "1", right)


def test_a_refused_sheet_names_its_first_twenty_bad_rows(db: Path, tmp_path: Path) -> None:
    path = sheet(tmp_path / "emails.csv", [{**ANN, "status": "snet"}] * 25)
    done = prospector("record", str(path), "--db", str(db))
    lines = done.stderr.splitlines()
    assert done.returncode == 1
    assert len(lines) == 22 and lines[20] == "  … and 5 more"
    assert lines[-1] == (f"Error: {path}: nothing recorded; fix the 25 rows above (the first 20 are listed) and "
                         "record the file again")


def test_draft_and_record_take_turns(db: Path, tmp_path: Path) -> None:
    """While a draft holds the store's outreach lock, a record waits for it (and then records)."""
    path = sheet(tmp_path / "emails.csv", [{**ANN, "status": "sent"}])
    held = threading.Event()

    def drafting() -> None:
        with Store(db) as store, store.stage_lock("outreach"):
            held.set()
            time.sleep(2)

    other = threading.Thread(target=drafting)
    other.start()
    held.wait(10)
    started = time.monotonic()
    done = prospector("record", str(path), "--db", str(db))
    other.join()
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 1.0  # it waited for the draft to finish
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM locks").fetchone() == (0,)
