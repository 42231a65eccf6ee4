"""Callbacks declared where they are defined, wired per app through the guard.

Each callbacks module keeps one registry and puts its Outputs and Inputs on the function::

    CALLBACKS = CallbackRegistry()

    @CALLBACKS.callback(ACCESS, Output(ids.X, "children"), Input(ids.Y, "value"))
    def show(value: str) -> Any:
        ...

    CALLBACKS.clientside(ClientsideFunction("iocPage", "urlSync"), Output(...), Input(...))

    def register(app: Any) -> None:
        CALLBACKS.register(app)

The decorator only records the declaration and returns the function unchanged (plain,
typed, directly callable). :meth:`CallbackRegistry.register` wires every recorded callback
on one app through :func:`ioc_app.core.guard.guarded_callback`, so the guard knows each
callback's access before Dash runs anything. Wiring stays explicit per app: every app the
factory builds (one per test) gets all of them, unlike Dash's module-level ``@callback``
list, which the first app in a process drains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dash import ClientsideFunction

from ioc_app.core.guard import Access, clientside_callback, guarded_callback

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Declared:
    """One recorded callback: who may call it, what it runs, and Dash's arguments."""

    access: Access | None  # None: clientside, declared public by the guard
    function: Callable[..., Any] | ClientsideFunction
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)

    def options(self) -> dict[str, Any]:
        """Dash's keyword arguments, with fresh ``inputs``/``state`` dicts: Dash merges
        the inputs into the state dict it is given, and the same declaration is wired on
        many apps."""
        return {k: dict(v) if isinstance(v, dict) else v for k, v in self.kwargs.items()}


class CallbackRegistry:
    """The callbacks of one module, recorded by decorators and wired by :meth:`register`.

    Parameters
    ----------
    *included
        Registries of helper modules (e.g. a page's exports) wired together with this one.
    """

    def __init__(self, *included: CallbackRegistry) -> None:
        self._declared: list[Declared] = []
        self._included = included

    def callback(self, access: Access, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        """Declare a server callback that ``access`` may trigger; the arguments are
        ``app.callback``'s (Outputs, Inputs, States, or ``output=``/``inputs=``/``state=``
        in Dash's dict form, and options such as ``prevent_initial_call``)."""
        if not isinstance(access, Access):
            raise TypeError("a callback declares its Access first (the guard refuses others)")

        def record(function: F) -> F:
            self._declared.append(Declared(access, function, args, kwargs))
            return function

        return record

    def clientside(self, function: ClientsideFunction, *args: Any, **kwargs: Any) -> None:
        """Declare a clientside callback; ``function`` names a function of
        ``window.dash_clientside`` kept in ``assets/*.js`` (no JavaScript in Python strings,
        so a Content-Security-Policy needs no 'unsafe-inline' for our code)."""
        if not isinstance(function, ClientsideFunction):
            raise TypeError(
                "a clientside callback names a ClientsideFunction in assets/*.js, "
                "not JavaScript in a string"
            )
        self._declared.append(Declared(None, function, args, kwargs))

    @property
    def declared(self) -> list[Declared]:
        """Every recorded callback, this module's first, then the included registries'."""
        return [*self._declared, *(d for r in self._included for d in r.declared)]

    def register(self, app: Any) -> None:
        """Wire every recorded callback on ``app`` through the guard."""
        for item in self.declared:
            if item.access is None:
                clientside_callback(app, item.function, *item.args, **item.options())
            else:
                guarded_callback(app, item.access, *item.args, **item.options())(item.function)
