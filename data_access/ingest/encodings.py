"""Text as it arrives from Vietnamese offices: Unicode in its forms, Windows-1258, TCVN3, VNI.

A CSV file is decoded in this order: a byte-order mark (UTF-8, UTF-16) says what it is; UTF-16
without one shows as NUL bytes in every other place; valid UTF-8 is UTF-8. Anything else is one
of the three 8-bit Vietnamese encodings still in use: each is tried, and the one whose text is
made of Vietnamese letters only wins — unless none does, or two do equally well, in which case
the file is refused with what was found (never guessed).

TCVN3 (ABC, TCVN 5712:1993 VN3) gives every toned lowercase vowel one byte; its fonts
(``.VnTime``/``.VnTimeH``) show capitals with the same bytes. VNI (VNI-Windows) writes the
base letter followed by a byte for the marks. Both tables below cover the Vietnamese letters.
"""

from __future__ import annotations

import re
import unicodedata

# --- TCVN3 (ABC): byte → letter ---------------------------------------------------------------
TCVN3: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

# --- VNI: the byte after a base letter → the marks it adds (lowercase; capitals are 0x20 less)
_VNI_MARKS: dict[int, str] = {
    0xF9: "\u0301", 0xF8: "\u0300", 0xFB: "\u0309", 0xF5: "\u0303", 0xEF: "\u0323",
    0xE2: "\u0302", 0xE1: "\u0302\u0301", 0xE0: "\u0302\u0300", 0xE5: "\u0302\u0309",
    0xE3: "\u0302\u0303", 0xE4: "\u0302\u0323",
    0xEA: "\u0306", 0xE9: "\u0306\u0301", 0xE8: "\u0306\u0300", 0xFA: "\u0306\u0309",
    0xFC: "\u0306\u0303", 0xEB: "\u0306\u0323",
}  # fmt: skip
VNI_MARKS: dict[int, str] = {**_VNI_MARKS, **{b - 0x20: m for b, m in _VNI_MARKS.items()}}
#: Letters VNI writes in one byte.
VNI_SINGLE: dict[int, str] = {
    0xF4: "ơ", 0xD4: "Ơ", 0xF6: "ư", 0xD6: "Ư", 0xF1: "đ", 0xD1: "Đ",
    0xED: "í", 0xEC: "ì", 0xE6: "ỉ", 0xF3: "ĩ", 0xF2: "ị", 0xEE: "ỵ",
    0xCD: "Í", 0xCC: "Ì", 0xC6: "Ỉ", 0xD3: "Ĩ", 0xD2: "Ị", 0xCE: "Ỵ",
}  # fmt: skip
_VNI_BASES = set("aeouyAEOUYơƠưƯ")

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
#: Every Vietnamese letter (base letters with their marks), lower and upper case.
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone)
    for vowel in _VOWELS
    for base in (vowel, vowel.upper())
    for tone in _TONES
) | frozenset("đĐ")


class EncodingRefusedError(ValueError):
    """Bytes that are not text in any encoding we can tell apart safely."""


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (ABC) bytes as Unicode text; bytes outside the table are read as Windows-1252."""
    return "".join(TCVN3.get(b) or bytes([b]).decode("cp1252", "replace") for b in data)


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes as Unicode (NFC) text; other bytes are read as Windows-1252."""
    out: list[str] = []
    for byte in data:
        previous = out[-1] if out else ""
        if byte in VNI_MARKS and previous and previous[-1] in _VNI_BASES:
            out[-1] = unicodedata.normalize("NFC", previous + VNI_MARKS[byte])
        elif byte in VNI_SINGLE:
            out.append(VNI_SINGLE[byte])
        else:
            out.append(bytes([byte]).decode("cp1252", "replace"))
    return unicodedata.normalize("NFC", "".join(out))


def decode_cp1258(data: bytes) -> str:
    """Windows-1258 bytes (tones as combining marks) as composed (NFC) Unicode text."""
    return unicodedata.normalize("NFC", data.decode("cp1258", "replace"))


LEGACY = {"Windows-1258": decode_cp1258, "TCVN3 (ABC)": decode_tcvn3, "VNI": decode_vni}


def _foreign(text: str) -> list[str]:
    """Non-ASCII characters of ``text`` that are not Vietnamese letters."""
    return [c for c in text if ord(c) > 127 and c not in VIETNAMESE_LETTERS]


_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
#: Vowels ending in a glide (i/y, o/u): no final consonant follows them.
_OPEN = (
    "iêu|oai|oao|oay|oeo|uây|uôi|uyu|ươi|ươu|yêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu"
)
_CLOSABLE = "uyê|oă|oa|oe|oo|uâ|uê|uô|uơ|uy|ươ|iê|yê|uya|[aăâeêioôơuưy]"
#: A Vietnamese syllable without its tone: onset, vowels, final consonant.
SYLLABLE = re.compile(f"^{_ONSET}(?:{_OPEN}|(?:{_CLOSABLE})(?:ch|ng|nh|[cmnpt])?)$")
_WORD = re.compile(r"[^\W\d_]+")


