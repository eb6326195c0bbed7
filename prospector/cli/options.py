"""Shared options, the conversions from options to settings, and summary printing."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from prospector.config import ConfigError, RunOptions, build_settings
from prospector.store import Store, StoreError

EXIT_OK, EXIT_INPUT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
PACKAGE_DATA = Path(__file__).resolve().parents[1]  # templates/ and prospector.example.toml ship inside


class UsageProblem(click.ClickException):
    """A usage or configuration error: one line on stderr, exit code 2."""

    exit_code = EXIT_USAGE


class StageFailed(click.ClickException):
    """A stage that could not finish (a worker died): one line on stderr, exit code 1."""

    exit_code = EXIT_INPUT_PROBLEMS


@contextlib.contextmanager
def worker_failures() -> Iterator[None]:
    """A dead worker process as one line, not a traceback; the stored work is kept."""
    from prospector.runner import WorkerFailed

    try:
        yield
    except WorkerFailed as exc:
        raise StageFailed(f"{exc}. What was stored is kept: run the same command again to resume.") from None


PROBLEM_LINES_SHOWN = 20


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", default="outputs/prospector.sqlite", show_default=True,
                        type=click.Path(dir_okay=False), help="The SQLite store every stage shares.")(f)


def network_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--nameserver", metavar="HOST[:PORT]",
                     help="DNS server to ask (default: the system's resolv.conf)."),
        click.option("--dns-timeout", type=click.FloatRange(min=0.1), help="Seconds per DNS try [5]."),
        click.option("--dns-retries", type=click.IntRange(min=0), help="DNS retries after a failure [2]."),
        click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds per HTTP request [20]."),
        click.option("--retries", type=click.IntRange(min=0), help="HTTP retries for transient failures [2]."),
        click.option("--allow-private-networks", is_flag=True,
                     help="Allow connections to private, loopback and link-local addresses."),
        click.option("--allow-network", "allow_network", multiple=True, metavar="CIDR",
                     help="Allow one non-public network, e.g. 10.1.0.0/16 (repeatable)."),
        click.option("--set", "extra", multiple=True, metavar="SETTING=VALUE",
                     help="Override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=0.5 (repeatable)."),
        click.option("--user-agent", help="The User-Agent to send (add a URL where site owners can reach you)."),
        click.option("--ca-bundle", type=click.Path(dir_okay=False),
                     help="Also trust the certificate authorities in this PEM file (a company proxy's, "
                          "a test CA) when checking https links; the system's stay trusted."),
        click.option("-v", "--verbose", is_flag=True, help="Scrapy's log on the terminal instead of a file."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
        db_option,
    ]
    return functools.reduce(lambda acc, option: option(acc), reversed(options), f)


def draft_options(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--sender-name", help="Your name, for the signature."),
        click.option("--sender-email", help="Your email address."),
        click.option("--sender-site", help="Your site, named in the email."),
        click.option("--template", type=click.Path(dir_okay=False),
                     help="Your own outreach template (Jinja; first line 'Subject: …') [templates/outreach.txt.j2]."),
        click.option("--followup-template", type=click.Path(dir_okay=False),
                     help="Your own follow-up template [templates/followup.txt.j2]."),
        click.option("--max-links-per-email", type=click.IntRange(min=1), default=3, show_default=True,
                     help="Dead links listed in one email, best first."),
        click.option("--include-likely-dead", is_flag=True, help="Also pitch likely-dead links (soft 404s, refused…)."),
        click.option("--include-unmatched", is_flag=True, help="Also pitch dead links with no suggested replacement."),
        click.option("--do-not-contact", type=click.Path(dir_okay=False),
                     help="A list of emails or domains never to draft for (one per line)."),
    ]
    return functools.reduce(lambda acc, option: option(acc), reversed(options), f)


def draft_settings(kwargs: dict[str, Any]) -> tuple[Any, Any, list[str]]:
    """(Sender, DraftOptions, problems) from the draft options; usage errors raised."""
    from prospector.draft import Sender
    from prospector.inputs import InputFileError, Suppression, read_suppression
    from prospector.outreach import DraftOptions

    name, email = kwargs.pop("sender_name", None), kwargs.pop("sender_email", None)
    site = kwargs.pop("sender_site", None) or ""
    if not (name and email):
        raise UsageProblem("drafts need a sender: give --sender-name and --sender-email")
    suppression, problems = Suppression(), []
    do_not_contact = kwargs.pop("do_not_contact", None)
    if do_not_contact:
        try:
            suppression, found = read_suppression(do_not_contact)
        except InputFileError as exc:
            raise UsageProblem(str(exc)) from None
        problems = [str(p) for p in found]
    template, followup = kwargs.pop("template", None), kwargs.pop("followup_template", None)
    options = DraftOptions(
        include_likely_dead=kwargs.pop("include_likely_dead", False),
        include_unmatched=kwargs.pop("include_unmatched", False),
        max_links_per_email=kwargs.pop("max_links_per_email", 3),
        template=Path(template) if template else None,
        followup_template=Path(followup) if followup else None,
        suppression=suppression,
    )
    return Sender(name, email, site), options, problems


def make_drafts(store: Store, sender: Any, options: Any) -> Any:
    from prospector.draft import TemplateProblem
    from prospector.outreach import draft_all

    try:
        return draft_all(store, sender, options)
    except TemplateProblem as exc:
        raise UsageProblem(str(exc)) from None


def draft_rows(summary: Any) -> list[tuple[str, object]]:
    return [
        ("drafts (one per contact)", summary.drafts),
        ("dead links in drafts", summary.links),
        ("drafts to a contact page, no address", summary.without_email),
        ("left out: no suggestion", summary.without_suggestion),
        ("left out: do-not-contact", summary.suppressed),
    ]


def run_options(**kwargs: Any) -> RunOptions:
    known = RunOptions.__dataclass_fields__
    quiet = kwargs.pop("quiet", False)
    options = RunOptions(**{k: v for k, v in kwargs.items() if k in known and v is not None})
    options.progress = not quiet and not options.verbose and sys.stderr.isatty()
    return options


def open_store(db: str, must_exist: bool = False) -> Store:
    """The store; with `must_exist`, a missing file is a usage error rather than a new, empty
    store (a mistyped --db must not export header-only CSVs over good ones)."""
    if must_exist and not Path(db).exists():
        raise UsageProblem(f"{db}: no store yet; run 'prospector crawl' first (or check --db)")
    try:
        return Store(db)
    except StoreError as exc:
        raise UsageProblem(str(exc)) from None


@contextlib.contextmanager
def stage_lock(db: str, *stages: str) -> Iterator[None]:
    """One process per stage on a store; who holds it is said in one line."""
    from prospector.store import StoreBusy

    with open_store(db) as store:
        try:
            with store.stage_lock(*stages):
                yield
        except StoreBusy as exc:
            raise UsageProblem(str(exc)) from None


def scrapy_settings(options: RunOptions) -> Any:
    try:
        return build_settings(options)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None


def prepare_crawl(prospects_file: str, db: str) -> int:
    """Fail early on an unreadable prospect list; return the store's problem mark."""
    from prospector.inputs import InputFileError, read_prospects, text_encoding

    try:
        read_prospects(prospects_file)
    except InputFileError as exc:
        raise UsageProblem(str(exc)) from None
    encoding = text_encoding(prospects_file)
    if encoding != "utf-8":
        click.echo(f"Note: {prospects_file} is not UTF-8; read it as {encoding}.", err=True)
    with open_store(db) as store:
        return store.last_problem_id()


