"""Ranked, diacritic-, abbreviation- and typo-tolerant name search over institutions."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from geo.nearest import haversine_m
from geo.typos import TypoVocabulary
from geo.vn_text import (
    core_tokens,
    fold_words,
    normalise,
    normalise_many,
    normalise_words,
)

__all__ = ["KINDS", "SearchHit", "SearchIndex", "normalise"]

KINDS: tuple[str, ...] = ("exact", "prefix", "tokens", "fuzzy")

# Each kind owns a score band, so sorting by score sorts by kind first; equal scores are
# then ordered by distance (when ``near`` is given) and by normalised name.
SCORE_EXACT = 1.0  # normalised query == normalised name
SCORE_EXACT_CORE = 0.95  # == the name without its type prefix ("le quy don" ~ "thpt le quy don")
SCORE_PREFIX = 0.85  # the name, with or without its type prefix, starts with the query
SCORE_TOKENS = 0.6  # every query word is a word of the name, any order (last may be a prefix)
PENALTY_LAST_PREFIX = 0.05  # ... the last word only as a prefix
PENALTY_EXTRA = 0.1  # ... some word only in the extra text (address, ward, district)
PENALTY_OPTIONAL = 0.02  # any kind: matched only once a leading "truong" is dropped
SCORE_FUZZY = 0.35  # every word found, at least one with a typo; minus 0.05 per further edit
SCORE_FUZZY_MIN = 0.15
SCORE_PARTIAL = 0.05  # 3+ words: all but one found, none by typo (reported as "fuzzy")
_KIND_FLOORS = ((0.9, "exact"), (0.7, "prefix"), (0.4, "tokens"))

MAX_QUERY_CHARS = 200
POSITIONS = 6  # leading token ids kept per name for vectorised exact / prefix tests
MAX_TERMS = 10
_Q_EXACT, _Q_PREFIX, _Q_FUZZY1, _Q_FUZZY2 = 4, 3, 2, 1


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the institution id, its score in [0, 1] and how it matched."""

    id: int
    score: float
    kind: str  # 'exact' | 'prefix' | 'tokens' | 'fuzzy'


def _kind(score: float) -> str:
    return next((kind for floor, kind in _KIND_FLOORS if score >= floor), "fuzzy")


