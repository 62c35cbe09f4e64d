"""The third round of speed changes in the assignment stage answers as the plain forms they stand
for.

- a heading's item is closed by the heading that comes after it, in the one pass that nests the
  paragraphs (it was looked up in a second pass from the end), and bounded by the end of the
  region it was read in (it was looked up per heading);
- a head word's "not before" words are read in one lookahead (there was one per word);
- an owner heading's prefix is folded only where the owner form holds.
"""
from __future__ import annotations

import regex
from hypothesis import given, settings, strategies as st

from danvan_cli import agencies
from danvan_cli.normalize import fold_tones
from danvan_cli.parse import assignments, layout
from danvan_cli.readers.base import Extracted
from danvan_cli.readers.txt import text_to_blocks

from conftest import run_task_stages
from test_assignments import plan


def doc_from(text: str):
    return layout.build(Extracted("txt", text_to_blocks(text)))

# --- items: one pass ---------------------------------------------------------------------------


def _plain_items(paras, region):
    """(item_end, parent, first_sibling) of each paragraph as the two-pass scan read them: the
    next heading of a heading's rank or above found from the end, the region looked up by start."""
    def region_end(offset):
        for s, e in region:
            if s <= offset < e:
                return e
        return region[-1][1]
    next_up = [None] * len(paras)
    stack = []
    for i in range(len(paras) - 1, -1, -1):
        p = paras[i]
        if not p.heading:
            continue
        while stack and stack[-1].rank > p.rank:
            stack.pop()
        next_up[i] = stack[-1] if stack else None
        stack.append(p)
    item_end = [0] * len(paras)
    out = []
    open_, first = [], {}
    for i, p in enumerate(paras):
        while open_ and item_end[open_[-1]] <= p.start:
            open_.pop()
        if p.heading:
            limit = region_end(p.start)
            while open_ and paras[open_[-1]].rank >= p.rank:
                open_.pop()
            q = next_up[i]
            item_end[i] = q.start if q is not None and q.start < limit else limit
        parent = open_[-1] if open_ else None
        sibling = first.setdefault((parent, p.rank), i) if p.heading else None
        if p.heading:
            open_.append(i)
        out.append((item_end[i], parent, sibling))
    return out


def _read_items(body):
    return [(p.item_end, p.parent, p.first_sibling) for p in body.paras]


BODIES = [
    # the plain plan: Roman parts, numbered items, letters, bullets, plain paragraphs
    plan("1. Giao Sở Nội vụ chủ trì.\n\na) Tổng hợp kết quả.\n\n- Báo cáo UBND tỉnh.\n\nb) Theo dõi.\n\n"
         "2. Đề nghị Ủy ban MTTQ Việt Nam tỉnh\n\nTuyên truyền, vận động.\n\n3. Sở Y tế: kiểm tra."),
    # deeper numbering, then back up two ranks at once; equal headings in a row
    plan("1. Một\n\n1.1. Một một\n\n1.1.1. Ba mức\n\nđoạn thường\n\n2. Hai\n\n3. Ba\n\n3.1. Ba một\n\nIII. PHẦN BA\n\n"
         "1. Mục cuối"),
    # chapters and articles; a chapter alone on its line takes the next as its title
    plan("Chương I\nQUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi\n\n1. Khoản một\n\nĐiều 2. Đối tượng\n\nChương II\n"
         "TỔ CHỨC\n\nĐiều 3. Trách nhiệm của Sở Nội vụ\n\na) Điểm a"),
    # an appendix after the signature: items of the body end at the body's end
    plan("1. Giao Sở Tư pháp chủ trì.\n\n2. Giao Sở Tài chính bảo đảm kinh phí.")
    + "\nPHỤ LỤC\nDanh mục nhiệm vụ\n\nI. NHIỆM VỤ\n\n1. Rà soát\n\n2. Tổng kết\n\nII. KHÁC\n\n- Ghi chú\n",
    # no heading at all; a heading only at the end
    "Kính gửi: Sở Nội vụ\n\nĐề nghị Sở Nội vụ tổng hợp.\n\nTrân trọng.\n",
    "Kính gửi: Sở Nội vụ\n\nĐoạn mở đầu.\n\n1. Mục duy nhất\n",
]


