"""HTTPS for the fake web: one TLS listener that answers each host with the certificate its
case asks for, all issued by a throwaway test CA (trustme) that only the tests trust.

Kinds: `valid`; `expired`; `wrong_host` (a certificate for another name); `self_signed` (an
issuer nobody trusts); `old_tls`, a second listener that speaks only TLS 1.0 (a protocol version
is chosen before SNI, so one listener cannot do both; link to those sites with `%OLDTLSPORT%`).
It is a plain blocking socket in a thread: asyncio's TLS transport drops the connection
without the "protocol version" alert a real old server sends, and modern clients never get
past that alert anyway. trustme is a test dependency: a spec without HTTPS sites never imports it.
"""

from __future__ import annotations

import contextlib
import ssl
import warnings
from datetime import UTC, datetime

TLS_KINDS = ("valid", "expired", "wrong_host", "self_signed", "old_tls")


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
                cert = self.ca.issue_cert(host, not_before=datetime(2020, 1, 1, tzinfo=UTC),
                                          not_after=datetime(2021, 1, 1, tzinfo=UTC))
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
        self.old_context: ssl.SSLContext | None = None
        old_hosts = [host for host, kind in hosts.items() if kind == "old_tls"]
        if old_hosts:
            self.old_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ca.issue_cert(*old_hosts).configure_cert(self.old_context)
            self.old_context.set_ciphers("ALL:@SECLEVEL=0")
            with warnings.catch_warnings():  # TLS 1.0 is deprecated: that is the point
                warnings.simplefilter("ignore", DeprecationWarning)
                self.old_context.minimum_version = self.old_context.maximum_version = ssl.TLSVersion.TLSv1

    def _choose(self, sock: ssl.SSLObject, name: str | None, _: ssl.SSLContext) -> None:
        context = self.contexts.get((name or "").lower())
        if context is not None:
            sock.context = context

    def ca_pem(self) -> bytes:
        return self.ca.cert_pem.bytes()


class OldProtocolListener:
    """Accepts connections and answers the handshake as a TLS 1.0-only server does."""

    def __init__(self, context: ssl.SSLContext, address: str = "127.0.0.1"):
        import socket
        import threading

        self.context = context
        self.socket = socket.create_server((address, 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fake-old-tls", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self.socket.accept()
            except OSError:  # the timeout, or closed by stop()
                continue
            with conn:
                conn.settimeout(5)
                with contextlib.suppress(ssl.SSLError, OSError):  # the expected end: no protocol version in common
                    self.context.wrap_socket(conn, server_side=True).close()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self.socket.close()
