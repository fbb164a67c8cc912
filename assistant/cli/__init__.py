"""``isoassist`` — the command line of Trợ lý ISO."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="isoassist",
    help="Trợ lý ISO: lập chỉ mục, tra cứu, hỏi đáp, soạn thảo văn bản HTQLCL TCVN ISO 9001:2015.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each area module defines register(app). Order = order in --help.
_MODULES = ["index", "ask", "facts", "draft", "learn", "web", "bot", "run", "evaluate", "bench"]

for _name in _MODULES:
    try:
        _mod = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # an area not built yet
        if exc.name != f"{__name__}.{_name}":
            raise
        continue
    _mod.register(app)


def main() -> None:
    app()
