"""Why a secure connection failed, in the words a browser would use.

Twisted reports a failed certificate check as "certificate verify failed" only: the reason
(expired, self-signed, unknown issuer) reaches a verify callback that Scrapy offers no hook
for. So when the check meets that failure, this middleware asks once more with the standard
library's `ssl`, in a thread, to the address the network guard allows, and keeps
`SSLCertVerificationError.verify_message` in the request's meta for the verdict's reason.
"""

from __future__ import annotations

import socket
import ssl
from typing import Any

from scrapy import Request
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.threads import deferToThread

from prospector.net.failures import failure_detail
from prospector.net.guard import AddressPolicy
from prospector.net.resolver import OK, DnsLookup, dns_config_from_settings, policy_from_settings

PROBE_TIMEOUT_S = 5.0


def verify_message(address: str, port: int, host: str, timeout: float = PROBE_TIMEOUT_S) -> str:
    """The certificate problem of `host` served at `address`, or "" if the handshake passes."""
    context = ssl.create_default_context()  # the default trust store (and SSL_CERT_FILE: --ca-bundle)
    try:
        with socket.create_connection((address, port), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=host):
            return ""
    except ssl.SSLCertVerificationError as exc:
        return exc.verify_message or str(exc)
    except (OSError, ssl.SSLError) as exc:
        return str(exc)


class TlsDiagnosisMiddleware:
    def __init__(self, lookup: DnsLookup, policy: AddressPolicy):
        self.lookup = lookup
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Any) -> TlsDiagnosisMiddleware:
        return cls(DnsLookup.shared(dns_config_from_settings(crawler.settings)), policy_from_settings(crawler.settings))

    async def process_exception(self, request: Request, exception: BaseException) -> None:
        url = urlparse_cached(request)
        if url.scheme != "https" or "tls_verify_message" in request.meta or \
                "certificate verify failed" not in failure_detail(exception):
            return None
        answer = await self.lookup.lookup(url.hostname or "")
        allowed = [ip for ip in answer.addresses if not self.policy.refusal(ip)] if answer.outcome == OK else []
        if allowed:
            request.meta["tls_verify_message"] = await maybe_deferred_to_future(deferToThread(
                verify_message, allowed[0], url.port or 443, url.hostname or ""))
        return None

