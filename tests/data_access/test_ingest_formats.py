"""Files as they arrive in Vietnamese offices: encodings, numbers, dates, merged headers."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_access.ingest.encodings import (
    EncodingRefusedError,
    decode,
    encode_cp1258,
    encode_tcvn3,
    encode_vni,
)
from data_access.ingest.formats import FormatError, parse_date, parse_number

TEXT = "Trường Tiểu học Lê Văn Tám, phường Bến Thành, quận 1, Hồ Chí Minh"


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 (with BOM)"),
        (TEXT.encode("utf-16"), "UTF-16"),
        (TEXT.encode("utf-16-le"), "UTF-16 LE (without BOM)"),
        (TEXT.encode("utf-16-be"), "UTF-16 BE (without BOM)"),
        (encode_cp1258(TEXT), "Windows-1258"),
        (encode_vni(TEXT), "VNI"),
    ],
)
def test_each_encoding_is_recognised(data: bytes, found: str) -> None:
    assert decode(data) == (TEXT, found)


def test_tcvn3_gives_the_letters_in_lowercase_where_its_fonts_did() -> None:
    text, found = decode(encode_tcvn3(TEXT))
    assert found == "TCVN3 (ABC)" and text.lower() == TEXT.lower()
    assert decode(b"Tr\xad\xeang")[0] == "Trường"  # the famous "Tr­êng"


def test_what_cannot_be_told_is_refused_with_what_was_found() -> None:
    with pytest.raises(
        EncodingRefusedError, match=r"is not UTF-8 \(line 2: bytes .*nor Windows-1258, TCVN3 or VNI"
    ):
        decode(b"a,b\n" + "日本語テキスト".encode("shift_jis"))
    with pytest.raises(EncodingRefusedError, match="NUL bytes"):
        decode(b"ab\x00cd\x00\x00\x01")


#: Words of names and addresses, every letter with a mark among them.
WORDS = [
    "Trường",
    "Tiểu",
    "học",
    "Trung",
    "học",
    "cơ",
    "sở",
    "phổ",
    "thông",
    "Mầm",
    "non",
    "Giáo",
    "dục",
    "thường",
    "xuyên",
    "Ngoại",
    "ngữ",
    "Tin",
    "Phường",
    "Xã",
    "Quận",
    "Huyện",
    "Bến",
    "Thành",
    "Tân",
    "Định",
    "Thủ",
    "Đức",
    "Gò",
    "Vấp",
    "Bình",
    "Thạnh",
    "Củ",
    "Chi",
    "Cần",
    "Giờ",
    "Nhà",
    "Bè",
    "Lê",
    "Văn",
    "Tám",
    "Nguyễn",
    "Thị",
    "Minh",
    "Khai",
    "Hồ",
    "Chí",
    "Minh",
    "Trần",
    "Hưng",
    "Đạo",
    "Võ",
    "Thị",
    "Sáu",
    "Phạm",
    "Ngũ",
    "Lão",
    "đường",
    "số",
    "ấp",
    "khu",
    "phố",
    "tổ",
    "dân",
    "cư",
    "giấy",
    "phép",
    "hoạt",
    "động",
    "kỹ",
    "năng",
    "sống",
    "tư",
    "vấn",
    "du",
    "học",
    "ẩn",
    "ặc",
    "ỵ",
    "ỷ",
    "ỹ",
]
sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=12).map(" ".join)


@given(sentences)
def test_a_legacy_encoding_is_read_right_or_refused_never_misread(text: str) -> None:
    for encode, name in ((encode_vni, "VNI"), (encode_cp1258, "Windows-1258")):
        try:
            assert decode(encode(text)) == (text, "UTF-8" if text.isascii() else name)
        except EncodingRefusedError as exc:
            assert "reads equally well as" in str(exc)  # a short text fitting two of them
    try:
        tcvn3, _found = decode(encode_tcvn3(text))
    except EncodingRefusedError as exc:
        assert "reads equally well as" in str(exc)
    else:
        assert tcvn3.lower() == text.lower()


@given(st.binary(max_size=300))
def test_decode_never_fails_otherwise(data: bytes) -> None:
    try:
        text, _found = decode(data)
    except EncodingRefusedError:
        return
    assert isinstance(text, str)


@pytest.mark.parametrize(
    ("text", "whole", "value"),
    [
        ("1.234.567", True, 1234567),
        ("1.234", True, 1234),
        ("1,234", True, 1234),
        ("1.234,5", False, 1234.5),
        ("1,234.5", False, 1234.5),
        ("7,5", False, 7.5),
        ("0.85", False, 0.85),
        ("12 500", True, 12500),
    ],
)
def test_numbers_in_either_convention(text: str, whole: bool, value: float) -> None:
    assert parse_number(text, whole=whole) == value


def test_ambiguous_numbers_are_refused() -> None:
    with pytest.raises(FormatError, match=r"could be 5200 or 5\.200"):
        parse_number("5.200")
    with pytest.raises(FormatError, match="not a number"):
        parse_number("abc")


@given(st.text(max_size=20), st.booleans())
def test_parse_number_raises_only_format_errors(text: str, whole: bool) -> None:
    with contextlib.suppress(FormatError):
        parse_number(text, whole=whole)


def test_dates() -> None:
    assert parse_date("05/01/2024") == date(2024, 1, 5)
    assert parse_date("2024-01-05") == date(2024, 1, 5)
    with pytest.raises(FormatError, match="month/day/year"):
        parse_date("01/25/2024")
    with pytest.raises(FormatError, match="not a real day"):
        parse_date("31/02/2024")


@given(st.dates(min_value=date(1900, 1, 1)))
def test_dates_round_trip(day: date) -> None:
    assert parse_date(day.strftime("%d/%m/%Y")) == day
