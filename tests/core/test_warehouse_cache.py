"""The cache in front of the warehouse: identical cold computations run once at a time."""

from __future__ import annotations

import threading
import time

from flask import Flask

from ioc_app.core.warehouse import cache

CALLS: list[str] = []


@cache.memoize(timeout=60)
def _slow_figure(version: str) -> str:
    CALLS.append(version)
    time.sleep(0.3)  # a cold computation: long enough for every thread to arrive during it
    return f"figure of {version}"


def _together(app: Flask, versions: list[str]) -> list[str]:
    answers: list[str] = []
    start = threading.Barrier(len(versions))

    def ask(version: str) -> None:
        with app.app_context():
            start.wait()
            answers.append(_slow_figure(version))

    threads = [threading.Thread(target=ask, args=(v,)) for v in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_concurrent_callers_share_one_cold_computation() -> None:
    app = Flask(__name__)
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    CALLS.clear()
    answers = _together(app, ["v1"] * 8)
    assert answers == ["figure of v1"] * 8
    assert CALLS == ["v1"]  # computed once; seven callers waited for its answer


def test_other_arguments_are_not_held_up() -> None:
    app = Flask(__name__)
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    CALLS.clear()
    answers = _together(app, ["a", "b", "a", "b"])
    assert sorted(answers) == ["figure of a"] * 2 + ["figure of b"] * 2
    assert sorted(CALLS) == ["a", "b"]
