"""HTTPS links: the check verifies certificates as a browser does (the system's trust store,
plus --ca-bundle), against the fake web's TLS listener and its throwaway test CA."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import network_args, prospector, rows

from prospector.fakeweb import OLD_TLS_PORT, TLS_PORT, FakeWeb, Site, WebSpec, page

TLS_SITES = {"good-tls.com": "valid", "expired-tls.com": "expired", "wrong-tls.com": "wrong_host",
             "self-tls.com": "self_signed", "old-tls.com": "old_tls"}


def https_web() -> WebSpec:
    links = "".join(f'<p>See <a href="https://{h}:{OLD_TLS_PORT if kind == "old_tls" else TLS_PORT}/guide">{h}</a>.</p>'
                    for h, kind in TLS_SITES.items())
    return WebSpec([Site("hub-blog.com", {"/": page("Hub", f"<main>{links}</main>")})]
                   + [Site(h, {"/guide": page("A guide", "<main><p>Hello.</p></main>")}) for h in TLS_SITES],
                   tls=TLS_SITES)


@pytest.fixture(scope="module")
def https_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("https")
    with FakeWeb(https_web()) as web:
        ca = folder / "test-ca.pem"
        ca.write_bytes(web.ca_pem())
        prospects = folder / "p.txt"
        prospects.write_text(web.url("hub-blog.com") + "\n")
        trusted, untrusted = folder / "trusted.sqlite", folder / "untrusted.sqlite"
        for db in (trusted, untrusted):
            assert prospector("crawl", "--prospects", str(prospects), *network_args(web, db)).returncode == 0
        with_ca = prospector("check", "--ca-bundle", str(ca), *network_args(web, trusted))
        without = prospector("check", *network_args(web, untrusted))
        yield web, folder, with_ca, without, trusted, untrusted


def verdicts(db: Path, web: FakeWeb) -> dict[str, tuple[str, str]]:
    found = {url: (verdict, reason) for url, verdict, reason in rows(db, "SELECT url, verdict, reason FROM checks")}
    return {host: found[web.url(host, "/guide", https=True)] for host in TLS_SITES}


def test_each_certificate_failure_is_likely_dead_with_its_reason(https_run) -> None:
    web, _, with_ca, _, trusted, _ = https_run
    assert with_ca.returncode == 0, with_ca.stderr
    assert verdicts(trusted, web) == {
        "good-tls.com": ("alive", "200 OK"),
        "expired-tls.com": ("likely_dead", "secure connection failed on every try (3 tries): its certificate has "
                                           "expired"),
        "wrong-tls.com": ("likely_dead", "secure connection failed on every try (3 tries): its certificate is for "
                                         "another host name"),
        "self-tls.com": ("likely_dead", "secure connection failed on every try (3 tries): its certificate is not "
                                        "trusted (self-signed or an unknown issuer)"),
        "old-tls.com": ("likely_dead", "secure connection failed on every try (3 tries): it offers only an outdated "
                                       "TLS version"),
    }


def test_certificates_are_verified_against_the_system_store_without_the_bundle(https_run) -> None:
    web, _, _, without, _, untrusted = https_run
    assert without.returncode == 0, without.stderr
    assert {host: v for host, (v, _) in verdicts(untrusted, web).items()} == {
        "good-tls.com": "likely_dead", "expired-tls.com": "likely_dead", "wrong-tls.com": "likely_dead",
        "self-tls.com": "likely_dead", "old-tls.com": "likely_dead"}


def test_a_ca_bundle_that_is_not_pem_is_a_one_line_error(https_run) -> None:
    _, folder, *_ = https_run
    bad = folder / "not-a-bundle.pem"
    bad.write_text("hello\n")
    run = prospector("check", "--ca-bundle", str(bad), "--db", str(folder / "trusted.sqlite"))
    assert run.returncode == 2
    assert run.stderr.strip() == (f"Error: --ca-bundle {bad}: no PEM certificate in it "
                                  "(-----BEGIN CERTIFICATE-----)")
