"""The `prospector` command group: reads prospector.toml into every command's defaults, and
turns the library's errors into one line and an exit code."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import click

from prospector.cli.options import EXIT_INTERRUPTED, StageFailedExit, UsageProblem
from prospector.config import ConfigError, load_config
from prospector.errors import Interrupted, RowsRejected, StageFailed, UsageError


class ProspectorGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RowsRejected as exc:  # its rows were noted (stderr) as it was raised
            raise StageFailedExit(str(exc)) from None
        except UsageError as exc:
            raise UsageProblem(str(exc)) from None
        except StageFailed as exc:
            raise StageFailedExit(str(exc)) from None
        except Interrupted as exc:
            click.echo(str(exc))
            _exiting_on_interrupt()
            ctx.exit(EXIT_INTERRUPTED)
        except (SystemExit, click.exceptions.Exit) as exc:  # a command that stopped on Ctrl-C
            if getattr(exc, "code", getattr(exc, "exit_code", None)) == EXIT_INTERRUPTED:
                _exiting_on_interrupt()
            raise
        except MemoryError:
            raise StageFailedExit("ran out of memory; what was stored is kept (is an input file far larger than "
                                  "it should be?)") from None


def _exiting_on_interrupt() -> None:
    """A second Ctrl-C while the process exits (the user pressed twice) changes nothing: without
    this, one arriving as the interpreter shuts down, when Python has put the default handler
    back, would kill the process by SIGINT instead of letting it exit with 130."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@click.group(cls=ProspectorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="prospector")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Defaults for every option [./prospector.toml, if there is one].")
@click.option("--json", "json_output", is_flag=True,
              help="Print the summary as one JSON object on stdout (for scripts); notes go to stderr.")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, json_output: bool) -> None:
    """prospector: find dead outbound links on prospect sites, suggest your page as the
    replacement, and draft the outreach email.

    \b
    Typical use:
      prospector init                 # a starter prospector.toml and prospects.csv
      prospector run                  # crawl, check, match, draft, export
      prospector status               # what the store holds
    \b
    Or stage by stage: crawl, check, match, draft, export. Try: prospector demo
    """
    path = config_path or ("prospector.toml" if Path("prospector.toml").is_file() else None)
    if not path:
        return
    try:
        values = load_config(path)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    ctx.default_map = {name: {p.name: values[p.name] for p in command.params if p.name in values}
                       for name, command in main.commands.items()}
