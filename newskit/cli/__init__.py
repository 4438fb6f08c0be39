"""The `newskit` command: a thin Typer shell over the newskit API, one module per command.

A command's module is imported only when that command runs (help imports them all), so a
one-shot `newskit extract page.html` does not pay for batch, fetch or teasers.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from newskit import __version__

# Command name -> (module, function), in the order help lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("newskit.cli.extract", "extract_command"),
    "fetch": ("newskit.cli.fetch", "fetch_command"),
    "convert": ("newskit.cli.convert", "convert_command"),
    "summarize": ("newskit.cli.summarize", "summarize_command"),
    "teasers": ("newskit.cli.teasers", "teasers_command"),
    "batch": ("newskit.cli.batch", "batch_command"),
    "warc": ("newskit.cli.warc", "warc_command"),
    "dedup": ("newskit.cli.dedup", "dedup_command"),
}


def command_function(name: str) -> Callable[..., Any]:
    """The function behind a command, its module imported now."""
    module, attr = COMMANDS[name]
    function: Callable[..., Any] = getattr(importlib.import_module(module), attr)
    return function


def _is_usage_error(err: BaseException) -> bool:
    """Click's usage errors, known by shape: Typer vendors Click, which we never import."""
    return hasattr(err, "format_message") and isinstance(getattr(err, "exit_code", None), int)


class NewskitGroup(TyperGroup):
    """The command group, with usage errors said the newskit way: one line, exit 2.

    Each command is built from its module on first use.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            function = command_function(cmd_name)
            module = sys.modules[function.__module__]
            single = typer.Typer(
                add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False
            )
            single.command(cmd_name, epilog=module.EPILOG)(function)
            self.add_command(typer.main.get_command(single), cmd_name)
        return super().get_command(ctx, cmd_name)

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
    "batch, warc, dedup.",
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
