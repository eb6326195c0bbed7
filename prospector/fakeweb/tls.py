"""HTTPS for the fake web: one TLS listener that answers each host with the certificate its
case asks for, all issued by a throwaway test CA (trustme) that only the tests trust.

Kinds: `valid`; `expired`; `wrong_host` (a certificate for another name); `self_signed` (an
issuer nobody trusts). trustme is a test dependency: a spec without HTTPS sites never imports
it. (A server that speaks only an old protocol is not simulated: Python's ssl cannot serve
TLS 1.0 beside TLS 1.3 on one listener.)
"""

from __future__ import annotations

import ssl
from datetime import datetime, timezone

TLS_KINDS = ("valid", "expired", "wrong_host", "self_signed")


class TestAuthority:
    """The CA and one server context per host, chosen by SNI."""

    def __init__(self, hosts: dict[str, str]):
        import trustme

        unknown = set(hosts.values()) - set(TLS_KINDS)
        if unknown:
            raise ValueError(f"unknown TLS kinds {sorted(unknown)}; known: {', '.join(TLS_KINDS)}")
        self.ca = trustme.CA()
        stranger = trustme.CA()  # issues the "self-signed" ones: trusted by nobody
        self.contexts: dict[str, ssl.SSLContext] = {}
        for host, kind in hosts.items():
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            if kind == "expired":
                cert = self.ca.issue_cert(host, not_before=datetime(2020, 1, 1, tzinfo=timezone.utc),
                                          not_after=datetime(2021, 1, 1, tzinfo=timezone.utc))
            elif kind == "wrong_host":
                cert = self.ca.issue_cert("another-site.com")
            elif kind == "self_signed":
                cert = stranger.issue_cert(host)
            else:
                cert = self.ca.issue_cert(host)
            cert.configure_cert(context)
            self.contexts[host] = context
        self.server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("fallback.invalid").configure_cert(self.server_context)
        self.server_context.sni_callback = self._choose

    def _choose(self, sock: ssl.SSLObject, name: str | None, _: ssl.SSLContext) -> None:
        context = self.contexts.get((name or "").lower())
        if context is not None:
            sock.context = context

    def ca_pem(self) -> bytes:
        return self.ca.cert_pem.bytes()
