"""The `newskit` command: a thin Typer shell over the newskit API, one module per command."""

from __future__ import annotations

from typing import Annotated

import typer

from newskit import __version__
from newskit.cli.batch import batch_command
from newskit.cli.convert import convert_command
from newskit.cli.extract import extract_command
from newskit.cli.fetch import fetch_command
from newskit.cli.summarize import summarize_command
from newskit.cli.teasers import teasers_command

app = typer.Typer(
    name="newskit",
    help="Clean articles out of news pages: extract, fetch, convert script, summarize, teasers, batch.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newskit {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """newskit: clean article text and metadata out of news pages, for pipes and cron."""


app.command("extract")(extract_command)
app.command("fetch")(fetch_command)
app.command("convert")(convert_command)
app.command("summarize")(summarize_command)
app.command("teasers")(teasers_command)
app.command("batch")(batch_command)
