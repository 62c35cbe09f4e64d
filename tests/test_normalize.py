import unicodedata

import pytest
from hypothesis import given, strategies as st

from danvan_cli.normalize import clean_chars, fold_search, fold_tones

TONES = [
    ("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("uỷ ban", "ủy ban"), ("Uỷ", "Ủy"), ("thuý", "thúy"),
    ("khoẻ", "khỏe"), ("hoàng", "hoàng"),   # a consonant follows: right in both styles
    ("quý", "quý"), ("Quỳnh", "Quỳnh"),     # "qu" is a consonant
    ("hòa", "hòa"), ("thủy", "thủy"),       # already new style
    ("Tỉnh uỷ;", "Tỉnh ủy;"),
]


@pytest.mark.parametrize("text,expected", TONES)
def test_fold_tones(text, expected):
    assert fold_tones(text) == expected


SEARCH = [
    ("Dân vận khéo", "dan van kheo"), ("ĐỔI MỚI", "doi moi"), ("đổi mới", "doi moi"),
    ("Ðảng", "dang"),  # eth printed for Đ
    ("25-NQ/TW", "25-nq/tw"), ("Nghị quyết", "nghi quyet"),
]


@pytest.mark.parametrize("text,expected", SEARCH)
def test_fold_search(text, expected):
    assert fold_search(text) == expected


CLEAN = [
    ("a\r\nb\rc", "a\nb\nc"),
    ("Số:\u00a0108", "Số: 108"),
    ("**TM. ỦY BAN NHÂN DÂN**", "TM. ỦY BAN NHÂN DÂN"),
    ("thi đua “*Dân vận khéo*”", "thi đua “Dân vận khéo”"),
    (unicodedata.normalize("NFD", "Kế hoạch"), "Kế hoạch"),
    ("trang 1\fTrang 2", "trang 1\nTrang 2"),
    ("zero\u200bwidth", "zerowidth"),
    ("110-KH/BDVTU\ufffeBCSĐUBND", "110-KH/BDVTU-BCSĐUBND"),
]


@pytest.mark.parametrize("text,expected", CLEAN)
def test_clean_chars(text, expected):
    assert clean_chars(text) == expected


@given(st.text())
def test_folds_keep_length(s):
    s = unicodedata.normalize("NFC", s)
    assert len(fold_tones(s)) == len(s)
    assert len(fold_search(s)) == len(s)


@given(st.lists(st.text(), max_size=8))
def test_clean_chars_each_is_clean_chars_per_text(texts):
    from danvan_cli.normalize import clean_chars_each
    assert clean_chars_each(texts) == [clean_chars(t) for t in texts]
