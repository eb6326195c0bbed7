"""Run the Scrapy stages one after another in one process and one reactor."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import queue as queues
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, cast

from scrapy import Spider
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_from_coro

from prospector.config import trust_also
from prospector.stages import STAGES, goes_on


def run_spiders(settings: Settings, stages: list[tuple[type[Spider], dict[str, Any]]]) -> list[dict[str, Any]]:
    """Run each spider in turn; return each one's final stats. Stops early if a crawl was
    interrupted (Ctrl-C): what it stored is kept and a re-run resumes."""
    process = AsyncCrawlerProcess(settings)
    _filter_logs_early(settings)
    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    async def run_all() -> None:
        try:
            for spidercls, kwargs in stages:
                crawler = process.create_crawler(spidercls)
                await process.crawl(crawler, **kwargs)
                stats = crawler.stats.get_stats()
                results.append(stats)
                if not goes_on(stats):
                    break
        except BaseException as exc:  # re-raised below, once the reactor has stopped
            errors.append(exc)
        finally:
            with contextlib.suppress(RuntimeError):  # already stopping (Ctrl-C)
                cast(Any, reactor).stop()  # the installed reactor: typed as an interface

    from twisted.internet import reactor

    reactor.callWhenRunning(lambda: deferred_from_coro(run_all()))
    process.start(stop_after_crawl=False)
    if errors:
        raise errors[0]
    return results


class _StoppableProcess(AsyncCrawlerProcess):
    """Says when a stop was asked (Ctrl-C, SIGTERM) before Scrapy starts stopping."""

    def __init__(self, settings: Settings, on_stop: Callable[[], None]):
        super().__init__(settings)
        self.on_stop = on_stop

    def _signal_shutdown(self, signum: int, _: Any) -> None:
        from twisted.internet import reactor

        reactor.callFromThread(self.on_stop)
        super()._signal_shutdown(signum, _)


def run_spiders_together(settings: Settings, spiders: list[type[Spider]], on_start: Callable[[], None],
                         on_stop: Callable[[], None]) -> None:
    """Run the spiders at once in one reactor until they all close (a cluster worker's stages,
    which close only when stopped); `on_start` is called once the reactor runs, `on_stop` as
    soon as a stop is asked."""
    process = _StoppableProcess(settings, on_stop)
    _filter_logs_early(settings)
    from twisted.internet import reactor  # the one the process installed

    reactor.callWhenRunning(on_start)
    for spidercls in spiders:
        process.crawl(spidercls)
    process.start()


def run_sharded(settings: Settings, spidercls: type[Spider], kwargs: dict[str, Any], workers: int) -> dict[str, Any]:
    """Run `workers` copies of a spider in as many processes, each with `shard="i/N"`, and
    return their stats added up, finish_reason "finished" only if every shard finished.
    The check stage is CPU-bound in one process: this is how it uses every core. One bar
    shows them all (their items and totals added up)."""
    from prospector.progress import SharedProgress

    jobs = [(settings, [(spidercls, {**kwargs, "shard": f"{index}/{workers}"})]) for index in range(workers)]
    path = f"{spidercls.__module__}.{spidercls.__qualname__}"
    label = next((stage.progress_label for stage in STAGES if stage.spider == path), spidercls.name)
    bar = SharedProgress(_safe_context(), workers, label, settings.getbool("PROSPECTOR_PROGRESS"))
    try:
        shards = [stats[0] if stats else {} for stats in in_processes(jobs, progress=bar)]
    finally:
        bar.stop()
    merged: dict[str, Any] = {}
    for stats in shards:
        for key, value in stats.items():
            merged[key] = merged[key] + value if isinstance(value, (int, float)) and key in merged else value
    reasons = sorted({str(stats.get("finish_reason")) for stats in shards} - {"finished"})
    merged["finish_reason"] = ", ".join(reasons) or "finished"
    return merged


def _filter_logs_early(settings: Settings) -> None:
    """Scrapy filters levels in its log handler, so every DEBUG line ("Crawled (200) …") is
    still built as a LogRecord and thrown away: a few % of the check's CPU. Filter early."""
    for name in ("scrapy", "prospector", "py.warnings"):
        logging.getLogger(name).setLevel(settings.get("LOG_LEVEL") or "DEBUG")


class WorkerFailed(RuntimeError):
    """A worker process died or failed; the others were stopped. What was stored is kept."""


WORKER_GRACE_S = 5.0  # how long stopped workers get to finish what they hold before SIGKILL


