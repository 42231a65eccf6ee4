"""Vietnamese text normaliser for search: diacritic folding, abbreviations, typo distance."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import chain, compress, count, pairwise

__all__ = [
    "ABBREVIATIONS",
    "TYPE_TOKENS",
    "TypoVocabulary",
    "core_tokens",
    "fold",
    "fold_words",
    "normalise",
    "normalise_many",
    "normalise_words",
    "osa_distance",
]

# Abbreviation table: folded phrase (diacritics removed, lower case) -> canonical tokens.
# Institution types and admin-unit words become compact codes (they are frequent and users
# type the codes); other abbreviations expand to full words so typing the words works too.
# Deliberate choices, documented because they are conflicts:
# * "th" is "tiểu học" (primary). "TH Thực Hành Sài Gòn" uses TH for "trung học"; it still
#   matches "th thuc hanh" and "thuc hanh sai gon", not "trung hoc thuc hanh".
# * "tt" is "trung tâm" only. "thị trấn" (also written TT.) is left as words: "Thị" is a common
#   middle name, so "thi tran" cannot safely be rewritten.
# * "quận", "phường" become "q<N>"/"p<N>" only before a number ("q3" = "q.3" = "quận 3");
#   alone, "q"/"p" expand to "quan"/"phuong" (never the other way: Quân/Phương are given names).
#   "h" -> "huyen" and "x" -> "xa" likewise ("Huyền" is a given name too).
# * "nn" alone is not expanded (ngoại ngữ / nông nghiệp); "ttnn" is.
# * đường (street) is not touched: it folds to "duong", like the name Dương.
ABBREVIATIONS: dict[str, str] = {
    "trung hoc pho thong": "thpt",
    "trung hoc co so": "thcs",
    "tieu hoc": "th",
    "mam non": "mn",
    "mau giao": "mg",
    "giao duc thuong xuyen": "gdtx",
    "giao duc nghe nghiep": "gdnn",
    "trung tam": "tt",
    "ttgdtx": "tt gdtx",
    "ttgdnn": "tt gdnn",
    "ttnn": "tt ngoai ngu",
    "ttth": "tt tin hoc",
    "dai hoc": "dh",
    "cao dang": "cd",
    "trung cap": "tc",
    "thanh pho": "tp",
    "thi xa": "tx",
    "thi x": "tx",
    "tphcm": "tp ho chi minh",
    "hcm": "ho chi minh",
    "q": "quan",
    "p": "phuong",
    "h": "huyen",
    "x": "xa",
}

# Canonical institution-type tokens: stripped from the front of a name to get its "core"
# ("thpt le quy don" -> "le quy don"), and the words after which "truong" (school) is dropped.
TYPE_TOKENS: frozenset[str] = frozenset(
    {"thpt", "thcs", "th", "mn", "mg", "gdtx", "gdnn", "dh", "cd", "tc", "tt"}
)
_SCHOOL_LEVELS = TYPE_TOKENS - {"tt"}
_ADMIN_NUMBERED = {"q": "q", "quan": "q", "p": "p", "phuong": "p"}  # + a number -> q3, p13
_GLUED = re.compile(r"(q|quan|p|phuong)([0-9]+)")

# phrase rules indexed by first word, longest first: "trung" -> [(trung hoc pho thong), ...]
_RULES: dict[str, list[tuple[list[str], list[str]]]] = {}
for _key in sorted(ABBREVIATIONS, key=lambda k: -len(k.split())):
    _RULES.setdefault(_key.split()[0], []).append((_key.split(), ABBREVIATIONS[_key].split()))
_TRIGGERS = frozenset(_RULES) | frozenset(_ADMIN_NUMBERED)

# Typo budget (Damerau/OSA edits): 1 from 3 characters, 2 from 8. Folded Vietnamese syllables
# are short (most have 2-5 letters), so a 4-letter floor would leave "dom" for "đôn" unmatched;
# 2-letter words get none ("le" would match half the vocabulary). Words with digits get none
# (q3 must never match q5).
TYPO_MIN_LEN = 3
TYPO2_MIN_LEN = 8

_MAX_FOLD_ROUNDS = 4
_CACHE_LIMIT = 200_000
_DIGITS = "0123456789"


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in chain(range(0xC0, 0x250), range(0x1E00, 0x1F00)):
        ch = chr(cp)
        nfd = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in nfd if not unicodedata.combining(c)).lower()
        if base != ch and base.isascii() and base.isalpha():
            table[cp] = base
    for ch in "ĐđÐð":  # Ð/ð (eth) is a common legacy-encoding stand-in for Đ
        table[ord(ch)] = "d"
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    return table


_FOLD = _fold_table()
_NON_WORD = re.compile(r"[\W_]+")


def _fold_once(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).translate(_FOLD)
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s.casefold())
        s = "".join(c for c in s if not unicodedata.combining(c)).translate(_FOLD)
    return _NON_WORD.sub(" ", s).strip()


class _ChunkCache(dict[str, list[str]]):
    """Folded words of one whitespace-free chunk ("P.13," -> ["p", "13"]), memoised."""

    def __missing__(self, chunk: str) -> list[str]:
        s = _fold_once(chunk)
        for _ in range(_MAX_FOLD_ROUNDS if not s.isascii() else 0):  # exotic scripts
            nxt = _fold_once(s)
            if nxt == s:
                break
            s = nxt
        words = s.split()
        if len(self) < _CACHE_LIMIT:  # bounded: queries must not grow it forever
            self[chunk] = words
        return words


_chunks = _ChunkCache()
_fold_chunk = _chunks.__getitem__


def _unglue(word: str) -> str:
    m = _GLUED.fullmatch(word) if word[-1] in _DIGITS else None
    return m[1][0] + (m[2].lstrip("0") or "0") if m else word


class _CanonChunkCache(dict[str, list[str]]):
    """Folded words of one chunk with glued admin numbers rewritten ("Q.03" -> ["q3"])."""

    def __missing__(self, chunk: str) -> list[str]:
        words = [_unglue(w) for w in _fold_chunk(chunk)]
        if len(self) < _CACHE_LIMIT:
            self[chunk] = words
        return words


_canon_cache = _CanonChunkCache({"\x00": ["\x00"]})  # document separator for batches only
_canon_chunk = _canon_cache.__getitem__


def fold_words(text: str) -> list[str]:
    """Words of ``text`` without case, tone marks or diacritics (see :func:`fold`).

    Parameters
    ----------
    text : str
        Any Unicode text.

    Returns
    -------
    list of str
        Folded words, punctuation removed.
    """
    return list(chain.from_iterable(map(_fold_chunk, text.split())))


def fold(text: str) -> str:
    """Remove case, tone marks and diacritics; keep words separated by single spaces.

    Parameters
    ----------
    text : str
        Any Unicode text (NFC or NFD, any case, with punctuation).

    Returns
    -------
    str
        Lower-case words without combining marks (``đ`` -> ``d``), joined by one space.
    """
    return " ".join(fold_words(text))


def _canonical(words: list[str]) -> list[str]:
    """Apply the phrase and admin-number rules left to right, looking only at trigger words."""
    out = words
    triggers = list(compress(count(), map(_TRIGGERS.__contains__, words)))
    if triggers:
        out, i, n = [], 0, len(words)
        for j in triggers:
            if j < i:  # inside a phrase already replaced
                continue
            out += words[i:j]
            w = words[j]
            i = j + 1
            if w in _ADMIN_NUMBERED and i < n and words[i].isascii() and words[i].isdigit():
                out.append(_ADMIN_NUMBERED[w] + (words[i].lstrip("0") or "0"))
                i += 1
                continue
            for pattern, replacement in _RULES.get(w, ()):
                if words[j : j + len(pattern)] == pattern:
                    out += replacement
                    i = j + len(pattern)
                    break
            else:
                out.append(w)
        out += words[i:]
    if "truong" in out:  # "trường" directly before a school level is just the word "school"
        dropped: list[int] = []
        for k in reversed(list(compress(count(), map("truong".__eq__, out)))):
            if k + 1 < len(out) and (out[k + 1] in _SCHOOL_LEVELS or k + 1 in dropped[-1:]):
                dropped.append(k)
        if dropped:
            bounds = [-1, *reversed(dropped), len(out)]
            out = list(chain.from_iterable(out[a + 1 : b] for a, b in pairwise(bounds)))
    return out


def normalise_words(text: str) -> list[str]:
    """Canonical search tokens of ``text``; ``" ".join`` of them is :func:`normalise`.

    Parameters
    ----------
    text : str
        A name, address or user query.

    Returns
    -------
    list of str
        Folded words with abbreviations canonicalised.
    """
    text = text.replace("\x00", " ")  # NUL is punctuation here; the bare chunk is reserved
    return _canonical(list(chain.from_iterable(map(_canon_chunk, text.split()))))


def normalise_many(texts: Sequence[object]) -> list[list[str]]:
    """:func:`normalise_words` of many texts at once (non-strings give ``[]``), faster.

    Parameters
    ----------
    texts : sequence
        Names or addresses; anything that is not a ``str`` (None, NaN) counts as empty.

    Returns
    -------
    list of list of str
        One canonical token list per text, in order.
    """
    strings = [t if isinstance(t, str) else "" for t in texts]
    if not strings:
        return []
    joined = " \x00 ".join(strings)
    if joined.count("\x00") != len(strings) - 1:  # NUL inside a text: keep it apart
        joined = " \x00 ".join(t.replace("\x00", " ") for t in strings)
    # one pass over all words; the rules never match across the separator word
    out = _canonical(list(chain.from_iterable(map(_canon_chunk, joined.split()))))
    bounds = [-1, *compress(count(), map("\x00".__eq__, out)), len(out)]
    return [out[a + 1 : b] for a, b in pairwise(bounds)]


def normalise(text: str) -> str:
    """Canonical search form: folded, abbreviations canonicalised, single spaces.

    Parameters
    ----------
    text : str
        A name, address or user query.

    Returns
    -------
    str
        E.g. ``"Trường Trung học phổ thông Lê Quý Đôn, Quận 3"`` -> ``"thpt le quy don q3"``;
        idempotent (``normalise(normalise(s)) == normalise(s)``).
    """
    return " ".join(normalise_words(text))


def core_tokens(tokens: list[str]) -> list[str]:
    """Tokens of a normalised name without its leading institution-type tokens.

    Parameters
    ----------
    tokens : list of str
        Output of ``normalise(name).split()``.

    Returns
    -------
    list of str
        ``["thcs", "va", "thpt", "tran", "phu"]`` -> ``["tran", "phu"]``.
    """
    i = 0
    while i < len(tokens) and (
        tokens[i] in TYPE_TOKENS
        or (i and tokens[i] == "va" and i + 1 < len(tokens) and tokens[i + 1] in TYPE_TOKENS)
    ):
        i += 1
    return tokens[i:]


def _deletions(word: str, k: int) -> set[str]:
    """``word`` and every string made from it by deleting up to ``k`` characters."""
    out = frontier = {word}
    for _ in range(k):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out = out | frontier
    return out


def osa_distance(a: str, b: str, *, limit: int) -> int:
    """Optimal-string-alignment (Damerau) distance, or ``limit + 1`` once it exceeds ``limit``.

    Parameters
    ----------
    a, b : str
        Tokens to compare.
    limit : int
        Largest distance of interest.

    Returns
    -------
    int
        Number of insertions, deletions, substitutions and adjacent transpositions.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if limit <= 1:
        return _within_one(a, b) if limit == 1 else int(a != b)
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def _within_one(a: str, b: str) -> int:
    """OSA distance capped at 2, in linear time (the common limit-1 case)."""
    if a == b:
        return 0
    i = 0
    short = min(len(a), len(b))
    while i < short and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1 :] == b[i + 1 :]:
            return 1  # substitution
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
        return 1 if swapped and a[i + 2 :] == b[i + 2 :] else 2
    if len(a) > len(b):
        return 1 if a[i + 1 :] == b[i:] else 2
    return 1 if a[i:] == b[i + 1 :] else 2


