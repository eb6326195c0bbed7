"""What a Campaign's arguments may be, checked before anything runs: numbers in their ranges,
paths, dates, encodings, the draft options and the number of workers; each bad one is a
UsageError in one line."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from prospector import settings as project_settings
from prospector.config import RunOptions
from prospector.errors import UsageError
from prospector.outreach.drafting import DEFAULT_MAX_LINKS, DraftOptions
from prospector.outreach.history import DEFAULT_FOLLOWUP_AFTER_DAYS, DEFAULT_RECONTACT_AFTER_DAYS
from prospector.outreach.render import Sender

DEFAULT_DB = project_settings.PROSPECTOR_DB
DEFAULT_OUT = "outputs"  # the export's folder
DEFAULT_ENCODING = "utf-8-sig"  # the CSVs': with the BOM Excel needs
DEFAULT_VERIFY_WITHIN_HOURS = 24.0
DEFAULT_LEASE_S = 15.0
RUN_WAYBACK_MINUTES = 10.0  # how long `run` asks the archive, unless told (wayback_minutes)
# prospector.toml keys a Campaign uses as its methods' defaults (the others are its options).
DRAFT_SETTINGS = {"template", "followup_template", "max_links_per_email", "include_likely_dead", "include_unmatched",
                  "do_not_contact", "recontact_after", "followup_after", "verify_within"}
METHOD_DEFAULTS = {"prospects_file", "sitemap", "pages_file", "sender_name", "sender_email", "sender_site",
                   "out_dir", "encoding", "wayback", *DRAFT_SETTINGS}
CAMPAIGN_OPTIONS = {f.name for f in fields(RunOptions)} - {"db", "progress", "extra", "log_file", "verbose"}

# Option -> (smallest, largest) value: what the command line's types allow, for the API too.
NUMBER_RANGES: dict[str, tuple[float, float | None]] = {
    "max_pages": (1, None), "max_depth": (0, None), "dns_timeout": (0.1, None), "dns_retries": (0, None),
    "timeout": (0.1, None), "retries": (0, None), "recheck_after": (0, None), "recrawl_after": (0, None),
    "wayback_rate": (0.1, 600), "wayback_minutes": (0, None),
    "min_confidence": (0, 1), "lease": (1, None),
}
WHOLE_NUMBERS = {"max_pages", "max_depth", "dns_retries", "retries"}


def check_numbers(options: Mapping[str, Any]) -> None:
    for name, (low, high) in NUMBER_RANGES.items():
        value = options.get(name)
        if value is None:
            continue
        whole = name in WHOLE_NUMBERS
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            raise UsageError(f"{name}: expected a {'whole ' if whole else ''}number, not {value!r}")
        if value < low or (high is not None and value > high):
            span = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
            raise UsageError(f"{name}: expected a number {span}, not {value!r}")


def campaign_options(given: Mapping[str, Any], found: Mapping[str, Any]) -> dict[str, Any]:
    """A Campaign's network and crawl options: those `given`, else prospector.toml's (`found`);
    an unknown one is a UsageError naming the closest known."""
    unknown = sorted(set(given) - CAMPAIGN_OPTIONS)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(CAMPAIGN_OPTIONS), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UsageError(f"Campaign: unknown option '{unknown[0]}'{hint}")
    options = {**{k: v for k, v in found.items() if k in CAMPAIGN_OPTIONS},
               **{k: v for k, v in given.items() if v is not None}}
    if isinstance(options.get("allow_network"), list):
        options["allow_network"] = tuple(options["allow_network"])
    return options


def scrapy_settings(settings: Mapping[str, Any] | Iterable[str] | None) -> tuple[str, ...]:
    """Scrapy settings as --set gives them ("KEY=VALUE"), from a mapping or such strings."""
    if isinstance(settings, Mapping):
        return tuple(f"{key}={value}" for key, value in settings.items())
    return tuple(settings or ())


def draft_options(sender: Sender | None, template: str | Path | None = None,
                  followup_template: str | Path | None = None, max_links_per_email: int = DEFAULT_MAX_LINKS,
                  include_likely_dead: bool = False, include_unmatched: bool = False,
                  do_not_contact: str | Path | None = None,
                  recontact_after: int = DEFAULT_RECONTACT_AFTER_DAYS,
                  followup_after: int = DEFAULT_FOLLOWUP_AFTER_DAYS,
                  today: date | None = None) -> DraftOptions:
    """The draft stage's options, checked before anything runs; a bad do-not-contact line is
    a problem of the draft summary, a missing sender or unreadable list an error."""
    from prospector.inputs import Suppression, read_suppression

    if sender is not None and not isinstance(sender, Sender):
        raise UsageError(f"sender: expected Sender(name, email, site), not {sender!r}")
    if not (sender and sender.name and sender.email):
        raise UsageError("drafts need a sender: give --sender-name and --sender-email")
    suppression, problems = Suppression(), tuple[str, ...]()
    if do_not_contact:
        suppression, found = read_suppression(do_not_contact)  # InputFileError: a UsageError
        problems = tuple(str(p) for p in found)
    return DraftOptions(include_likely_dead=include_likely_dead, include_unmatched=include_unmatched,
                        max_links_per_email=max_links_per_email,
                        template=Path(template) if template else None,
                        followup_template=Path(followup_template) if followup_template else None,
                        suppression=suppression, problems=problems, recontact_after_days=recontact_after,
                        followup_after_days=followup_after, today=today)


def resolve_workers(workers: int | str) -> int:
    """'auto': one check process per core this process may use."""
    if str(workers).strip().lower() == "auto":
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    try:
        count = int(workers)
    except (TypeError, ValueError):
        raise UsageError(f"workers: expected a number or 'auto', not {workers!r}") from None
    if not 1 <= count <= 64:
        raise UsageError(f"workers: expected 1 to 64 or 'auto', not {count}")
    return count


def config_values(config: str | Path | None) -> dict[str, Any]:
    """prospector.toml's values ("auto": ./prospector.toml if there is one)."""
    from prospector.config import load_config

    if config == "auto":
        config = "prospector.toml" if Path("prospector.toml").is_file() else None
    if config is None:
        return {}
    return load_config(config)  # ConfigError: a UsageError


