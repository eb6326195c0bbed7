"""`prospector record` on hostile and huge sheets: peak memory (VmHWM of the process) and time
for a dimension-bomb .xlsx, an .xlsx whose one cell unpacks to 400 MB (refused) and one whose
cell is just under the 64 MiB a part may unpack to (read), and a 200 MB CSV of well-formed rows.
Prints JSON; benchmarks/run.py merges it into results.json."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import measured, peak_memory_kb  # noqa: E402
from sheets import big_cell_workbook, big_csv, dimension_bomb  # noqa: E402
from test_record import ANN, DRAFTS, sheet  # noqa: E402

from prospector.export import EMAIL_COLUMNS  # noqa: E402
from prospector.store import Store  # noqa: E402


def record(path: Path, db: Path) -> dict:
    start = time.perf_counter()
    done = measured("record", str(path), "--db", str(db))
    said = (done.stderr.splitlines() or [""])[0] if done.returncode else done.stdout.split("\n")[0]
    return {"file_mb": round(path.stat().st_size / 1e6, 3), "exit": done.returncode,
            "seconds": round(time.perf_counter() - start, 2), "peak_mib": round(peak_memory_kb(done.stderr) / 1024),
            "said": said.replace(f"{path.parent}/", "").strip()[:160]}


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        db = folder / "store.sqlite"
        with Store(db) as store:
            store.save_drafts(DRAFTS)
        row = {c: "" for c in EMAIL_COLUMNS} | {**ANN, "status": "sent"}
        line = sheet(folder / "one.csv", [row]).read_bytes().split(b"\r\n", 1)[1]
        rows = big_csv(folder / "big.csv", line)
        figures = {
            "dimension_bomb_xlsx": record(dimension_bomb(folder / "dimension.xlsx"), db),
            "big_cell_xlsx": record(big_cell_workbook(folder / "bigcell.xlsx"), db),
            "cell_63_mib_xlsx": record(big_cell_workbook(folder / "cell63.xlsx", 63 * 2**20), db),  # under the cap
            "csv_200_mb": {**record(folder / "big.csv", db), "rows": rows},
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
