"""Character-level normalization of Vietnamese text, and the folds used for matching and search.

Two folds, both *length-preserving* on NFC text, so that an offset found in a folded copy is
the same offset in the display text (spans stay valid without a mapping table):

- ``fold_tones``: one tone-mark placement ("hoà" -> "hòa", "uỷ" -> "ủy"). Parsers match on it.
- ``fold_search``: no diacritics, đ -> d, lower case. FTS and snippets use it.
"""
from __future__ import annotations

import codecs
import re as stdre
import unicodedata

import regex as re

# --- tone placement ---------------------------------------------------------------------------
# Old style puts the tone on the second vowel of "oa", "oe", "uy" at the end of a syllable
# ("hoà", "thuỷ"); new style on the first ("hòa", "thủy"). Built from the combining marks so
# the table cannot drift from Unicode.
_TONE_MARKS = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền sắc hỏi ngã nặng


def _tone_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for mark in _TONE_MARKS:
            for f, s in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                old = f + unicodedata.normalize("NFC", s + mark)
                new = unicodedata.normalize("NFC", f + mark) + s
                table[old] = new
    return table


_TONES = _tone_table()
# Only at the end of a syllable (no letter follows: "hoàng" is right in both styles) and not
# after q ("quý": "qu" is a consonant there). Written as any "o"/"u" then any of the toned
# vowels, the lookbehind last: the regex module scans for such a pattern two to three times
# faster than for the table's pairs behind a lookbehind (it runs over every document's whole
# text). A pair the table does not hold ("uà": no tone to move) is left as it is
# (``_fold_pair``); no pair can start on its second character, so skipping it misses none.
_TONE_SECONDS = "".join(sorted({old[1] for old in _TONES}))
_TONE_RE = re.compile(rf"[oOuU][{_TONE_SECONDS}](?!\p{{L}})(?<![qQ]..)")


def _fold_pair(m: re.Match) -> str:
    pair = m.group()
    return _TONES.get(pair, pair)


def fold_tones(text: str) -> str:
    """One tone placement for matching; same length as ``text``."""
    # Most texts have no pair to fold, and telling so through the character classes below
    # (codecs and bytes methods, in C) costs half the regex's scan of the text.
    try:
        classes = codecs.charmap_encode(text, "strict", _FAST_ENCODE)[0].translate(_TONE_CLASSES)
    except UnicodeEncodeError:              # a character beyond _FAST_CHARS: the regex decides
        return _TONE_RE.sub(_fold_pair, text)
    return _TONE_RE.sub(_fold_pair, text) if _TONE_PAIR_CLASSES.search(classes) else text


# _TONE_RE read on the classes of _tone_class: "o" (o, u in either case), "S" (a toned second
# vowel), no letter after them, no "q" before.
_TONE_PAIR_CLASSES = stdre.compile(rb"oS(?![oSqL])(?<!qoS)")


# --- the characters of Vietnamese text, for the folds in C ------------------------------------
# The characters Vietnamese text is made of, 256 at most: ASCII (less the control characters a
# cleaned text has none of), every Vietnamese vowel letter with its tone, đ, and the punctuation
# documents print. ``codecs.charmap_encode`` gives each of them a byte of its own (an
# EncodingMap, built from this string: character i -> byte i), in C; a text with any other
# character fails to encode, and the folds then take their plain path.
_VI_VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
_FAST_CHARS = "".join(
    ["\x00\t\n\x0b\x0c\r"]
    + [chr(c) for c in range(0x20, 0x7f)]
    + sorted({unicodedata.normalize("NFC", v + m) for v in _VI_VOWELS for m in ("",) + _TONE_MARKS}
             - set(map(chr, range(128))))
    + ["đĐ“”‘’–—…•·°«»¹²³⁴⁽⁾₂×§"])
# (U+FFFE fills unused places: it marks a byte no character encodes to.)
_FAST_ENCODE = codecs.charmap_build(_FAST_CHARS.ljust(256, "\ufffe"))


def _tone_class(c: str) -> int:
    """fold_tones: a character's class, for bytes.translate. "o": o, u in either case; "S": a
    toned second vowel of _TONE_RE; "q": q; "L": any other letter (\\p{L}, as the regex module
    reads it); ".": no letter."""
    if c in "oOuU":
        return ord("o")
    if c in _TONE_SECONDS:
        return ord("S")
    if c in "qQ":
        return ord("q")
    return ord("L") if re.match(r"\p{L}", c) else ord(".")


_TONE_CLASSES = bytes(_tone_class(c) for c in _FAST_CHARS.ljust(256, "\ufffe"))


