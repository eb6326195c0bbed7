"""A virtual-host HTTP/1.1 server (h11 on asyncio, in its own thread) that serves every site of
a WebSpec by its Host header, with the behaviours each resource asks for. It counts requests
per (host, method, path) and connections per local address, for tests to assert on."""

from __future__ import annotations

import asyncio
import gzip
import re
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

import h11

from prospector.fakeweb.spec import OLD_TLS_PORT, TLS_PORT, Resource, WebSpec, fill_port, missing

if TYPE_CHECKING:
    from prospector.fakeweb.tls import OldProtocolListener, TestAuthority

ROBOT_AGENT = re.compile(r"bot|crawler|spider|checker|prospector", re.IGNORECASE)
CHUNK = 64 * 1024


class FakeHttpServer:
    def __init__(self, spec: WebSpec, addresses: tuple[str, ...] = ("127.0.0.1",), port: int = 0):
        self.spec = spec
        self.addresses = addresses
        self.port = port
        self.tls_ports: dict[str, int] = {}  # placeholder -> port of each HTTPS listener (spec.tls)
        self.authority: TestAuthority | None = None  # its test CA (fakeweb/tls.py)
        self._old_tls: OldProtocolListener | None = None  # the TLS 1.0-only listener (sites of kind old_tls)
        self.requests: Counter[tuple[str, str, str]] = Counter()
        self.times: list[tuple[float, str, str]] = []  # (time.monotonic(), host, path) of each request
        self.connections: Counter[str] = Counter()
        self.active: Counter[str] = Counter()  # requests being answered now, per host
        self.peak: Counter[str] = Counter()  # the most answered at once, per host
        self._served: Counter[tuple[str, str]] = Counter()  # per resource, for `statuses`
        self._loop = asyncio.new_event_loop()
        self._servers: list[asyncio.base_events.Server] = []
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fake-http", daemon=True)

    def start(self) -> FakeHttpServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fake web HTTP server did not start")
        return self

    def stop(self) -> None:
        async def close() -> None:
            for server in self._servers:
                server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        if self._old_tls is not None:
            self._old_tls.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.set_exception_handler(_quiet_about_cancelled)
        self._loop.run_until_complete(self._listen())
        self._ready.set()
        self._loop.run_forever()

    async def _listen(self) -> None:
        for address in self.addresses:
            server = await asyncio.start_server(self._connection, address, self.port, backlog=1024)
            self.port = server.sockets[0].getsockname()[1]  # every address on the same port
            self._servers.append(server)
        if self.spec.tls:
            from prospector.fakeweb.tls import OldProtocolListener, TestAuthority

            authority = self.authority = TestAuthority(self.spec.tls)
            server = await asyncio.start_server(self._connection, self.addresses[0], 0, backlog=1024,
                                                ssl=authority.server_context, ssl_handshake_timeout=5)
            self.tls_ports[TLS_PORT] = server.sockets[0].getsockname()[1]
            self._servers.append(server)
            if authority.old_context is not None:
                old = self._old_tls = OldProtocolListener(authority.old_context, self.addresses[0])
                self.tls_ports[OLD_TLS_PORT] = old.port

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections[writer.get_extra_info("sockname")[0]] += 1
        conn = h11.Connection(h11.SERVER)
        try:
            while True:
                request = await _next(conn, reader, h11.Request)
                if request is None:
                    return
                while not isinstance(await _next(conn, reader, (h11.Data, h11.EndOfMessage)), h11.EndOfMessage):
                    pass
                if not await self._respond(conn, writer, request):
                    return
                if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                    return
                conn.start_next_cycle()
        except (h11.ProtocolError, ConnectionError, asyncio.CancelledError):
            return
        finally:
            writer.close()

    async def _respond(self, conn: h11.Connection, writer: asyncio.StreamWriter, request: h11.Request) -> bool:
        headers = {k.decode().lower(): v.decode("latin-1") for k, v in request.headers}
        host = headers.get("host", "").rsplit(":", 1)[0].lower()
        self.active[host] += 1
        self.peak[host] = max(self.peak[host], self.active[host])
        try:
            return await self._answer(conn, writer, request, headers, host)
        finally:
            self.active[host] -= 1

    async def _answer(self, conn: h11.Connection, writer: asyncio.StreamWriter, request: h11.Request,
                      headers: dict[str, str], host: str) -> bool:
        method = request.method.decode()
        path = request.target.decode("latin-1")
        self.requests[(host, method, path)] += 1
        self.times.append((time.monotonic(), host, path))
        site = self.spec.site(host)
        resource = site.resource(path) if site else missing(421)
        if resource.delay:
            await asyncio.sleep(resource.delay)
        if resource.reset:
            writer.transport.abort()
            return False
        status = self._status(host, path, method, resource, headers.get("user-agent", ""))
        body = b""
        if status == resource.status or status in resource.statuses:
            body = _body(resource)
            if b"PORT%" in body:
                body = fill_port(body.decode("utf-8", "surrogateescape"), self.port,
                                 self.tls_ports).encode("utf-8", "surrogateescape")
            if resource.gzip:
                body = gzip.compress(body, mtime=0)
        out = [("Content-Type", resource.content_type), ("Content-Length", str(len(body))),
               ("Server", "prospector-fakeweb")]
        if resource.location and 300 <= status < 400:
            out.append(("Location", fill_port(resource.location, self.port, self.tls_ports)))
        out += list(resource.headers.items())
        writer.write(conn.send(h11.Response(status_code=status, headers=out)))
        if method != "HEAD":
            for start in range(0, len(body), CHUNK):
                writer.write(conn.send(h11.Data(data=body[start:start + CHUNK])))
                await writer.drain()
        writer.write(conn.send(h11.EndOfMessage()))
        await writer.drain()
        return True

    def _status(self, host: str, path: str, method: str, resource: Resource, agent: str) -> int:
        if resource.block_robots and ROBOT_AGENT.search(agent):
            return 403
        if method == "HEAD" and resource.head_status is not None:
            return resource.head_status
        served = self._served[(host, path)]
        self._served[(host, path)] += 1
        return resource.statuses[served] if served < len(resource.statuses) else resource.status

    def count(self, host: str | None = None, path: str | None = None, method: str | None = None) -> int:
        """Requests received, filtered by whichever of host, path and method are given."""
        return sum(n for (h, m, p), n in self.requests.items()
                   if (host is None or h == host) and (path is None or p == path)
                   and (method is None or m == method))


async def _next(conn: h11.Connection, reader: asyncio.StreamReader, wanted: Any) -> Any:
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            data = await reader.read(CHUNK)
            conn.receive_data(data)
            if not data and conn.their_state is not h11.DONE:
                return None
            continue
        if isinstance(event, h11.ConnectionClosed):
            return None
        if isinstance(event, wanted):
            return event


_PADDING = b"<!-- padding -->\n"


def _body(resource: Resource) -> bytes:
    body = resource.body if isinstance(resource.body, bytes) else resource.body.encode("utf-8")
    if resource.size > len(body):
        body += _PADDING * ((resource.size - len(body)) // len(_PADDING) + 1)
    return body


def _quiet_about_cancelled(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Connections cancelled at stop() are expected; anything else is reported as usual."""
    if isinstance(context.get("exception"), asyncio.CancelledError):
        return
    loop.default_exception_handler(context)
