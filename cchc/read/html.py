"""HTML tables saved under an .xls name: the "Xuất Excel" button of many one-stop (một cửa) systems.

Such a file is a web page, not a workbook: `<meta http-equiv="Content-Type" content="application/vnd.ms-excel;
charset=utf-8">`, often the `urn:schemas-microsoft-com:office:excel` namespace, a `<style>` block with mso- CSS, and
one or more `<table>`s whose header cells span rows and columns. Excel opens it; calamine does not. This module reads
it the way a browser lays it out, into the same plain grids cchc.read.grid makes of a real workbook:

* `looks_like_html(data)` says whether the bytes are such a page (not an OLE .xls, not a zip, not CSV text, not an
  "XML Spreadsheet 2003" file);
* `read_html_tables(data, name)` gives one `(name, rows, merged)` per table with cell text, named "Bảng 1",
  "Bảng 2"... in document order. rows[0] is Excel row 1, rows[r][0] is column A, every row as wide as the table;
  merged holds (r0, c0, r1, c1), 0-based inclusive, one per cell that spans, its value in the top-left cell only.

Layout follows the HTML table model: a cell is pushed right past the slots a rowspan from an earlier row still
covers; a rowspan stops at the end of its row group (thead/tbody/tfoot; rowspan="0" reaches that end); colspan="0"
or an unreadable span counts as 1. Where a browser would let a colspan overlap a rowspan from above (a "table model
error"), the colspan is cut short at the covered slot, because merged ranges in a sheet cannot overlap. The first
thead is laid out first and the first tfoot last, as a browser shows them.

Cell values: the cell's text (<br> and block elements give a space, &nbsp; is a space, whitespace runs collapse,
NFC-normalised, stripped; text of a nested table, <script> and <style> is not part of the cell), None when empty.
A cell becomes a number only when its text cannot mean anything else (see `_number`); "1.500" or "1,500" (1500 in
Vietnamese, 1.5 in English), "12.5", "95,2%", dates and codes with leading zeros stay text, and the readers that
know what the column holds decide (cchc.read.text.parse_count reads "1.500" as 1500). Excel's own attributes win:
`x:num="1234.5"` gives that number whatever the text shows, `x:str` keeps the text.

A table nested inside another becomes its own grid; a table left with no cell text (an empty table, or a layout
wrapper whose only content is another table) is skipped and takes no number.

Parsing streams: lxml's HTML parser (libxml2, which closes implied tags as browsers do) calls a target with start,
data and end events and no document tree is built, so memory is the grids themselves, even for a 50 MB page of tiny
cells. Content after </html> is read on, as a browser does (libxml2 alone would drop it).

Decoding: a BOM first (UTF-8, UTF-16 LE/BE; UTF-16 without BOM is recognised by its NUL bytes), then the charset
declared by <meta charset>, <meta http-equiv content="...; charset=..."> or <?xml encoding?> (but bytes that are
valid UTF-8 with non-ASCII text are read as UTF-8 even when the page declares a legacy single-byte charset, the usual
mistake of a template written once), then UTF-8, windows-1258, cp1252; text in windows-1258 (base letter + tone
mark) is NFC-normalised. The parser has no network access and never loads a DTD nor expands external entities.

Limits (WorkbookRefused, Vietnamese messages): more kept tables than `max_sheets`, more cells than `max_cells`
(height × width of every table laid out, kept or not, checked while laying out, so a colspan of 10.000 on every cell
costs nothing before it is refused), a rowspan or colspan above MAX_SPAN, more merged ranges than `max_merged`, bytes
that decode or parse to no table with text. Work is linear in the size of the document and the cells it lays out.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata

from lxml import etree

from ..findings import WorkbookRefused
from .container import (
    MAX_CELLS,
    MAX_MERGED_RANGES,
    MAX_SHEETS,
    _count,
    _refuse,
    _too_many_cells,
    column_name,
)

__all__ = ["MAX_SPAN", "Grid", "looks_like_html", "read_html_tables"]

MAX_SPAN = 10_000  # a rowspan or colspan above this is refused: no report spans that far, a hostile file does

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_ZIP_MAGIC = b"PK\x03\x04"
_HEAD_BYTES = 8192

_ADVICE = "Hãy mở tệp bằng Excel, lưu lại dạng .xlsx (Tệp › Lưu thành › Excel Workbook) rồi tải lên tệp mới."


# ---------------------------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------------------------

_HTML_TAGS = (b"!doctype html", b"html", b"head", b"body", b"table", b"meta", b"title", b"style", b"link",
              b"script", b"div")
_PROLOG = rb"(?:\s|<!--.*?-->|<\?.*?\?>)*"
_FIRST_TAG = re.compile(_PROLOG + rb"<(!doctype\s+html|[a-z][a-z0-9:_-]*)", re.S)
_TABLE_TAG = re.compile(rb"<table[\s>/]")
_SPREADSHEET_ML = re.compile(rb"progid\s*=\s*[\"']excel\.sheet[\"']|urn:schemas-microsoft-com:office:spreadsheet")


def _head_ascii(data: bytes) -> bytes:
    """The first KB of a text file as lower-case ASCII-compatible bytes, whatever its UTF flavour."""
    head = data[:_HEAD_BYTES]
    codec = None
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head.startswith(b"\xff\xfe"):
        head, codec = head[2:], "utf-16-le"
    elif head.startswith(b"\xfe\xff"):
        head, codec = head[2:], "utf-16-be"
    else:
        codec = _bomless_utf16(head)
    if codec:
        head = head[:len(head) // 2 * 2].decode(codec, "ignore").encode("utf-8", "ignore")
    return head.lower()


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM, recognised by its NUL bytes: "<\\0h\\0" (LE) or "\\0<\\0h" (BE)."""
    sample = head[:256]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.6 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.6 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


