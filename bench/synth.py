"""Synthetic administrative documents for the benchmark: many, varied, and linked.

``plans(n, seed)`` yields ``(name, text)`` for ``n`` invented documents in the anatomy of
../shared/DOMAIN.md: provincial, district and commune plans, công văn, quyết định, báo cáo and
thông báo of several provinces, each with its number, date, legal basis, Roman sections, arabic
items, assignments and deadlines in the forms real documents use. Each document below the top
cites the latest document of the level above in its province ("Thực hiện Kế hoạch số ..."), so
citations form chains tỉnh -> huyện -> xã, as real plans do; every one also rests on a few
national documents. Nothing is copied from a real document. Generation is deterministic for a
seed and streams: a 20,000-document folder is written without holding it in memory.

``write_docx`` and ``write_pdf`` render a text as .docx (python-docx) and .pdf (pypdfium2 with a
TrueType font found on the machine) for the per-format rows.
"""
from __future__ import annotations

import ctypes
import os
import random
from pathlib import Path
from typing import Iterator

PROVINCES = ["Bình Dương", "Hà Tĩnh", "Nghệ An", "Quảng Ninh", "Thanh Hóa", "Kon Tum", "Tây Ninh",
             "Quảng Ngãi", "Đắk Lắk", "Cà Mau", "Lào Cai", "Hòa Bình", "Vĩnh Long", "Phú Yên"]
DISTRICTS = ["Can Lộc", "Đức Phổ", "Nghĩa Hành", "Tân Uyên", "Bến Cát", "Hương Sơn", "Quỳnh Lưu",
             "Vân Đồn", "Thọ Xuân", "Đăk Hà", "Gò Dầu", "Sơn Tịnh", "Krông Pắc", "Năm Căn"]
COMMUNES = ["Phổ An", "Vượng Lộc", "Tân Bình", "Hòa Lợi", "Thạch Hà", "Quỳnh Hồng", "Đông Xá",
            "Xuân Lai", "Hà Mòn", "Phước Thạnh", "Tịnh Hà", "Ea Kênh", "Hàm Rồng", "An Phú"]
NATIONAL = [
    ("Nghị quyết", "25-NQ/TW", "03/6/2013", "Ban Chấp hành Trung ương Đảng khóa XI",
     "tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới"),
    ("Kết luận", "120-KL/TW", "07/01/2016", "Bộ Chính trị",
     "tiếp tục đẩy mạnh thực hiện Nghị quyết số 25-NQ/TW"),
    ("Nghị định", "59/2023/NĐ-CP", "14/8/2023", "Chính phủ",
     "quy định chi tiết một số điều của Luật Thực hiện dân chủ ở cơ sở"),
    ("Chỉ thị", "16/CT-TTg", "16/5/2016", "Thủ tướng Chính phủ",
     "tăng cường công tác dân vận của cơ quan hành chính nhà nước"),
    ("Quyết định", "23-QĐ/TW", "30/7/2021", "Ban Chấp hành Trung ương", "quy chế công tác dân vận"),
    ("Nghị định", "30/2020/NĐ-CP", "05/3/2020", "Chính phủ", "công tác văn thư"),
]
AGENCIES_TINH = ["Sở Nội vụ", "Sở Tư pháp", "Sở Thông tin và Truyền thông", "Sở Tài chính",
                 "Sở Kế hoạch và Đầu tư", "Thanh tra tỉnh", "Văn phòng UBND tỉnh",
                 "Sở Văn hóa, Thể thao và Du lịch", "Báo {p}", "Đài Phát thanh và Truyền hình {p}"]
AGENCIES_HUYEN = ["Phòng Nội vụ", "Phòng Tư pháp", "Phòng Văn hóa và Thông tin", "Thanh tra huyện",
                  "Văn phòng HĐND và UBND huyện", "Phòng Tài chính - Kế hoạch",
                  "Trung tâm Văn hóa - Truyền thông huyện", "UBND các xã, thị trấn"]
AGENCIES_XA = ["Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch", "Trưởng các thôn",
               "Công chức Văn hóa - Xã hội", "Ban Thanh tra nhân dân xã"]
