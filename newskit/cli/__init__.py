"""The `newskit` command: a thin Typer shell over the newskit API, one module per command."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from newskit import __version__
from newskit.cli import batch, convert, extract, fetch, summarize, teasers, warc
from newskit.cli.batch import batch_command
from newskit.cli.convert import convert_command
from newskit.cli.extract import extract_command
from newskit.cli.fetch import fetch_command
from newskit.cli.summarize import summarize_command
from newskit.cli.teasers import teasers_command
from newskit.cli.warc import warc_command


def _is_usage_error(err: BaseException) -> bool:
    """Click's usage errors, known by shape: Typer vendors Click, which we never import."""
    return hasattr(err, "format_message") and isinstance(getattr(err, "exit_code", None), int)


class NewskitGroup(TyperGroup):
    """The command group, with usage errors said the newskit way: one line, exit 2."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            code = super().main(*args, **{**kwargs, "standalone_mode": False})
        except Exception as err:
            if not _is_usage_error(err):
                raise
            code = _say_usage_error(err)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _say_usage_error(err: Any) -> int:
    """`newskit: extract: No such option: --bogus (see 'newskit extract -h')`; the exit code."""
    if type(err).__name__ == "NoArgsIsHelpError":  # a bare `newskit`: the help, as Click does
        typer.echo(err.format_message(), err=True)
        return 2
    ctx = getattr(err, "ctx", None)
    where = ctx.command_path if ctx is not None else "newskit"
    command = where.partition(" ")[2]
    hint = f" (see '{where} -h')" if err.exit_code == 2 else ""
    message = str(err.format_message()).rstrip(".")
    typer.echo(f"newskit: {command + ': ' if command else ''}{message}{hint}", err=True)
    return int(err.exit_code)


app = typer.Typer(
    name="newskit",
    cls=NewskitGroup,
    help="Clean articles out of news pages: extract, fetch, convert script, summarize, teasers, "
    "batch, warc.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
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


for _name, _module, _command in (
    ("extract", extract, extract_command),
    ("fetch", fetch, fetch_command),
    ("convert", convert, convert_command),
    ("summarize", summarize, summarize_command),
    ("teasers", teasers, teasers_command),
    ("batch", batch, batch_command),
    ("warc", warc, warc_command),
):
    app.command(_name, epilog=_module.EPILOG)(_command)
