"""The README's "From Python" calls, run in a Jupyter kernel (`jupyter nbconvert --execute`) over
the demo web and a fake archive: the fetching stages work in a process whose asyncio loop is
already running and which has threads, and what a user must see (bad rows) is in the output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbconvert")
pytest.importorskip("ipykernel")

CELLS = [
    """\
from pathlib import Path
from prospector import Campaign, Sender, Verdict
from prospector.fakeweb import FakeWeb
from prospector.fakeweb.archive import ARCHIVE_HOST
from prospector.fakeweb.demo import DEMO_PROSPECTS, OWN_SITE_HOST, demo_web

web = FakeWeb(demo_web()).start()
folder = Path(FOLDER)
prospects = folder / "prospects.csv"
prospects.write_text("url,name,email\\n" + "".join(f"{web.url(h)},{h},\\n" for h in DEMO_PROSPECTS)
                     + "not a web address,Broken row,\\n", encoding="utf-8")""",
    """\
campaign = Campaign(folder / "prospector.sqlite", nameserver=web.nameserver, allow_private_networks=True,
                    dns_timeout=1, dns_retries=1, timeout=2, retries=1, max_pages=20,
                    wayback_endpoint=web.url(ARCHIVE_HOST).rstrip("/"), wayback_rate=600,
                    settings={"AUTOTHROTTLE_ENABLED": "false"})
crawled = campaign.crawl(prospects)                # each stage returns a typed summary
print(crawled.pages_fetched, "pages")""",
    """\
checked = campaign.check()                         # workers="auto": one process per core
print(checked.counts[Verdict.DEAD], "dead")""",
    """\
matched = campaign.match(sitemap=web.url(OWN_SITE_HOST))
drafted = campaign.draft(Sender("Alex Moreno", "alex@tallyfield.com", "https://tallyfield.com"))
exported = campaign.export(folder / "outputs")     # the CSV files and report.html
print(matched.matched, "matched;", drafted.drafts, "drafts")""",
    """\
best = campaign.opportunities()                    # pandas DataFrames, as the CSVs hold them
print(len(best), "opportunities,", len(best[best.confidence > 0.6]), "confident")
campaign.dead_links(); campaign.emails(); campaign.prospects()""",
    """\
archived = campaign.archive()                      # what the dead pages were (Wayback Machine)
verified = campaign.verify(verify_within=0)        # re-check the drafts' links before sending
print(archived.finish_reason, verified.checked, "re-checked")
web.stop()""",
]


def test_the_from_python_calls_run_in_a_notebook(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CELLS[0].replace("FOLDER", repr(str(tmp_path))))]
    notebook.cells += [nbformat.v4.new_code_cell(cell) for cell in CELLS[1:]]
    source = tmp_path / "from_python.ipynb"
    nbformat.write(notebook, source)
    done = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output",
                           "executed.ipynb", "--ExecutePreprocessor.timeout=300", str(source)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    executed = json.loads((tmp_path / "executed.ipynb").read_text(encoding="utf-8"))
    outputs = ["".join(o.get("text", "")) for cell in executed["cells"] for o in cell.get("outputs", [])]
    text = "\n".join(outputs)
    assert f"{tmp_path / 'prospects.csv'}:10: not a public host name: 'not a web address'" in text  # the bad row, shown
    assert "dead" in text and "drafts" in text and "re-checked" in text
    assert "Traceback" not in text and "already running" not in text
