"""The locks match pyproject.toml: every declared package is pinned at a version its lower
bound allows, and the dev lock agrees with the runtime lock (forgetting `make lock` fails)."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _pins(filename: str) -> dict[str, str]:
    pins = {}
    for line in (REPO / filename).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if match:
            pins[_name(match[1])] = match[2]
    return pins


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3])


def _declared(group: str | None) -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["optional-dependencies"][group] if group else project["dependencies"]
    declared = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9._-]+)(.*)", requirement.replace(" ", ""))
        assert match, requirement
        declared[_name(match[1])] = match[2]
    return declared


def _check(declared: dict[str, str], pins: dict[str, str]) -> None:
    for name, spec in declared.items():
        assert name in pins, f"{name} is declared but not locked: run `make lock`"
        for clause in filter(None, spec.split(",")):
            operator, bound = re.fullmatch(r"(>=|<)([\d.]+)", clause).groups()
            if operator == ">=":
                assert _release(pins[name]) >= _release(bound), (name, pins[name], clause)
            else:
                assert _release(pins[name]) < _release(bound), (name, pins[name], clause)


def test_runtime_lock_covers_the_declared_dependencies() -> None:
    _check(_declared(None), _pins("requirements.txt"))


def test_dev_lock_covers_everything_and_agrees_with_the_runtime_lock() -> None:
    runtime, dev = _pins("requirements.txt"), _pins("requirements-dev.txt")
    _check({**_declared(None), **_declared("dev")}, dev)
    assert {n: v for n, v in dev.items() if n in runtime} == runtime
