"""k-means on the rows of a matrix, weighted, seeded and deterministic, and how well a grouping
agrees with a labelled one (purity, adjusted Rand index). The report themes use it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def normalised(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def spherical_kmeans(
    x: np.ndarray, k: int, weights: np.ndarray, *, seed: int = 0, starts: int = 4
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster unit rows by cosine: (labels, centroids), best weighted cohesion of ``starts``.

    Seeding is k-means++ on the cosine distance; centroids are normalised weighted means.
    """
    rng = np.random.default_rng(seed)
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    k = min(k, len(x))
    for _ in range(starts):
        centroids = x[plus_plus(x, k, weights, rng, cosine=True)]
        labels = np.full(len(x), -1)
        for _ in range(50):
            similarity = x @ centroids.T
            new = similarity.argmax(axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            centroids = centres(x, labels, weights, k, centroids)
            centroids = normalised(centroids)
        score = float((weights * (x @ centroids.T)[np.arange(len(x)), labels]).sum())
        if best is None or score > best[0]:
            best = (score, labels, centroids)
    assert best is not None
    return best[1], best[2]


def count_kmeans(
    x: np.ndarray, k: int, weights: np.ndarray, *, seed: int = 0, starts: int = 4
) -> np.ndarray:
    """The simple baseline: Euclidean k-means (k-means++ seeding) on raw counts."""
    rng = np.random.default_rng(seed)
    best: tuple[float, np.ndarray] | None = None
    k = min(k, len(x))
    squared = (x * x).sum(axis=1)
    for _ in range(starts):
        centroids = x[plus_plus(x, k, weights, rng, cosine=False)]
        labels = np.full(len(x), -1)
        for _ in range(50):
            distance = squared[:, None] - 2 * x @ centroids.T + (centroids**2).sum(axis=1)
            new = distance.argmin(axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            centroids = centres(x, labels, weights, k, centroids)
        inertia = float((weights * distance[np.arange(len(x)), labels]).sum())
        if best is None or -inertia > best[0]:
            best = (-inertia, labels)
    assert best is not None
    return best[1]


def plus_plus(
    x: np.ndarray, k: int, weights: np.ndarray, rng: np.random.Generator, *, cosine: bool
) -> np.ndarray:
    chosen = [int(rng.choice(len(x), p=weights / weights.sum()))]
    gap = np.full(len(x), np.inf)
    for _ in range(1, k):
        last = x[chosen[-1]]
        step = 1 - x @ last if cosine else ((x - last) ** 2).sum(axis=1)
        gap = np.minimum(gap, np.maximum(step, 0))
        p = weights * gap
        chosen.append(int(rng.choice(len(x), p=p / p.sum())) if p.sum() > 0 else chosen[-1])
    return np.array(chosen)


def centres(
    x: np.ndarray, labels: np.ndarray, weights: np.ndarray, k: int, old: np.ndarray
) -> np.ndarray:
    members = np.zeros((k, len(x)), dtype=x.dtype)
    members[labels, np.arange(len(x))] = weights
    sums = members @ x
    mass = members.sum(axis=1, keepdims=True)
    return np.where(mass > 0, sums / np.where(mass == 0, 1, mass), old)


def purity(truth: Sequence[object], labels: Sequence[int]) -> float:
    """Share of items whose cluster's most common true class is their own."""
    table = pd.crosstab(np.asarray(labels), np.asarray(truth))
    return float(table.max(axis=1).sum() / table.to_numpy().sum())


def adjusted_rand_index(truth: Sequence[object], labels: Sequence[int]) -> float:
    """Adjusted Rand index (Hubert and Arabie, 1985) of two partitions: 1 equal, ~0 random."""
    table = pd.crosstab(np.asarray(labels), np.asarray(truth)).to_numpy().astype(np.float64)
    pairs = lambda n: n * (n - 1) / 2  # noqa: E731
    together = pairs(table).sum()
    rows, columns = pairs(table.sum(axis=1)).sum(), pairs(table.sum(axis=0)).sum()
    expected = rows * columns / pairs(table.sum())
    maximum = (rows + columns) / 2
    return float((together - expected) / (maximum - expected)) if maximum != expected else 1.0
