"""Commands around the pipeline: demo, init, status."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from prospector.cli.app import main
from prospector.cli.options import PACKAGE_DATA, db_option, open_store, print_summary

SAMPLE_PROSPECTS = """url,name,email,notes,max_pages
https://blog.example.org/,Example Blog,,found via a resource page search,
https://news.example.net/resources/,Example News,editor@example.net,resource page,20
"""


@main.command()
@click.option("--out", "out_dir", default="outputs", show_default=True,
              type=click.Path(file_okay=False), help="Folder for the demo's store and CSV files.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def demo(out_dir: str, quiet: bool) -> None:
    """Run the whole pipeline on the bundled demo web (served on 127.0.0.1, offline).

    \b
    Example:
      prospector demo --out outputs/

    Eight analytics blogs are crawled, their outbound links checked, the dead ones matched to
    the pages of a made-up analytics company, Tallyfield, and outreach emails drafted.
    """
    from prospector.demo import run_demo, top_opportunities

    result = run_demo(out_dir, progress=not quiet and sys.stderr.isatty())
    counts = result.counts
    print_summary("Demo finished", [
        ("prospects", counts["prospects"]),
        ("pages fetched", counts["pages"]),
        ("outbound links", counts["occurrences"]),
        ("unique URLs checked", counts["checked"]),
        *[(f"  {verdict.replace('_', ' ')}", counts[verdict])
          for verdict in ("dead", "likely_dead", "alive", "blocked", "unknown")],
        ("own pages", counts["own_pages"]),
        ("dead links with a suggestion", counts["matched"]),
        ("drafts", counts["drafts"]),
        ("store", str(result.db)),
        *[(f"{name}.csv", str(path)) for name, path in result.outputs.items()],
    ])
    click.echo("\nTop opportunities")
    for row in top_opportunities(result).itertuples():
        target = row.suggested_url or "(nothing of yours fits)"
        click.echo(f"  {row.priority:>3}  {row.anchor_text!r} on {row.page_url}\n       {row.verdict} -> {target}")


@main.command()
@click.option("--dir", "folder", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Where to write the starter files.")
def init(folder: str) -> None:
    """Write a starter prospector.toml, a sample prospects.csv and the email templates.

    \b
    Example:
      mkdir my-campaign && cd my-campaign && prospector init

    Existing files are kept, never overwritten.
    """
    target = Path(folder)
    files = {
        target / "prospector.toml": (PACKAGE_DATA / "prospector.example.toml").read_text(encoding="utf-8"),
        target / "prospects.csv": SAMPLE_PROSPECTS,
        **{target / "templates" / name: (PACKAGE_DATA / "templates" / name).read_text(encoding="utf-8")
           for name in ("outreach.txt.j2", "followup.txt.j2")},
    }
    rows = []
    for path, text in files.items():
        if path.exists():
            rows.append((str(path), "kept (already there)"))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        rows.append((str(path), "written"))
    print_summary("Starter files", rows)
    click.echo("Next: edit prospector.toml ([sender], [match] sitemap) and prospects.csv, then run: prospector run")


@main.command()
@db_option
def status(db: str) -> None:
    """Counts per stage and verdict from the store.

    \b
    Example:
      prospector status --db outputs/prospector.sqlite
    """
    with open_store(db, must_exist=True) as store:
        c = store.counts()
        kinds = Counter(row.link_kind for row in store.dead_links())
    not_pitched = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()) if kind != "editorial") or "none"
    sections = {
        "Crawl": [("prospects", c["prospects"]), ("pages fetched", c["pages"]), ("pages with problems", c["page_errors"]),
                  ("outbound links", c["occurrences"]), ("unique outbound URLs", c["outbound_urls"]),
                  ("contacts found", c["contacts"])],
        "Check": [("URLs checked", c["checked"]), *[(v.replace("_", " "), c[v]) for v in
                                                    ("dead", "likely_dead", "alive", "blocked", "unknown")],
                  ("dead or likely dead, never pitched", not_pitched)],
        "Match": [("own pages", c["own_pages"]), ("dead links with a suggestion", c["matched"]),
                  ("dead links, nothing fits", c["no_match"])],
        "Draft": [("drafts", c["drafts"]), ("problems recorded", c["problems"])],
    }
    click.echo(f"Store {db}")
    for title, rows in sections.items():
        print_summary(title, rows)
