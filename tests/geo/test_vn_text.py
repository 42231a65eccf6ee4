"""Vietnamese text normaliser and typo distance: examples, properties, reference checks."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from geo.typos import TypoVocabulary, osa_distance
from geo.vn_text import core_tokens, fold, normalise, normalise_many, normalise_words

# --- normaliser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("THPT Lê Quý Đôn", "thpt le quy don"),
        ("Trường Trung học phổ thông Lê Quý Đôn", "thpt le quy don"),
        ("Trường THCS Nguyễn Du", "thcs nguyen du"),
        ("trường tiểu học Lê Văn Tám", "th le van tam"),
        ("Trường Mầm non Hoa Sen", "mn hoa sen"),
        ("Mẫu giáo Sơn Ca", "mg son ca"),
        ("Trung tâm Giáo dục thường xuyên Quận 1", "tt gdtx q1"),
        ("TTNN Việt Mỹ", "tt ngoai ngu viet my"),
        ("Trung tâm ngoại ngữ Việt Mỹ", "tt ngoai ngu viet my"),
        ("q3", "q3"),
        ("Q.3", "q3"),
        ("quận 3", "q3"),
        ("Quận 03", "q3"),
        ("P.13", "p13"),
        ("Phường 13", "p13"),
        ("P. Bến Nghé", "phuong ben nghe"),
        ("Q. Bình Thạnh", "quan binh thanh"),
        ("H. Củ Chi", "huyen cu chi"),
        ("TP. Thủ Đức", "tp thu duc"),
        ("Thành phố Thủ Đức", "tp thu duc"),
        ("TX Dĩ An", "tx di an"),
        ("Thị xã Dĩ An", "tx di an"),
        ("THCS-THPT Diên Hồng", "thcs thpt dien hong"),
        ("THPT Tǎng Nhơn Phú A", "thpt tang nhon phu a"),  # U+01CE as in the source file
        ("THPT Trường Chinh", "thpt truong chinh"),  # a name, not the word "school"
        ("Nguyễn Văn Quân", "nguyen van quan"),  # the given name Quân is not "quận"
        ("ÐÔNG", "dong"),  # legacy eth for Đ
        ("ＴＨＰＴ", "thpt"),  # full-width
        ("   ", ""),
        ("<b>\"'&;</b>", "b b"),
    ],
)
def test_normalise_examples(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_nfc_and_nfd_normalise_alike() -> None:
    text = "Trường THPT Nguyễn Thị Minh Khai, Phường Võ Thị Sáu, Quận 3"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert normalise(nfd) == normalise(text) == "thpt nguyen thi minh khai phuong vo thi sau q3"


def test_core_tokens_strip_type_prefix() -> None:
    assert core_tokens(normalise("THCS và THPT Trần Phú").split()) == ["tran", "phu"]
    assert core_tokens(["va", "thpt"]) == ["va", "thpt"]


VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọ"
VI_LETTERS += "ồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
TRICKY = (  # noqa: SIM905 - words that trigger abbreviation rules
    "truong thi x q p h 3 03 quan phuong trung tam hoc pho thong tieu co so thpt th tt ttnn tp "
    "tphcm hcm thanh mam non giao duc thuong xuyen va xa Quận Phường"
).split()
vi_text = st.lists(
    st.one_of(
        st.text(alphabet=VI_LETTERS + "0123456789", min_size=1, max_size=8), st.sampled_from(TRICKY)
    ),
    max_size=8,
).flatmap(
    lambda words: st.lists(
        st.sampled_from([" ", ".", ", ", "-", " . ", "  "]),
        min_size=len(words),
        max_size=len(words),
    ).map(lambda seps: "".join(w + s for w, s in zip(words, seps, strict=True)))
)


@settings(max_examples=400, deadline=None)
@given(vi_text)
@example("Thị X. Dĩ An")  # "thi x" -> "thi xa" -> "tx" unless the rule table covers it
@example("trường Trường THPT q q.3 p. 03")
def test_normalise_is_idempotent_and_diacritic_free(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert once.isascii() and once == once.lower()
    assert once == " ".join(once.split())
    assert normalise(unicodedata.normalize("NFD", text)) == once


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalise_any_unicode_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert not any(unicodedata.combining(c) for c in once)
    assert fold(fold(text)) == fold(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(vi_text, st.text(), st.none(), st.just("a\x00b \x00 q\x00 3")), max_size=6)
)
def test_batch_normalise_matches_one_by_one(texts: list[str | None]) -> None:
    expected = [normalise_words(t) if isinstance(t, str) else [] for t in texts]
    assert normalise_many(texts) == expected


def _osa_reference(a: str, b: str) -> int:
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@given(st.text("abcd", max_size=7), st.text("abcd", max_size=7), st.integers(0, 3))
def test_osa_distance_matches_reference(a: str, b: str, limit: int) -> None:
    assert osa_distance(a, b, limit=limit) == min(_osa_reference(a, b), limit + 1)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text("abcdegh", min_size=1, max_size=10), min_size=1, max_size=60, unique=True),
    st.text("abcdegh1", min_size=1, max_size=10),
)
def test_typo_lookup_equals_a_full_scan(vocabulary: list[str], word: str) -> None:
    # the deletion-neighbourhood lookup must find exactly what scanning every word would
    vocabulary.sort()
    budget = 0 if len(word) < 3 or not word.isalpha() else 2 if len(word) >= 8 else 1
    expected = {
        (i, d)
        for i, v in enumerate(vocabulary)
        if len(v) >= 3 and v.isalpha() and 0 < (d := _osa_reference(word, v)) <= budget
    }
    assert set(TypoVocabulary(vocabulary).lookup(word)) == expected
