"""Saved web pages: legal-portal pages and Word "Save as web page" files. Text only.

Block elements become blocks; scripts, styles and page chrome (nav, header, footer, menus,
sidebars, share buttons, comment and login forms) are dropped. A portal's metadata table
("Số hiệu: ...", "Ngày ban hành: ...", "Người ký: ...") is taken out of the text and kept in
``metadata["portal"]``. Two-column layout tables (header, closing) give left/right columns as
the .docx reader does; other tables are data (``in_table``).
"""
from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

import regex as re

from .base import Block, Extracted, ReadError
from .legacy import convert_blocks
from .txt import decode_bytes, finish_blocks

_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table",
    "tr", "td", "th", "thead", "tbody", "tfoot", "section", "article", "main", "blockquote",
    "pre", "center", "address", "figure", "figcaption", "caption", "hr", "body", "html",
}
_DROP_TAGS = {"script", "style", "noscript", "nav", "aside", "form", "button",
              "select", "option", "textarea", "menu", "iframe", "svg", "template", "head",
              "object", "canvas", "map"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "area", "base", "col", "embed",
         "source", "track", "param"}
# Page chrome by class or id, whole words only ("menu-top" is chrome, "menuitem" is not). A
# document's own header block may be classed "header", so only the site's is dropped.
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|menubar|breadcrumbs?|sidebar|side-bar|banner|"
    r"social|share|sharing|comments?|login|signin|search|advert|ads|popup|modal|cookie|toolbar|"
    r"pagination|related|(?:site|page|main|top)[_-]?(?:header|footer))(?:$|[\s_-])", re.I)
_BOLD_TAGS = {"b", "strong"}

# Field names of the metadata box of Vietnamese legal portals.
_PORTAL_FIELDS = (
    "Số hiệu", "Ký hiệu", "Số ký hiệu", "Loại văn bản", "Nơi ban hành", "Cơ quan ban hành",
    "Người ký", "Ngày ban hành", "Ngày hiệu lực", "Ngày hết hiệu lực", "Ngày công báo",
    "Số công báo", "Tình trạng", "Tình trạng hiệu lực", "Lĩnh vực", "Lĩnh vực, ngành",
    "Trích yếu", "Từ khóa", "Chức danh", "Phạm vi", "Nguồn thu thập", "Ngày đăng công báo",
)
_FIELD_RE = re.compile(
    r"(?<![\p{L}])(" + "|".join(sorted(map(re.escape, _PORTAL_FIELDS), key=len, reverse=True))
    + r")\s*:\s*", re.I)


class _Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict, parent: "_Node | None"):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent


