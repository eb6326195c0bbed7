"""Crawl and check on a cluster of workers sharing a Redis server (scrapy-redis).

The coordinator (`prospector crawl|check|run --redis URL`) decides what to fetch — the
frontier and its page budgets stay in one process, as on one machine — and is the single writer
of the store. It pushes requests onto scrapy-redis queues, one per partition of registered
domains; each worker (`prospector worker --redis URL`) leases partitions, so one site is fetched
by one worker at a time and Scrapy's per-site limits hold across the cluster. Results come back
as JSON on a Redis list. Nothing crosses Redis as pickle.

Needs `pip install "prospector[redis]"`.
"""