def _flatten(token_lists: list[list[str]], tok_id: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids of all documents back to back, and each document's number of tokens."""
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    flat = np.fromiter(
        map(tok_id.__getitem__, chain.from_iterable(token_lists)),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    return flat, lengths


def _postings(flat: np.ndarray, lengths: np.ndarray, n_vocab: int) -> tuple[np.ndarray, ...]:
    """CSR postings: documents of token ``t`` are ``docs[ptr[t]:ptr[t + 1]]`` (ascending)."""
    n = max(len(lengths), 1)
    key = flat * n + np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    key.sort()
    key = key[np.r_[True, key[1:] != key[:-1]]] if key.size else key  # one posting per doc
    ptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(np.bincount(key // n, minlength=n_vocab), out=ptr[1:])
    return ptr, (key % n).astype(np.int32)


def _positions(flat: np.ndarray, lengths: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """Token ids at positions 0..POSITIONS-1 of each document after ``skip`` tokens (-1 pads)."""
    out = np.full((len(lengths), POSITIONS), -1, dtype=np.int32)
    doc = np.repeat(np.arange(len(lengths)), lengths)
    starts = np.cumsum(lengths) - lengths
    pos = np.arange(len(flat)) - starts[doc] - skip[doc]
    ok = (pos >= 0) & (pos < POSITIONS)
    out[doc[ok], pos[ok]] = flat[ok]
    return out


class SearchIndex:
    """Immutable in-memory search index; build once, query from many threads.

    Build with :meth:`SearchIndex.build`. Matching is on canonical tokens (see
    :func:`geo.vn_text.normalise`): exact tokens via CSR posting arrays, the last query word
    also as a prefix (sorted vocabulary, contiguous id range), typos via
    :class:`geo.typos.TypoVocabulary` (SymSpell deletion neighbourhood).
    """

    def __init__(self) -> None:  # use SearchIndex.build
        self._n = 0

    @classmethod
    def build(
        cls,
        ids: Sequence[int] | np.ndarray,
        names: Sequence[str],
        *,
        extra: Sequence[str] | None = None,
        lon: Sequence[float] | np.ndarray | None = None,
        lat: Sequence[float] | np.ndarray | None = None,
    ) -> SearchIndex:
        """Index institution names (and optional lower-weight extra text and coordinates).

        Parameters
        ----------
        ids : sequence of int
            Unique institution ids, returned in :class:`SearchHit`.
        names : sequence of str
            Display names; non-strings (None, NaN) are indexed as empty.
        extra : sequence of str, optional
            Address / ward / old-district text, searched with a lower score.
        lon, lat : sequence of float, optional
            WGS 84 coordinates (both or neither; NaN allowed) for ``near`` tie-breaking.

        Returns
        -------
        SearchIndex

        Raises
        ------
        ValueError
            Lengths differ, ids are not unique, or only one of lon/lat is given.
        """
        self = cls()
        n = len(names)
        self._n = n
        self._ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        if len(self._ids) != n or (extra is not None and len(extra) != n):
            raise ValueError("ids, names and extra must have the same length")
        self._id_order = np.argsort(self._ids, kind="stable")
        self._sorted_ids = self._ids[self._id_order]
        if n and np.any(self._sorted_ids[1:] == self._sorted_ids[:-1]):
            raise ValueError("ids must be unique")
        if (lon is None) != (lat is None):
            raise ValueError("give both lon and lat, or neither")
        self._lon = self._lat = None
        if lon is not None and lat is not None:
            self._lon = np.asarray(lon, dtype=np.float64).reshape(-1)
            self._lat = np.asarray(lat, dtype=np.float64).reshape(-1)
            if len(self._lon) != n or len(self._lat) != n:
                raise ValueError("lon and lat must have the same length as names")

        name_toks = normalise_many(names)
        norm_names = [" ".join(t) for t in name_toks]
        extra_toks = normalise_many(extra) if extra is not None else None
        vocab_set = set(chain.from_iterable(name_toks))
        if extra_toks is not None:
            vocab_set.update(chain.from_iterable(extra_toks))
        self._vocab = sorted(vocab_set)
        self._tok_id = {t: i for i, t in enumerate(self._vocab)}
        nv = len(self._vocab)
        flat, lengths = _flatten(name_toks, self._tok_id)
        self._name_ptr, self._name_docs = _postings(flat, lengths, nv)
        self._extra_ptr = self._extra_docs = None
        if extra_toks is not None:
            self._extra_ptr, self._extra_docs = _postings(*_flatten(extra_toks, self._tok_id), nv)
        # names and "cores" (names without their type prefix) by token position
        core_len = np.fromiter((len(core_tokens(t)) for t in name_toks), np.int64, count=n)
        self._name_len, self._core_len = lengths, core_len
        self._name_pos = _positions(flat, lengths, np.zeros(n, dtype=np.int64))
        self._core_pos = _positions(flat, lengths, lengths - core_len)
        self._norm_names = norm_names
        names_arr = np.array(norm_names, dtype=np.dtypes.StringDType())
        self._rank = np.empty(n, dtype=np.int64)  # position in (normalised name, build) order
        self._rank[np.argsort(names_arr, kind="stable")] = np.arange(n, dtype=np.int64)

        # typo tolerance for words of names only: address words match exactly or as prefixes
        in_names = np.zeros(nv, dtype=bool)
        in_names[flat] = True
        self._typos = TypoVocabulary(self._vocab, include=in_names.tolist())
        return self

    def __len__(self) -> int:
        """Number of indexed institutions."""
        return self._n

    @property
    def ids(self) -> np.ndarray:
        """Institution ids in build order (read-only view)."""
        view = self._ids.view()
        view.flags.writeable = False
        return view

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        near: tuple[float, float] | None = None,
        candidates: np.ndarray | Sequence[int] | None = None,
    ) -> list[SearchHit]:
        """Ranked matches for a free-text query.

        Parameters
        ----------
        query : str
            User text, any case, with or without diacritics and abbreviations.
        limit : int, default 20
            Maximum number of hits.
        near : tuple of float, optional
            User location ``(lon, lat)``; among equal scores, nearer institutions come first.
        candidates : numpy.ndarray, optional
            Restrict to these institutions: a boolean mask in build order, or an array of ids.

        Returns
        -------
        list of SearchHit
            Best first: exact, prefix, all-words, then typo matches; ties by distance then
            name. Empty for an empty or whitespace-only query.

        Raises
        ------
        ValueError
            ``near`` given but the index has no coordinates; a malformed ``candidates``.
        """
        if not isinstance(query, str):
            raise TypeError("query must be a str")
        text = query[:MAX_QUERY_CHARS]
        words = normalise_words(text)
        if limit <= 0 or not words or not self._n:
            return []
        if near is not None and self._lon is None:
            raise ValueError("near needs an index built with lon/lat")
        mask = None if candidates is None else self._candidate_mask(candidates)
        variants = [words]
        # while typing, the last word is unfinished: "le van h" is not "le van huyen" and
        # "bui thi x" is not "bui tx" (thị xã); also match with that word as typed
        raw = fold_words(text)
        if raw[-1].isalpha():
            typed = [*normalise_words(" ".join(raw[:-1])), raw[-1]]
            if typed != words:
                variants.append(typed)
        best = np.full(self._n, -1.0)
        for variant in variants:
            idx, score = self._match(variant, mask)
            best[idx] = np.maximum(best[idx], score)
        idx = np.flatnonzero(best >= 0)
        dist = None
        if near is not None and self._lon is not None and self._lat is not None:
            dist = haversine_m(self._lon[idx], self._lat[idx], at=near)
            dist = np.where(np.isnan(dist), np.inf, dist)
        top = self._top(idx, best[idx], dist, limit)
        return [
            SearchHit(id=int(self._ids[p]), score=float(best[p]), kind=_kind(float(best[p])))
            for p in top
        ]

    def _match(self, words: list[str], mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Positions matching the canonical query words, and their scores."""
        forms = [(" ".join(words), 0.0)]  # what a name may equal or start with, and demotion
        optional = words[0] == "truong" and len(words) > 1  # "trường lê quý đôn": "school"
        if optional:  # ... or the surname Trương: names that have it win ties below
            words = words[1:]
            forms.append((" ".join(words), PENALTY_OPTIONAL))
        terms = list(dict.fromkeys(words))[:MAX_TERMS]
        m = len(terms)
        name_code = np.zeros((m, self._n), dtype=np.int8)
        extra_code = np.zeros((m, self._n), dtype=np.int8)
        for i, term in enumerate(terms):
            self._mark_term(term, term == words[-1], name_code[i], extra_code[i])
        best = np.maximum(name_code, extra_code)
        keep = best.min(axis=0) > 0
        if m >= 3:  # all but one word, the others without typos
            keep |= (best >= _Q_PREFIX).sum(axis=0, dtype=np.int8) >= m - 1
        if mask is not None:
            keep &= mask
        idx = np.flatnonzero(keep)
        score = self._score(forms, terms, words[-1], idx, best[:, idx], name_code[:, idx])
        if optional and (tid := self._tok_id.get("truong")) is not None:
            has = np.isin(idx, self._name_docs[self._name_ptr[tid] : self._name_ptr[tid + 1]])
            tokens_tier = (score >= _KIND_FLOORS[-1][0]) & (score < _KIND_FLOORS[-2][0])
            score = np.round(score - PENALTY_OPTIONAL * (tokens_tier & ~has), 4)
        return idx, score

    def _mark_term(
        self, term: str, is_last: bool, name_row: np.ndarray, extra_row: np.ndarray
    ) -> None:
        """Best match quality of ``term`` per document (0 = absent), for name and extra."""
        fields = [(self._name_ptr, self._name_docs, name_row)]
        if self._extra_ptr is not None and self._extra_docs is not None:
            fields.append((self._extra_ptr, self._extra_docs, extra_row))
        fuzzy = self._typos.lookup(term)
        # ascending quality: later assignments overwrite, leaving the best per document
        for edits, quality in ((2, _Q_FUZZY2), (1, _Q_FUZZY1)):
            vids = [v for v, e in fuzzy if e == edits]
            if vids:
                for ptr, docs, row in fields:
                    row[np.concatenate([docs[ptr[v] : ptr[v + 1]] for v in vids])] = quality
        lo, hi = self._prefix_range(term) if is_last else (0, 0)
        if hi > lo:
            for ptr, docs, row in fields:
                row[docs[ptr[lo] : ptr[hi]]] = _Q_PREFIX
        tid = self._tok_id.get(term)
        if tid is not None:
            for ptr, docs, row in fields:
                row[docs[ptr[tid] : ptr[tid + 1]]] = _Q_EXACT

    def _prefix_range(self, prefix: str) -> tuple[int, int]:
        """Token ids ``lo:hi`` of the vocabulary words starting with ``prefix``."""
        lo = bisect.bisect_left(self._vocab, prefix)
        return lo, bisect.bisect_left(self._vocab, prefix + "\U0010ffff", lo)

    def _score(
        self,
        forms: list[tuple[str, float]],
        terms: list[str],
        last: str,
        idx: np.ndarray,
        best: np.ndarray,
        name_code: np.ndarray,
    ) -> np.ndarray:
        """Score of every candidate position in ``idx`` (see the SCORE_* constants)."""
        min_q = best.min(axis=0)
        full = min_q > 0
        edits = (best == _Q_FUZZY1).sum(axis=0, dtype=np.int8) + 2 * (best == _Q_FUZZY2).sum(
            axis=0, dtype=np.int8
        )
        score = np.full(len(idx), SCORE_PARTIAL)  # not full: one word missing, none by typo
        fz = full & (min_q < _Q_PREFIX)
        fuzzy_score = np.maximum(SCORE_FUZZY - 0.05 * (edits - 1), SCORE_FUZZY_MIN)
        fuzzy_score -= 0.05 * (name_code.min(axis=0) == 0)
        score = np.where(fz, fuzzy_score, score)
        tok = full & (min_q >= _Q_PREFIX)
        in_name = name_code.min(axis=0) >= _Q_PREFIX
        last_prefix = best[terms.index(last)] == _Q_PREFIX if last in terms else False
        tok_score = SCORE_TOKENS - PENALTY_LAST_PREFIX * last_prefix - PENALTY_EXTRA * ~in_name
        score = np.where(tok, tok_score, score)
        sel = np.flatnonzero(tok & in_name)  # only these can be prefix or exact matches
        if sel.size:
            rows, sub = idx[sel], score[sel]
            for form, minus in forms:
                words = form.split()
                n_starts, n_equal = self._starts(rows, words, core=False)
                c_starts, c_equal = self._starts(rows, words, core=True)
                sub = np.where(n_starts | c_starts, np.maximum(sub, SCORE_PREFIX - minus), sub)
                sub = np.where(c_equal, np.maximum(sub, SCORE_EXACT_CORE - minus), sub)
                sub = np.where(n_equal, np.maximum(sub, SCORE_EXACT - minus), sub)
            score[sel] = sub
        return np.round(score, 4)

    def _starts(
        self, rows: np.ndarray, words: list[str], *, core: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Whether each name (or core) at ``rows`` starts with / equals the words."""
        none = np.zeros(len(rows), dtype=bool)
        ids = [self._tok_id.get(w) for w in words]
        lo, hi = self._prefix_range(words[-1])
        if hi == lo or None in ids[:-1]:
            return none, none
        block = (self._core_pos if core else self._name_pos)[rows]
        lengths = (self._core_len if core else self._name_len)[rows]
        m = len(words)
        ok = np.ones(len(rows), dtype=bool)
        for j in range(min(m - 1, POSITIONS)):
            ok &= block[:, j] == ids[j]
        if m <= POSITIONS:
            ok &= (block[:, m - 1] >= lo) & (block[:, m - 1] < hi)
        else:  # longer than the positions kept: confirm the remaining rows on the strings
            form, equal = " ".join(words), none.copy()
            for r in np.flatnonzero(ok):
                toks = self._norm_names[rows[r]].split()
                text = " ".join(toks[len(toks) - lengths[r] :])
                ok[r], equal[r] = text.startswith(form), text == form
            return ok, equal
        if ids[-1] is None:
            return ok, none
        return ok, ok & (block[:, m - 1] == ids[-1]) & (lengths == m)

    def _top(
        self, idx: np.ndarray, score: np.ndarray, dist: np.ndarray | None, limit: int
    ) -> np.ndarray:
        """Positions of the best ``limit`` hits, by score, then distance, then name."""
        if len(idx) > limit:  # keep what can make the cut before the full sort
            threshold = np.partition(score, len(idx) - limit)[len(idx) - limit]
            above = np.flatnonzero(score > threshold)
            tie = np.flatnonzero(score == threshold)
            need = limit - len(above)
            if len(tie) > need:
                key = dist[tie] if dist is not None else self._rank[idx[tie]]
                tie = tie[key <= np.partition(key, need - 1)[need - 1]]
            keep = np.concatenate([above, tie])
            idx, score = idx[keep], score[keep]
            dist = dist[keep] if dist is not None else None
        keys = [self._rank[idx]] if dist is None else [self._rank[idx], dist]
        return idx[np.lexsort([*keys, -score])[:limit]]

    def _candidate_mask(self, candidates: np.ndarray | Sequence[int]) -> np.ndarray:
        """Boolean mask in build order from a mask or an array of ids (unknown ids ignored)."""
        c = np.asarray(candidates)
        if c.dtype == np.bool_:
            if c.shape != (self._n,):
                raise ValueError(f"a boolean candidates mask must have length {self._n}")
            return c
        mask = np.zeros(self._n, dtype=bool)
        if c.size == 0:
            return mask
        if not np.issubdtype(c.dtype, np.integer):
            raise ValueError("candidates must be a boolean mask or an array of integer ids")
        c = c.reshape(-1).astype(np.int64)
        loc = np.minimum(np.searchsorted(self._sorted_ids, c), self._n - 1)
        mask[self._id_order[loc[self._sorted_ids[loc] == c]]] = True
        return mask