def test_items_one_pass_table():
    for text in BODIES:
        doc = doc_from(text)
        body = assignments._scan(doc, "KẾ HOẠCH")
        assert body.paras, text
        assert _read_items(body) == _plain_items(body.paras, body.region), text
    # the appendix is a region of its own, and items stop at its start
    doc = doc_from(BODIES[3])
    body = assignments._scan(doc, "KẾ HOẠCH")
    assert len(body.region) == 2
    body_end = body.region[0][1]
    assert all(p.item_end <= body_end for p in body.paras if p.heading and p.start < body_end)


LABEL_LINES = ["I. PHẦN", "II. PHẦN", "1. Mục", "2. Mục", "1.1. Tiểu mục", "2.3.1. Sâu", "a) Điểm", "b) Điểm",
               "- Gạch", "+ Cộng", "Đoạn thường.", "Điều 4. Điều", "Chương V", "TIÊU ĐỀ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LABEL_LINES), min_size=1, max_size=14),
       st.lists(st.sampled_from(LABEL_LINES), max_size=6))
def test_items_one_pass_as_two(body_lines, appendix_lines):
    text = plan("\n\n".join(body_lines))
    if appendix_lines:
        text += "\nPHỤ LỤC\n\n" + "\n\n".join(appendix_lines) + "\n"
    body = assignments._scan(doc_from(text), "KẾ HOẠCH")
    assert _read_items(body) == _plain_items(body.paras, body.region)


# --- head words: one lookahead for the words they must not come before -----------------------


def _one_lookahead_per_word():
    """head_re and head_ci_re as built with a lookahead per "not before" word."""
    lx = agencies.lexicon()
    nfc = agencies._nfc

    def after(h):
        return r"(?!\p{L})" + "".join(
            rf"(?!\s*{regex.escape(nfc(x))}(?!\p{{L}}))" if x[0].isalpha() else rf"(?!\s*{regex.escape(x)})"
            for x in lx["not_heads"].get(h, []))
    heads = sorted(lx["heads"], key=len, reverse=True)
    abbrs = [nfc(a) for a in sorted(lx["abbreviations"], key=len, reverse=True)
             if len(a) >= 3 or a in ("UB", "VP", "TT")]
    generic = "|".join(regex.escape(nfc(g)) for g in sorted(lx["generic"], key=len, reverse=True))
    proper = (r"(?:" + "|".join(regex.escape(nfc(h)) + after(h) for h in heads)
              + r"|(?:" + "|".join(regex.escape(a) for a in abbrs) + r")(?![\p{L}\p{N}]))")
    head = r"(?:" + proper + r"|(?i:các|mỗi)\s+(?i:" + generic + r")(?!\p{L}))"
    return regex.compile(head), regex.compile(r"(?i)" + head)


_PER_WORD = _one_lookahead_per_word()

HEADS = [
    # (text, whether a head word opens it: the same with either form)
    ("Ban hành kế hoạch", False), ("Ban  hành", False), ("Ban\thành", False), ("Ban hànhx", True),
    ("Ban Thường vụ Tỉnh ủy", True), ("Ban Dân vận", True), ("Báo cáo", False), ("Báo Nhân dân", True),
    ("Hội nghị", False), ("Hội thi", False), ("Hội thiết", True), ("Hội họp", False), ("Hội đồng nhân dân", True),
    ("Hội Nông dân", True), ("Phòng, chống", False), ("Phòng ,", False), ("Phòng chống", False),
    ("Phòng ngừa", False), ("Phòng Nội vụ", True), ("Cán bộ và", False), ("Cán bộ, công chức", False),
    ("Cán bộ công chức", False), ("Cán bộ đảng viên", False), ("Cán bộ Tư pháp", True),
    ("Công chức viên chức", False), ("Công chức, viên chức", False), ("Lãnh đạo chỉ đạo", False),
    ("Lãnh đạo UBND", True), ("Đoàn kết", False), ("Đoàn viên", False), ("Đoàn Thanh niên", True),
    ("Tổ chức", False), ("Tổ quốc", False), ("Tổ công tác", True), ("Bộ máy", False), ("Bộ luật", False),
    ("Bộ tiêu chí", False), ("Bộ chỉ số", False), ("Bộ Tư pháp", True), ("Quỹ đất", False),
    ("Quỹ Bảo trợ", True), ("Vụ việc", False), ("Vụ án", False), ("Vụ Pháp chế", True),
    ("Cơ quan hành chính nhà nước các cấp", False), ("Cơ quan hành chính", True),
    ("Đơn vị hành chính", False), ("Đơn vị sự nghiệp", True), ("Trường hợp", False), ("Trường THCS", True),
    ("Chủ tịch, Phó Chủ tịch", False), ("Chủ tịch UBND", True), ("Thường trực và", False),
    ("Cấp ủy, chính quyền", False), ("các cơ quan", True), ("CÁC CƠ QUAN", True), ("UBND tỉnh", True),
    ("UBNDX", False), ("Giao Sở Nội vụ", False),
]


