"""Configuration: prospector.toml (defaults for every command's options, which the command
line overrides) and the options of one run -> one Scrapy Settings object."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import Settings

from prospector import settings as project_settings
from prospector.errors import UsageError
from prospector.net.guard import parse_network
from prospector.net.resolver import parse_nameserver


class ConfigError(UsageError, ValueError):
    """A bad option or setting: reported in one line, exit code 2."""


# prospector.toml: section -> key -> the command-line option it gives a default to.
CONFIG_KEYS: dict[str, dict[str, str]] = {
    "network": {k: k for k in ("nameserver", "dns_timeout", "dns_retries", "timeout", "retries",
                               "allow_private_networks", "allow_network", "user_agent", "ca_bundle")},
    "crawl": {"prospects": "prospects_file", "max_pages": "max_pages", "max_depth": "max_depth",
              "recrawl_after": "recrawl_after"},
    "check": {"recheck_after": "recheck_after", "soft404": "soft404", "workers": "workers"},
    "archive": {"endpoint": "wayback_endpoint", "rate": "wayback_rate", "minutes": "wayback_minutes",
                "in_run": "wayback"},
    "match": {"sitemap": "sitemap", "pages": "pages_file", "min_confidence": "min_confidence", "semantic": "semantic"},
    "draft": {k: k for k in ("template", "followup_template", "max_links_per_email", "include_likely_dead",
                             "include_unmatched", "do_not_contact", "recontact_after", "followup_after",
                             "verify_within")},
    "sender": {"name": "sender_name", "email": "sender_email", "site": "sender_site"},
    "output": {"db": "db", "out": "out_dir", "encoding": "encoding"},
}


def read_ca_bundle(bundle: str) -> str:
    """The PEM text of a --ca-bundle file, or ConfigError saying why it cannot be used."""
    try:
        extra = Path(bundle).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"--ca-bundle {bundle}: cannot read it ({exc})") from None
    if "-----BEGIN CERTIFICATE-----" not in extra:
        raise ConfigError(f"--ca-bundle {bundle}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)")
    return extra


def trust_also(bundle: str) -> str:
    """Trust the CAs of a PEM file besides the system's when certificates are verified (the
    check does): OpenSSL's default trust store is the file SSL_CERT_FILE names, so a file of
    the system's CAs plus these is written and named there. Returns its path. Called in the
    process that fetches (runner.py's children), never in the caller's: the environment is
    the process's, and two campaigns in two threads must not race on it."""
    import hashlib
    import os
    import ssl
    import tempfile

    extra = read_ca_bundle(bundle)
    paths = ssl.get_default_verify_paths()
    system_file = os.environ.get(paths.openssl_cafile_env) or paths.cafile or paths.openssl_cafile
    if system_file and Path(system_file).name.startswith("prospector-ca-"):  # ours, from an earlier call
        system_file = paths.cafile or paths.openssl_cafile
    system = Path(system_file).read_text(encoding="ascii", errors="replace") if system_file and \
        Path(system_file).is_file() else ""
    combined = f"{system.rstrip()}\n{extra.strip()}\n"
    target = Path(tempfile.gettempdir()) / f"prospector-ca-{hashlib.sha1(combined.encode()).hexdigest()[:16]}.pem"
    if not target.exists():
        target.write_text(combined, encoding="ascii")
    os.environ[paths.openssl_cafile_env] = str(target)
    return str(target)


def _typed_setting(settings: Settings, key: str, value: str) -> Any:
    """A --set value checked against the type of the setting's default, so that a typo is an
    error here, not a traceback when Scrapy reads it (DOWNLOAD_TIMEOUT=abc)."""
    default = settings.get(key)
    if isinstance(default, bool):
        if value.lower() in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            return value.lower() in ("1", "true", "yes", "on")
        raise ConfigError(f"--set {key}={value}: expected true or false")
    if isinstance(default, (int, float)):
        try:
            number = float(value)
        except ValueError:
            raise ConfigError(f"--set {key}={value}: expected a number (the default is {default})") from None
        return int(number) if isinstance(default, int) and number.is_integer() else number
    return value


def load_config(path: str | Path) -> dict[str, Any]:
    """prospector.toml -> {option name: value}. Unknown sections or keys are errors, named
    with the file, so a typo never silently does nothing."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for section, keys in data.items():
        known = CONFIG_KEYS.get(section)
        if known is None or not isinstance(keys, dict):
            raise ConfigError(f"{path}: unknown section [{section}]{_did_you_mean(section, CONFIG_KEYS)}")
        for key, value in keys.items():
            if key not in known:
                raise ConfigError(f"{path}: unknown key '{key}' in [{section}]{_did_you_mean(key, known)}")
            values[known[key]] = value
    return values


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class RunOptions:
    db: str = project_settings.PROSPECTOR_DB
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
    recrawl_after: float | None = None
    soft404: bool | None = None
    user_agent: str | None = None
    ca_bundle: str | None = None
    wayback_endpoint: str | None = None
    wayback_rate: float | None = None
    wayback_minutes: float | None = None
    verbose: bool = False
    progress: bool = False
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
    overrides: dict[str, Any] = {"PROSPECTOR_DB": options.db, **_network_settings(options)}
    if options.wayback_endpoint is not None:
        endpoint = urlsplit(str(options.wayback_endpoint).strip())
        if endpoint.scheme not in ("http", "https") or not endpoint.hostname:
            raise ConfigError(f"--wayback-endpoint {options.wayback_endpoint!r}: expected an http(s) URL such as "
                              "https://web.archive.org")
    simple = {
        "PROSPECTOR_DNS_TIMEOUT": options.dns_timeout,
        "PROSPECTOR_DNS_RETRIES": options.dns_retries,
        "DOWNLOAD_TIMEOUT": options.timeout,
        "RETRY_TIMES": options.retries,
        "PROSPECTOR_MAX_PAGES": options.max_pages,
        "PROSPECTOR_MAX_DEPTH": options.max_depth,
        "PROSPECTOR_RECHECK_AFTER_DAYS": options.recheck_after,
        "PROSPECTOR_RECRAWL_AFTER_DAYS": options.recrawl_after,
        "PROSPECTOR_SOFT404_CHECK": options.soft404,
        "PROSPECTOR_WAYBACK_ENDPOINT": options.wayback_endpoint,
        "PROSPECTOR_WAYBACK_RATE": options.wayback_rate,
        "PROSPECTOR_WAYBACK_MINUTES": options.wayback_minutes,
    }
    overrides.update({k: v for k, v in simple.items() if v is not None})
    if options.user_agent:
        overrides["USER_AGENT"] = options.user_agent
    if options.ca_bundle:
        read_ca_bundle(options.ca_bundle)  # a bad file is an error now, not in a child
        overrides["PROSPECTOR_CA_BUNDLE"] = str(Path(options.ca_bundle).resolve())
    overrides["PROSPECTOR_PROGRESS"] = options.progress
    overrides.update(_log_settings(options))
    for pair in options.extra:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isupper():
            raise ConfigError(f"--set {pair!r}: expected SETTING=VALUE, e.g. --set DOWNLOAD_DELAY=0.5")
        overrides[key.strip()] = _typed_setting(settings, key.strip(), value.strip())
    settings.setdict(overrides, priority="cmdline")
    return settings


def _network_settings(options: RunOptions) -> dict[str, Any]:
    """The nameserver and the networks allowed, checked."""
    overrides: dict[str, Any] = {}
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
    return overrides


def _log_settings(options: RunOptions) -> dict[str, Any]:
    """Where the log goes: the terminal with `verbose`, else a file beside the store that must
    be writable now (not found out in a child process)."""
    if options.verbose:
        return {"LOG_FILE": None}
    log_file = options.log_file or str(Path(options.db).parent / "prospector.log")
    try:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        with open(log_file, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise ConfigError(f"{log_file}: cannot write the log file ({exc.strerror or exc}); "
                          "choose another --db folder, or -v to log to the terminal") from None
    return {"LOG_FILE": log_file, "LOG_FILE_APPEND": True}
