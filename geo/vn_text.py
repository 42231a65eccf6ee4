"""Vietnamese text normaliser for search: diacritic folding and abbreviations (typo distance
is in :mod:`geo.typos`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import chain, compress, count, pairwise

__all__ = [
    "ABBREVIATIONS",
    "TYPE_TOKENS",
    "core_tokens",
    "fold",
    "fold_words",
    "normalise",
    "normalise_many",
    "normalise_words",
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