REQUESTS = ["Ủy ban Mặt trận Tổ quốc Việt Nam {lvl}", "các đoàn thể chính trị - xã hội {lvl}",
            "Hội Nông dân {lvl}", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {lvl}"]
TASKS = [
    "tuyên truyền, quán triệt các văn bản về công tác dân vận và dân chủ ở cơ sở đến cán bộ, công chức, viên chức và Nhân dân",
    "xây dựng, nhân rộng các mô hình “Dân vận khéo” trong cải cách hành chính",
    "duy trì lịch tiếp công dân định kỳ và đối thoại với Nhân dân về công tác bồi thường, giải phóng mặt bằng",
    "công khai, minh bạch các nội dung theo Luật Thực hiện dân chủ ở cơ sở",
    "theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch; tổng hợp kết quả",
    "đổi mới lề lối, tác phong làm việc của cán bộ, công chức; nâng cao đạo đức công vụ",
    "giải quyết kịp thời khiếu nại, tố cáo, kiến nghị của công dân ngay từ cơ sở",
    "lồng ghép nội dung dân vận chính quyền vào chương trình xây dựng nông thôn mới",
    "phát huy vai trò giám sát của Nhân dân đối với hoạt động của chính quyền",
    "bồi dưỡng kỹ năng dân vận cho đội ngũ cán bộ cơ sở",
]
AIMS = [
    "Nâng cao nhận thức, trách nhiệm của cấp ủy, chính quyền về công tác dân vận chính quyền.",
    "Phát huy quyền làm chủ của Nhân dân, thực hiện tốt phương châm “dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng”.",
    "Việc tổ chức thực hiện phải thiết thực, gắn với nhiệm vụ chính trị của từng cơ quan, đơn vị.",
    "Tăng cường mối quan hệ mật thiết giữa chính quyền với Nhân dân, củng cố niềm tin của Nhân dân.",
]
SUBJECTS = ["Thực hiện công tác dân vận chính quyền năm {y}",
            "Triển khai thực hiện Quy chế dân chủ ở cơ sở năm {y}",
            "Đẩy mạnh phong trào thi đua “Dân vận khéo” giai đoạn {y} - {y2}",
            "Thực hiện Luật Thực hiện dân chủ ở cơ sở năm {y}",
            "Tăng cường công tác tiếp công dân, đối thoại với Nhân dân năm {y}"]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
         "Võ Thị Giang", "Đặng Văn Hải", "Bùi Thị Hoa", "Đỗ Văn Khánh", "Ngô Thị Lan"]


def _deadline(rng: random.Random, year: int) -> str:
    d, m = rng.randint(1, 28), rng.randint(1, 12)
    return rng.choice([
        f"trước ngày {d:02d}/{m:02d}/{year}", f"trước ngày {d}/{m}", f"chậm nhất ngày {d} tháng {m} năm {year}",
        f"trong tháng {m}/{year}", f"Thời gian hoàn thành: tháng {m}/{year}",
        f"trong quý {rng.choice(['I', 'II', 'III', 'IV'])}/{year}", "định kỳ hằng quý",
        f"báo cáo 6 tháng đầu năm trước ngày {d}/6", f"trước ngày 15/11/{year}",
        f"trong thời hạn {rng.choice([7, 10, 15, 30])} ngày kể từ ngày nhận được Kế hoạch này",
    ])


def _when(rng: random.Random, year: int) -> str:
    """A deadline phrase attached to a sentence the way documents do it."""
    d = _deadline(rng, year)
    return (". " + d) if d[0].isupper() else (" " + d)


class _Level:
    """One issuing level's last document per province: what the level below cites."""

    def __init__(self) -> None:
        self.last: dict[str, tuple[str, str, str, str]] = {}  # province -> (type, number, date, issuer)


