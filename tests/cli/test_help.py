"""Every command documents itself: ``--help`` works for each sub-command."""

from __future__ import annotations

import pytest

from ioc_app.cli import build_parser


def _commands() -> list[list[str]]:
    parser = build_parser()
    found: list[list[str]] = []
    for action in parser._subparsers._group_actions:  # argparse keeps sub-parsers here
        for name, sub in action.choices.items():
            found.append([name])
            for nested in (
                getattr(sub, "_subparsers", None)._group_actions if sub._subparsers else []
            ):
                found += [[name, child] for child in nested.choices]
    return found


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_help_of_every_command(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*command, "--help"])
    assert done.value.code == 0
    assert "usage:" in capsys.readouterr().out