def looks_like_html(data: bytes) -> bool:
    """True when the bytes are a web page with a table rather than a workbook (the one-stop "Excel" export).

    After an optional BOM and leading whitespace, comments or <?xml ...?> (UTF-8 or UTF-16) the file starts with
    <!DOCTYPE html>, <html>, <table>, <meta>, <head>, <body>, <style>, <title>...; or a "<table" appears in its first
    8 KB. An OLE (.xls) or zip (.xlsx) file, MHTML, an "XML Spreadsheet 2003" file (whose <Table> is not HTML) and
    plain CSV text are not.
    """
    if not data:
        return False
    data = bytes(data[:_HEAD_BYTES])
    if data.startswith((_OLE_MAGIC, _ZIP_MAGIC)):
        return False
    head = _head_ascii(data)
    if b"\x00" in head:
        return False
    if head.lstrip().startswith(b"mime-version:") or b"multipart/related" in head[:2048]:
        return False
    first = _FIRST_TAG.match(head)
    if first:
        tag = re.sub(rb"\s+", b" ", first[1])
        if tag in _HTML_TAGS:
            return True
        if tag in (b"workbook", b"ss:workbook"):
            return False
    if _SPREADSHEET_ML.search(head):
        return False
    return bool(_TABLE_TAG.search(head))


# ---------------------------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]{1,40})", re.S)
_XML_ENCODING = re.compile(rb"<\?xml\b[^>]*?encoding\s*=\s*[\"']\s*([a-z0-9_.:-]{1,40})", re.S)
_UNSAFE_CODECS = {"unicode_escape", "raw_unicode_escape", "idna", "punycode", "utf-7", "undefined", "mbcs", "oem"}
_SINGLE_BYTE = {"cp1258", "cp1252", "latin_1", "iso8859_1", "iso8859_15", "ascii", "cp1250", "cp1251", "cp437",
                "cp850", "cp874", "tis_620"}


def _declared_charset(head: bytes) -> str | None:
    """The codec named by <meta charset>, <meta http-equiv content="...charset=..."> or <?xml encoding?>."""
    lowered = head.lower()
    for pattern in (_META_CHARSET, _XML_ENCODING):
        m = pattern.search(lowered)
        if not m:
            continue
        try:
            name = codecs.lookup(m[1].decode("ascii")).name.replace("-", "_")
        except (LookupError, UnicodeDecodeError):
            continue
        if name in _UNSAFE_CODECS:
            continue
        if name.startswith(("utf_16", "utf_32")):  # bytes without NULs cannot be UTF-16; HTML reads this as UTF-8
            return "utf_8"
        return name
    return None


