"""A DNS server built with dnspython, on UDP 127.0.0.1: A records for the fake web's names,
NXDOMAIN for every other name, SERVFAIL or silence for the names the spec picks."""

from __future__ import annotations

import socket
import threading
from collections import Counter

import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from prospector.fakeweb.spec import WebSpec

TTL = 60


def answer(spec: WebSpec, wire: bytes) -> tuple[str, bytes | None]:
    """(the name asked for, the reply); the reply is None to stay silent (a timeout for the
    asker). Garbage on the socket gives ("", None), as a real server would ignore it."""
    try:
        query = dns.message.from_wire(wire)
    except Exception:  # noqa: BLE001
        return "", None
    reply = dns.message.make_response(query)
    reply.flags |= dns.flags.AA
    if not query.question:
        reply.set_rcode(dns.rcode.FORMERR)
        return "", reply.to_wire()
    question = query.question[0]
    name = question.name.to_text(omit_final_dot=True).lower()
    if name in spec.dns_timeout:
        return name, None
    if name in spec.servfail:
        reply.set_rcode(dns.rcode.SERVFAIL)
    elif not spec.exists(name):
        reply.set_rcode(dns.rcode.NXDOMAIN)
    else:
        address = spec.address_of(name)
        wanted = dns.rdatatype.AAAA if ":" in (address or "") else dns.rdatatype.A
        if address and question.rdtype in (wanted, dns.rdatatype.ANY):
            reply.answer.append(dns.rrset.from_text(question.name, TTL, dns.rdataclass.IN, wanted, address))
    return name, reply.to_wire()


class FakeDnsServer:
    def __init__(self, spec: WebSpec, host: str = "127.0.0.1", port: int = 0):
        self.spec = spec
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.sock.settimeout(0.2)
        self.host, self.port = self.sock.getsockname()[:2]
        self.queries: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fake-dns", daemon=True)

    def start(self) -> FakeDnsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                wire, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            name, reply = answer(self.spec, wire)
            if name:
                self.queries[name] += 1
            if reply is not None:
                self.sock.sendto(reply, peer)
