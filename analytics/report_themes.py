"""Themes of a quarter's difficulties (5) and recommendations (6): text clustering in numpy.

The method (measured in docs/reporting.md): fold every statement (case, tone marks and
diacritics removed by :func:`geo.vn_text.fold_words`, so "kinh phí" and "kinh phi" are one
word), drop function words, then describe it by TF-IDF over word unigrams + bigrams and over
character 3–5-grams inside words (robust to typos and compounds), each block L2-normalised,
and cluster with spherical k-means (cosine, k-means++ seeding, fixed seed, best of a few
starts). Identical folded statements are clustered once, with their count as weight, which is
what makes thousands of reports fast. The simple baseline is k-means on raw word counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from analytics.kmeans import (
    centres,
    count_kmeans,
    normalised,
    spherical_kmeans,
)
from geo.vn_text import fold_words

Folder = Callable[[str], list[str]]
#: Function words and report boilerplate (folded), which say nothing about the theme.
STOPWORDS = frozenset(
    [
        "chua",
        "co",
        "cac",
        "cho",
        "va",
        "cua",
        "de",
        "nghi",
        "kien",
        "xuat",
        "duoc",
        "khong",
        "con",
        "da",
        "nhieu",
        "mot",
        "so",
        "theo",
        "trong",
        "tai",
        "don",
        "vi",
        "voi",
        "khi",
        "nen",
        "phai",
        "la",
        "o",
        "tu",
        "ve",
        "nhu",
        "thi",
        "bi",
        "dang",
        "cung",
        "hoac",
        "hay",
        "nay",
        "do",
        "tren",
        "nha",
        "truong",
        "sau",
        "lam",
        "the",
        "can",
        "nhung",
        "qua",
        "it",
        "rat",
        "moi",
        "tung",
        "ca",
        "gay",
        "viec",
        "hien",
        "van",
        "dung",
        "cung",
        "cap",
        "the",
        "dam",
        "bao",
        "bo",
        "sung",
        "sgd",
        "so",
        "dv",
        "nam",
        "quy",
        "ke",
        "hoach",
        "thuc",
        "hien",
        "trien",
        "khai",
    ]
)
WORD_WEIGHT, CHAR_WEIGHT = 1.0, 0.3
MAX_WORD_FEATURES, MAX_CHAR_FEATURES = 1500, 1500


@dataclass(frozen=True)
class Theme:
    """One theme of a quarter: its label, how many units raise it, the trend, quotes."""

    label: str
    terms: tuple[str, ...]
    statements: int
    units: int
    previous_units: int
    trend: float
    quotes: tuple[str, ...]
    report_ids: tuple[int, ...]
    #: Every statement of the quarter in the theme: (report id, text).
    members: tuple[tuple[int, str], ...] = ()


def words(text: str, fold: Folder = fold_words) -> list[str]:
    """Folded content words of a statement (function words and numbers dropped)."""
    return [w for w in _slots(fold(text)) if w is not None]


def _slots(folded: list[str]) -> list[str | None]:
    """Each folded word, or None where a function word or number was (a gap)."""
    return [None if w in STOPWORDS or w.isdigit() or len(w) < 2 else w for w in folded]


def terms(text: str, fold: Folder = fold_words) -> list[str]:
    """Content words and the bigrams of content words that stand side by side (within a
    clause: punctuation breaks a pair)."""
    slots: list[str | None] = []
    for clause in CLAUSE.split(text):
        slots += [*_slots(fold(clause)), None]
    pairs = [f"{a} {b}" for a, b in pairwise(slots) if a is not None and b is not None]
    return [w for w in slots if w is not None] + pairs


def _grams(tokens: list[str]) -> list[str]:
    out = []
    for token in tokens:
        padded = f" {token} "
        out += [padded[i : i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    return out


def _tfidf(docs: list[list[str]], weights: np.ndarray, limit: int) -> np.ndarray:
    """Dense TF-IDF (sublinear tf, smooth idf) of the ``limit`` most frequent features,
    rows L2-normalised. ``weights`` counts how many statements each doc stands for."""
    return _tfidf_named(docs, weights, limit)[0]


def _tfidf_named(
    docs: list[list[str]], weights: np.ndarray, limit: int
) -> tuple[np.ndarray, list[str]]:
    """:func:`_tfidf` and the names of its columns."""
    df: Counter[str] = Counter()
    for doc, weight in zip(docs, weights, strict=True):
        for feature in set(doc):
            df[feature] += int(weight)
    kept = [f for f, n in df.most_common(limit) if n >= 2] or [f for f, _ in df.most_common(limit)]
    index = {f: i for i, f in enumerate(kept)}
    matrix = np.zeros((len(docs), len(kept)), dtype=np.float32)
    for row, doc in enumerate(docs):
        for feature, count in Counter(doc).items():
            column = index.get(feature)
            if column is not None:
                matrix[row, column] = 1.0 + np.log(count)
    total = weights.sum()
    idf = np.log((1 + total) / (1 + np.array([df[f] for f in kept], dtype=np.float32))) + 1
    matrix *= idf
    return normalised(matrix), kept


#: What each expected theme is about, in the Department's words (folded before use). These
#: seed the clusters so that a theme keeps its identity from one quarter to the next; extra
#: clusters (``k`` above the lexicon) catch what nobody expected.
THEME_LEXICON: dict[str, str] = {
    "funding": "kinh phí ngân sách dự toán nguồn vốn tài chính giải ngân phân bổ chi",
    "equipment": "máy tính phòng máy thiết bị máy chiếu màn hình phòng học thông minh "
    "cấu hình hư hỏng trang bị",
    "internet": "đường truyền internet mạng băng thông wifi cáp quang tốc độ kết nối",
    "skills": "tập huấn bồi dưỡng kỹ năng năng lực trình độ thành thạo lúng túng",
    "integration": "liên thông kết nối dữ liệu đồng bộ phần mềm hệ thống trùng lặp cơ sở dữ liệu",
    "workload": "nhập liệu báo cáo khối lượng nhập quá tải thời gian biểu mẫu trùng",
    "guidance": "văn bản hướng dẫn quy định quy chế ban hành thông tư pháp lý",
    "security": "an toàn thông tin bảo mật virus mã độc tấn công mật khẩu sao lưu an ninh mạng",
    "elearning": "học liệu bài giảng điện tử trực tuyến e-learning kho học liệu số video thư viện",
    "devices": "phụ huynh học sinh điện thoại thiết bị gia đình ứng dụng hoàn cảnh khó khăn",
}
PUNCTUATION = ".,;:!?()\"'"
CLAUSE = re.compile(r"[.,;:!?()]")
#: How strongly a centroid stays anchored to its lexicon while it moves to its members.
ANCHOR = 0.5


@dataclass(frozen=True)
class Clustering:
    """Cluster labels per text, the centroids, the features and the feature names."""

    labels: np.ndarray
    centroids: np.ndarray
    vectors: np.ndarray
    terms: list[str]


def seeded_kmeans(
    x: np.ndarray, seeds: np.ndarray, k: int, weights: np.ndarray, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means started from ``seeds`` (lexicon vectors), each centroid anchored to
    its seed; clusters beyond the seeds start k-means++-style from the rows farthest away."""
    rng = np.random.default_rng(seed)
    centroids = seeds.copy()
    anchors = seeds.copy()
    while len(centroids) < k:
        gap = np.maximum(1 - (x @ centroids.T).max(axis=1), 0) * weights
        pick = int(rng.choice(len(x), p=gap / gap.sum())) if gap.sum() > 0 else 0
        centroids = np.vstack([centroids, x[pick]])
        anchors = np.vstack([anchors, np.zeros_like(x[pick])])
    labels = np.full(len(x), -1)
    for _ in range(30):
        new = (x @ centroids.T).argmax(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        moved = centres(x, labels, weights, len(centroids), centroids)
        centroids = normalised(moved + ANCHOR * anchors)
    return labels, centroids


def _vectors(docs: list[list[str]], weights: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Word (uni+bigram) and character TF-IDF blocks side by side, and the word terms."""
    word_block, names = _tfidf_named(docs, weights, MAX_WORD_FEATURES)
    unigrams = [[w for w in doc if " " not in w] for doc in docs]
    char_block = _tfidf([_grams(t) for t in unigrams], weights, MAX_CHAR_FEATURES)
    both = np.hstack([WORD_WEIGHT * word_block, CHAR_WEIGHT * char_block])
    return normalised(both), names


def cluster(
    texts: Sequence[str],
    k: int = 10,
    *,
    method: str = "seeded",
    seed: int = 0,
    fold: Folder = fold_words,
) -> Clustering:
    """Cluster statements by ``method``: ``seeded`` (the one used), ``tfidf`` (unseeded
    spherical k-means on the same vectors) or ``counts`` (the simple baseline)."""
    known: dict[str, list[str]] = {}
    tokens = [known[t] if t in known else known.setdefault(t, terms(t, fold)) for t in texts]
    keys = [" ".join(t) for t in tokens]
    unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    first = {key: i for i, key in reversed(list(enumerate(keys)))}
    docs = [tokens[first[key]] for key in unique]
    weights = counts.astype(np.float64)
    if method == "counts":
        docs = [[w for w in d if " " not in w] for d in docs]
        vocabulary = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
        x = np.zeros((len(docs), len(vocabulary)))
        for row, doc in enumerate(docs):
            for word in doc:
                x[row, vocabulary[word]] += 1
        labels = count_kmeans(x, k, weights, seed=seed)
        return Clustering(labels[inverse], np.zeros((0, 0)), x[inverse], sorted(vocabulary))
    lexicon = [terms(text, fold) for text in THEME_LEXICON.values()] if method == "seeded" else []
    x, names = _vectors(docs + lexicon, np.concatenate([weights, np.ones(len(lexicon))]))
    data, seeds = x[: len(docs)], x[len(docs) :]
    if method == "seeded":
        labels, centroids = seeded_kmeans(data, seeds, max(k, len(seeds)), weights, seed=seed)
    else:
        labels, centroids = spherical_kmeans(data, k, weights, seed=seed)
    return Clustering(labels[inverse], centroids, data[inverse], names)


def statements(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per statement: ``report_id, reporter, text`` with multi-line texts split."""
    rows = frame.dropna(subset=["text"]).assign(text=lambda f: f["text"].str.split("\n"))
    rows = rows.explode("text")
    rows["text"] = rows["text"].str.strip()
    return rows[rows["text"].str.len() > 0].reset_index(drop=True)


def _content_pairs(text: str, fold: Folder) -> list[tuple[str, str] | None]:
    """(folded, as written) for each content word of a statement, None for the others."""
    out: list[tuple[str, str] | None] = []
    for raw in text.split():
        word = raw.strip(PUNCTUATION)
        folded = fold(word)
        content = len(folded) == 1 and _slots(folded)[0] is not None
        out.append((folded[0], word.lower()) if content else None)
        if raw[-1] in PUNCTUATION:
            out.append(None)
    return out


def surface_forms(texts: Sequence[str], fold: Folder = fold_words) -> dict[str, str]:
    """Folded term (word or bigram) → how people write it, preferring diacritics."""
    seen: dict[str, Counter[str]] = {}
    for text, times in Counter(texts).items():  # statements repeat: read each text once
        pairs = _content_pairs(text, fold)
        grams = [p for p in pairs if p is not None] + [
            (f"{one[0]} {two[0]}", f"{one[1]} {two[1]}")
            for one, two in pairwise(pairs)
            if one is not None and two is not None
        ]
        for folded, written in grams:
            seen.setdefault(folded, Counter())[written] += times
    out = {}
    for folded, forms in seen.items():
        marked = [(n, w) for w, n in forms.items() if not w.isascii()]
        out[folded] = max(marked)[1] if marked else forms.most_common(1)[0][0]
    return out


def _label(weights: np.ndarray, terms: list[str], forms: dict[str, str], top: int) -> list[str]:
    """The ``top`` heaviest terms, none sharing a word with a heavier one, as written."""
    chosen: list[str] = []
    used: set[str] = set()
    # A two-word term says more than either word ("an toàn", "thông tin"): count it double.
    boost = np.array([2.0 if " " in term else 1.0 for term in terms])
    for index in np.argsort(-weights[: len(terms)] * boost):
        term = terms[index]
        if term not in forms or used & set(term.split()):
            continue
        chosen.append(term)
        used |= set(term.split())
        if len(chosen) == top:
            break
    return [forms[term] for term in chosen]


def quarter_themes(
    current: pd.DataFrame,
    previous: pd.DataFrame | None = None,
    *,
    k: int = 10,
    quotes: int = 3,
    top_terms: int = 4,
    fold: Folder = fold_words,
) -> list[Theme]:
    """The themes of a quarter's difficulties and recommendations, largest first.

    Parameters
    ----------
    current, previous
        Statements of this quarter and of the one before: ``report_id, reporter, text``
        (a text may hold several statements, one per line).
    k
        Number of clusters (at least the number of themes in :data:`THEME_LEXICON`).
    quotes
        Statements quoted per theme: the closest to its centre, with diacritics first.
    top_terms
        Terms in a theme's label.
    fold
        The folding of Vietnamese (default :func:`geo.vn_text.fold_words`).

    Returns
    -------
    list of Theme
        Non-empty themes: ``units`` and ``previous_units`` are distinct reporters raising it,
        ``trend`` the change in units against the previous quarter.
    """
    now = statements(current).assign(period=1)
    before = statements(previous).assign(period=0) if previous is not None else now.iloc[:0]
    rows = pd.concat([now, before], ignore_index=True)
    if rows.empty:
        return []
    fitted = cluster(rows["text"].tolist(), k, fold=fold)
    rows["theme"] = fitted.labels
    themes = []
    for number, centroid in enumerate(fitted.centroids):
        mine = rows[(rows["theme"] == number) & (rows["period"] == 1)]
        if mine.empty:
            continue
        forms = surface_forms(mine["text"].tolist(), fold)
        members = fitted.vectors[mine.index]
        earlier = rows[(rows["theme"] == number) & (rows["period"] == 0)]
        closeness = members @ centroid
        ranked = mine.assign(_close=closeness, _plain=mine["text"].map(str.isascii))
        ranked = ranked.sort_values(["_plain", "_close"], ascending=[True, False])
        terms = _label(members.mean(axis=0), fitted.terms, forms, top_terms)
        units, before_units = mine["reporter"].nunique(), earlier["reporter"].nunique()
        themes.append(
            Theme(
                label=", ".join(terms),
                terms=tuple(terms),
                statements=len(mine),
                units=int(units),
                previous_units=int(before_units),
                trend=float(units - before_units),
                quotes=tuple(ranked["text"].drop_duplicates().head(quotes)),
                report_ids=tuple(sorted({int(r) for r in mine["report_id"]})),
                members=tuple(
                    zip(mine["report_id"].astype(int).tolist(), mine["text"], strict=True)
                ),
            )
        )
    return sorted(themes, key=lambda t: (-t.units, t.label))
