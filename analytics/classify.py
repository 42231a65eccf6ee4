"""Classing a map variable: quantiles, equal intervals and natural breaks (Fisher–Jenks)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

METHODS = ("quantile", "equal_interval", "natural_breaks")


def _clean(values: Sequence[float] | np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return np.sort(array[np.isfinite(array)])


def _finish(edges: np.ndarray, low: float, high: float) -> list[float]:
    """Breaks from ``low`` to ``high`` with duplicated edges removed (few distinct values).

    An inner break may equal ``low``: the lowest value then forms a class of its own.
    """
    inner = [float(edge) for edge in edges if low <= edge < high]
    return [float(low), *sorted(set(inner)), float(high)]


def quantile_breaks(values: Sequence[float] | np.ndarray, k: int) -> list[float]:
    """Class breaks that put about the same number of values in each of ``k`` classes.

    Parameters
    ----------
    values
        The values to class; NaN and infinite values are ignored.
    k
        The number of classes wanted (fewer come back when values repeat).

    Returns
    -------
    list of float
        ``k + 1`` ascending breaks at most, from the minimum to the maximum; empty when there
        are no finite values.
    """
    data = _clean(values)
    if data.size == 0:
        return []
    if data[0] == data[-1]:
        return [float(data[0]), float(data[-1])]
    edges = np.quantile(data, np.linspace(0, 1, k + 1)[1:-1])
    return _finish(edges, data[0], data[-1])


def equal_interval_breaks(values: Sequence[float] | np.ndarray, k: int) -> list[float]:
    """Class breaks that cut the range of the values into ``k`` intervals of equal width.

    Parameters
    ----------
    values
        The values to class; NaN and infinite values are ignored.
    k
        The number of classes.

    Returns
    -------
    list of float
        ``k + 1`` ascending breaks (two when every value is the same; empty when none).
    """
    data = _clean(values)
    if data.size == 0:
        return []
    if data[0] == data[-1]:
        return [float(data[0]), float(data[-1])]
    return [float(edge) for edge in np.linspace(data[0], data[-1], k + 1)]


def jenks_breaks(values: Sequence[float] | np.ndarray, k: int) -> list[float]:
    """Natural breaks: the ``k`` classes with the least within-class sum of squared deviations.

    This is the exact Fisher–Jenks optimisation by dynamic programming (O(k·n²) time), which
    is what "natural breaks" means in GIS software. Above 2,000 values an evenly spaced
    sample of the sorted values (always including both ends) is classed instead.

    Parameters
    ----------
    values
        The values to class; NaN and infinite values are ignored.
    k
        The number of classes (fewer when there are fewer distinct values).

    Returns
    -------
    list of float
        Ascending breaks: the minimum, the upper value of each class but the last, the maximum.
    """
    data = _clean(values)
    if data.size == 0:
        return []
    distinct = np.unique(data)
    if distinct.size <= k:
        return _finish(distinct[:-1], data[0], data[-1])
    if data.size > 2000:
        data = data[np.unique(np.linspace(0, data.size - 1, 2000).round().astype(int))]
    n = data.size
    # Prefix sums make the squared deviation of any run data[i:j] an O(1) lookup.
    s1 = np.concatenate([[0.0], np.cumsum(data)])
    s2 = np.concatenate([[0.0], np.cumsum(data * data)])

    def ssd(i: np.ndarray | int, j: int) -> np.ndarray | float:
        """Sum of squared deviations of data[i:j] (``i`` may be an array of starts)."""
        count = j - np.asarray(i)
        total = s1[j] - s1[i]
        return s2[j] - s2[i] - total * total / count

    cost = np.full((k + 1, n + 1), np.inf)
    start = np.zeros((k + 1, n + 1), dtype=int)
    cost[0, 0] = 0.0
    for classes in range(1, k + 1):
        for j in range(classes, n + 1):
            starts = np.arange(classes - 1, j)
            candidates = cost[classes - 1, starts] + ssd(starts, j)
            best = int(np.argmin(candidates))
            cost[classes, j] = candidates[best]
            start[classes, j] = starts[best]
    uppers: list[float] = []
    j = n
    for classes in range(k, 1, -1):
        i = start[classes, j]
        uppers.append(float(data[i - 1]))
        j = i
    return _finish(np.array(uppers), data[0], data[-1])


BREAKS: dict[str, Callable[[Sequence[float] | np.ndarray, int], list[float]]] = {
    "quantile": quantile_breaks,
    "equal_interval": equal_interval_breaks,
    "natural_breaks": jenks_breaks,
}


def breaks(values: Sequence[float] | np.ndarray, method: str, k: int = 5) -> list[float]:
    """Class breaks of ``values`` by ``method`` (one of :data:`METHODS`).

    Parameters
    ----------
    values
        The values to class.
    method
        ``quantile``, ``equal_interval`` or ``natural_breaks``.
    k
        The number of classes wanted (2–9).

    Returns
    -------
    list of float
        Ascending breaks (see the functions of each method).
    """
    if method not in BREAKS:
        raise ValueError(f"unknown classification {method!r}; use one of {', '.join(METHODS)}")
    if not 2 <= k <= 9:
        raise ValueError("the number of classes must be between 2 and 9")
    return BREAKS[method](values, k)


def assign(values: Sequence[float] | np.ndarray, edges: Sequence[float]) -> np.ndarray:
    """The class (0-based) of each value for ascending ``edges``; -1 for missing values.

    A value equal to an inner break belongs to the lower class, as in the usual legends
    "a – b, b – c" read as "up to b", and the maximum belongs to the last class.

    Parameters
    ----------
    values
        The values to class.
    edges
        Breaks from :func:`breaks`.

    Returns
    -------
    numpy.ndarray
        Integer classes, ``len(edges) - 2`` at most.
    """
    array = np.asarray(values, dtype=float)
    result = np.full(array.shape, -1, dtype=int)
    if len(edges) < 2:
        return result
    inner = np.asarray(edges[1:-1], dtype=float)
    finite = np.isfinite(array)
    result[finite] = np.searchsorted(inner, array[finite], side="left")
    return result
