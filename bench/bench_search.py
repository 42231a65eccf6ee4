"""Benchmark of geo.search at 60,000 synthetic institutions against a naive substring scan."""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from data_access.paths import shared_data_dir  # noqa: E402
from geo.search import SearchIndex, normalise  # noqa: E402
from geo.vn_text import core_tokens  # noqa: E402

SHARED = shared_data_dir()

TYPES = [  # (display prefix, weight): abbreviated and spelled-out forms, as found in real lists
    ("Trường Mầm non", 22),
    ("Trường MN", 4),
    ("Trường Mẫu giáo", 6),
    ("Nhóm trẻ", 4),
    ("Trường Tiểu học", 16),
    ("Trường TH", 3),
    ("Trường THCS", 10),
    ("Trường Trung học cơ sở", 2),
    ("Trường THPT", 5),
    ("Trường Trung học phổ thông", 1),
    ("Trường TH, THCS và THPT", 1),
    ("Trung tâm Ngoại ngữ", 12),
    ("TTNN", 2),
    ("Trung tâm Tin học", 4),
    ("Trung tâm GDNN-GDTX", 1),
    ("Trung tâm Kỹ năng sống", 3),
]
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương"
MIDDLES = "Văn Thị Hữu Đình Minh Quang Thanh Ngọc Công Xuân Bá Thế Đức Kim"
GIVENS = (
    "An Bình Cường Dũng Hải Hùng Hương Lan Linh Long Mai Nam Phúc Quân Sơn Tâm Thảo Trang Tuấn "
    "Việt Yến Hoa Hồng Cúc Khoa Khải Nghĩa Trí Thắng Tài Đạt Hiếu Hòa Vinh Phương Huyền Quý Đôn"
)
NICE = (
    "Sơn Ca|Họa Mi|Hoa Mai|Hoa Sen|Vành Khuyên|Búp Bê|Bé Ngoan|Tuổi Thơ|Ánh Dương|Hướng Dương|"
    "Rạng Đông|Bình Minh|Sao Mai|Thiên Thần|Ngôi Sao|Anh Việt Mỹ|Quốc Tế Á Châu|Việt Úc|"
    "Hoa Phượng|Măng Non|Ban Mai|Tuổi Ngọc|Hạnh Phúc|Việt Anh|Ngọc Lan"
)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _brand(rng: random.Random) -> str:
    n = rng.randint(2, 4)
    sylls = [rng.choice("bcdfghklmnprstvwz") + rng.choice("aeiouy") for _ in range(n)]
    return "".join(sylls).capitalize() + rng.choice(["", "", "n", "x", "s"])


