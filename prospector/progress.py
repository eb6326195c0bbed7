"""A progress bar on the terminal while a stage runs (rich), as a Scrapy extension.

On only when the CLI asks for it (a terminal, no --quiet): PROSPECTOR_PROGRESS. Totals come
from the spiders' own stats (URLs to check, page budget), so the ETA is honest.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from scrapy import signals
from scrapy.exceptions import NotConfigured

from prospector.stages import BY_NAME


def _bar(*extra: ProgressColumn, enabled: bool = True) -> Progress:
    """prospector's bar on stderr: what, bar, done/total, rate, `extra`, elapsed, ETA. Plain text
    in a notebook too (no ipywidgets)."""
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}/s"),
        *extra, TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=Console(stderr=True, force_jupyter=False), transient=False, disable=not enabled,
    )


# Set in a worker process of a sharded stage (runner.in_processes): (shared counters, this
# worker's index). Its ProgressExtension then counts there, and the parent draws one bar.
shared_slot: tuple[Any, int] | None = None


class SharedProgress:
    """One bar for a stage run by several processes: each counts its items and its total into
    shared memory (done, total per worker), the parent adds them up and draws."""

    def __init__(self, context: Any, workers: int, description: str, enabled: bool):
        self.counters = context.Array("q", 2 * workers)  # lock-free reads: a bar may lag a tick
        self.workers = workers
        self.progress = _bar(enabled=enabled)
        self.task = self.progress.add_task(description, total=None, rate="-")
        self.enabled = enabled
        self.started = False

    def refresh(self) -> None:
        if not self.enabled:
            return
        if not self.started:
            self.progress.start()
            self.started = True
        values = self.counters[:]
        totals = values[1::2]  # 0: not known yet, -1: known to be none
        total = sum(max(t, 0) for t in totals) if all(totals) else None
        self.progress.update(self.task, completed=sum(values[0::2]), total=total)
        _show_rate(self.progress, self.task)

    def stop(self) -> None:
        if self.started:
            self.refresh()
            self.progress.stop()


def _show_rate(progress: Progress, task: TaskID) -> None:
    speed = progress.tasks[task].speed
    progress.update(task, rate=f"{speed:.0f}" if speed else "-")


class ProgressExtension:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.progress = _bar()
        self.task: TaskID | None = None
        self.total_stat = ""

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressExtension:
        if shared_slot is not None:
            extension: ProgressExtension = SharedCount(crawler, *shared_slot)
        elif crawler.settings.getbool("PROSPECTOR_PROGRESS"):
            extension = cls(crawler)
        else:
            raise NotConfigured
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider: Any) -> None:
        path = f"{type(spider).__module__}.{type(spider).__qualname__}"
        stage = next((s for s in BY_NAME.values() if s.spider == path), None)
        description = stage.progress_label if stage else spider.name
        self.total_stat = stage.progress_total if stage else ""
        self.progress.start()
        self.task = self.progress.add_task(description, total=None, rate="-")

    def item_scraped(self, item: Any, spider: Any) -> None:
        if self.task is None:
            return
        total = self.crawler.stats.get_value(self.total_stat) if self.total_stat else None
        self.progress.update(self.task, advance=1, total=total)
        _show_rate(self.progress, self.task)

    def closed(self, spider: Any, reason: str) -> None:
        if self.task is not None:
            task = self.progress.tasks[self.task]
            self.progress.update(self.task, total=task.completed)
        self.progress.stop()


class SharedCount(ProgressExtension):
    """A sharded stage's worker: counts its items and its total where the parent reads them."""

    def __init__(self, crawler: Any, counters: Any, index: int):
        super().__init__(crawler)
        self.counters, self.index = counters, index

    def opened(self, spider: Any) -> None:
        path = f"{type(spider).__module__}.{type(spider).__qualname__}"
        stage = next((s for s in BY_NAME.values() if s.spider == path), None)
        self.total_stat = stage.progress_total if stage else ""

    def item_scraped(self, item: Any, spider: Any) -> None:
        self.counters[2 * self.index] += 1
        total = self.crawler.stats.get_value(self.total_stat) if self.total_stat else None
        if total is not None:
            self.counters[2 * self.index + 1] = int(total) or -1

    def closed(self, spider: Any, reason: str) -> None:
        self.counters[2 * self.index + 1] = self.counters[2 * self.index] or -1


class CountProgress:
    """The same bar for work outside Scrapy (encoding your pages for semantic matching):
    call it with how many more are done and the total still to do."""

    def __init__(self, description: str, enabled: bool):
        self.description = description
        self.progress = _bar(enabled=enabled)
        self.task: TaskID | None = None
        self.done = 0  # counted whether or not the bar is shown

    def __call__(self, done: int, total: int) -> None:
        self.done += done
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task(self.description, total=total, rate="-")
        self.progress.update(self.task, advance=done)
        _show_rate(self.progress, self.task)

    def __enter__(self) -> CountProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


class ClusterProgress:
    """The bar of a stage run on a cluster: results stored by the coordinator, from every
    worker, and how many workers are alive."""

    def __init__(self, description: str, total: int, enabled: bool):
        self.progress = _bar(TextColumn("{task.fields[workers]} workers"), enabled=enabled)
        self.task = self.progress.add_task(description, total=total or None, rate="-", workers="?")

    def __call__(self, done: int, workers: int) -> None:
        self.progress.update(self.task, advance=done, workers=workers)
        _show_rate(self.progress, self.task)

    def __enter__(self) -> ClusterProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()
