"""`python -m newskit`."""

from newskit.cli import app

app(prog_name="newskit")
