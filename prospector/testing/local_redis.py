"""A throwaway redis-server on a free loopback port, nothing persisted: for the tests, the
benchmark and trying the cluster on one machine."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalRedis:
    def __init__(self, folder: Path, *extra: str, password: str = "", tls_ca: Path | None = None):
        """With `tls_ca` (a folder holding ca.pem, cert.pem, key.pem): TLS only (rediss://)."""
        self.port = free_port()
        self.password = password
        self.tls_ca = tls_ca
        listen = ["--port", str(self.port)]
        if tls_ca:
            listen = ["--port", "0", "--tls-port", str(self.port), "--tls-cert-file", str(tls_ca / "cert.pem"),
                      "--tls-key-file", str(tls_ca / "key.pem"), "--tls-ca-cert-file", str(tls_ca / "ca.pem"),
                      "--tls-auth-clients", "no"]
        args = ["redis-server", *listen, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", str(folder), *extra]
        if password:
            args += ["--requirepass", password]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        if self.tls_ca:
            return f"rediss://{auth}127.0.0.1:{self.port}/0?ssl_ca_certs={self.tls_ca / 'ca.pem'}"
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)

    def __enter__(self) -> LocalRedis:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
