"""Agency names: canonical keys, `--agency` matching, and reading runs of agency names."""
from __future__ import annotations

import unicodedata

import pytest

from danvan_cli.agencies import agencies_key, agency_key, agency_matches, lexicon, read_agencies
from danvan_cli.normalize import clean_chars, fold_tones


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# Spellings of one body that must meet: (spellings, context place).
SAME = [
    (["UBND tỉnh", "Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh", "UBND tỉnh Bình Dương",
      "Ủy ban nhân dân tỉnh Bình Dương", nfd("Ủy ban nhân dân tỉnh")], "Bình Dương"),
    (["UBND huyện", "Ủy ban nhân dân huyện Hoà Vang", "UBND huyện Hòa Vang"], "Hòa Vang"),
    (["Sở Nội vụ", "Sở NV", "SNV", "Giám đốc Sở Nội vụ", "sở nội vụ", nfd("Sở Nội vụ")], None),
    (["Ủy ban MTTQ Việt Nam tỉnh", "UBMTTQVN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
      "MTTQ tỉnh", "Mặt trận Tổ quốc tỉnh", "UBMT TQVN tỉnh"], None),
    (["Ban Dân vận Tỉnh ủy", "Ban DVTU", "BDVTU", "Ban Dân vận TU", "Ban dân vận tỉnh uỷ"], None),
    (["Hội đồng nhân dân tỉnh", "HĐND tỉnh"], None),
    (["Sở Thông tin và Truyền thông", "STTTT", "Sở TTTT"], None),
    (["Đài Phát thanh và Truyền hình tỉnh", "Đài PTTH tỉnh", "Đài PT-TH tỉnh",
      "Đài Phát thanh - Truyền hình tỉnh"], None),
    (["Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh"], None),
    (["Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN tỉnh"], None),
    (["Hội Cựu chiến binh tỉnh", "Hội CCB tỉnh"], None),
    (["Thanh tra tỉnh", "Thanh tra nhà nước tỉnh", "Chánh Thanh tra tỉnh"], None),
    (["Văn phòng UBND tỉnh", "VP UBND tỉnh", "Chánh Văn phòng Ủy ban nhân dân tỉnh"], None),
    (["Ban Chỉ đạo thực hiện quy chế dân chủ", "BCĐ thực hiện quy chế dân chủ"], None),
]


@pytest.mark.parametrize("names,place", SAME, ids=lambda x: str(x)[:40] if isinstance(x, list) else str(x))
def test_spellings_of_one_body_meet(names, place):
    keys = {agency_key(clean_chars(n), place) for n in names}
    assert len(keys) == 1, keys
    assert keys.pop()


