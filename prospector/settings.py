"""Scrapy settings for prospector (scrapy.cfg points here). Each stage's spider adds its own
`custom_settings`; the CLI's options override both (priority "cmdline").

PROSPECTOR_* settings are prospector's own; the CLI and prospector.toml set them.
"""

from prospector.version import __version__

BOT_NAME = "prospector"
SPIDER_MODULES = ["prospector.crawl.prospect", "prospector.crawl.check", "prospector.crawl.own_site",
                  "prospector.crawl.archive"]
NEWSPIDER_MODULE = "prospector.crawl"

USER_AGENT = (
    f"prospector/{__version__} (broken-link checker; "
    "+https://github.com/prospector-links/prospector)"
)

# DNS through dnspython, with the address policy applied to every connection Scrapy opens.
# A reactor setting: it must be in the settings given to the process, not a spider's.
TWISTED_DNS_RESOLVER = "prospector.net.resolver.PolicyResolver"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# Keeps CONCURRENT_REQUESTS_PER_DOMAIN true under the asyncio reactor (crawl/downloader.py).
DOWNLOADER = "prospector.crawl.downloader.PoliteDownloader"

DOWNLOADER_MIDDLEWARES = {
    # Scrapy's retry, with back-off and Retry-After.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "prospector.crawl.retry.BackoffRetryMiddleware": 550,
    # Last before the download: look the host up, refuse forbidden addresses.
    "prospector.net.middleware.NetworkGuardMiddleware": 950,
}
ITEM_PIPELINES = {"prospector.crawl.pipelines.StorePipeline": 300}
EXTENSIONS = {
    "prospector.progress.ProgressExtension": 500,  # only when PROSPECTOR_PROGRESS
    "prospector.crawl.partial.PartialReads": 510,  # requests with meta read_up_to
}

RETRY_TIMES = 2
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
TELNETCONSOLE_ENABLED = False
# Scrapy parses each callback's source to warn about `return` in generators: costly per call.
WARN_ON_GENERATOR_RETURN_VALUE = False
LOGSTATS_INTERVAL = 30.0
LOG_LEVEL = "INFO"

PROSPECTOR_DB = "outputs/prospector.sqlite"
PROSPECTOR_NAMESERVER = ""  # HOST[:PORT]; empty: the system's resolv.conf
PROSPECTOR_DNS_TIMEOUT = 5.0
PROSPECTOR_DNS_RETRIES = 2
PROSPECTOR_ALLOW_PRIVATE_NETWORKS = False
PROSPECTOR_ALLOWED_NETWORKS: list[str] = []
PROSPECTOR_MAX_PAGES = 50
PROSPECTOR_MAX_DEPTH = 2
PROSPECTOR_RECRAWL_AFTER_DAYS = ""  # a number of days: stored pages older than that are fetched again
PROSPECTOR_RECHECK_AFTER_DAYS = 7.0
PROSPECTOR_RETRY_BACKOFF = 1.0  # seconds before the first retry; doubles each time
PROSPECTOR_RETRY_AFTER_MAX = 60.0  # longest Retry-After honoured
PROSPECTOR_PEEK_BYTES = 64 * 1024  # how much of a page a check reads for soft-404 signs
PROSPECTOR_SOFT404_CHECK = True
PROSPECTOR_PROGRESS = False  # the CLI turns it on for a terminal
PROSPECTOR_CA_BUNDLE = ""  # a PEM file of CAs trusted besides the system's (set in each fetching process)
PROSPECTOR_WAYBACK_ENDPOINT = "https://web.archive.org"
PROSPECTOR_WAYBACK_RATE = 20.0  # requests a minute to the archive, CDX and captures together
PROSPECTOR_DEADSITE_ROWS = 1000  # rows a page of the archive's listing of a dead site (prospector deadsite)
PROSPECTOR_WAYBACK_MAX_429 = 3  # refusals (429) in one run before the archive stage stops
PROSPECTOR_WAYBACK_MINUTES = 0.0  # after this long no new dead link is asked about (0: no limit)

# Scrapy 2.19's remote-control HTTP endpoint: a command-line tool opens no listening port.
REMOTE_CONTROL_ENABLED = False