def _decode(data: bytes) -> str | None:
    """The document as text, or None if no candidate encoding decodes it."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                return None
    codec = _bomless_utf16(data[:256])
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            return None
    candidates = []
    declared = _declared_charset(data[:_HEAD_BYTES])
    if declared:
        if declared in _SINGLE_BYTE and not data.isascii():
            try:  # valid UTF-8 with non-ASCII text is UTF-8, whatever the template declares
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        candidates.append(declared)
    candidates += ["utf-8", "cp1258", "cp1252"]
    for codec in candidates:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


# ---------------------------------------------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dd", "dt", "pre",
               "blockquote", "hr", "address", "center"}
_SKIP_TAGS = {"table", "script", "style", "template", "noscript", "head", "title"}

_INT = re.compile(r"-?(?:0|[1-9]\d{0,14})", re.A)  # no leading zero (codes, phone numbers), at most 15 digits
_THOUSANDS_DOT = re.compile(r"-?[1-9]\d{0,2}(?:\.\d{3}){2,4}", re.A)  # 1.234.567: two or more groups of three
_THOUSANDS_COMMA = re.compile(r"-?[1-9]\d{0,2}(?:,\d{3}){2,4}", re.A)  # 1,234,567
_VI_GROUPED_DECIMAL = re.compile(r"-?[1-9]\d{0,2}(?:\.\d{3}){1,4},\d{1,10}", re.A)  # 1.234,5
_EN_GROUPED_DECIMAL = re.compile(r"-?[1-9]\d{0,2}(?:,\d{3}){1,4}\.\d{1,10}", re.A)  # 1,234.5
_COMMA_DECIMAL = re.compile(r"-?(?:0|[1-9]\d{0,14}),\d{1,10}", re.A)  # 12,5
_ONE_GROUP = re.compile(r"-?[1-9]\d{0,2}[.,]\d{3}", re.A)  # 1.500 / 1,500: thousands or decimal, cannot tell
_DOT_DECIMAL = re.compile(r"-?(?:0|[1-9]\d{0,14})\.\d{1,10}", re.A)  # 12.5: only when Excel says it is a number
_EXCEL_NUMBER = re.compile(r"[-+]?(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})(?:[eE][-+]?\d{1,3})?", re.A)


def _number(text: str):
    """The number a cell's text unambiguously is, or None (the text stays text).

    Numbers: "1234", "-5", "0" → int (not "007": a leading zero is a code); "1.234.567" and "1,234,567" (two or more
    groups of three) → int; "1.234,5" → 1234.5 and "1,234.5" → 1234.5 (both separators, the last is the decimal
    mark); "12,5", "0,75", "1234,567" → float (Vietnamese decimal comma, when the text is not "d{1,3},ddd").
    Text: "1.500", "1,500", "-2.000" (one group of three: thousands in Vietnamese, a decimal in English), "12.5"
    (also an STT or criterion code such as "1.2" or "3.10"), "95,2%", "01/02/2019", "1 234", "+5", "(5)".
    """
    if len(text) > 40:
        return None
    if text.isascii() and text.isdigit():  # the usual case, without a regex
        return int(text) if len(text) <= 15 and (text[0] != "0" or len(text) == 1) else None
    if _INT.fullmatch(text):
        return int(text)
    if _THOUSANDS_DOT.fullmatch(text):
        return int(text.replace(".", ""))
    if _THOUSANDS_COMMA.fullmatch(text):
        return int(text.replace(",", ""))
    if _VI_GROUPED_DECIMAL.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    if _EN_GROUPED_DECIMAL.fullmatch(text):
        return float(text.replace(",", ""))
    if _COMMA_DECIMAL.fullmatch(text) and not _ONE_GROUP.fullmatch(text):
        return float(text.replace(",", "."))
    return None


def _excel_number(value: str):
    """The value of an `x:num="..."` attribute (Excel writes the number itself, "." decimal): int when whole."""
    value = value.strip()
    if not _EXCEL_NUMBER.fullmatch(value):
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    if number.is_integer() and abs(number) < 2 ** 53:
        return int(number)
    return number


def _collapse(text: str) -> str:
    """Whitespace runs (with &nbsp;) to one space, stripped; zero-width spaces and stray BOMs dropped; NFC."""
    if text.isascii():
        return " ".join(text.split())
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", "").replace("\ufeff", "")
    return " ".join(unicodedata.normalize("NFC", text).split())


def _value(attrs: dict, text: str):
    """A cell's value from its attributes and collapsed text (see `_number`)."""
    xnum = attrs.get("x:num")
    xstr = "x:str" in attrs
    if xnum is not None and not xstr and xnum.strip():
        number = _excel_number(xnum)
        if number is not None:
            return number
    if not text:
        return None
    if xstr or not (text[0].isdigit() or text[0] == "-"):
        return text
    number = _number(text)
    if number is None and xnum is not None and _DOT_DECIMAL.fullmatch(text) and not _ONE_GROUP.fullmatch(text):
        number = float(text)  # a bare x:num: Excel says the text "12.5" is a number
    return text if number is None else number


