"""Background callbacks: a real manager, and the guard knows (and checks) their access."""

from __future__ import annotations

import time

from dash import CeleryManager, DiskcacheManager, Input, Output, html

from ioc_app.core import background
from ioc_app.core.guard import CALLBACK_REGISTRY, Access, guarded_callback
from tests.helpers import sign_in


def test_the_manager_is_diskcache_alone_and_celery_with_redis(tmp_path) -> None:
    assert isinstance(background.manager("", tmp_path), DiskcacheManager)
    assert isinstance(background.manager("redis://127.0.0.1:6379/15"), CeleryManager)


def _body() -> dict:
    return {
        "output": "bg-out.children",
        "outputs": {"id": "bg-out", "property": "children"},
        "inputs": [{"id": "bg-in", "property": "n_clicks", "value": 1}],
        "state": [],
        "changedPropIds": ["bg-in.n_clicks"],
    }


def test_a_background_callback_is_guarded_and_runs_in_a_worker(app, client) -> None:
    def slow(n_clicks: int) -> str:
        return f"done {n_clicks}"

    app.layout = html.Div([html.Button(id="bg-in"), html.Div(id="bg-out")])
    guarded_callback(
        app,
        Access.of("department"),
        Output("bg-out", "children"),
        Input("bg-in", "n_clicks"),
        background=True,
    )(slow)
    assert app.server.config[CALLBACK_REGISTRY]["bg-out.children"] == Access.of("department")
    assert client.post("/_dash-update-component", json=_body()).status_code == 401
    sign_in(client, "dept.khtc")
    started = client.post("/_dash-update-component", json=_body())
    assert started.status_code == 200, started.data
    job = started.get_json()
    for _ in range(100):  # the job runs in another process; poll as the browser does
        polled = client.post(
            f"/_dash-update-component?cacheKey={job['cacheKey']}&job={job['job']}",
            json=_body(),
        )
        if polled.status_code == 200 and b"done 1" in polled.data:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"the background job did not finish: {polled.data!r}")
