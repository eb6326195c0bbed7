"""From the store to CSV files that open cleanly in Excel and Google Sheets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from prospector.store import Store

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8"}

DEAD_LINK_COLUMNS = ["dead_url", "verdict", "reason", "status", "referring_pages", "referring_domains"]


def neutralise(value: object) -> object:
    """Defuse CSV/formula injection: text that a spreadsheet would evaluate gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: Path, encoding: str = "utf-8-sig") -> Path:
    """Write with fixed columns, neutralised text cells, and the chosen encoding (BOM for Excel)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe.to_csv(path, index=False, encoding=ENCODINGS[encoding], lineterminator="\r\n")
    return path


def dead_links_frame(store: Store) -> pd.DataFrame:
    rows = store.dead_links()
    frame = pd.DataFrame([r.__dict__ for r in rows], columns=DEAD_LINK_COLUMNS)
    frame["status"] = frame["status"].astype("Int64")
    order = frame["verdict"].map({"dead": 0, "likely_dead": 1})
    frame = frame.assign(_order=order).sort_values(
        ["_order", "referring_domains", "referring_pages", "dead_url"],
        ascending=[True, False, False, True], kind="stable",
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def export_all(store: Store, out_dir: str | Path, encoding: str = "utf-8-sig") -> dict[str, Path]:
    """Write every CSV prospector produces; return name -> path."""
    out = Path(out_dir)
    return {"dead_links": write_csv(dead_links_frame(store), out / "dead_links.csv", encoding)}