# ---------------------------------------------------------------------------------------------------------------
# Table layout, as the parser streams past: no document tree is built, so memory is the grids themselves
# ---------------------------------------------------------------------------------------------------------------

_SPAN = re.compile(r"\s*\+?(\d+)", re.A)
_TO_GROUP_END = 1 << 40  # rowspan="0": to the end of the row group, clipped when the group ends
_ROW_GROUPS = ("thead", "tbody", "tfoot")
_ROW_PARENTS = ("table", "thead", "tbody", "tfoot")
_CELL_ATTRS = ("colspan", "rowspan", "x:num", "x:str")


def _span(raw: str, attr: str, label: str, row: int, col: int) -> int:
    """A rowspan/colspan attribute by the HTML rules (leading digits; none gives 1). Above MAX_SPAN is refused."""
    m = _SPAN.match(raw)
    if not m:
        return 1
    digits = m[1].lstrip("0") or "0"
    value = int(digits) if len(digits) <= 9 else MAX_SPAN + 1
    if value > MAX_SPAN:
        shown = digits if len(digits) <= 12 else digits[:12] + "…"
        raise _refuse(f"{label} có ô gộp bất thường ({attr}={shown}; giới hạn {_count(MAX_SPAN)}): tệp bị hỏng hoặc "
                      f"đã bị sửa đổi. {_ADVICE}", label, row + 1, column_name(col))
    return value


class _Table:
    """One <table> being laid out, row group by row group (thead/tbody/tfoot; direct <tr>s form an implicit one)."""

    def __init__(self, reader: _Reader, label: str, seq: int):
        self.reader, self.label, self.seq = reader, label, seq
        self.groups: list[list] = []  # [kind, rows, merged]: rows and merged ranges numbered within the group
        self.group: list | None = None
        self.explicit = False  # the current group is a thead/tbody/tfoot, not implicit
        self.busy: list[int] = []  # busy[c]: the last row (in the group) a rowspan from an earlier row covers
        self.line: list | None = None  # the row being filled
        self.stray = False  # the row is made of <td>s directly under <table> or a row group
        self.c = 0
        self.height = 0
        self.width = 0
        self.area = 0  # height × width as last told to the reader
        self.cell: dict | None = None  # attributes of the open cell
        self.parts: list[str] | None = None  # its text so far
        self.depth = 0  # depth of the open cell in the reader's tag stack
        self.skip = 0  # inside <script>/<style> within the open cell

    def open_group(self, kind: str, explicit: bool) -> None:
        self.end_row()
        self.group = [kind, [], []]
        self.groups.append(self.group)
        self.explicit = explicit
        self.busy = []

    def close_group(self) -> None:
        self.end_row()
        self.group = None
        self.explicit = False

    def start_row(self, stray: bool = False) -> None:
        self.end_row()
        if self.group is None:
            self.open_group("implicit", False)
        self.line, self.c, self.stray = [], 0, stray
        self.height += 1
        self.reader.check(self)

    def end_row(self) -> None:
        if self.line is not None:
            self.group[1].append(self.line)
            self.line = None

    def add_cell(self, attrs: dict, text: str) -> None:
        """Place a cell in the row being filled, right of the slots still covered by rowspans from above."""
        rows = self.group[1]
        r = len(rows)
        busy = self.busy
        nb = len(busy)
        c = self.c
        while c < nb and busy[c] >= r:
            c += 1
        raw = attrs.get("colspan")
        cs = 1 if raw is None else (_span(raw, "colspan", self.label, self.height - 1, c) or 1)
        raw = attrs.get("rowspan")
        rs = 1 if raw is None else _span(raw, "rowspan", self.label, self.height - 1, c)
        if rs == 0:
            rs = _TO_GROUP_END
        if cs > 1 and c + 1 < nb:  # cut short where a rowspan from above already covers the slot
            k, end = c + 1, min(c + cs, nb)
            while k < end and busy[k] < r:
                k += 1
            if k < end:
                cs = k - c
        if c + cs > self.width:
            self.width = c + cs
            self.reader.check(self)
        if rs > 1:
            if nb < c + cs:
                busy.extend([-1] * (c + cs - nb))
            until = r + rs - 1
            for k in range(c, c + cs):
                busy[k] = until
        if rs > 1 or cs > 1:
            self.group[2].append((r, c, r + rs - 1, c + cs - 1))
        value = _value(attrs, text)
        if value is not None:
            line = self.line
            if len(line) < c:
                line.extend([None] * (c - len(line)))
            line.append(value)
        self.c = c + cs

    def finish(self) -> tuple[list[list], list[tuple[int, int, int, int]], bool]:
        """(rows, merged, has text): groups in display order (first thead first, first tfoot last), spans clipped."""
        self.close_group()
        groups = [g for g in self.groups if g[1]]
        head = next((g for g in groups if g[0] == "thead"), None)
        foot = next((g for g in groups if g[0] == "tfoot"), None)
        ordered = ([head] if head else []) + [g for g in groups if g is not head and g is not foot] + (
            [foot] if foot else [])
        rows: list[list] = []
        merged: list[tuple[int, int, int, int]] = []
        filled = False
        width = self.width
        for _, group_rows, group_merged in ordered:
            offset, last = len(rows), len(group_rows) - 1
            for r0, c0, r1, c1 in group_merged:
                r1 = min(r1, last)
                if r1 > r0 or c1 > c0:
                    merged.append((r0 + offset, c0, r1 + offset, c1))
            for line in group_rows:
                if line:
                    filled = True
                if len(line) < width:
                    line.extend([None] * (width - len(line)))
                rows.append(line)
        return rows, merged, filled