def print_problems(store: Store, since_id: int) -> int:
    problems = store.problems_since(since_id)
    for source, message in problems[:PROBLEM_LINES_SHOWN]:
        click.echo(f"  {source}: {message}", err=True)
    if len(problems) > PROBLEM_LINES_SHOWN:
        click.echo(f"  … and {len(problems) - PROBLEM_LINES_SHOWN} more (all in the log file)", err=True)
    return len(problems)


def exit_code(stats: dict[str, Any], failed: bool) -> int:
    if stats.get("finish_reason") not in ("finished", None):
        return EXIT_INTERRUPTED
    return EXIT_INPUT_PROBLEMS if failed else EXIT_OK


def print_summary(title: str, rows: list[tuple[str, object]]) -> None:
    click.echo(title)
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        click.echo(f"  {label.ljust(width)}  {value}")


APP_LINKS_ROW = "app links (whatsapp:, viber: …), not checked"
MIN_CONFIDENCE_HELP = ("Suggest a page only when the calibrated confidence that it is the right one reaches "
                       "this [0.40]; below it the dead link is reported as 'nothing fits'.")
SEMANTIC_HELP = ("Semantic matching (the packaged all-MiniLM-L6-v2 model, no torch) fused with word "
                 "matching [on when the model is installed]; --lexical: words only, fast.")


def match_options(command: Any) -> Any:
    """--min-confidence and --semantic/--lexical, shared by match and run."""
    for option in reversed([
        click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, help=MIN_CONFIDENCE_HELP),
        click.option("--semantic/--lexical", "semantic", default=None, help=SEMANTIC_HELP),
    ]):
        command = option(command)
    return command


def choose_encoder(semantic: bool | None) -> Any:
    """The semantic encoder, or None for words only. Asked for and not installed: a usage error;
    not asked for: semantic when installed, else a one-line note."""
    from prospector.match.semantic import INSTALL_HINT, EmbeddingsUnavailable, available, load_encoder

    if semantic is False:
        return None
    if semantic is None and not available():
        click.echo(f"Note: matching on words only; {INSTALL_HINT}.", err=True)
        return None
    try:
        return load_encoder()
    except EmbeddingsUnavailable as exc:
        raise UsageProblem(str(exc)) from None


def match_stored(store: Store, min_confidence: float | None, encoder: Any, progress: bool) -> Any:
    """Rank the stored own pages for every stored dead link, with a bar while pages are encoded."""
    from prospector.match.confidence import DEFAULT_MIN_CONFIDENCE
    from prospector.match.suggest import match_dead_links
    from prospector.progress import CountProgress

    threshold = DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
    with CountProgress("Encoding your pages", progress) as bar:
        try:
            return match_dead_links(store, threshold, encoder, bar)
        except KeyboardInterrupt:
            click.echo(f"Match stopped while encoding your pages: {bar.done} passages encoded this run are kept; "
                       "run the same command again to resume.")
            sys.exit(EXIT_INTERRUPTED)


def match_rows(summary: Any, min_confidence: float | None) -> list[tuple[str, object]]:
    from prospector.match.confidence import DEFAULT_MIN_CONFIDENCE

    threshold = DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
    return [
        ("matching", "semantic + words" if summary.ranker == "hybrid" else "words only"),
        ("dead links (editorial)", summary.dead_links),
        ("with a suggestion", summary.matched),
        (f"nothing fits (confidence < {threshold:.2f})", summary.no_match),
    ]
