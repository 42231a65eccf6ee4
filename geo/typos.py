"""Typo distance for search: optimal-string-alignment edits and a SymSpell-style lookup of
the vocabulary words within a word's typo budget."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["TYPO2_MIN_LEN", "TYPO_MIN_LEN", "TypoVocabulary", "osa_distance"]

# Typo budget (Damerau/OSA edits): 1 from 3 characters, 2 from 8. Folded Vietnamese syllables
# are short (most have 2-5 letters), so a 4-letter floor would leave "dom" for "đôn" unmatched;
# 2-letter words get none ("le" would match half the vocabulary). Words with digits get none
# (q3 must never match q5).
TYPO_MIN_LEN = 3
TYPO2_MIN_LEN = 8


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