def check_path(name: str, value: object, optional: bool = False) -> None:
    """A file path or URL argument of the API (the CLI's are strings already)."""
    if value is None and optional:
        return
    if not isinstance(value, (str, Path)) or not str(value).strip():
        raise UsageError(f"{name}: expected a file path{' or a URL' if name == 'sitemap' else ''}, not {value!r}")


def parse_day(on: date | str | None) -> date | None:
    """A date the user gave (a date, or YYYY-MM-DD): not in the future."""
    if on is None:
        return None
    if isinstance(on, datetime):
        on = on.date()
    if isinstance(on, str):
        try:
            on = date.fromisoformat(on.strip())
        except ValueError:
            raise UsageError(f"on: expected a date as YYYY-MM-DD, not {on!r}") from None
    if not isinstance(on, date):
        raise UsageError(f"on: expected a date, not {type(on).__name__}")
    if on > date.today() + timedelta(days=1):
        raise UsageError(f"on: {on.isoformat()} is in the future; give the day the emails were sent")
    return on


def check_encoding(encoding: str) -> None:
    from prospector.export import ENCODINGS

    if encoding not in ENCODINGS:
        raise UsageError(f"encoding: expected one of {', '.join(ENCODINGS)}, not {encoding!r}")


class MethodDefaults(dict[str, Any]):
    """prospector.toml's values that a Campaign's methods take for the arguments not given
    (METHOD_DEFAULTS: the prospect list, your site, the sender, the output, the draft options)."""

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> MethodDefaults:
        """Those of prospector.toml's values (`config`)."""
        return cls({k: v for k, v in config.items() if k in METHOD_DEFAULTS})

    def given(self, name: str, value: Any, key: str, where: str) -> Any:
        """An argument, or its default; UsageError when there is neither."""
        value = value if value is not None else self.get(key)
        if value is None:
            raise UsageError(f"{name}: give it, or set {where} in prospector.toml")
        check_path(name, value)
        return value

    def prospect_list(self, given: str | Path | None, stored: Callable[[], bool]) -> str | Path:
        """The list given, or the default; "" when there is neither and `stored()` says the
        store holds prospects (imported from backlink exports): those are crawled. "" given:
        the stored ones, whatever prospector.toml names (competitor mode's own prospects)."""
        if given == "":
            return given
        if given is None and "prospects_file" not in self:
            if stored():
                return ""
            raise UsageError("prospects: give it, or set [crawl] prospects in prospector.toml, or import a backlink "
                             "export first (prospector import FILE)")
        return self.given("prospects", given, "prospects_file", "[crawl] prospects")

    def own_site(self, sitemap: str | None, pages: str | Path | None) -> tuple[str | None, str | Path | None]:
        """The sitemap and pages given, or (neither given) the defaults."""
        if sitemap is None and pages is None:
            sitemap, pages = self.get("sitemap"), self.get("pages_file")
        check_path("sitemap", sitemap, optional=True)
        check_path("pages", pages, optional=True)
        return sitemap, pages

    def output(self, out_dir: str | Path | None, encoding: str | None) -> tuple[str | Path, str]:
        """The folder and the encoding of the export (outputs/, utf-8-sig unless set)."""
        return out_dir or self.get("out_dir", DEFAULT_OUT), encoding or self.encoding(None)

    def encoding(self, encoding: str | None) -> str:
        return encoding or self.get("encoding", DEFAULT_ENCODING)

    def sender(self) -> Sender | None:
        name, email = self.get("sender_name"), self.get("sender_email")
        return Sender(name or "", email or "", self.get("sender_site", "")) if name or email else None

    def drafting(self, sender: Sender | None, settings: Mapping[str, Any]) -> tuple[Sender, DraftOptions, float]:
        """The sender, the draft options (checked) and verify_within (hours)."""
        sender = sender or self.sender()
        chosen = {**{k: v for k, v in self.items() if k in DRAFT_SETTINGS}, **settings}
        verify_within = chosen.pop("verify_within", DEFAULT_VERIFY_WITHIN_HOURS)
        options = draft_options(sender, **chosen)
        assert sender is not None  # draft_options refuses drafts without a sender
        return sender, options, verify_within
