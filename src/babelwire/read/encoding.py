"""Bytes to text: whatever encoding a scraper left, and mojibake found as repairs, never fixed silently."""

from __future__ import annotations

import codecs
import difflib
from dataclasses import dataclass

import re

import charset_normalizer
import wordfreq
import ftfy

from babelwire.read.errors import ReadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    detected: bool  # True when the encoding was guessed rather than plain UTF-8 or marked by a BOM
    notes: tuple[str, ...] = ()


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first block, and no UTF-16/32 byte-order mark."""
    head = data[:4096]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.05


def decode_bytes(data: bytes, name: str) -> DecodedText:
    """Decodes a file's bytes; raises ReadError naming the input when it is not text."""
    if not data.strip():
        raise ReadError(name, "empty input: no text in it")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding).lstrip("\ufeff"), encoding, False)
            except UnicodeDecodeError as error:
                raise ReadError(name, f"starts with a {encoding} byte-order mark but is not valid {encoding} ({error.reason} at byte {error.start})") from None
    if looks_binary(data):
        raise ReadError(name, "binary data, not text")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    invalid = replaced.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    valid_multibyte = sum(1 for ch in replaced if ord(ch) > 127 and ch != "\ufffd")
    if valid_multibyte >= 2 and invalid <= max(2, valid_multibyte // 4):
        # UTF-8 with a few broken bytes (a truncated or spliced file): keep it, and say so.
        return DecodedText(replaced, "utf-8", False, (f"{invalid} invalid UTF-8 byte sequence(s) replaced by U+FFFD",))
    decoding = _likeliest_decoding(data)
    if decoding is None:
        raise ReadError(name, "invalid bytes: not UTF-8 and no other text encoding fits")
    encoding, text = decoding
    if _garbage_share(text) > 0.02:
        raise ReadError(name, f"invalid bytes: not UTF-8, and read as {encoding} it is not readable text")
    return DecodedText(text, encoding, True, (f"not UTF-8: decoded as {encoding} (detected: its words read as words)",))


# Single-byte encodings scrapers meet most often, tried besides charset-normalizer's guesses
# (which, on short Western European text, can prefer Mac or Central European code pages).
COMMON_WEB_ENCODINGS = ("cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "cp1256", "cp1253", "cp1254")
# Languages whose word lists judge which decoding reads as words.
PLAUSIBILITY_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "cs", "ru", "tr", "sv", "ar", "el", "hu", "ro")
_WORDS = re.compile(r"[^\W\d_]{3,}")


def _known_word_share(text: str) -> float:
    words = [word.lower() for word in _WORDS.findall(text[:3000])][:300]
    if not words:
        return 0.0
    return max(sum(wordfreq.zipf_frequency(word, language, wordlist="small") > 0 for word in words) / len(words) for language in PLAUSIBILITY_LANGUAGES)


def _likeliest_decoding(data: bytes) -> tuple[str, str] | None:
    """(encoding, text): the decoding whose text reads most like words of some language."""
    candidates: dict[str, str] = {}
    for match in charset_normalizer.from_bytes(data):
        candidates.setdefault(match.encoding, str(match))
    for encoding in COMMON_WEB_ENCODINGS:
        try:
            candidates.setdefault(encoding, data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        return None
    order = {encoding: index for index, encoding in enumerate(COMMON_WEB_ENCODINGS)}
    best = max(candidates.items(), key=lambda item: (round(_known_word_share(item[1]), 2), -order.get(item[0], len(order))))
    return best


def _garbage_share(text: str) -> float:
    if not text:
        return 1.0
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    return bad / len(text)


def mojibake_repairs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for each stretch ftfy would fix, as offsets into ``text``.

    Only encoding fixes count (text decoded with the wrong codec); ftfy's other changes, such as
    curly quotes to straight ones, are not repairs of breakage and are left alone.
    """
    config = ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
        fix_surrogates=False, remove_control_chars=False, normalization=None, explain=False,
    )
    repairs: list[tuple[int, int, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        fixed = ftfy.fix_text(line, config)
        if fixed != line:
            matcher = difflib.SequenceMatcher(a=line, b=fixed, autojunk=False)
            for tag, a0, a1, b0, b1 in matcher.get_opcodes():
                if tag != "equal":
                    repairs.append((offset + a0, offset + a1, fixed[b0:b1]))
        offset += len(line)
    return repairs
