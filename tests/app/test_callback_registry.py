"""Callbacks are declared where they are defined (ioc_app.core.callbacks) and wired per app
through the guard; their JavaScript lives in assets/, never in Python strings."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
from pathlib import Path

import dash
import pytest
from dash import ClientsideFunction, Input, Output, State, html

from ioc_app import router
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.guard import CALLBACK_REGISTRY, PUBLIC, SIGNED_IN, Access
from ioc_app.pages import PAGES
from ioc_app.services.forecast_state import ViewState

REPO = Path(__file__).resolve().parents[2]
CALLBACK_MODULES = sorted(p.stem for p in (REPO / "callbacks").glob("*.py") if p.stem != "__init__")
#: Calls that wire a callback directly; only ioc_app/core may make them.
WIRING_CALLS = {"callback", "clientside_callback", "guarded_callback"}
JS_FUNCTION = re.compile(r"\bfunction\s*\(|=>")


def _registries() -> list[CallbackRegistry]:
    """The registries the application wires: the router's and each page's."""
    pages = {id(p.callbacks): p.callbacks for p in PAGES if p.callbacks is not None}
    return [router.CALLBACKS, *(module.CALLBACKS for module in pages.values())]


def _python_files() -> list[Path]:
    return sorted(
        path
        for folder in ("callbacks", "layouts", "ioc_app")
        for path in (REPO / folder).rglob("*.py")
    )


# --------------------------------------------------------------------- the application


def test_every_callback_has_its_access_declared_before_dash_runs(app) -> None:
    registry = app.server.config[CALLBACK_REGISTRY]
    assert app.callback_map and set(app.callback_map) <= set(registry)
    assert all(isinstance(registry[key], Access) for key in app.callback_map)


def test_every_declared_callback_is_wired_once_with_its_access(app) -> None:
    declared = [item for registry in _registries() for item in registry.declared]
    assert len(declared) == len(app.callback_map)
    registry = app.server.config[CALLBACK_REGISTRY]
    wired = {
        inspect.unwrap(entry["callback"]): registry[key]
        for key, entry in app.callback_map.items()
        if "callback" in entry
    }
    for item in declared:
        if item.access is not None:
            assert wired[item.function] == item.access, item.function.__qualname__


def test_every_app_gets_every_callback(make_app, tmp_path) -> None:
    first = make_app(f"sqlite:///{tmp_path / 'one.sqlite'}")
    second = make_app(f"sqlite:///{tmp_path / 'two.sqlite'}")
    assert set(first.callback_map) == set(second.callback_map)
    assert len(second.server.config[CALLBACK_REGISTRY]) == len(second.callback_map)


def test_the_assets_holding_the_clientside_functions_are_served(app) -> None:
    client = app.server.test_client()
    for name in (
        "app.css",
        "choropleth.js",
        "control_room.js",
        "forecast.js",
        "map.js",
        "shell.js",
    ):
        response = client.get(f"/assets/{name}")
        response.close()
        assert response.status_code == 200, name


def test_no_inline_script_is_sent_to_the_browser(app) -> None:
    # Dash turns JavaScript given as a string into an inline <script>, which a
    # Content-Security-Policy without 'unsafe-inline' would block.
    assert app._inline_scripts == []
    index = app.server.test_client().get("/map").get_data(as_text=True)
    assert "_dashprivate_clientside_funcs" not in index


# ------------------------------------------------------------------------ the modules


@pytest.mark.parametrize("name", CALLBACK_MODULES)
def test_callback_modules_declare_through_the_decorator(name: str) -> None:
    source = (REPO / "callbacks" / f"{name}.py").read_text()
    module = importlib.import_module(f"callbacks.{name}")
    if "Output(" in source:
        assert isinstance(module.CALLBACKS, CallbackRegistry), name
        wired = [item for registry in _registries() for item in registry.declared]
        assert module.CALLBACKS.declared, name
        for item in module.CALLBACKS.declared:
            assert any(item is other for other in wired), f"{name} is wired by no page"


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_nothing_outside_the_base_package_wires_callbacks_itself(path: Path) -> None:
    if path.is_relative_to(REPO / "ioc_app" / "core"):
        return
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            owner = func.value if isinstance(func, ast.Attribute) else None
            if name == "callback" and isinstance(owner, ast.Name) and owner.id == "CALLBACKS":
                continue
            assert name not in WIRING_CALLS, f"{path.name}:{node.lineno} calls {name}()"


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_javascript_function_in_python(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not JS_FUNCTION.search(node.value), f"{path.name}:{node.lineno} holds JavaScript"


def test_every_clientside_function_is_defined_in_assets() -> None:
    scripts = [p.read_text() for p in (REPO / "assets").glob("*.js")]
    functions = [
        item.function
        for registry in _registries()
        for item in registry.declared
        if isinstance(item.function, ClientsideFunction)
    ]
    assert len(functions) >= 20
    for function in functions:
        namespace, name = function.namespace, function.function_name
        homes = [s for s in scripts if f"window.dash_clientside.{namespace} =" in s]
        assert len(homes) == 1, namespace
        assert re.search(rf"\b{name}: function \(", homes[0]), f"{namespace}.{name}"


def test_forecast_url_defaults_in_javascript_are_the_view_defaults() -> None:
    script = (REPO / "assets" / "forecast.js").read_text()
    found = re.search(r"const URL_DEFAULTS = (\{.*?\});", script)
    assert found is not None
    expected = {"level": ViewState.level, "h": ViewState.horizon, "mig": 0, "add": 0}
    assert json.loads(found.group(1)) == expected


# ----------------------------------------------------------------------- the decorator


def _tiny_registry() -> tuple[CallbackRegistry, object]:
    calls = CallbackRegistry()

    @calls.callback(
        SIGNED_IN,
        Output("out", "children"),
        inputs=dict(a=Input("a", "value"), b=Input("b", "value")),
        state=dict(c=State("c", "value")),
    )
    def combine(a: int, b: int, c: int) -> int:
        """a, b or c → their sum."""
        return a + b + c

    calls.clientside(
        ClientsideFunction("iocTest", "echo"), Output("a", "title"), Input("a", "value")
    )
    return calls, combine


def _tiny_app() -> dash.Dash:
    app = dash.Dash(__name__)
    app.layout = html.Div(id="out")
    return app


def test_the_decorated_function_stays_plain_and_callable() -> None:
    _, combine = _tiny_registry()
    assert combine(1, 2, c=3) == 6 and combine.__name__ == "combine"


def test_a_registry_wires_every_app_it_is_given_through_the_guard() -> None:
    calls, _ = _tiny_registry()
    apps = [_tiny_app(), _tiny_app()]
    for app in apps:
        calls.register(app)
    for app in apps:
        registry = app.server.config[CALLBACK_REGISTRY]
        assert len(app.callback_map) == 2
        assert sorted(registry.values(), key=lambda a: a.public) == [SIGNED_IN, PUBLIC]
        entry = app.callback_map["out.children"]
        assert [i["id"] for i in entry["inputs"]] == ["a", "b"]
        assert [s["id"] for s in entry["state"]] == ["c"]


def test_a_callback_without_access_or_with_inline_javascript_is_refused() -> None:
    calls = CallbackRegistry()
    with pytest.raises(TypeError):
        calls.callback(Output("x", "children"), Input("y", "value"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        calls.clientside("function(x) { return x; }", Output("x", "children"), Input("y", "value"))  # type: ignore[arg-type]
