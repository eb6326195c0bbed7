"""The `prospector` command: parse options, call a stage, print its summary. Nothing else.

One module per kind of command; importing them registers them on the group.
"""

from prospector.cli import cluster, outreach, pipeline, project  # noqa: F401  (registers the commands)
from prospector.cli.app import main

__all__ = ["main"]