def in_processes(jobs: list[tuple[Settings, Any]],
                 target: Callable[[Settings, Any], list[dict[str, Any]]] | None = None,
                 progress: Any = None) -> list[list[dict[str, Any]]]:
    """`run_spiders` (or `target`, a module-level function) for each job in a process of its
    own, all at once; their stats, in order. Each child starts its own event loop and reactor.

    Never waits forever: a worker that dies (SIGKILL, a crash) is noticed within a fraction of
    a second, the others are stopped and WorkerFailed names it. SIGTERM to this process is
    passed on to the workers (they stop as on Ctrl-C), Ctrl-C likewise, and a worker whose
    parent dies is killed by the kernel, as one process would have been: no worker is left
    running on its own, and none goes on fetching pages it would never store."""
    context = _safe_context()
    results_queue = context.Queue()
    parent = os.getpid() if context.get_start_method() == "fork" else None
    run = target or run_spiders

    counters = progress.counters if progress is not None else None
    processes = [context.Process(target=_child, args=(i, *job, run, results_queue, parent, counters),
                                 name=f"worker {i + 1} of {len(jobs)}") for i, job in enumerate(jobs)]
    # Signal handlers belong to the main thread: a Campaign run from another thread leaves
    # them alone (Ctrl-C reaches that program's main thread, as it would without prospector).
    main_thread = threading.current_thread() is threading.main_thread()
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)} if main_thread else {}
    try:
        for process in processes:
            process.start()
        # Ctrl-C and SIGTERM are passed on; the workers stop as Scrapy does and the parent waits.
        if main_thread:
            signal.signal(signal.SIGTERM, lambda *_: _signal_all(processes, signal.SIGTERM))
            signal.signal(signal.SIGINT, lambda *_: _signal_all(processes, signal.SIGINT))
        results: dict[int, list[dict[str, Any]]] = {}
        while len(results) < len(processes):
            if progress is not None:
                progress.refresh()
            try:
                index, stats, error = results_queue.get(timeout=0.2)
            except queues.Empty:
                dead = next((p for i, p in enumerate(processes) if i not in results and p.exitcode is not None), None)
                if dead is not None and _no_result_after(results_queue, results, processes.index(dead)):
                    _stop(processes)
                    raise WorkerFailed(f"{dead.name} (pid {dead.pid}) {_how_it_ended(dead.exitcode)}; "
                                       "the other workers were stopped") from None
                continue
            if stats is None:
                _stop(processes)
                raise WorkerFailed(f"{processes[index].name} (pid {processes[index].pid}) failed: {error}; "
                                   "the other workers were stopped")
            results[index] = stats
        for process in processes:
            process.join()
        return [results[i] for i in range(len(jobs))]
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _safe_context() -> Any:
    """How to start the children. A fork copies only the calling thread: from a process with
    other threads (a Jupyter kernel, a GUI, a web server) a child can inherit a lock held by one
    of them and hang for ever, so such a process starts them from a forkserver instead (a
    clean, single-threaded process, forked once). A one-thread process forks: faster, and
    nothing can be held."""
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["prospector.runner", "prospector.cluster.worker"])
    return context


def _child(index: int, settings: Settings, stages: Any, run: Callable[[Settings, Any], list[dict[str, Any]]],
           results_queue: Any, parent: int | None, counters: Any = None) -> None:
    """A worker process: `run(settings, stages)`, its stats (or why it failed) sent back;
    with `counters`, its progress is counted there for the parent's bar."""
    import prospector.progress

    if counters is not None:
        prospector.progress.shared_slot = (counters, index)
    # Its own process group: a Ctrl-C at the terminal reaches the parent only, which passes
    # it on once (twice pressed, twice passed: Scrapy's "forced" stop).
    os.setpgrp()
    _die_with_parent(parent)
    logging.raiseExceptions = False  # a log on a full disk must not print a traceback per line
    # A fork of a process whose asyncio loop runs (a Jupyter kernel) inherits that loop, marked
    # running; Scrapy's reactor would pick it up. Every child starts its own.
    asyncio.set_event_loop(asyncio.new_event_loop())
    try:
        if settings.get("PROSPECTOR_CA_BUNDLE"):
            trust_also(settings.get("PROSPECTOR_CA_BUNDLE"))
        stats = run(settings, stages)
    except BaseException as exc:  # reported to the parent, which names the worker
        results_queue.put((index, None, f"{type(exc).__name__}: {exc}"))
        raise SystemExit(1) from None
    results_queue.put((index, [{k: v for k, v in s.items() if isinstance(v, (int, float, str))} for s in stats], ""))


def _no_result_after(results_queue: Any, results: dict[int, Any], index: int) -> bool:
    """A worker has exited: True unless its result was still on its way through the queue."""
    try:
        while True:
            got, stats, error = results_queue.get(timeout=0.5)
            if stats is None:
                return True
            results[got] = stats
    except queues.Empty:
        return index not in results


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"was killed by {signal.Signals(-exitcode).name}"
    return f"exited with code {exitcode}"


def _signal_all(processes: list[Any], signum: int) -> None:
    for process in processes:
        if process.pid is not None and process.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signum)


def _stop(processes: list[Any]) -> None:
    """SIGTERM (a worker stops as on Ctrl-C, keeping what it stored), then SIGKILL after a grace."""
    _signal_all(processes, signal.SIGTERM)
    deadline = time.monotonic() + WORKER_GRACE_S
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    _signal_all(processes, signal.SIGKILL)
    for process in processes:
        process.join(1)


def _die_with_parent(parent: int | None) -> None:
    """Linux: ask the kernel to kill this worker when its parent dies (even by SIGKILL). Every
    item is committed as it arrives, so nothing stored is lost. (A forkserver's child: its
    parent is the forkserver, which ends with the process that started it.)"""
    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL))
        if parent is not None and os.getppid() != parent:  # the parent died before the line above
            os.kill(os.getpid(), signal.SIGKILL)
