"""The package as a user installs it: a wheel built from this source, installed into a fresh
virtualenv in a temp folder, runs `prospector init` and `prospector demo` with no checkout on
its path (templates, example config and demo data come from the wheel).

Offline: the wheel is built without build isolation (setuptools is a test dependency) and the
fresh venv finds prospector's dependencies through a .pth line naming this venv's
site-packages. A line in a .pth file only adds a folder: the editable install's own .pth there
is not run, so `import prospector` can only find the wheel's copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1]


def sh(*args: str | Path, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fresh venv's bin folder, with the wheel installed."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"  # a copy, so the build leaves no build/ or egg-info in the checkout
    shutil.copytree(SOURCE / "prospector", source / "prospector",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(SOURCE / name, source / name)
    built = sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
               "-w", root / "dist", source, cwd=root)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((root / "dist").glob("prospector-*.whl"))
    venv.EnvBuilder(with_pip=False).create(root / "venv")
    python = root / "venv" / "bin" / "python"
    site = Path(sh(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root)
                .stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    install = sh(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=root)
    assert install.returncode == 0, install.stdout + install.stderr
    return root / "venv" / "bin"


def test_the_wheel_holds_the_package_data(installed: Path) -> None:
    python = installed / "python"
    found = sh(python, "-c", "import prospector, pathlib; p = pathlib.Path(prospector.__file__).parent; "
               "print(p); print(sorted(str(f.relative_to(p)) for f in p.rglob('*') if f.suffix in "
               "('.j2', '.toml', '.json', '.js', '.css')))", cwd=installed)
    assert found.returncode == 0, found.stderr
    where, files = found.stdout.splitlines()
    assert Path(where).is_relative_to(installed.parent) and not Path(where).is_relative_to(SOURCE)
    assert "'outreach/templates/outreach.txt.j2'" in files and "'prospector.example.toml'" in files
    assert "fakeweb/demo_data/" in files
    assert "'report/report.html.j2'" in files and "'report/report.js'" in files and "'report/report.css'" in files


def test_init_and_demo_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    init = sh(installed / "prospector", "init", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    for name in ("prospector.toml", "prospects.csv", "templates/outreach.txt.j2", "templates/followup.txt.j2"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert (tmp_path / "templates" / "outreach.txt.j2").read_text(encoding="utf-8") == \
        (SOURCE / "prospector" / "outreach" / "templates" / "outreach.txt.j2").read_text(encoding="utf-8")

    demo_folder = tmp_path / "elsewhere"  # no prospector.toml here: the demo's own settings
    demo_folder.mkdir()
    demo = sh(installed / "prospector", "demo", "--out", "out", "-q", cwd=demo_folder)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "Top opportunities" in demo.stdout
    assert sorted(p.name for p in (demo_folder / "out").glob("*.csv")) == [
        "dead_links.csv", "demo_prospects.csv", "emails.csv", "opportunities.csv", "prospects.csv",
        "suggested_prospects.csv"]
    assert "<h1>prospector report</h1>" in (demo_folder / "out" / "report.html").read_text(encoding="utf-8")
    emails = (demo_folder / "out" / "emails.csv").read_text(encoding="utf-8-sig")
    assert emails.count("priya@measuredmarketing.com") == 1