class TypoVocabulary:
    """Words of a fixed vocabulary within the typo budget of a word (SymSpell-style lookup).

    Every vocabulary word is indexed under its deletion neighbourhood (1 deletion, 2 for words
    that a long query word could reach with 2 edits); a query word looks up its own deletions
    and candidates are confirmed with :func:`osa_distance`. No scan of the vocabulary.
    """

    def __init__(self, vocabulary: Sequence[str], *, include: Sequence[bool] | None = None) -> None:
        """Index ``vocabulary`` (only the words flagged in ``include``, when given)."""
        self._words = list(vocabulary)
        self._by_deletion: dict[str, list[int]] = {}
        for i, word in enumerate(self._words):
            if len(word) >= TYPO_MIN_LEN and word.isalpha() and (include is None or include[i]):
                k = 2 if len(word) >= TYPO2_MIN_LEN - 2 else 1
                for d in _deletions(word, k):
                    self._by_deletion.setdefault(d, []).append(i)

    def lookup(self, word: str) -> list[tuple[int, int]]:
        """Vocabulary positions and edit distances of the words near ``word`` (not itself).

        Parameters
        ----------
        word : str
            A canonical token.

        Returns
        -------
        list of (int, int)
            ``(position in the vocabulary, edits)``, edits 1 or 2; empty for short words.
        """
        if len(word) < TYPO_MIN_LEN or not word.isalpha():
            return []
        k = 2 if len(word) >= TYPO2_MIN_LEN else 1
        seen: set[int] = set()
        out: list[tuple[int, int]] = []
        for d in _deletions(word, k):
            for i in self._by_deletion.get(d, ()):
                if i not in seen:
                    seen.add(i)
                    e = osa_distance(word, self._words[i], limit=k)
                    if 0 < e <= k:
                        out.append((i, e))
        return out