class _Reader:
    """The parser target: start/end/data events of the whole document, tables collected in document order."""

    def __init__(self, max_cells: int, max_sheets: int, max_merged: int):
        self.max_cells, self.max_sheets, self.max_merged = max_cells, max_sheets, max_merged
        self.stack: list[str] = []  # open tags
        self.tables: list[_Table] = []  # open tables, innermost last
        self.done: list[tuple[int, list[list], list]] = []  # (seq, rows, merged) of the tables kept
        self.used = 0  # cells of the tables finished
        self.open_area = 0  # cells of the tables still open
        self.seq = 0
        self.merges = 0

    def check(self, table: _Table) -> None:
        """After a table grew: the cells of the tables finished and of those still open must stay in the limit."""
        area = table.height * max(table.width, 1)  # a row without cells still takes a row of the sheet
        self.open_area += area - table.area
        table.area = area
        total = self.used + self.open_area
        if total > self.max_cells:
            raise _too_many_cells(table.label, table.height, max(table.width, 1), total)

    # libxml2 gives HTML tag names in lower case
    def start(self, tag: str, attrib) -> None:
        stack = self.stack
        parent = stack[-1] if stack else ""
        stack.append(tag)
        tables = self.tables
        if tag == "table":
            self.seq += 1
            tables.append(_Table(self, f"Bảng {len(self.done) + len(tables) + 1}", self.seq))
            return
        if not tables:
            return
        top = tables[-1]
        parts = top.parts
        if parts is not None:  # inside a cell
            if tag in _SKIP_TAGS:
                top.skip += 1
            elif tag == "br" or tag in _BLOCK_TAGS:
                parts.append(" ")
            return
        if tag == "td" or tag == "th":
            if parent in _ROW_PARENTS:  # directly under <table> or a row group: a row of its own, as in a browser
                if top.line is None or not top.stray:
                    top.start_row(stray=True)
            elif top.line is None or top.stray:  # in a <tr> (or a <form> or the like inside it)
                top.start_row()
            top.cell = {k: attrib[k] for k in _CELL_ATTRS if k in attrib} if attrib else {}
            top.parts = []
            top.depth = len(stack)
            top.skip = 0
        elif tag == "tr":  # any <tr> of this table outside its cells, even inside a stray <form>
            top.start_row()
        elif tag in _ROW_GROUPS:
            top.open_group(tag, True)

    def data(self, text: str) -> None:
        if self.tables:
            top = self.tables[-1]
            if top.parts is not None and not top.skip:
                top.parts.append(text)

    def end(self, tag: str) -> None:
        stack = self.stack
        depth = len(stack)
        if depth:
            stack.pop()
        tables = self.tables
        if not tables:
            return
        top = tables[-1]
        parts = top.parts
        if parts is not None:
            if depth == top.depth:  # the cell itself
                attrs, top.cell, top.parts = top.cell, None, None
                top.add_cell(attrs, _collapse(parts[0] if len(parts) == 1 else "".join(parts)))
            elif tag in _SKIP_TAGS:
                if top.skip:
                    top.skip -= 1
            elif tag in _BLOCK_TAGS:
                parts.append(" ")
            return
        if tag == "tr":
            top.end_row()
        elif tag == "table":
            self._finish(tables.pop())
            if tables and tables[-1].parts is not None:
                tables[-1].parts.append(" ")
        elif tag in _ROW_GROUPS and top.explicit and top.group is not None and top.group[0] == tag:
            top.close_group()

    def _finish(self, table: _Table) -> None:
        if table.parts is not None:  # a cell left open (cannot happen with libxml2's events; be safe)
            attrs, table.cell, text = table.cell, None, _collapse("".join(table.parts))
            table.parts = None
            table.add_cell(attrs, text)
        rows, merged, filled = table.finish()
        self.open_area -= table.area
        self.used += table.area
        if not filled:
            return
        self.merges += len(merged)
        if self.merges > self.max_merged:
            raise _refuse(f"Tệp có quá nhiều vùng gộp ô ({_count(self.merges)}; giới hạn {_count(self.max_merged)}). "
                          + _ADVICE, table.label)
        self.done.append((table.seq, rows, merged))
        if len(self.done) > self.max_sheets:
            raise _refuse(f"Tệp có quá nhiều bảng (hơn {_count(self.max_sheets)} bảng có dữ liệu; mỗi bảng được đọc "
                          f"như một sheet, giới hạn {_count(self.max_sheets)}). " + _ADVICE)

    def close(self):
        while self.tables:  # tables libxml2 left open at the end of the document
            self._finish(self.tables.pop())
        return sorted(self.done, key=lambda t: t[0])