class _TreeBuilder(HTMLParser):
    """A forgiving DOM: unclosed tags are closed by their parent's end tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {k: (v or "") for k, v in attrs}, self.cur)
        # <p> and <li> close an open sibling of the same kind, as browsers do.
        if tag in ("p", "li", "tr", "td", "th", "dt", "dd") and self.cur.tag == tag:
            self.cur = self.cur.parent or self.root
            node.parent = self.cur
        self.cur.children.append(node)
        if tag not in _VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(_Node(tag, {k: (v or "") for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def _decode_html(data: bytes) -> tuple[str, str]:
    m = _META_CHARSET.search(data[:8192])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        charset = m.group(1).decode("ascii", "replace").lower()
        try:
            return unicodedata.normalize("NFC", data.decode(charset)), charset
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)


def read_html(path: str) -> Extracted:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise ReadError(e.strerror or str(e)) from None
    text, encoding = _decode_html(data)
    blocks, portal = html_to_blocks(text)
    metadata: dict = {"encoding": encoding}
    enc = convert_blocks(blocks)
    if enc:
        metadata["encoding"] = f"{encoding}+{enc}"
    if portal:
        metadata["portal"] = portal
    if not any(b.text.strip() for b in blocks):
        raise ReadError("no text found in the web page")
    return Extracted("html", blocks, metadata=metadata)


def html_to_blocks(html: str) -> tuple[list[Block], dict[str, str]]:
    builder = _TreeBuilder()
    try:
        builder.feed(html)
        builder.close()
    except Exception as e:          # html.parser is lenient; this is a last resort
        raise ReadError(f"unreadable HTML ({type(e).__name__})") from None
    walker = _Walker()
    walker.walk(builder.root)
    walker.flush()
    blocks, portal = _take_portal_fields(walker.blocks)
    return finish_blocks(blocks), portal


def _is_chrome(node: _Node) -> bool:
    if node.tag in _DROP_TAGS:
        return True
    if node.tag in ("header", "footer"):
        # The page's header and footer, not an article's own (its title, its byline).
        return _nearest(node, "article") is None and _nearest(node, "main") is None
    if node.attrs.get("hidden") is not None and "hidden" in node.attrs:
        return True
    style = node.attrs.get("style", "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    if node.attrs.get("role", "") in ("navigation", "banner", "contentinfo", "search", "menu"):
        return True
    ident = " ".join((node.attrs.get("class", ""), node.attrs.get("id", "")))
    return bool(ident.strip()) and bool(_CHROME.search(ident))


class _Walker:
    """Depth-first walk collecting inline text into the current block."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[tuple[str, bool]] = []
        self.column: str | None = None
        self.in_table = 0
        self.centered = 0
        self.bold = 0
        self.pre = 0

    def flush(self) -> None:
        # <br> was kept as U+2028 so that collapsing whitespace does not eat it.
        lines: list[list[tuple[str, bool]]] = [[]]
        for text, bold in self.parts:
            pieces = re.split(r"[\n\u2028]" if self.pre else "\u2028", text)
            for k, piece in enumerate(pieces):
                if k:
                    lines.append([])
                lines[-1].append((piece, bold))
        for parts in lines:
            text = "".join(t for t, _ in parts)
            if not self.pre:
                text = re.sub(r"[ \t\r\n\f\u2028]+", " ", text)
            if text.strip():
                bold = all(b for t, b in parts if t.strip())
                self.blocks.append(Block(text.strip(), column=self.column, bold=bold,
                                         centered=self.centered > 0, in_table=self.in_table > 0))
        self.parts = []

    def walk(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.parts.append((child, self.bold > 0))
                continue
            tag = child.tag
            if _is_chrome(child):
                continue
            if tag == "br":
                self.parts.append(("\u2028", self.bold > 0))
                continue
            if tag == "img":
                continue
            if tag == "table":
                self.flush()
                self._table(child)
                continue
            block = tag in _BLOCK_TAGS
            centered = tag == "center" or child.attrs.get("align", "").lower() == "center" \
                or "text-align:center" in child.attrs.get("style", "").replace(" ", "").lower()
            bold = tag in _BOLD_TAGS or re.search(r"font-weight:\s*(?:bold|[6-9]00)",
                                                  child.attrs.get("style", ""), re.I) is not None
            if block:
                self.flush()
            self.centered += centered
            self.bold += bold
            self.pre += tag == "pre"
            self.walk(child)
            if block:
                self.flush()
            self.pre -= tag == "pre"
            self.bold -= bold
            self.centered -= centered

    def _table(self, table: _Node) -> None:
        rows = [r for r in _descendants(table, "tr") if _nearest(r, "table") is table]
        cells = [[c for c in r.children if isinstance(c, _Node) and c.tag in ("td", "th")] for r in rows]
        ncols = max((len(r) for r in cells), default=0)
        if ncols == 2 and len(rows) <= 3 and self.column is None and not self.in_table:
            for side, idx in (("left", 0), ("right", 1)):
                self.column = side
                for r in cells:
                    if len(r) > idx:
                        self.walk(r[idx])
                        self.flush()
            self.column = None
            return
        self.in_table += 1
        for r in cells:
            for c in r:
                self.walk(c)
                self.flush()
        self.in_table -= 1


def _descendants(node: _Node, tag: str):
    for c in node.children:
        if isinstance(c, _Node):
            if c.tag == tag:
                yield c
            yield from _descendants(c, tag)


def _nearest(node: _Node, tag: str) -> _Node | None:
    p = node.parent
    while p is not None and p.tag != tag:
        p = p.parent
    return p


def _take_portal_fields(blocks: list[Block]) -> tuple[list[Block], dict[str, str]]:
    """Pull "Field: value" pairs of the portal metadata box out of the text. A field name alone
    in a table cell takes the next cell as its value."""
    portal: dict[str, str] = {}
    out: list[Block] = []
    starts = [bool(_FIELD_RE.match(b.text)) for b in blocks]
    i = 0
    while i < len(blocks):
        b = blocks[i]
        # A field line of the box: in a table, several fields on one line, or among others.
        boxed = starts[i] and (b.in_table or len(_FIELD_RE.findall(b.text)) > 1
                               or (i > 0 and starts[i - 1]) or (i + 1 < len(blocks) and starts[i + 1]))
        if boxed:
            pairs = _split_fields(b.text)
            if pairs and all(k for k, _ in pairs):
                for k, v in pairs:
                    if not v and i + 1 < len(blocks) and b.in_table and not _FIELD_RE.match(blocks[i + 1].text):
                        v = blocks[i + 1].text
                        i += 1
                    portal.setdefault(_canonical_field(k), v.strip())
                i += 1
                continue
        out.append(b)
        i += 1
    return out, portal


def _split_fields(text: str) -> list[tuple[str, str]]:
    """ "Số hiệu: 12/KH-UBND   Loại văn bản: Kế hoạch" -> [("Số hiệu", "12/KH-UBND"), ...]."""
    ms = list(_FIELD_RE.finditer(text))
    if not ms or ms[0].start() != 0:
        return []
    pairs = []
    for k, m in enumerate(ms):
        end = ms[k + 1].start() if k + 1 < len(ms) else len(text)
        pairs.append((m.group(1), text[m.end():end].strip()))
    return pairs


def _canonical_field(name: str) -> str:
    low = name.lower()
    for f in _PORTAL_FIELDS:
        if f.lower() == low:
            return f
    return name
