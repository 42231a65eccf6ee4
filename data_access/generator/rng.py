"""Independent, reproducible random streams: one numpy PCG64 generator per named purpose."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """The random generator of ``name`` for ``seed``: ``Generator(PCG64([seed, crc32(name)]))``.

    Separate streams keep one part of the warehouse unchanged when another part draws
    more or fewer numbers (e.g. the national extension does not move the city's rows).
    """
    if seed < 0:
        raise ValueError("the seed must be a non-negative integer")
    return np.random.Generator(np.random.PCG64([seed, zlib.crc32(name.encode("utf-8"))]))