def _untoned(word: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", plain)


def _misfit(text: str) -> int:
    """How un-Vietnamese a reading is: foreign characters, and words with a Vietnamese letter
    that are no syllable (more than one tone, or vowels in an order Vietnamese never has).

    A wrong 8-bit reading of Vietnamese is made of Vietnamese letters too (TCVN3's bytes are
    toned vowels in Windows-1258's places), but not of syllables: ``Trường`` in Windows-1258
    read as TCVN3 is ``Trýừèng``, ``Tiểu`` in VNI read as TCVN3 ``Tieồu``.
    """
    bad_words = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        tones = sum(c in _TONE_MARKS for c in unicodedata.normalize("NFD", word))
        if tones > 1 or not SYLLABLE.match(_untoned(word)):
            bad_words += 1
    return len(_foreign(text)) + bad_words


def decode(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; returns the text and the name of the encoding found.

    Raises
    ------
    EncodingRefusedError
        When the bytes are none of the encodings above, or two of them fit equally well.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8 (with BOM)"), "UTF-8 (with BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16"), "UTF-16"
    sample = data[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) // 4 and even == 0:
            return _strict(data, "utf-16-le", "UTF-16 LE"), "UTF-16 LE (without BOM)"
        if even > len(sample) // 4 and odd == 0:
            return _strict(data, "utf-16-be", "UTF-16 BE"), "UTF-16 BE (without BOM)"
    if b"\x00" in sample:
        raise EncodingRefusedError("is not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    return _legacy(data, utf8_error)


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise EncodingRefusedError(
            f"starts as {label} but byte {exc.start:,} is not valid {label}"
        ) from exc


def _legacy(data: bytes, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    """The 8-bit encoding whose reading is made of Vietnamese letters only."""
    readings = {name: decoder(data) for name, decoder in LEGACY.items()}
    fits = {name: _misfit(text) for name, text in readings.items()}
    best = min(fits.values())
    winners = [name for name, foreign in fits.items() if foreign == best]
    if best == 0 and len(winners) == 1:
        return readings[winners[0]], winners[0]
    line = data[: utf8_error.start].count(b"\n") + 1
    found = data[utf8_error.start : utf8_error.start + 4]
    if best == 0:
        raise EncodingRefusedError(
            f"is not UTF-8 (line {line}: bytes {found.hex(' ')}) and reads equally well as "
            f"{' and '.join(winners)}; save it as UTF-8 (CSV UTF-8 in Excel)"
        )
    raise EncodingRefusedError(
        f"is not UTF-8 (line {line}: bytes {found.hex(' ')}), nor Windows-1258, TCVN3 or VNI "
        "text; save it as UTF-8 (CSV UTF-8 in Excel)"
    )


def encode_tcvn3(text: str) -> bytes:
    """Unicode text as TCVN3 bytes (capitals with tones are written as lowercase, as the
    ``.VnTimeH`` fonts do); for tests and for writing files old systems read."""
    table = {letter: byte for byte, letter in TCVN3.items()}
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if char in table:
            out.append(table[char])
        elif char.lower() in table and char not in "ĂÂÊÔƠƯĐ":
            out.append(table[char.lower()])
        else:
            out += char.encode("cp1252")
    return bytes(out)


def encode_vni(text: str) -> bytes:
    """Unicode text as VNI bytes (for tests and for writing files old systems read)."""
    singles = {letter: byte for byte, letter in VNI_SINGLE.items()}
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if char in singles:
            out.append(singles[char])
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, rest = decomposed[0], decomposed[1:]
        if "\u031b" in rest:  # horn: ơ ư are letters of their own in VNI
            base = unicodedata.normalize("NFC", base + "\u031b")
            rest = rest.replace("\u031b", "")
        # NFD puts a dot below before a circumflex or breve; VNI's bytes name them the other way
        marks = "".join(c for c in rest if c not in _TONE_MARKS) + "".join(
            c for c in rest if c in _TONE_MARKS
        )
        if not marks:
            out += base.encode("cp1252") if base not in singles else bytes([singles[base]])
            continue
        upper = char.isupper()
        table = {m: b for b, m in _VNI_MARKS.items()}
        if marks not in table:
            raise ValueError(f"VNI has no form for {char!r}")
        out += base.encode("cp1252") if base not in singles else bytes([singles[base]])
        out.append(table[marks] - (0x20 if upper else 0))
    return bytes(out)


def encode_cp1258(text: str) -> bytes:
    """Unicode text as Windows-1258 bytes: letters with ˘ ˆ and horn precomposed, tones as
    combining marks after them (how Windows writes Vietnamese in that code page)."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += (base + tones).encode("cp1258")
    return bytes(out)
