"""Wiring: every callback id exists in a layout; every id is defined once in ioc_app.core.ids."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from dash.development.base_component import Component

REPO = Path(__file__).resolve().parents[2]


def _layout_ids(component: object) -> set[str]:
    found: set[str] = set()
    stack = [component]
    while stack:
        node = stack.pop()
        if isinstance(node, Component):
            node_id = getattr(node, "id", None)
            if node_id is not None:
                found.add(
                    json.dumps(node_id, sort_keys=True) if isinstance(node_id, dict) else node_id
                )
            children = getattr(node, "children", None)
            stack.extend(children if isinstance(children, list | tuple) else [children])
            for value in node.to_plotly_json()["props"].values():
                if isinstance(value, Component):
                    stack.append(value)
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return found


def _callback_ids(app) -> set[str]:
    ids: set[str] = set()
    for dependency in app._callback_list:
        for item in [
            dependency["output"],
            *[i["id"] + "." for i in dependency["inputs"]],
            *[s["id"] + "." for s in dependency["state"]],
        ]:
            for part in item.strip(".").split("..."):
                if part:
                    ids.add(part.rsplit(".", 1)[0])
    return ids


def test_every_callback_id_exists_in_the_validation_layout(app) -> None:
    layout_ids = _layout_ids(app.validation_layout)
    missing = {i for i in _callback_ids(app) if not i.startswith("{") and i not in layout_ids}
    assert missing == set()


def test_component_ids_are_defined_once_and_never_typed_elsewhere() -> None:
    tree = ast.parse((REPO / "ioc_app" / "core" / "ids.py").read_text())
    values = [
        node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]
    assert len(values) == len(set(values)), "an id value is defined twice"
    for folder in ("layouts", "callbacks"):
        for path in (REPO / folder).glob("*.py"):
            source = path.read_text()
            for value in values:
                assert f'id="{value}"' not in source, f"{path.name} types the id {value!r}"