# --- search fold ------------------------------------------------------------------------------
_EXTRA = {"đ": "d", "Đ": "d", "Ð": "d", "ð": "d"}


def _fold_char(ch: str) -> str:
    if ch in _EXTRA:
        return _EXTRA[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base.lower()) == 1 else ch


class _FoldTable(dict):
    """code point -> folded character, filled on first sight, for ``str.translate`` (which
    then runs in C: the per-character Python loop was the index writer's main cost)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        f = self[code] = _fold_char(ch) if code > 127 else ch.lower()
        return f


_FOLD_TABLE = _FoldTable()
# For a text made of _FAST_CHARS only, fold_search runs as two codecs in C: the text encoded as
# above, ``charmap_decode`` turns each byte into that character's fold. str.translate looks every
# non-ASCII character up through Python objects: it was ten times slower on Vietnamese text,
# and the index folds every document's text.
_FAST_FOLD = "".join(_FOLD_TABLE[ord(c)] for c in _FAST_CHARS).ljust(256, "\ufffe")


def fold_search(text: str) -> str:
    """Lower case, no diacritics, đ -> d; same length as NFC ``text``."""
    if text.isascii():
        return text.lower()                     # (what the table gives an ASCII character)
    try:
        data = codecs.charmap_encode(text, "strict", _FAST_ENCODE)[0]
    except UnicodeEncodeError:                  # a character beyond _FAST_CHARS
        return text.translate(_FOLD_TABLE)
    return codecs.charmap_decode(data, "strict", _FAST_FOLD)[0]


# --- the character clean-up every reader's output goes through --------------------------------
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# Any character of _SPACES or _ZERO_WIDTH: most texts have none, and one scan by the standard
# ``re`` module (plain character classes read the same there) costs less than the two passes.
_ODD_CHARS = stdre.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\u200b-\u200d\u2060\ufeff\u00ad]")
# Markdown emphasis as saved by some portals: "**TM. ỦY BAN**", "*Dân vận khéo*". A lone "*"
# between spaces (a bullet or a footnote star) is left alone.
_EMPHASIS = re.compile(r"\*{1,3}(?=\S)|(?<=\S)\*{1,3}")


def clean_chars(text: str) -> str:
    """NFC, one kind of line ending and space, no zero-width characters, no markdown emphasis.

    Eth (U+00D0) printed for Đ by some sources is mapped to Đ. Form feeds become line breaks.
    """
    if text.isprintable():
        return _clean_printable(text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\u00d0", "Đ").replace("\ufffe", "-")  # pdfium marks a line-end hyphen U+FFFE
    if _ODD_CHARS.search(text):
        text = _ZERO_WIDTH.sub("", text)
        text = _SPACES.sub(" ", text)
    return _EMPHASIS.sub("", text) if "*" in text else text


def _clean_printable(text: str) -> str:
    """``clean_chars`` of a text whose characters are all printable (``str.isprintable``; NFC
    keeps them so): no line break, tab, odd space, zero-width character or U+FFFE to change,
    none being printable. One test in C in place of seven scans of the text."""
    text = unicodedata.normalize("NFC", text).replace("\u00d0", "Đ")
    return _EMPHASIS.sub("", text) if "*" in text else text


# Every step of clean_chars looks at one character, at "\r\n", or at "*" beside a space or a
# text's edge; so texts joined by a vertical tab (a space to those steps, a boundary to NFC,
# changed by none, never part of "\r\n") clean the same joined as one by one. Keep it so when
# adding a step, or clean_chars_each goes wrong.
_EACH_SEP = "\x0b"


def clean_chars_each(texts: list[str]) -> list[str]:
    """``[clean_chars(t) for t in texts]`` in one pass (a reader gives hundreds of blocks, and
    the per-call cost of the regex passes outweighed the work)."""
    if len(texts) < 2:
        return [clean_chars(t) for t in texts]
    joined = _EACH_SEP.join(texts)
    # Texts all printable (most readers' blocks): none holds the separator, and the joined text
    # has nothing but the separators for the steps that look at unprintable characters.
    if all(map(str.isprintable, texts)):
        return _clean_printable(joined).split(_EACH_SEP)
    if joined.count(_EACH_SEP) != len(texts) - 1:
        return [clean_chars(t) for t in texts]
    return clean_chars(joined).split(_EACH_SEP)


_SPACE_RUN = re.compile(r" {2,}")    # compiled once: re.sub(pattern) looks it up per call


def squash_spaces(text: str) -> str:
    return (_SPACE_RUN.sub(" ", text) if "  " in text else text).strip()