# ---------------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------------

_END_OF_DOCUMENT = re.compile(r"</\s*(?:html|body)\s*>", re.I)


def _unreadable(name: str, detail: str) -> WorkbookRefused:
    which = f"Tệp “{name}”" if name else "Tệp"
    return _refuse(f"{which} không đọc được như một bảng HTML ({detail}). {_ADVICE}")


Grid = tuple[str, list[list], list[tuple[int, int, int, int]]]  # (name, rows, merged), as grid._read_calamine


def read_html_tables(data: bytes, name: str = "", max_cells: int = MAX_CELLS, max_sheets: int = MAX_SHEETS,
                     max_merged: int = MAX_MERGED_RANGES) -> list[Grid]:
    """(name, rows, merged) for every table with text of an HTML page saved as .xls. Raises WorkbookRefused.

    `name` is the uploaded file's name, for messages only. Grids are named "Bảng 1", "Bảng 2"... in document order
    of the tables kept (a single table is "Bảng 1"), so the names do not depend on titles or captions. Numbers are
    converted only when unambiguous: ambiguous text such as "1.500" stays text for the readers to decide (see
    `_number` and the module docstring).
    """
    data = bytes(data or b"")
    if not data.strip():
        raise _unreadable(name, "tệp rỗng")
    text = _decode(data)
    if text is None:
        raise _unreadable(name, "không giải mã được các ký tự")
    # libxml2 drops everything after </html>; a browser reads on (HTML5 moves it into the body), so do the same
    text = _END_OF_DOCUMENT.sub("", text.replace("\x00", ""))
    if not text.strip():
        raise _unreadable(name, "tệp rỗng")
    reader = _Reader(max_cells, max_sheets, max_merged)
    parser = etree.HTMLParser(target=reader, encoding="utf-8", no_network=True, remove_comments=True,
                              remove_pis=True, recover=True, default_doctype=False, huge_tree=False)
    try:
        tables = etree.fromstring(text.encode("utf-8"), parser)
    except WorkbookRefused:
        raise
    except (etree.LxmlError, ValueError) as exc:
        raise _unreadable(name, f"lỗi cú pháp: {type(exc).__name__}") from None
    if not tables:
        which = f"Tệp “{name}”" if name else "Tệp"
        raise _refuse(f"{which} là trang web (HTML) nhưng không có bảng số liệu nào. Có thể phần mềm một cửa xuất "
                      "lỗi hoặc phiên đăng nhập đã hết hạn: hãy xuất lại tệp Excel từ phần mềm rồi tải lên.")
    return [(f"Bảng {i}", rows, merged) for i, (_, rows, merged) in enumerate(tables, 1)]