def synthesise(n: int, rng: random.Random) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Plausible HCMC institution names, address text and coordinates."""
    cut = _read(SHARED / "admissions" / "hcmc_grade10_cutoffs_2015_2021_nv123.csv")
    wards = _read(SHARED / "admin" / "hcmc_wards_2021_2025_273_centroids.csv")
    proper = sorted(
        {" ".join(core_tokens(r["school_name_as_published"].split())) for r in cut}
        | {
            r["ward"].removeprefix("Phường ").removeprefix("Xã ").removeprefix("Thị trấn ")
            for r in wards
        }
    )
    proper = [p for p in proper if p and not p.isdigit()]
    nice = NICE.split("|")
    sur, mid, giv = SURNAMES.split(), MIDDLES.split(), GIVENS.split()
    prefixes = [p for p, _ in TYPES]
    weights = [w for _, w in TYPES]
    # invented brand words (language/IT centres) so the vocabulary is not just Vietnamese syllables
    brands = sorted({_brand(rng) for _ in range(4000)})
    names, extra = [], []
    lon, lat = np.empty(n), np.empty(n)
    for i in range(n):
        kind = rng.random()
        if kind < 0.40:
            core = f"{rng.choice(sur)} {rng.choice(mid)} {rng.choice(giv)}"
        elif kind < 0.65:
            core = rng.choice(proper)
        elif kind < 0.85:
            core = rng.choice(nice)
        else:
            core = " ".join(rng.sample(brands, rng.randint(1, 2)))
        if rng.random() < 0.08:
            core += f" {rng.randint(1, 30)}"
        names.append(f"{rng.choices(prefixes, weights)[0]} {core}")
        w = rng.choice(wards)
        street = f"{rng.randint(1, 999)} đường {rng.choice(proper)}"
        extra.append(f"{street}, {w['ward']}, {w['district']}")
        lon[i] = float(w["wardLon"]) + rng.gauss(0, 0.004)
        lat[i] = float(w["wardLat"]) + rng.gauss(0, 0.004)
    return names, extra, lon, lat


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    op = rng.choice("dst")
    if op == "d":
        return word[:i] + word[i + 1 :]
    if op == "t" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("abcdeghiklmnopqrstuvxy") + word[i + 1 :]


def make_queries(names: list[str], count: int, rng: random.Random) -> list[tuple[str, str, int]]:
    """(kind, query, target position) for exact, prefix, typo, abbreviation and order cases."""
    out: list[tuple[str, str, int]] = []
    expand = {
        "thpt": "trung học phổ thông",
        "thcs": "trung học cơ sở",
        "mn": "mầm non",
        "th": "tiểu học",
        "mg": "mẫu giáo",
        "tt": "trung tâm",
    }
    kinds = ["exact", "prefix", "typo", "abbrev", "order"]
    for j in range(count):
        kind = kinds[j % len(kinds)]
        pos = rng.randrange(len(names))
        toks = normalise(names[pos]).split()
        core = core_tokens(toks) or toks
        if kind == "exact":
            q = names[pos]
        elif kind == "prefix":
            text = " ".join(core)
            q = text[: rng.randint(max(1, len(text) // 2), len(text))]
        elif kind == "typo":
            long_words = [k for k, w in enumerate(core) if len(w) >= 4 and w.isalpha()]
            words = list(core)
            if long_words:
                k = rng.choice(long_words)
                words[k] = _typo(words[k], rng)
            q = " ".join(words)
        elif kind == "abbrev":
            q = " ".join(expand.get(t, t) if rng.random() < 0.7 else t for t in toks)
        else:
            q = " ".join(rng.sample(core, len(core)))
        out.append((kind, q, pos))
    return out


def main() -> None:
    """Build, query, compare with the naive scan and print the timings."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=60_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--seed", type=int, default=2025)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    names, extra, lon, lat = synthesise(args.n, rng)
    ids = np.arange(1, args.n + 1) * 7

    builds, cpu = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        index = SearchIndex.build(ids, names, extra=extra, lon=lon, lat=lat)
        builds.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"institutions: {args.n:,}  vocabulary: {len(index._vocab):,}")
    print(
        "index build (wall / CPU): "
        + ", ".join(f"{w:.3f} / {c:.3f} s" for w, c in zip(builds, cpu, strict=True))
        + "  (first run cold; later runs reuse the normaliser's word cache)"
    )

    queries = make_queries(names, args.queries, rng)
    norm_names = [normalise(x) for x in names]
    cores = [" ".join(core_tokens(x.split())) for x in norm_names]
    position = {int(v): k for k, v in enumerate(ids)}
    ours: list[float] = []
    by_kind: dict[str, list[float]] = {}
    found: dict[str, list[bool]] = {}
    for j, (kind, q, pos) in enumerate(queries):
        near = (float(lon[pos]) + 0.02, float(lat[pos])) if j % 2 else None
        t = time.perf_counter()
        hits = index.search(q, limit=20, near=near)
        ours.append(time.perf_counter() - t)
        by_kind.setdefault(kind, []).append(ours[-1])
        # synthetic names repeat, and queries mostly omit the type ("hoa sen" for "MN Hoa
        # Sen" and "MG Hoa Sen"): count a hit on any institution with the same core name
        got = {cores[position[h.id]] for h in hits}
        found.setdefault(kind, []).append(cores[pos] in got)

    base: list[float] = []
    for _, q, _ in queries:
        t = time.perf_counter()
        qn = normalise(q)
        _ = [i for i, nm in enumerate(norm_names) if qn and qn in nm][:20]
        base.append(time.perf_counter() - t)

    def pct(xs: list[float], p: float) -> float:
        return float(np.percentile(np.asarray(xs) * 1000.0, p))

    print(f"queries: {len(queries)}")
    print(
        f"ours     p50 {pct(ours, 50):7.2f} ms  p95 {pct(ours, 95):7.2f} ms  "
        f"max {pct(ours, 100):7.2f} ms"
    )
    print(
        f"baseline p50 {pct(base, 50):7.2f} ms  p95 {pct(base, 95):7.2f} ms  "
        f"max {pct(base, 100):7.2f} ms  (naive substring scan, same normaliser)"
    )
    print(
        f"ratio baseline/ours: p50 {pct(base, 50) / pct(ours, 50):.1f}x  "
        f"p95 {pct(base, 95) / pct(ours, 95):.1f}x"
    )
    for kind, ok in found.items():
        times = by_kind[kind]
        print(
            f"  {kind:6s} p50 {pct(times, 50):6.2f} ms  p95 {pct(times, 95):6.2f} ms  "
            f"target core name in top 20: {sum(ok) / len(ok):6.1%}  (n={len(ok)})"
        )


if __name__ == "__main__":
    main()
