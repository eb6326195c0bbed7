"""The version is written twice, in pyproject.toml (the wheel's) and prospector/version.py
(the User-Agent's and the report's): they must say the same."""

import tomllib
from pathlib import Path

import prospector
from prospector.settings import USER_AGENT


def test_the_package_and_the_wheel_have_one_version() -> None:
    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert prospector.__version__ == project["project"]["version"] == "0.1.0"
    assert USER_AGENT.startswith("prospector/0.1.0 (")
