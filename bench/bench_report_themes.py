"""Benchmark: themes of one quarter at city scale (~4,000 reporters), against the baseline.

A quarter is simulated as the generator writes it: each of 4,000 reporters sends 0–2
difficulties and recommendations drawn from the themed phrase bank (about a third without
diacritics), with the previous quarter for the trend. A second run makes every statement
distinct (a reporter-specific tail), the worst case for the de-duplication the method
relies on. Each is timed against the simple method (word-count k-means) in the same run.

Target (issue 10): ≤ 2 s for one quarter. Figures are printed; nothing is asserted.

    python bench/bench_report_themes.py [--reporters 4000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analytics import report_themes  # noqa: E402
from data_access.generator import report_texts  # noqa: E402


def quarter(rng: np.random.Generator, reporters: int, distinct: bool) -> pd.DataFrame:
    """Statements of one simulated quarter: ``report_id, reporter, text``."""
    counts = rng.choice([0, 1, 2, 3, 4], size=reporters, p=[0.2, 0.3, 0.3, 0.1, 0.1])
    owner = np.repeat(np.arange(reporters), counts)
    themes = rng.integers(0, len(report_texts.THEMES), len(owner))
    which = rng.integers(0, 2, len(owner))
    texts = [
        report_texts.statements(rng, np.array([t]), int(w))[0]
        for t, w in zip(themes, which, strict=True)
    ]
    if distinct:
        texts = [f"{t} Điểm trường số {n}." for t, n in zip(texts, range(len(texts)), strict=True)]
    return pd.DataFrame({"report_id": owner, "reporter": owner, "text": texts})


def timed(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reporters", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    for distinct in (False, True):
        now = quarter(rng, args.reporters, distinct)
        before = quarter(rng, args.reporters, distinct)
        both = pd.concat([now, before])["text"].tolist()
        themes = timed(partial(report_themes.quarter_themes, now, before), args.runs)
        simple = timed(partial(report_themes.cluster, both, 10, method="counts"), args.runs)
        kind = "all distinct" if distinct else "generated"
        print(
            f"{kind:>12}: {len(both):,} statements (2 quarters), {len(set(both)):,} distinct; "
            f"themes {themes:.2f} s, simple method {simple:.2f} s, "
            f"ratio {themes / simple:.1f}× (median of {args.runs})"
        )


if __name__ == "__main__":
    main()