def plans(n: int, seed: int = 1) -> Iterator[tuple[str, str]]:
    rng = random.Random(seed)
    counters: dict[tuple[str, int], int] = {}
    levels = {"tinh": _Level(), "huyen": _Level()}
    for i in range(n):
        year = 2025 + (i * 2) // max(n, 1)              # dates advance through the run
        day_of_year = 1 + (i * 730 // max(n, 1)) % 365
        month = min(12, 1 + day_of_year // 31)
        day = min(28, 1 + day_of_year % 31)
        prov = PROVINCES[rng.randrange(len(PROVINCES))]
        r = rng.random()
        if r < 0.06 or prov not in levels["tinh"].last:
            level = "tinh"
        elif r < 0.3 or prov not in levels["huyen"].last:
            level = "huyen"
        else:
            level = "xa"
        kind = rng.choices(["KH", "CV", "QĐ", "BC", "TB"], weights=[60, 15, 10, 10, 5])[0]
        place, issuer_lines, body_short, lvl_name = _issuer(rng, level, prov)
        short_issuer = ("Ban Dân vận Tỉnh ủy" if body_short == "BDVTU" else f"UBND {lvl_name} {place}")
        key = ("|".join(issuer_lines), year)
        counters[key] = counters.get(key, 0) + rng.randint(1, 9)
        number = f"{counters[key]}/{kind + '-' if kind != 'CV' else ''}{body_short}"
        date = f"{day:02d}/{month:02d}/{year}"
        text = _document(rng, i, kind, number, place, issuer_lines, lvl_name, level, prov, year, day, month, levels)
        if level in levels:
            tname = {"KH": "Kế hoạch", "CV": "Công văn", "QĐ": "Quyết định", "BC": "Báo cáo", "TB": "Thông báo"}[kind]
            levels[level].last[prov] = (tname, number, date, short_issuer)
        slug = number.replace("/", "-").lower()
        yield f"{level}-{_ascii(prov)}-{slug}-{year}-{i:06d}.txt", text


def _ascii(s: str) -> str:
    import unicodedata
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if c.isascii() and c.isalnum()).lower()


def _issuer(rng: random.Random, level: str, prov: str):
    if level == "tinh":
        if rng.random() < 0.15:
            return prov, ["TỈNH ỦY " + prov.upper(), "BAN DÂN VẬN"], "BDVTU", "tỉnh"
        return prov, ["ỦY BAN NHÂN DÂN", "TỈNH " + prov.upper()], "UBND", "tỉnh"
    if level == "huyen":
        d = DISTRICTS[rng.randrange(len(DISTRICTS))]
        return d, ["ỦY BAN NHÂN DÂN", "HUYỆN " + d.upper()], "UBND", "huyện"
    c = COMMUNES[rng.randrange(len(COMMUNES))]
    return c, ["ỦY BAN NHÂN DÂN", "XÃ " + c.upper()], "UBND", "xã"


def _document(rng, i, kind, number, place, issuer_lines, lvl_name, level, prov, year, day, month, levels) -> str:
    y2 = year + 2
    subject = rng.choice(SUBJECTS).format(y=year, y2=y2)
    head = [*issuer_lines, "-------", f"Số: {number}"]
    if kind == "CV":
        head.append("V/v " + subject[0].lower() + subject[1:])
    head += ["", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "---------------",
             f"{place}, ngày {day:02d} tháng {month:02d} năm {year}", ""]
    type_name = {"KH": "KẾ HOẠCH", "QĐ": "QUYẾT ĐỊNH", "BC": "BÁO CÁO", "TB": "THÔNG BÁO"}.get(kind)
    if type_name:
        head += [type_name, subject, ""]
    else:
        head += [f"Kính gửi: {rng.choice(['Các phòng, ban, ngành', 'UBND các xã, thị trấn', 'Các sở, ban, ngành tỉnh'])}.", ""]
    basis = []
    for t, num, d, who, about in rng.sample(NATIONAL, rng.randint(1, 3)):
        basis.append(f"{t} số {num} ngày {d} của {who} về {about}")
    above = {"huyen": levels["tinh"], "xa": levels["huyen"]}.get(level)
    if above and prov in above.last:
        t, num, d, who = above.last[prov]
        basis.append(f"{t} số {num} ngày {d} của {who} về {subject[0].lower() + subject[1:]}")
    opening = ("Căn cứ " if kind == "QĐ" else "Thực hiện ") + "; ".join(basis) + ";"
    agencies = {"tinh": AGENCIES_TINH, "huyen": AGENCIES_HUYEN, "xa": AGENCIES_XA}[level]
    ag = [a.format(p=prov) for a in agencies]
    body = [opening, ""]
    if kind == "QĐ":
        body += [f"Điều 1. Ban hành kèm theo Quyết định này Quy chế {subject[0].lower() + subject[1:]}.", "",
                 "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", "",
                 f"Điều 3. Chánh Văn phòng, {', '.join(rng.sample(ag, 3))} chịu trách nhiệm thi hành Quyết định này.", ""]
    else:
        body += [f"{'UBND ' + lvl_name + ' ' + place if level != 'tinh' else 'UBND tỉnh'} ban hành Kế hoạch thực hiện như sau:", "",
                 "I. MỤC ĐÍCH, YÊU CẦU", ""]
        for k, aim in enumerate(rng.sample(AIMS, rng.randint(2, 3)), 1):
            body += [f"{k}. {aim}", ""]
        body += ["II. NỘI DUNG THỰC HIỆN", ""]
        long_doc = rng.random() < 0.2  # real plans run from one page to a dozen
        for k, task in enumerate(rng.sample(TASKS, rng.randint(6, 10) if long_doc else rng.randint(3, 6)), 1):
            body += [f"{k}. {task[0].upper() + task[1:]}.", ""]
            if rng.random() < (0.8 if long_doc else 0.3):
                body += [f"a) Tổ chức hội nghị quán triệt {_deadline(rng, year)}.", "",
                         "b) Lồng ghép nội dung vào sinh hoạt chi bộ, họp thôn.", ""]
        body += ["III. TỔ CHỨC THỰC HIỆN", ""]
        for k in range(1, rng.randint(5, 9) if long_doc else rng.randint(3, 6)):
            lead, *partners = rng.sample(ag, 3)
            body += [f"{k}. Giao {lead} chủ trì, phối hợp với {', '.join(partners)} {rng.choice(TASKS)}; "
                     f"báo cáo kết quả về UBND {lvl_name} (qua {ag[0]}){_when(rng, year)}.", ""]
        req = rng.choice(REQUESTS).format(lvl=lvl_name)
        body += [f"{k + 1}. Đề nghị {req} phối hợp giám sát việc thực hiện{_when(rng, year)}.", "",
                 "Yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.", ""]
    closing = ["Nơi nhận:", f"- UBND tỉnh {prov};" if level != "tinh" else "- Ban Dân vận Trung ương;",
               "- Như Điều 3;" if kind == "QĐ" else "- Như trên;", "- Lưu: VT.", "",
               rng.choice(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. CHỦ TỊCH"]),
               rng.choice(["CHỦ TỊCH", "PHÓ CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]), "", rng.choice(NAMES), ""]
    return "\n".join(head + body + closing)


def write_folder(folder: Path, n: int, seed: int = 1, per_dir: int = 500) -> int:
    """Write ``n`` plans as .txt under ``folder`` (sub-folders of ``per_dir``); total bytes."""
    total = 0
    for i, (name, text) in enumerate(plans(n, seed)):
        d = folder / f"lo-{i // per_dir:03d}"
        if i % per_dir == 0:
            d.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (d / name).write_bytes(data)
        total += len(data)
    return total


# --- other formats ------------------------------------------------------------------------------
def write_docx(path: Path, text: str) -> None:
    import docx
    d = docx.Document()
    lines = text.split("\n")
    # header in a two-cell table, as Word templates have it
    try:
        split = lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        end = next(k for k in range(split, len(lines)) if "ngày" in lines[k])
    except (ValueError, StopIteration):
        split = end = -1
    if split > 0:
        t = d.add_table(rows=1, cols=2)
        t.cell(0, 0).text = "\n".join(x for x in lines[:split] if x)
        t.cell(0, 1).text = "\n".join(x for x in lines[split:end + 1] if x)
        lines = lines[end + 1:]
    for x in lines:
        if x:
            d.add_paragraph(x)
    d.save(str(path))


def find_font() -> str | None:
    for p in ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"):
        if os.path.exists(p):
            return p
    return None


def write_pdf(path: Path, text: str, font_path: str, size: float = 12.0) -> int:
    """A PDF of ``text`` (one paragraph per line, wrapped at ~90 characters, A4 pages) with the
    TrueType font embedded, as Word's export makes them. Returns the page count."""
    import textwrap

    import pypdfium2 as pdfium
    import pypdfium2.raw as R
    pdf = pdfium.PdfDocument.new()
    data = Path(font_path).read_bytes()
    buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = R.FPDFText_LoadFont(pdf.raw, buf, len(data), R.FPDF_FONT_TRUETYPE, 1)
    rows: list[str] = []
    for para in text.split("\n"):
        rows += textwrap.wrap(para, 88) or [""]
    per_page = int((842 - 2 * 60) / (size * 1.35))
    pages = 0
    for start in range(0, len(rows), per_page):
        page = pdf.new_page(595, 842)
        y = 842 - 60
        for row in rows[start:start + per_page]:
            y -= size * 1.35
            if not row:
                continue
            obj = R.FPDFPageObj_CreateTextObj(pdf.raw, font, size)
            ws = (row + "\x00").encode("utf-16-le")
            R.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(ws), R.FPDF_WIDESTRING))
            R.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 60, y)
            R.FPDFPage_InsertObject(page.raw, obj)
        R.FPDFPage_GenerateContent(page.raw)
        page.close()
        pages += 1
    pdf.save(str(path))
    pdf.close()
    return pages