# Bodies that must stay apart.
DIFFERENT = [
    ("UBND tỉnh", "UBND huyện"),
    ("UBND tỉnh Bình Dương", "UBND tỉnh Đồng Nai"),        # another province's (no context)
    ("Sở Nội vụ", "Sở Tư pháp"),
    ("Trường THPT Lê Lợi", "Lê Lợi"),                    # "Trường" (a school) is no post
    ("Ban Dân vận Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"),
    ("Hội đồng nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
]


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_different_bodies_stay_apart(a, b):
    assert agency_key(a) != agency_key(b)


def test_place_is_dropped_only_for_the_documents_own_place():
    assert agency_key("UBND tỉnh Bình Dương", "Bình Dương") == agency_key("UBND tỉnh")
    assert agency_key("UBND tỉnh Đồng Nai", "Bình Dương") != agency_key("UBND tỉnh")
    assert agency_key("Báo Bình Dương", "Bình Dương") != agency_key("Báo")  # no level word: kept


def test_empty_and_several():
    assert agency_key("") == "" and agency_key(None) == ""
    assert agencies_key(["Sở Nội vụ", "SNV", "Sở Tư pháp"]) == "so noi vu|so tu phap"
    assert agencies_key([]) is None


MATCHES = [
    # (query, agency as printed, matches)
    ("so noi vu", "Sở Nội vụ", True),
    ("SNV", "Sở Nội vụ", True),
    ("snv", "Giám đốc Sở Nội vụ", True),
    ("Sở NV", "Sở Nội vụ", True),
    ("noi vu", "Sở Nội vụ", True),
    ("tu phap", "Sở Nội vụ", False),
    ("ubnd tinh", "Ủy ban nhân dân tỉnh", True),
    ("UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", True),
    ("ubnd huyen", "Ủy ban nhân dân tỉnh", False),
    ("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", True),
    ("UBMTTQVN", "UBMTTQVN xã, các Đoàn thể chính trị- xã hội xã", True),
    ("mat tran", "UBMTTQVN xã", True),
    ("van phong so", "Văn phòng Sở", True),
    ("hoa vang", "UBND huyện Hoà Vang", True),           # old tone placement in the name
    ("Hòa Vang", "UBND huyện Hoà Vang", True),
    ("dai phat thanh", "Đài PT-TH tỉnh", True),
    ("", "Sở Nội vụ", False),
]


@pytest.mark.parametrize("query,name,expected", MATCHES)
def test_agency_matches(query, name, expected):
    assert agency_matches(query, agency_key(name), name) is expected
    # rows of an older index may lack the key: the printed name is the fallback
    assert agency_matches(query, None, name) is expected


def test_matches_any_of_a_joined_key():
    key = agencies_key(["Các sở, ban, ngành cấp tỉnh", "UBND các huyện, thị xã"])
    assert agency_matches("ubnd cac huyen", key)
    assert agency_matches("cac so, ban, nganh", key)
    assert not agency_matches("so noi vu", key)


def run(text: str, capitals: bool = False):
    text = clean_chars(text)
    r = read_agencies(fold_tones(text), text, 0, len(text), capitals=capitals)
    return ([n for n, _, _ in r.names], r.stop, r.stop_word.strip()) if r else None


READS = [
    ("Sở Giáo dục và Đào tạo, Báo Lâm Đồng, Đài Phát thanh - Truyền hình Lâm Đồng chủ động phối hợp",
     (["Sở Giáo dục và Đào tạo", "Báo Lâm Đồng", "Đài Phát thanh - Truyền hình Lâm Đồng"], "verb", "chủ động")),
    ("Các sở, ban, ngành cấp tỉnh; UBND các huyện, thị xã báo cáo kết quả",
     (["Các sở, ban, ngành cấp tỉnh", "UBND các huyện, thị xã"], "verb", "báo cáo")),
    ("Thủ trưởng các cơ quan, đơn vị, địa phương có trách nhiệm chỉ đạo",
     (["Thủ trưởng các cơ quan, đơn vị, địa phương"], "verb", "có trách nhiệm")),
    # one name with a comma inside ("Bưu chính" is no head word)
    ("Phòng Công nghệ thông tin, Bưu chính và Viễn thông đẩy mạnh ứng dụng",
     (["Phòng Công nghệ thông tin, Bưu chính và Viễn thông"], "verb", "đẩy mạnh")),
    ("Sở Văn hóa, Thể thao và Du lịch tổ chức", (["Sở Văn hóa, Thể thao và Du lịch"], "verb", "tổ chức")),
    # "các Đoàn thể" after a comma is part of one addressee
    ("UBMTTQVN xã, các Đoàn thể chính trị - xã hội xã.", (["UBMTTQVN xã, các Đoàn thể chính trị - xã hội xã"], "punct", ".")),
    # a joint office
    ("Văn phòng HĐND và UBND huyện theo dõi", (["Văn phòng HĐND và UBND huyện"], "verb", "theo dõi")),
    ("Sở Nội vụ: tổng hợp", (["Sở Nội vụ"], "punct", ":")),
    # executors of a Quyết định, by post
    ("Chánh Văn phòng UBND tỉnh; Giám đốc Sở Nội vụ; Chủ tịch UBND các xã và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành",
     (["Chánh Văn phòng UBND tỉnh", "Giám đốc Sở Nội vụ", "Chủ tịch UBND các xã và các tổ chức, cá nhân có liên quan"],
      "verb", "chịu trách nhiệm")),
    # the Ban Chỉ đạo's own capital C is not the verb "chỉ đạo"
    ("Ban Chỉ đạo tỉnh chỉ đạo các huyện", (["Ban Chỉ đạo tỉnh"], "verb", "chỉ đạo")),
    # a report of what was done
    ("Sở Nội vụ đã tham mưu", (["Sở Nội vụ"], "stop", "đã")),
    # NFD and old tone marks
    (nfd("Uỷ ban nhân dân huyện Hoà Vang chủ trì"), (["Ủy ban nhân dân huyện Hòa Vang"], "verb", "chủ trì")),
    # not agencies
    ("Báo cáo 6 tháng đầu năm: trước ngày 01/6", None),
    ("Tổ chức thực hiện", None),
    ("Hội nghị sơ kết", None),
    ("Phòng, chống tham nhũng", None),
    ("Ban hành kế hoạch", None),
    ("Lãnh đạo, chỉ đạo các cơ quan", None),
]


@pytest.mark.parametrize("text,expected", READS, ids=lambda x: x[:40] if isinstance(x, str) else None)
def test_read_agencies(text, expected):
    got = run(text)
    if expected and got:
        # names are sliced from the display text; compare in one tone placement
        got = ([fold_tones(n) for n in got[0]], got[1], got[2])
        expected = ([fold_tones(clean_chars(n)) for n in expected[0]], expected[1], expected[2])
    assert got == expected


def test_headings_in_capitals():
    assert run("VĂN PHÒNG SỞ", capitals=True) == (["VĂN PHÒNG SỞ"], "end", "")
    assert run("TỔ CHỨC THỰC HIỆN", capitals=True) is None


def test_lexicon_is_data():
    lx = lexicon()
    for part in ("abbreviations", "canonical", "titles", "levels", "heads", "generic"):
        assert lx[part], part
    assert lx["abbreviations"]["UBND"] == "Ủy ban nhân dân"


def test_regex_spaces_is_what_regex_calls_space():
    import regex

    from danvan_cli.agencies import REGEX_SPACES
    found = "".join(c for c in map(chr, range(0x3001)) if regex.match(r"\s", c))
    assert set(REGEX_SPACES) == set(found)
