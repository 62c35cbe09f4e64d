"""Legacy 8-bit Vietnamese encodings: TCVN3 (ABC, the ".Vn" fonts) and VNI (the "VNI-" fonts).

Text typed in those fonts reaches us as Latin-1 characters ("Céng hoµ x· héi chñ nghÜa" is
TCVN3, "Coäng hoøa xaõ hoäi chuû nghóa" is VNI). Which one a text is in, if any, is decided by
character statistics: each candidate conversion is scored by the share of its words that are
well-formed Vietnamese syllables, and a conversion is applied only when it reads clearly better
than the text as it stands.

The tables are built from the encodings' layout (a few code ranges plus the rule that forms each
accented letter) rather than typed out letter by letter, so every letter is covered exactly once;
``encode`` inverts them, which lets the tests round-trip real Vietnamese sentences. Checked
against viparse 0.1.31 (MIT): its TCVN3 table agrees with this one on every entry; its VNI
table agrees except that it lacks ẳ ("aú") and writes ỵ as "yï" where VNI fonts use "yî".
"""
from __future__ import annotations

import re as stdre
import unicodedata

import regex as re

# --- TCVN3 (TCVN 5712:1993, VN3 / ABC) -------------------------------------------------------
# One byte per letter. Upper case exists only for the seven base letters (Ă Â Ê Ô Ơ Ư Đ);
# capitals with a tone were drawn by a separate font (.VnTimeH) from the lower-case codes, so
# such text converts to lower case.
_TCVN3_BASE = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
}
# Each vowel's five toned forms, in the byte order the standard gives: huyền, hỏi, ngã, sắc,
# nặng. Gaps in the byte ranges are skipped by listing the codes explicitly.
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TCVN3_TONE_ORDER = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)
_TCVN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _build_tcvn3() -> dict[str, str]:
    table = {chr(b): u for b, u in _TCVN3_BASE.items()}
    for vowel, codes in _TCVN3_TONED.items():
        for code, mark in zip(codes, _TCVN3_TONE_ORDER):
            table[chr(code)] = _nfc(vowel + mark)
    return table


TCVN3 = _build_tcvn3()          # surface character (the byte read as Latin-1) -> letter
_TCVN3_INV = {u: s for s, u in TCVN3.items()}

# --- VNI (VNI-Windows) -----------------------------------------------------------------------
# A letter is a base ASCII letter followed by one mark character; capitals take the capital
# form of the mark. Six letters have a single character of their own: đ ơ ư and the toned i's
# that would clash with the dot of the i (ì í are already themselves).
_VNI_TONE = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
# With a circumflex (a e o) or a breve (a): the mark character carries both.
_VNI_CIRCUMFLEX = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
_VNI_SINGLE = {"ñ": "đ", "ô": "ơ", "ö": "ư", "ò": "ị", "æ": "ỉ", "ó": "ĩ"}
# y with a dot below has its own mark ("î"): the dot must clear the descender.
_VNI_Y_DOT = "î"


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(seq: str, letter: str) -> None:
        for s, u in ((seq, letter), (seq.upper(), letter.upper())):
            table[s] = u
        # A capital base with a small mark (mixed input from old keyboards) reads the same.
        table[seq[0].upper() + seq[1:]] = letter.upper()

    for single, letter in _VNI_SINGLE.items():
        add(single, letter)
    for base in "aeouy":
        for mark_ch, mark in _VNI_TONE.items():
            add(base + mark_ch, _nfc(base + mark))
    for ho, letter in (("ô", "ơ"), ("ö", "ư")):
        for mark_ch, mark in _VNI_TONE.items():
            add(ho + mark_ch, _nfc(letter + mark))
    for base in "aeo":
        for mark_ch, mark in _VNI_CIRCUMFLEX.items():
            add(base + mark_ch, _nfc(base + "\u0302" + mark))
    for mark_ch, mark in _VNI_BREVE.items():
        add("a" + mark_ch, _nfc("a\u0306" + mark))
    add("y" + _VNI_Y_DOT, "ỵ")   # "yï" (the generic dot) is kept as a variant for reading
    # ì í are their own characters in VNI; i + mark is accepted as a variant for reading.
    add("iø", "ì")
    add("iù", "í")
    return table


VNI = _build_vni()              # surface sequence -> letter
_VNI_INV: dict[str, str] = {}
for _seq, _letter in VNI.items():
    # The canonical spelling: capital base with capital mark, small with small.
    if _seq == _seq.upper() or _seq == _seq.lower():
        _VNI_INV.setdefault(_letter, _seq)
_VNI_INV["ỵ"], _VNI_INV["Ỵ"] = "y" + _VNI_Y_DOT, "Y" + _VNI_Y_DOT.upper()
_VNI_LONGEST = max(len(s) for s in VNI)

# In a PDF text layer a .VnTime byte 0xAD (ư) comes out as U+2212 and 0xB7 (ã) as U+2219.
_PDF_GLYPHS = {"\u2212": "\xad", "\u2219": "\xb7"}
_PDF_GLYPH_RE = re.compile(r"(?<=\p{L})[\u2212\u2219]|[\u2212\u2219](?=\p{L})")


def decode_tcvn3(text: str) -> str:
    text = _PDF_GLYPH_RE.sub(lambda m: _PDF_GLYPHS[m.group()], text)
    return "".join(TCVN3.get(ch, ch) for ch in text)


