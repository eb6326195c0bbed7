"""Options from the command line -> one Scrapy Settings object for the whole run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from prospector.net.guard import parse_network
from prospector.net.resolver import parse_nameserver


class ConfigError(ValueError):
    """A bad option or setting: reported in one line, exit code 2."""


@dataclass
class RunOptions:
    db: str = "outputs/prospector.sqlite"
    nameserver: str | None = None
    dns_timeout: float | None = None
    dns_retries: int | None = None
    timeout: float | None = None
    retries: int | None = None
    allow_private_networks: bool = False
    allow_network: tuple[str, ...] = ()
    max_pages: int | None = None
    max_depth: int | None = None
    recheck_after: float | None = None
    soft404: bool | None = None
    verbose: bool = False
    log_file: str | None = None
    extra: tuple[str, ...] = field(default_factory=tuple)  # KEY=VALUE Scrapy settings


def _check_system_resolver() -> None:
    import dns.resolver

    try:
        dns.resolver.Resolver(configure=True)
    except dns.resolver.NoResolverConfiguration:
        raise ConfigError("no system DNS configuration (/etc/resolv.conf): give --nameserver IP[:PORT]") from None


def build_settings(options: RunOptions) -> Settings:
    """Project defaults (prospector.settings) overridden by the options given."""
    settings = Settings()
    settings.setmodule("prospector.settings", priority="project")
    overrides: dict[str, Any] = {"PROSPECTOR_DB": options.db}
    if options.nameserver:
        try:
            parse_nameserver(options.nameserver)
        except ValueError as exc:
            raise ConfigError(f"--nameserver {options.nameserver!r}: expected IP[:PORT] ({exc})") from None
        overrides["PROSPECTOR_NAMESERVER"] = options.nameserver
    else:
        _check_system_resolver()
    for network in options.allow_network:
        try:
            parse_network(network)
        except ValueError as exc:
            raise ConfigError(f"--allow-network: {exc}") from None
    if options.allow_network:
        overrides["PROSPECTOR_ALLOWED_NETWORKS"] = list(options.allow_network)
    if options.allow_private_networks:
        overrides["PROSPECTOR_ALLOW_PRIVATE_NETWORKS"] = True
    simple = {
        "PROSPECTOR_DNS_TIMEOUT": options.dns_timeout,
        "PROSPECTOR_DNS_RETRIES": options.dns_retries,
        "DOWNLOAD_TIMEOUT": options.timeout,
        "RETRY_TIMES": options.retries,
        "PROSPECTOR_MAX_PAGES": options.max_pages,
        "PROSPECTOR_MAX_DEPTH": options.max_depth,
        "PROSPECTOR_RECHECK_AFTER_DAYS": options.recheck_after,
        "PROSPECTOR_SOFT404_CHECK": options.soft404,
    }
    overrides.update({k: v for k, v in simple.items() if v is not None})
    if options.verbose:
        overrides["LOG_FILE"] = None
    else:
        log_file = options.log_file or str(Path(options.db).parent / "prospector.log")
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        overrides["LOG_FILE"] = log_file
        overrides["LOG_FILE_APPEND"] = True
    for pair in options.extra:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isupper():
            raise ConfigError(f"--set {pair!r}: expected SETTING=VALUE, e.g. --set DOWNLOAD_DELAY=0.5")
        overrides[key.strip()] = value
    settings.setdict(overrides, priority="cmdline")
    return settings