def test_head_lookaheads_table():
    head_re, head_ci_re, _, split_re = agencies._readers()
    for text, expected in HEADS:
        for new, plain in ((head_re, _PER_WORD[0]), (head_ci_re, _PER_WORD[1])):
            got, want = new.match(text), plain.match(text)
            assert (got and got.span()) == (want and want.span()), text
        assert bool(head_re.match(text)) == expected, text
    # set in capitals the "not before" words hold in any case (the case-insensitive reader)
    for text in ["BAN HÀNH", "HỘI NGHỊ", "PHÒNG, CHỐNG", "TỔ CHỨC", "ĐOÀN KẾT", "BỘ MÁY", "QUỸ ĐẤT"]:
        assert head_ci_re.match(text) is None and _PER_WORD[1].match(text) is None, text
    assert head_ci_re.match("BAN DÂN VẬN") and head_ci_re.match("PHÒNG NỘI VỤ")
    # the splits look ahead for a head word: "," before "Phòng," is none, before "Phòng Y tế" one
    assert split_re.match(", Phòng, chống") is None and split_re.match(", Phòng Y tế").span() == (0, 2)


PIECES = sorted({*map(agencies._nfc, agencies.lexicon()["heads"]),
                 *(w for ws in agencies.lexicon()["not_heads"].values() for w in ws),
                 " ", "  ", "\t", "\n", ",", ", ", ";", " và ", "x", "X", "Đ", "đ", "á", "HÀNH", "Hành", "các ", "1"})


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=5), st.data())
def test_head_lookaheads_as_per_word(pieces, data):
    text = "".join(pieces)
    pos = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(pos, len(text)))
    head_re, head_ci_re, *_ = agencies._readers()
    for new, plain in ((head_re, _PER_WORD[0]), (head_ci_re, _PER_WORD[1])):
        got, want = new.match(text, pos, end), plain.match(text, pos, end)
        assert (got and got.span()) == (want and want.span()), (text, pos, end)


# --- an owner heading's role ------------------------------------------------------------------

OWNER_ROLES = [
    # (tasks of a plan, (agency, role) read)
    ("1. Đề nghị Ủy ban MTTQ Việt Nam tỉnh\n\nTuyên truyền, vận động Nhân dân.",
     [("Ủy ban MTTQ Việt Nam tỉnh", "đề nghị")]),
    ("1. ĐỀ NGHỊ ỦY BAN MTTQ VIỆT NAM TỈNH\n\nTuyên truyền, vận động Nhân dân.",
     [("ỦY BAN MTTQ VIỆT NAM TỈNH", "đề nghị")]),
    ("1. Đối với Sở Nội vụ\n\nTổng hợp kết quả thực hiện.", [("Sở Nội vụ", "thực hiện")]),
    ("1. Giao cho Sở Nội vụ\n\nTổng hợp kết quả thực hiện.", [("Sở Nội vụ", "thực hiện")]),
    ("1. Sở Nội vụ\n\nChủ trì tổng hợp kết quả thực hiện.", [("Sở Nội vụ", "chủ trì")]),
]


def test_owner_roles_table():
    for tasks, expected in OWNER_ROLES:
        out = run_task_stages(plan(tasks))
        assert [(fold_tones(a.agency), a.role) for a in out.assignments] == \
            [(fold_tones(n), r) for n, r in expected], tasks