def decode_vni(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        two = text[i:i + 2]
        if len(two) == 2 and two in VNI:
            out.append(VNI[two])
            i += 2
        else:
            out.append(VNI.get(text[i], text[i]))
            i += 1
    return "".join(out)


def _is_vietnamese_letter(ch: str) -> bool:
    base = unicodedata.normalize("NFD", ch)
    return ch in "đĐ" or (len(base) > 1 and base[0].isalpha() and ord(base[0]) < 128)


def encode_tcvn3(text: str) -> str:
    """Unicode -> TCVN3 surface characters (tests). Punctuation passes through; a letter
    TCVN3 lacks (a toned capital) raises ValueError."""
    out = []
    for ch in _nfc(text):
        if ch in _TCVN3_INV:
            out.append(_TCVN3_INV[ch])
        elif _is_vietnamese_letter(ch):
            raise ValueError(f"{ch!r} has no TCVN3 code")
        else:
            out.append(ch)
    return "".join(out)


def encode_vni(text: str) -> str:
    """Unicode -> VNI surface characters (tests). Punctuation passes through."""
    out = []
    for ch in _nfc(text):
        if ch in _VNI_INV and ch not in "ìíÌÍ":
            out.append(_VNI_INV[ch])
        elif _is_vietnamese_letter(ch) and ch not in "ìíÌÍ":
            raise ValueError(f"{ch!r} has no VNI spelling")
        else:
            out.append(ch)
    return "".join(out)


# Windows files: bytes 0x80-0x9F are cp1252 punctuation (“ ” – …), the rest read as Latin-1.
_CP1252_HIGH = {i: bytes([i]).decode("cp1252") for i in range(0x80, 0xA0)
                if i not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def surface(data: bytes) -> str:
    """Bytes of a legacy-font text as the characters a Windows font table shows."""
    return data.decode("latin-1").translate(_CP1252_HIGH)


# --- telling them apart ----------------------------------------------------------------------
_TONE_MARKS = {_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT}
# A Vietnamese syllable without its tone: onset, a vowel nucleus (with its glides) that the
# language has, a final consonant. Wrong decodings make impossible vowel runs ("coọng").
_NUCLEI = sorted("""a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi
    ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê oo iêu yêu oai oay oeo uây uôi ươi ươu uya uyê uyu
    """.split(), key=len, reverse=True)
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"(?:" + "|".join(_NUCLEI) + r")(?:ch|ng|nh|[cmnpt])?")
_WORD = re.compile(r"\w+")


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    if tones > 1:
        return False
    bare = _nfc("".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(bare) is not None


def vietnamese_score(text: str) -> tuple[float, int]:
    """Share of the words with a non-ASCII letter that are Vietnamese syllables, and how many
    such words there were. Gibberish from a wrong decoding scores near 0; real text near 1."""
    words = [w for w in _WORD.findall(text) if not w.isascii() and not w.isdigit()]
    if not words:
        return 0.0, 0
    good = sum(1 for w in words if _is_syllable(w))
    return good / len(words), len(words)


_LATIN1_ONLY = re.compile(r"[^\u0000-\u00ff\u2212\u2219" + "".join(_CP1252_HIGH.values()) + "]")


# Twenty precomposed Vietnamese letters (a plain range, so the standard module, several times
# faster here, reads it the same). One call finds the twentieth (possessive runs between them: a
# text with fewer fails in one pass), where iterating over the matches cost a Python step each.
_PRECOMPOSED_VI_20 = stdre.compile("(?:[^\u1ea0-\u1ef9]*+[\u1ea0-\u1ef9]){20}")


def detect_and_convert(text: str) -> tuple[str, str | None]:
    """Convert ``text`` if it is TCVN3 or VNI read as Latin-1; the name of the encoding found,
    or None when the text is left as it was."""
    sample = text[:20_000]          # enough words to judge by
    # Fast path: precomposed Vietnamese letters (ạ ... ỹ, U+1EA0-U+1EF9) are beyond what
    # TCVN3 or VNI read as Latin-1 or Windows-1258 can produce; plenty of them is Unicode text.
    if _PRECOMPOSED_VI_20.match(sample):
        return text, None
    base, count = vietnamese_score(sample)
    # Unicode Vietnamese has letters beyond Latin-1 (ư ơ đ ạ ...); legacy text has none.
    if count < 3 or (_LATIN1_ONLY.search(sample) and base >= 0.5):
        return text, None
    best: tuple[float, str | None] = (base, None)
    for name, fn in (("tcvn3", decode_tcvn3), ("vni", decode_vni)):
        score, n = vietnamese_score(fn(sample))
        if n >= 3 and score > best[0] + 0.2 and score >= 0.7:
            best = max(best, (score, name), key=lambda t: t[0])
    if best[1] is None:
        return text, None
    return (decode_tcvn3 if best[1] == "tcvn3" else decode_vni)(text), best[1]


def convert_blocks(blocks) -> str | None:
    """Convert a reader's blocks in place when their text, judged as a whole, is TCVN3 or VNI
    read as Latin-1 (a .doc, .docx or web page typed in .VnTime or VNI-Times); the encoding
    found, or None."""
    _, enc = detect_and_convert("\n".join(b.text for b in blocks))
    if enc:
        fix = decode_tcvn3 if enc == "tcvn3" else decode_vni
        for b in blocks:
            b.text = fix(b.text)
    return enc
