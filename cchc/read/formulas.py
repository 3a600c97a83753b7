"""Live content in an upload: formulas and parts that make Excel reach outside the file when it is opened.

The readers take every figure from the values a file has saved and never evaluate a formula, so a HYPERLINK, a DDE
command or a link to another workbook changes nothing they read. But the Dữ liệu page hands the original back
("Tải tệp gốc") exactly as it came, and whoever opens that copy in Excel may be asked to update links, start a
program or fetch an address. `live_content` finds that content so the upload can be warned about, cell by cell:

* .xlsx/.xlsm: formulas in the worksheet XML (shared formulas too) calling HYPERLINK, WEBSERVICE, FILTERXML, IMAGE,
  RTD, CALL, REGISTER, DDE-style references (`cmd|' /c calc'!A0`) and references to other workbooks (`[1]Sheet1!A1`,
  `'C:\\dir\\[book.xlsx]Sheet1'!A1`); the parts xl/externalLinks/* (other workbooks, <ddeLink>, <oleLink>), defined
  names that point outside, xl/connections.xml (data connections, web queries), VBA, ActiveX and embedded objects;
* .ods: `table:formula` with those functions (and DDE, or a reference into another file), `table:dde-link`s,
  tables linked to another file (`table:table-source`) and linked cell ranges (`table:cell-range-source`);
* legacy .xls (BIFF8): SUPBOOK records (other workbooks, DDE and OLE links) with their EXTERNNAMEs, and the parsed
  tokens of FORMULA, SHRFMLA, ARRAY and NAME records (HYPERLINK, RTD, CALL, REGISTER, names like _xlfn.WEBSERVICE,
  3-D references and external names into another workbook or a DDE link); VBA storages, macro sheets, embedded
  objects and ActiveX controls.

It runs on an upload the container guard (cchc.read.container) has passed, reusing its bounded readers: the zip
directory is re-read (cheap), parts are inflated as bounded streams, sheet XML is searched (in C) for the `<f>`
elements whose text holds a sign of live content and only those are read, and an .xls Workbook stream is walked
record by record, copying out formula records only. The work is bounded: MAX_FORMULA characters of a formula,
MAX_EXAMINED formulas read closely and MAX_COUNTED places counted per file, then the counts say "ít nhất". It never
raises: whatever it cannot follow gives no finding.
"""

from __future__ import annotations

import html
import re
import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from xml.parsers import expat

from ..findings import WorkbookRefused
from .container import (
    _MAX_CARRY,
    _MINI_STREAM_CUTOFF,
    _OLE_MAGIC,
    _ZIP_MAGIC,
    MAX_META_PART_BYTES,
    MAX_SLOW_SCAN_TAGS,
    _attrs,
    _biff_records,
    _count,
    _inflate,
    _local,
    _ole_directory,
    _read_whole,
    _sheet_paths,
    _zip_parts,
    column_name,
)

MAX_LISTED = 10  # places named one by one; the rest are counted by sheet
MAX_COUNTED = 100_000  # places counted before the scan stops (bounded work on a sheet of a million live cells)
# Formulas (and their characters) read closely, those that hold a name or a sign that may be live, before the scan
# stops: a few seconds at most, whatever a hostile file repeats.
MAX_EXAMINED = 300_000
MAX_EXAMINED_CHARS = 16 * 1024 * 1024
# What a damaged or hostile file can make the scan raise; anything else would be a bug (see live_content's strict).
_PARSE_ERRORS = (WorkbookRefused, ValueError, IndexError, struct.error, OverflowError, expat.ExpatError, zlib.error,
                 RecursionError)
_EXCERPT = 80  # characters of a formula or a target shown in a message

# ---------------------------------------------------------------------------------------------------------------
# What is found
# ---------------------------------------------------------------------------------------------------------------

_FUNCTION_LABELS = {
    "HYPERLINK": "công thức HYPERLINK (mở một địa chỉ khi bấm vào ô)",
    "WEBSERVICE": "công thức WEBSERVICE (tải dữ liệu từ Internet)",
    "FILTERXML": "công thức FILTERXML (thường dùng cùng WEBSERVICE để đọc dữ liệu tải từ Internet)",
    "IMAGE": "công thức IMAGE (tải hình ảnh từ Internet)",
    "RTD": "công thức RTD (nhận dữ liệu trực tiếp từ một chương trình khác)",
    "CALL": "công thức CALL (gọi hàm của một thư viện chương trình trên máy)",
    "REGISTER": "công thức REGISTER (nạp hàm của một thư viện chương trình trên máy)",
    "REGISTER.ID": "công thức REGISTER.ID (nạp hàm của một thư viện chương trình trên máy)",
    "DDE": "công thức DDE (lấy dữ liệu từ một chương trình khác qua DDE)",
}
# BIFF8 function numbers (MS-XLS 2.5.198.17 Ftab) of the functions above that have one.
_BIFF_FUNCTIONS = {359: "HYPERLINK", 379: "RTD", 150: "CALL", 149: "REGISTER", 267: "REGISTER.ID"}


@dataclass
class _Item:
    summary: str  # what is counted in the summary: "ô có công thức HYPERLINK", "liên kết DDE"
    line: str  # the message naming it
    sheet: str | None
    cells: int = 1


class _Enough(Exception):
    """MAX_COUNTED places found: the scan stops."""


class _Found:
    """Items in the order found; all are counted, the first MAX_LISTED are kept whole."""

    def __init__(self):
        self.listed: list[_Item] = []
        self.counts: Counter = Counter()  # summary → number
        self.rest: Counter = Counter()  # sheet (or None) → number of places not listed
        self.rest_cells: Counter = Counter()
        self.places = 0
        self.examined = self.examined_chars = 0
        self.stopped = False  # MAX_COUNTED places counted: the counts are lower bounds

    def examine(self, formula: str | bytes) -> None:
        """One more formula read closely; the scan stops past MAX_EXAMINED formulas or MAX_EXAMINED_CHARS."""
        self.examined += 1
        self.examined_chars += min(len(formula), MAX_FORMULA)
        if self.examined > MAX_EXAMINED or self.examined_chars > MAX_EXAMINED_CHARS:
            self.stopped = True
            raise _Enough

    def add(self, summary: str, line: str, sheet: str | None = None, cells: int = 1) -> None:
        if self.places >= MAX_COUNTED:
            self.stopped = True
            raise _Enough
        self.places += 1
        cells = max(1, min(cells, 10 ** 9))
        self.counts[summary] += cells
        if len(self.listed) < MAX_LISTED:
            self.listed.append(_Item(summary, line, sheet, cells))
        else:
            self.rest[sheet] += 1
            self.rest_cells[sheet] += cells

    @property
    def full(self) -> bool:
        return len(self.listed) >= MAX_LISTED

    def messages(self) -> list[tuple[str, str | None]]:
        if not self.listed:
            return []
        least = "ít nhất " if self.stopped else ""
        what = "; ".join(f"{least}{_count(n)} {summary}" for summary, n in self.counts.items())
        out = [(f"Tệp có nội dung có thể tự kết nối ra ngoài hoặc chạy lệnh khi được mở bằng Excel ({what}). Số "
                "liệu được đọc từ giá trị đã lưu trong tệp, không công thức nào được chạy; nhưng tệp gốc được giữ "
                "nguyên như khi tải lên (“Tải tệp gốc” ở trang Dữ liệu), nên chỉ mở bản tải về khi tin nguồn gửi. "
                "Nếu không cần các nội dung này, hãy chép các ô rồi dán dạng giá trị (Dán đặc biệt › Giá trị), ngắt "
                "liên kết (Dữ liệu › Sửa liên kết › Ngắt liên kết), lưu lại rồi tải lên lần nữa.", None)]
        out += [(item.line, item.sheet) for item in self.listed]
        if self.rest:
            places = sum(self.rest.values())
            by_sheet = "; ".join(f"Sheet “{sheet}”: {_count(self.rest_cells[sheet])} ô" if sheet is not None
                                 else f"cả tệp: {_count(n)}" for sheet, n in self.rest.items())
            only = next(iter(self.rest)) if len(self.rest) == 1 else None
            more = f"ít nhất {_count(places)} chỗ khác (dừng đếm ở {_count(MAX_COUNTED)} chỗ)" if self.stopped \
                else f"{_count(places)} chỗ khác"
            out.append((f"Còn {more} có nội dung như trên không liệt kê ở đây ({by_sheet}).", only))
        return out


def _clean(text: str, limit: int = _EXCERPT) -> str:
    """Text fit for a message: one line, no control characters, shortened."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _cell_place(sheet: str | None, ref: str | None) -> str:
    where = f"Sheet “{sheet}”" if sheet is not None else "Một sheet"
    if not ref:
        return f"{where}, một ô"
    return f"{where}, {'các ô' if ':' in ref else 'ô'} {ref}"


def _range_cells(ref: str) -> int:
    m = re.fullmatch(r"([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})", ref or "")
    if not m:
        return 1

    def col(letters: str) -> int:
        value = 0
        for ch in letters:
            value = value * 26 + ord(ch) - 64
        return value

    return (abs(int(m[4]) - int(m[2])) + 1) * (abs(col(m[3]) - col(m[1])) + 1)


# ---------------------------------------------------------------------------------------------------------------
# Formula text (Excel's syntax in .xlsx; OpenFormula in .ods)
# ---------------------------------------------------------------------------------------------------------------

_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
# Quoted names ('Số liệu 2019', with '' for a quote inside) as unrolled possessive loops: linear on any text.
_QUOTED_NAME = re.compile(r"'[^']*+(?:''[^']*+)*+'")
_FUNCTION = re.compile(r"(?<![\w.$])(?:(?:_xlfn|_xll|_xlws|com\.microsoft|org\.openoffice|org\.libreoffice)\.)?"
                       r"(HYPERLINK|WEBSERVICE|FILTERXML|IMAGE|RTD|CALL|REGISTER\.ID|REGISTER|DDE)\s*\(", re.I)
# A formula can only be live if it holds one of these (names, "|", "[", a path or an address); the same list, as
# bytes, picks the <f> elements worth reading out of the sheet XML (plus "&#": a character written as a number).
_KEYWORDS = r"HYPERLINK|WEBSERVICE|FILTERXML|IMAGE|RTD|CALL|REGISTER|DDE|[|\[]|:\\|://|\\\\"
_QUICK = re.compile(_KEYWORDS, re.I)
_QUICK_ODF = re.compile(_KEYWORDS + r"|'#", re.I)  # OpenFormula: ['other.ods'#$Sheet1.A1]
# Excel: "[1]Sheet1!A1", "[1]!Name", "'[1]Sheet 1'!A1", "[book.xlsx]Sheet1!A1", "'C:\dir\[book.xlsx]Sheet1'!A1",
# "'http://host/[book.xlsx]Sheet1'!A1". A structured reference (Table1[Column], Table1[[#This Row],[2019]]) is
# never followed by "!", and a sheet name cannot hold "[" or "]".
_EXCEL_EXTERNAL_INDEX = re.compile(r"(?<![\w.\]])\[(\d{1,5})\][\w.]*!|'\[(\d{1,5})\](?:[^']|'')*'!")
_EXCEL_EXTERNAL_BARE = re.compile(r"(?<![\w.\]])\[[^\[\]'\"]+\][\w.]*!")
_DDE_APP = re.compile(r"(?:([\w.\-]{1,64}+)|'([^']{0,64}+)')\s{0,8}+$")
# OpenFormula: a reference into another file is ['file:///C:/dir/book.ods'#$Sheet1.A1]
MAX_FORMULA = 16_384  # characters of a formula looked at (Excel's own limit is 8.192)


def _formula_findings(formula: str, odf: bool = False, links: dict[int, tuple[str, str]] | None = None,
                      found: _Found | None = None) -> list[tuple[str, str]]:
    """(summary, label) of each kind of live content in one formula; [] for an ordinary formula. `found` counts
    the formula against the scan's budget (MAX_EXAMINED)."""
    if not formula or not (_QUICK_ODF if odf else _QUICK).search(formula, 0, MAX_FORMULA):
        return []
    if found is not None:
        found.examine(formula)
    formula = formula[:MAX_FORMULA]
    bare = _STRING_LITERAL.sub('""', formula)  # text in quotes is data, never a call or a reference
    out: list[tuple[str, str]] = []
    for name in dict.fromkeys(m[1].upper() for m in _FUNCTION.finditer(bare)):
        out.append((f"ô có công thức {name}", _FUNCTION_LABELS[name]))
    if odf:
        targets = [m[0][1:-1].replace("''", "'") for m in _QUOTED_NAME.finditer(bare) if bare[m.end():m.end() + 1] == "#"]
        if targets:
            out.append(("ô tham chiếu tới tệp khác", f"tham chiếu tới tệp khác “{_clean(targets[0])}”"))
        return out
    unquoted = _QUOTED_NAME.sub("''", bare)
    if "|" in unquoted:  # Excel has no "|" operator: application|topic!item is a DDE link
        pos, last = -1, 0
        for m in _QUOTED_NAME.finditer(bare):  # the first "|" outside quotes: the application's name is before it
            if (pos := bare.find("|", last, m.start())) >= 0:
                break
            last = m.end()
        if pos < 0:
            pos = bare.find("|", last)
        app = _DDE_APP.search(bare, max(0, pos - 80), max(pos, 0))
        name = _clean(app[1] or app[2], 40) if app else ""
        out.append(("ô có liên kết DDE", f"liên kết DDE tới chương trình “{name}” (có thể chạy lệnh trên máy khi mở "
                    "tệp)" if name else "liên kết DDE tới một chương trình khác (có thể chạy lệnh trên máy khi mở tệp)"))
    index = _EXCEL_EXTERNAL_INDEX.search(bare)
    external = None
    if index:
        number = int(index[1] or index[2])
        kind, target = (links or {}).get(number, ("book", ""))
        if kind == "dde":
            out.append(("ô có liên kết DDE", f"liên kết DDE “{target}” (có thể chạy lệnh trên máy khi mở tệp)"))
            return out
        external = target
    elif (m := _EXCEL_EXTERNAL_BARE.search(bare)) is not None:
        external = m[0][:-1]
    else:
        for m in _QUOTED_NAME.finditer(bare):
            if bare[m.end():m.end() + 1] != "!":
                continue
            inside = m[0][1:-1].replace("''", "'")
            if "[" in inside or ":\\" in inside or "://" in inside or inside.startswith(("\\\\", "/")):
                external = inside
                break
    if external is not None:
        shown = f" “{_clean(external)}”" if external else ""
        out.append(("ô tham chiếu tới tệp khác", f"tham chiếu tới tệp khác{shown} (Excel hỏi cập nhật liên kết khi mở)"))
    return out


def _formula_line(place: str, label: str, formula: str | None) -> str:
    return f"{place}: {label}" + (f": ={_clean(formula.lstrip('='))}" if formula else ".")


# ---------------------------------------------------------------------------------------------------------------
# .xlsx
# ---------------------------------------------------------------------------------------------------------------

_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?Relationship(?=[\s/>])([^<>]*)>")
_DEFINED_NAME = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?definedName(?=[\s>])([^<>]*)>([^<]*)<", re.S)
_EXTERNAL_REFERENCE = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?externalReference(?=[\s/>])([^<>]*)>")
_F_TAG = re.compile(rb"<((?:[A-Za-z_][\w.\-]*:)?)f(?=[\s/>])([^<>]*?)(/?)>")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c\s([^<>]*)>")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]{1,3}[0-9]{1,7})["']""")
_T = re.compile(rb"""(?:^|\s)t\s*=\s*["']([A-Za-z]+)["']""")
_SI = re.compile(rb"""(?:^|\s)si\s*=\s*["']([0-9]{1,9})["']""")
_REF = re.compile(rb"""(?:^|\s)ref\s*=\s*["']([A-Za-z0-9:$]{1,40})["']""")
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(externalBook|ddeLink|oleLink|ddeItem|oleItem|connection|dbPr|webPr|"
                  rb"textPr|olapPr)(?=[\s/>])([^<>]*)>")


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def _attr(attrs: dict[bytes, bytes], name: str) -> str:
    """An attribute by its local name (any prefix), unescaped; "" when absent."""
    key = name.encode()
    for k, v in attrs.items():
        if k == key or k.endswith(b":" + key):
            return _text(v)
    return ""


def _relationships(view, parts, key: str) -> dict[str, str]:
    part = parts.get(key)
    if part is None:
        return {}
    out = {}
    for m in _RELATIONSHIP.finditer(_read_whole(view, part)):
        a = _attrs(m.group(1))
        if b"Id" in a:
            out[_text(a[b"Id"])] = _text(a.get(b"Target", b""))
    return out


def _resolve(base: str, target: str) -> str:
    """A relationship target as a part name in lower case (relative to the folder of the part that names it)."""
    if target.startswith("/"):
        path = target[1:]
    else:
        path = base.rsplit("/", 1)[0] + "/" + target if "/" in base else target
    out: list[str] = []
    for piece in path.replace("\\", "/").split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out).lower()


def _rels_of(key: str) -> str:
    folder, _, name = key.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _external_links(view, parts, workbook_xml: bytes, found: _Found) -> dict[int, tuple[str, str]]:
    """Report xl/externalLinks/*; returns [n] → ("book" | "dde" | "ole", what it points at) for the formulas."""
    rels = _relationships(view, parts, "xl/_rels/workbook.xml.rels")
    order = []
    for m in _EXTERNAL_REFERENCE.finditer(workbook_xml):
        rid = _attr(_attrs(m.group(1)), "id")
        if rid in rels:
            order.append(_resolve("xl/workbook.xml", rels[rid]))
    keys = list(dict.fromkeys(order + sorted(k for k in parts if k.startswith("xl/externallinks/")
                                             and k.endswith(".xml") and "/_rels/" not in k)))
    by_key: dict[str, tuple[str, str]] = {}
    for key in keys:
        part = parts.get(key)
        if part is None:
            continue
        try:
            xml = _read_whole(view, part, MAX_META_PART_BYTES)
            targets = _relationships(view, parts, _rels_of(key))
        except _PARSE_ERRORS:  # a part that cannot be read is no finding
            continue
        name = part.info.filename
        link = None
        for m in _TAG.finditer(xml):
            tag, a = m.group(1), _attrs(m.group(2))
            if tag == b"externalBook":
                target = targets.get(_attr(a, "id"), "")
                link = ("book", target)
                shown = f" “{_clean(target)}”" if target else ""
                found.add("liên kết tới tệp khác", f"Phần “{name}”: liên kết tới tệp khác{shown}; Excel hỏi cập nhật "
                          "liên kết (và mở tệp đó) khi mở tệp này.")
            elif tag == b"ddeLink":
                target = f"{_attr(a, 'ddeService')}|{_attr(a, 'ddeTopic')}"
                link = ("dde", _clean(target))
                found.add("liên kết DDE", f"Phần “{name}”: liên kết DDE tới chương trình “{_clean(target)}”; khi mở tệp "
                          "Excel có thể đề nghị khởi động chương trình đó (một cách thường dùng để chạy lệnh lạ).")
            elif tag == b"oleLink":
                target = targets.get(_attr(a, "id"), "") or _attr(a, "progId")
                link = ("ole", _clean(target))
                found.add("liên kết OLE", f"Phần “{name}”: liên kết OLE tới “{_clean(target)}” "
                          f"({_clean(_attr(a, 'progId'), 40) or 'đối tượng của chương trình khác'}).")
            if link is not None:
                break
        if link is not None:
            by_key[key] = link
    return {i: by_key[key] for i, key in enumerate(order, start=1) if key in by_key}


def _connections(view, parts, found: _Found) -> None:
    part = parts.get("xl/connections.xml")
    if part is None:
        return
    xml = _read_whole(view, part, MAX_META_PART_BYTES)
    where = f"Phần “{part.info.filename}”"
    pending: str | None = None  # a connection whose source has not been seen yet

    def flush() -> None:
        if pending is not None:
            shown = f" “{_clean(pending, 60)}”" if pending else ""
            found.add("kết nối dữ liệu", f"{where}: kết nối dữ liệu{shown} (Excel có thể tự lấy dữ liệu từ nguồn "
                      "ngoài khi mở tệp).")

    labels = {b"webPr": ("truy vấn web", "url"), b"textPr": ("nhập dữ liệu từ tệp", "sourceFile"),
              b"dbPr": ("kết nối cơ sở dữ liệu", "connection"), b"olapPr": ("kết nối OLAP", "connection")}
    for m in _TAG.finditer(xml):
        tag, a = m.group(1), _attrs(m.group(2))
        if tag == b"connection":
            flush()
            pending = _attr(a, "name")
        elif tag in labels and pending is not None:
            label, source = labels[tag]
            target = _attr(a, source) or _attr(a, "command")
            shown = f" “{_clean(pending, 60)}”" if pending else ""
            found.add("kết nối dữ liệu", f"{where}: {label}{shown} tới “{_clean(target)}” (Excel có thể tự lấy dữ "
                      "liệu từ nguồn ngoài khi mở tệp).")
            pending = None
    flush()


def _active_parts(parts, found: _Found) -> None:
    keys = sorted(parts)
    if any(k == "xl/vbaproject.bin" or k.endswith("/vbaproject.bin") for k in keys):
        found.add("macro VBA", "Tệp có macro VBA (xl/vbaProject.bin): nội dung chủ động, chạy được lệnh khi bật macro.")
    sheets = [k for k in keys if k.startswith("xl/macrosheets/") and k.endswith(".xml") and "/_rels/" not in k]
    if sheets:
        found.add("sheet macro Excel 4.0", f"Tệp có {len(sheets)} sheet macro Excel 4.0 (xl/macrosheets/): nội dung "
                  "chủ động, chạy được lệnh.", cells=len(sheets))
    activex = [k for k in keys if k.startswith("xl/activex/") and k.endswith(".xml") and "/_rels/" not in k]
    if activex:
        found.add("điều khiển ActiveX", f"Tệp có {len(activex)} điều khiển ActiveX (xl/activeX/): nội dung chủ "
                  "động, Excel có thể nạp chương trình của điều khiển khi mở tệp.", cells=len(activex))
    embedded = [parts[k].info.filename.rsplit("/", 1)[-1] for k in keys
                if k.startswith("xl/embeddings/") and not k.endswith("/")]
    if embedded:
        names = ", ".join(_clean(n, 40) for n in embedded[:3]) + (", …" if len(embedded) > 3 else "")
        found.add("đối tượng nhúng (OLE)", f"Tệp có {len(embedded)} đối tượng nhúng (xl/embeddings/: {names}): nội "
                  "dung chủ động, mở được bằng chương trình khác khi bấm vào.", cells=len(embedded))


def _defined_names(workbook_xml: bytes, links, found: _Found) -> None:
    for m in _DEFINED_NAME.finditer(workbook_xml):
        formula = _text(m.group(2))
        for summary, label in _formula_findings(formula, links=links, found=found):
            name = _attr(_attrs(m.group(1)), "name")
            found.add(summary.replace("ô ", "tên định nghĩa ", 1),
                      _formula_line(f"Tên định nghĩa “{_clean(name, 60)}”", label, formula))


_LIVE_F: dict[bytes, re.Pattern] = {}  # root prefix → pattern of the <f> elements worth reading


class _SheetFormulas:
    """The <f> elements of one worksheet part as it streams past, cut at cell boundaries.

    Elements carry the prefix of the root element (`<worksheet>`: none; `<x:worksheet>`: "x:"), as every writer
    does; a chunk without a single "f" (found at memchr speed) cannot hold a formula and is not searched further.
    """

    _ROOT = re.compile(rb"<(?![?!])((?:[A-Za-z_][\w.\-]*:)?)worksheet(?=[\s/>])")

    def __init__(self, sheet: str, links, found: _Found):
        self.sheet, self.links, self.found = sheet, links, found
        self.carry = b""
        self.prefix: bytes | None = None
        self.cell = self.formula = self.close = b""
        self.shared: dict[bytes, list[tuple[str, str]]] = {}  # si of a live shared formula → its findings
        self.shared_text: dict[bytes, str] = {}

    def feed(self, chunk: bytes, final: bool = False) -> None:
        region = self.carry + chunk if self.carry else chunk
        if self.prefix is None:
            root = self._ROOT.search(region, 0, 65536)
            if root is None and len(region) < 65536 and not final:
                self.carry = region
                return
            self.prefix = root[1] if root else b""
            self.cell, self.formula = b"<" + self.prefix + b"c ", b"<" + self.prefix + b"f"
            self.close = b"</" + self.prefix + b"f>"
        cut = len(region)
        if not final:  # up to the last cell start: every cell before it is whole
            cut = region.rfind(self.cell)
            last = region.rfind(self.formula)
            if last > cut and region.find(self.close, last) < 0 and region.find(b"/>", last, last + 200) < 0:
                cut = last  # a formula still open after the last cell start (a cell written oddly)
            if cut <= 0:
                if len(region) <= _MAX_CARRY:
                    self.carry = region
                    return
                cut = len(region)  # no cell boundary in 8 MB: not a sheet written the usual way
        self.carry = region[cut:]
        if b"f" in region and region.find(self.formula, 0, cut) >= 0:
            if self.shared:  # a live shared formula: its followers name only its si, every <f> is read
                self._scan(region, 0, cut)
                return
            for m in self._live.finditer(region, 0, cut):  # only the <f> whose text may be live (in C)
                if b"shared" in m.group(1):
                    self._scan(region, m.start(), cut)
                    return
                self._scan(region, m.start(), cut, once=True)

    @property
    def _live(self) -> re.Pattern:
        pattern = _LIVE_F.get(self.prefix)
        if pattern is None:
            if len(_LIVE_F) > 64:
                _LIVE_F.clear()
            pattern = _LIVE_F[self.prefix] = re.compile(
                b"<" + re.escape(self.prefix) + rb"f(?=[\s>])([^<>]*)>(?=[^<]*?(?i:" + _KEYWORDS.encode()
                + rb"|&#))")
        return pattern

    def _scan(self, region: bytes, start: int, end_at: int, once: bool = False) -> None:
        for m in _F_TAG.finditer(region, start, end_at):
            if m.group(1) != self.prefix:
                continue
            attrs, closed = m.group(2), m.group(3) == b"/"
            text = ""
            if not closed:
                end = region.find(self.close, m.end(), end_at)
                if end < 0:
                    continue
                text = _text(region[m.end():end])
            kind = _T.search(attrs)
            si = _SI.search(attrs) if kind and kind[1] == b"shared" else None
            if text.strip():
                findings = _formula_findings(text, links=self.links, found=self.found)
                if si is not None:
                    if findings:
                        self.shared[si[1]], self.shared_text[si[1]] = findings, text
                    else:
                        self.shared.pop(si[1], None)
            elif si is not None and si[1] in self.shared:
                findings, text = self.shared[si[1]], self.shared_text[si[1]]
            else:
                findings = []
            if findings and self.found.full:  # past the places named: only counted, by sheet
                for summary, _ in findings:
                    self.found.add(summary, "", self.sheet)
            elif findings:
                ref = self._cell_ref(region, m.start())
                array = _REF.search(attrs) if kind and kind[1] == b"array" else None
                if array is not None and ":" in array[1].decode():
                    ref = array[1].decode().replace("$", "").upper()
                for summary, label in findings:
                    self.found.add(summary, _formula_line(_cell_place(self.sheet, ref), label, text), self.sheet,
                                   _range_cells(ref) if ref and ":" in ref else 1)
            if once:
                return

    def _cell_ref(self, region: bytes, at: int) -> str | None:
        tag = _CELL_TAG.match(region, max(region.rfind(self.cell, 0, at), 0))
        if tag is None:
            return None
        r = _R.search(tag.group(1))
        return r[1].decode().upper() if r else None


def _xlsx(view, parts, found: _Found) -> None:
    workbook_xml = _read_whole(view, parts["xl/workbook.xml"])
    rels = parts.get("xl/_rels/workbook.xml.rels")
    rels_xml = _read_whole(view, rels) if rels else b""
    links: dict[int, tuple[str, str]] = {}
    for step in (lambda: links.update(_external_links(view, parts, workbook_xml, found)),
                 lambda: _connections(view, parts, found),
                 lambda: _active_parts(parts, found),
                 lambda: _defined_names(workbook_xml, links, found)):
        try:
            step()
        except _PARSE_ERRORS:  # one part that cannot be followed does not hide what the others show
            pass
    for name, key in dict.fromkeys(_sheet_paths(workbook_xml, rels_xml)):
        part = parts.get(key)
        if part is None or not key.startswith("xl/worksheets/"):
            continue
        scan = _SheetFormulas(name, links, found)
        try:
            for chunk in _inflate(view, part):
                scan.feed(chunk)
            scan.feed(b"", True)
        except _PARSE_ERRORS:
            continue


# ---------------------------------------------------------------------------------------------------------------
# .ods
# ---------------------------------------------------------------------------------------------------------------

# The formula attributes whose text may be live (the same signs as _KEYWORDS, in C): only those are read closely.
_ODS_CANDIDATE = re.compile(rb"""formula\s*=\s*(?:"(?=[^"]*?(?i:""" + _KEYWORDS.encode() + rb"""|'#|&#))([^"]*)"|"""
                            rb"""'(?=[^']*?(?i:""" + _KEYWORDS.encode() + rb"""|&apos;#|&#))([^']*)')""")


def _odf_formula(raw: str) -> str:
    """An OpenFormula attribute without its namespace prefix ("of:=SUM([.A1])" → "SUM([.A1])")."""
    m = re.match(r"(?:[A-Za-z][\w.\-]*:)?=?", raw)
    return raw[m.end():] if m else raw


class _OdsLive:
    """content.xml tag by tag: the address of each live cell (rows and cells repeat), linked tables and DDE links."""

    def __init__(self, found: _Found):
        self.found = found
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self._stop
        self.parser.EntityDeclHandler = self._stop
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.tags = 0
        self.tables: list[dict] = []
        self.row: dict | None = None
        self.cell: dict | None = None  # {"depth": elements open inside it}

    @staticmethod
    def _stop(*_):
        raise ValueError("DTD")

    @staticmethod
    def _repeat(attrs: dict, key: str) -> int:
        for name, value in attrs.items():
            if _local(name) == key:
                try:
                    return max(1, min(int(value), 10 ** 7))
                except ValueError:
                    return 1
        return 1

    @staticmethod
    def _get(attrs: dict, key: str) -> str:
        return next((v for k, v in attrs.items() if _local(k) == key), "")

    def _sheet(self) -> str | None:
        return self.tables[-1]["name"] if self.tables else None

    def _ref(self) -> str | None:
        if not self.tables or self.row is None or self.cell is None:
            return None
        row, col = self.tables[-1]["row"], self.row["col"]
        if row >= 10 ** 7 or col >= 10 ** 6:
            return None
        ref = f"{column_name(col)}{row + 1}"
        rows, cols = self.row["repeat"], self.cell["repeat"]
        if rows > 1 or cols > 1:
            ref += f":{column_name(col + cols - 1)}{row + rows}"
        return ref

    def start(self, name, attrs):
        self.tags += 1
        if self.tags > MAX_SLOW_SCAN_TAGS:
            raise ValueError("too many tags")
        local = _local(name)
        if self.cell is not None:
            self.cell["depth"] += 1
            if local == "cell-range-source" and self.cell["depth"] == 1:
                ref = self._ref()
                self.found.add("ô liên kết tới tệp khác", f"{_cell_place(self._sheet(), ref)}: vùng ô liên kết tới tệp "
                               f"khác “{_clean(self._get(attrs, 'href'))}”.", self._sheet(),
                               _range_cells(ref) if ref and ":" in ref else 1)
            return
        if local == "table":
            self.tables.append({"name": self._get(attrs, "name"), "row": 0})
            self.row = None
        elif local == "table-source" and self.tables:
            sheet = self._sheet()
            self.found.add("sheet liên kết tới tệp khác", f"Sheet “{sheet}”: bảng được liên kết tới tệp khác "
                           f"“{_clean(self._get(attrs, 'href'))}” (LibreOffice cập nhật bảng từ tệp đó khi mở).", sheet)
        elif local == "dde-source":
            target = f"{self._get(attrs, 'dde-application')}|{self._get(attrs, 'dde-topic')}"
            item = self._get(attrs, "dde-item")
            shown = _clean(target + (f"!{item}" if item else ""))
            self.found.add("liên kết DDE", f"Liên kết DDE tới chương trình “{shown}” (có thể chạy lệnh trên máy khi mở "
                           "tệp).", self._sheet())
        elif local == "table-row" and self.tables:
            self.row = {"repeat": self._repeat(attrs, "number-rows-repeated"), "col": 0}
        elif local in ("table-cell", "covered-table-cell") and self.row is not None:
            self.cell = {"depth": 0, "repeat": self._repeat(attrs, "number-columns-repeated")}
            formula = self._get(attrs, "formula")
            findings = _formula_findings(_odf_formula(formula), odf=True, found=self.found) if formula else []
            if findings:
                ref, sheet = self._ref(), self._sheet()
                cells = _range_cells(ref) if ref and ":" in ref else 1
                for summary, label in findings:
                    self.found.add(summary, _formula_line(_cell_place(sheet, ref), label, _odf_formula(formula)),
                                   sheet, cells)

    def end(self, name):
        local = _local(name)
        if self.cell is not None:
            if self.cell["depth"] > 0:
                self.cell["depth"] -= 1
                return
            if local in ("table-cell", "covered-table-cell"):
                if self.row is not None:
                    self.row["col"] += self.cell["repeat"]
                self.cell = None
            return
        if local == "table-row" and self.row is not None and self.tables:
            self.tables[-1]["row"] += self.row["repeat"]
            self.row = None
        elif local == "table" and self.tables:
            self.tables.pop()
            self.row = None


def _ods(view, parts, found: _Found) -> None:
    part = parts.get("content.xml")
    if part is None:
        return
    def live(region: bytes) -> bool:
        if b"dde-" in region or b"table-source" in region or b"cell-range-source" in region:
            return True
        return any(_formula_findings(_odf_formula(_text(m[1] or m[2])), odf=True, found=found)
                   for m in _ODS_CANDIDATE.finditer(region))

    carry, seen = b"", False
    for chunk in _inflate(view, part):  # first a cheap pass: is there anything to locate at all?
        region = carry + chunk
        cut = max(region.rfind(b"<"), 0)
        region, carry = region[:cut], region[cut:][-_MAX_CARRY:]
        if live(region):
            seen = True
            break
    if not seen and not live(carry):
        return
    scan = _OdsLive(found)
    try:
        for chunk in _inflate(view, part):
            scan.parser.Parse(chunk, False)
        scan.parser.Parse(b"", True)
    except (expat.ExpatError, ValueError):
        pass  # what was found up to the break stays found


# ---------------------------------------------------------------------------------------------------------------
# Legacy .xls (BIFF8)
# ---------------------------------------------------------------------------------------------------------------

# Bytes after the token byte, by base token (MS-XLS 2.5.198); None: variable or not walked.
_PTG_SIZE = {0x01: 4, 0x02: 4, **{t: 0 for t in range(0x03, 0x17)}, 0x1C: 1, 0x1D: 1, 0x1E: 2, 0x1F: 8,
             0x20: 7, 0x21: 2, 0x22: 3, 0x23: 4, 0x24: 4, 0x25: 8, 0x26: 6, 0x27: 6, 0x28: 6, 0x29: 2, 0x2A: 4,
             0x2B: 8, 0x2C: 4, 0x2D: 8, 0x2E: 2, 0x2F: 2, 0x39: 6, 0x3A: 6, 0x3B: 10, 0x3C: 6, 0x3D: 10}


# Bytes any live formula's tokens hold: a name or 3-D token (any class), or one of _BIFF_FUNCTIONS, little-endian.
_BIFF_CANDIDATE = re.compile(rb"[\x23\x43\x63\x39\x59\x79\x3a\x5a\x7a\x3b\x5b\x7b\x3c\x5c\x7c\x3d\x5d\x7d]|"
                             rb"\x67\x01|\x7b\x01|\x96\x00|\x95\x00|\x0b\x01")


def _biff_tokens(rgce: bytes):
    """(base token, offset of its data) of a BIFF8 parsed formula, stopping at a token it cannot size."""
    pos, steps = 0, 0
    while pos < len(rgce) and steps < 10_000:
        steps += 1
        ptg = rgce[pos]
        base = ptg if ptg < 0x20 else (ptg & 0x1F) | 0x20
        if base == 0x17:  # ptgStr: cch, flags, characters
            if pos + 3 > len(rgce):
                return
            size = 2 + rgce[pos + 1] * (2 if rgce[pos + 2] & 1 else 1)
        elif base == 0x19:  # ptgAttr: grbit, wAttr; tAttrChoose carries a jump table
            if pos + 4 > len(rgce):
                return
            size = 3 + (2 * (struct.unpack_from("<H", rgce, pos + 2)[0] + 1) if rgce[pos + 1] & 0x04 else 0)
        else:
            size = _PTG_SIZE.get(base)
            if size is None:
                return
        if pos + 1 + size > len(rgce):
            return
        yield base, pos + 1
        pos += 1 + size


def _xlunicode(payload: bytes, pos: int, cch: int) -> str:
    """XLUnicodeStringNoCch: a flags byte (bit 0: two bytes a character), then the characters."""
    if pos >= len(payload):
        return ""
    high = payload[pos] & 1
    raw = payload[pos + 1:pos + 1 + cch * (2 if high else 1)]
    return raw.decode("utf-16-le" if high else "latin-1", "replace")


def _virtual_path(path: str) -> str:
    """An encoded file name of a SUPBOOK record (MS-XLS 2.5.277) in the usual notation."""
    if not path.startswith("\x01"):
        return path
    out, i = [], 1
    while i < len(path):
        ch = path[i]
        if ch == "\x01" and i + 1 < len(path):
            i += 1
            out.append("\\\\" if path[i] == "@" else f"{path[i]}:\\")
        elif ch in "\x02\x03":
            if not (out and out[-1].endswith("\\")):
                out.append("\\")
        elif ch == "\x04":
            out.append("..\\")
        elif ch == "\x05":
            i += 1  # a long volume (URL or UNC): its length follows
        elif ch in "\x06\x07\x08":
            out.append("…\\")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@dataclass
class _Supbook:
    kind: str  # "self" | "addin" | "book" | "dde"
    target: str
    names: list[tuple[str, int]]  # EXTERNNAMEs: (name, flags)


class _Biff:
    """One pass over a BIFF8 Workbook stream."""

    def __init__(self, found: _Found):
        self.found = found
        self.supbooks: list[_Supbook] = []
        self.xti: list[int] = []  # EXTERNSHEET: supbook index of each ixti
        self.names: list[str] = []  # NAME records, in order (ptgName is 1-based)
        self.name_formulas: list[tuple[str, bytes]] = []

    def _linked(self, ixti: int) -> _Supbook | None:
        if 0 <= ixti < len(self.xti) and 0 <= self.xti[ixti] < len(self.supbooks):
            book = self.supbooks[self.xti[ixti]]
            return book if book.kind in ("book", "dde") else None
        return None

    def findings(self, rgce: bytes) -> list[tuple[str, str]]:
        out: dict[str, str] = {}
        if not _BIFF_CANDIDATE.search(rgce):  # no name, no 3-D reference, no function number of interest
            return []
        self.found.examine(rgce)
        for base, at in _biff_tokens(rgce):
            if base in (0x21, 0x22):
                index = struct.unpack_from("<H", rgce, at + (1 if base == 0x22 else 0))[0] & 0x7FFF
                name = _BIFF_FUNCTIONS.get(index)
                if name:
                    out.setdefault(f"ô có công thức {name}", _FUNCTION_LABELS[name])
            elif base == 0x23:  # a defined name; future functions (_xlfn.WEBSERVICE) are names too
                index = struct.unpack_from("<H", rgce, at)[0]
                self._called(self.names[index - 1] if 0 < index <= len(self.names) else "", out)
            elif base in (0x39, 0x3A, 0x3B, 0x3C, 0x3D):
                ixti = struct.unpack_from("<H", rgce, at)[0]
                book = self._linked(ixti)
                if base == 0x39:
                    index = struct.unpack_from("<I", rgce, at + 2)[0]
                    if 0 <= ixti < len(self.xti) and 0 <= self.xti[ixti] < len(self.supbooks):
                        names = self.supbooks[self.xti[ixti]].names
                        self._called(names[index - 1][0] if 0 < index <= len(names) else "", out)
                if book is not None and book.kind == "dde":
                    out.setdefault("ô có liên kết DDE", f"liên kết DDE tới chương trình “{_clean(book.target)}” (có "
                                   "thể chạy lệnh trên máy khi mở tệp)")
                elif book is not None:
                    shown = f" “{_clean(book.target)}”" if book.target else ""
                    out.setdefault("ô tham chiếu tới tệp khác",
                                   f"tham chiếu tới tệp khác{shown} (Excel hỏi cập nhật liên kết khi mở)")
        return list(out.items())

    @staticmethod
    def _called(name: str, out: dict[str, str]) -> None:
        bare = re.sub(r"^(?:_xlfn|_xll|_xlws)\.", "", name.strip(), flags=re.I).upper()
        if bare in _FUNCTION_LABELS:
            out.setdefault(f"ô có công thức {bare}", _FUNCTION_LABELS[bare])

    def globals_record(self, typ: int, payload: bytes) -> None:
        if typ == 0x01AE and len(payload) >= 4:  # SUPBOOK
            ctab, cch = struct.unpack_from("<HH", payload, 0)
            if cch == 0x0401:
                self.supbooks.append(_Supbook("self", "", []))
            elif cch == 0x3A01:
                self.supbooks.append(_Supbook("addin", "", []))
            else:
                path = _xlunicode(payload, 4, cch)
                if ctab == 0 and "\x03" in path and not path.startswith("\x01"):  # DDE/OLE: server, 0x03, topic
                    self.supbooks.append(_Supbook("dde", path.replace("\x03", "|", 1), []))
                else:
                    self.supbooks.append(_Supbook("book", _virtual_path(path), []))
        elif typ == 0x0023 and len(payload) >= 8 and self.supbooks:  # EXTERNNAME of the last SUPBOOK
            flags = struct.unpack_from("<H", payload, 0)[0]
            self.supbooks[-1].names.append((_xlunicode(payload, 7, payload[6]), flags))
        elif typ == 0x0017 and len(payload) >= 2:  # EXTERNSHEET
            count = struct.unpack_from("<H", payload, 0)[0]
            self.xti = [struct.unpack_from("<H", payload, 2 + 6 * i)[0] for i in range(count)
                        if 2 + 6 * i + 6 <= len(payload)]
        elif typ == 0x0018 and len(payload) >= 14:  # NAME
            flags, cch, cce = struct.unpack_from("<H", payload, 0)[0], payload[3], struct.unpack_from("<H", payload, 4)[0]
            name = _xlunicode(payload, 14, cch)
            if flags & 0x20:  # a built-in name (Print_Area …) is one character, its code
                name = f"(tên có sẵn {ord(name[:1] or chr(0))})"
            self.names.append(name)
            offset = 15 + cch * (2 if len(payload) > 14 and payload[14] & 1 else 1)
            self.name_formulas.append((name, payload[offset:offset + cce]))

    def links(self) -> None:
        """The SUPBOOKs that point outside, and the defined names that use them."""
        for book in self.supbooks:
            items = ", ".join(_clean(n, 30) for n, _ in book.names[:3]) + (", …" if len(book.names) > 3 else "")
            shown = f" (mục: {items})" if items else ""
            if book.kind == "dde":
                ole = any(flags & 0x18 for _, flags in book.names)
                kind = "liên kết OLE" if ole else "liên kết DDE"
                self.found.add(kind, f"Tệp có {kind} tới chương trình “{_clean(book.target)}”{shown}; khi mở tệp "
                               "Excel có thể đề nghị khởi động chương trình đó.")
            elif book.kind == "book":
                target = f" “{_clean(book.target)}”" if book.target else ""
                self.found.add("liên kết tới tệp khác", f"Tệp có liên kết tới tệp khác{target}{shown}; Excel hỏi cập "
                               "nhật liên kết (và mở tệp đó) khi mở tệp này.")
        for name, rgce in self.name_formulas:
            for summary, label in self.findings(rgce):
                self.found.add(summary.replace("ô ", "tên định nghĩa ", 1),
                               f"Tên định nghĩa “{_clean(name, 60)}”: {label}.")

    def cell(self, sheet: str | None, typ: int, payload: bytes) -> None:
        if typ == 0x0006 and len(payload) >= 22:  # FORMULA
            row, col = struct.unpack_from("<HH", payload, 0)
            cce = struct.unpack_from("<H", payload, 20)[0]
            ref, rgce = f"{column_name(col & 0x3FFF)}{row + 1}", payload[22:22 + cce]
        elif typ == 0x04BC and len(payload) >= 10:  # SHRFMLA: the formula shared by a range
            r0, r1, c0, c1 = struct.unpack_from("<HHBB", payload, 0)
            cce = struct.unpack_from("<H", payload, 8)[0]
            ref, rgce = f"{column_name(c0)}{r0 + 1}:{column_name(c1)}{r1 + 1}", payload[10:10 + cce]
        elif typ == 0x0221 and len(payload) >= 14:  # ARRAY
            r0, r1, c0, c1 = struct.unpack_from("<HHBB", payload, 0)
            cce = struct.unpack_from("<H", payload, 12)[0]
            ref, rgce = f"{column_name(c0)}{r0 + 1}:{column_name(c1)}{r1 + 1}", payload[14:14 + cce]
        else:
            return
        if ":" in ref and ref.split(":")[0] == ref.split(":")[1]:
            ref = ref.split(":")[0]
        for summary, label in self.findings(rgce):
            self.found.add(summary, f"{_cell_place(sheet, ref)}: {label}.", sheet,
                           _range_cells(ref) if ":" in ref else 1)


def _xls(data: bytes, found: _Found) -> None:
    directory = _ole_directory(data)
    if directory is None:
        return
    entries, read = directory
    names = {name for name, _, _, _ in entries}
    if "_VBA_PROJECT_CUR" in names:
        found.add("macro VBA", "Tệp có macro VBA (_VBA_PROJECT_CUR): nội dung chủ động, chạy được lệnh khi bật macro.")
    objects = [n for n, typ, _, _ in entries if typ == 1 and re.fullmatch(r"MBD[0-9A-Fa-f]{8}", n)]
    if objects:
        found.add("đối tượng nhúng (OLE)", f"Tệp có {len(objects)} đối tượng nhúng (OLE): nội dung chủ động, mở được "
                  "bằng chương trình khác khi bấm vào.", cells=len(objects))
    if "Ctls" in names:
        found.add("điều khiển ActiveX", "Tệp có điều khiển ActiveX (Ctls): nội dung chủ động, Excel có thể nạp "
                  "chương trình của điều khiển khi mở tệp.")
    entry = next((e for e in entries if e[0] in ("Workbook", "Book") and e[1] == 2), None)
    if entry is None or entry[3] < _MINI_STREAM_CUTOFF:
        return
    stream = read(entry[2], entry[3])
    if len(stream) < 8 or struct.unpack_from("<HH", stream, 0)[0] != 0x0809 or stream[4:6] != b"\x00\x06":
        return  # BIFF8 only (Excel 97–2003); BIFF5 tokens are sized differently
    _walk_biff(stream, found)


_RECORD_HEAD = struct.Struct("<HH")
_CELL_FORMULAS = frozenset((0x0006, 0x04BC, 0x0221, 0x0809))  # FORMULA, SHRFMLA, ARRAY, and BOF (a sheet starts)


def _walk_biff(stream: bytes, found: _Found) -> None:
    """The globals (sheets, links, names), then each sheet's formula records, in one pass over the stream."""
    biff = _Biff(found)
    sheets: dict[int, str] = {}
    macro_sheets: list[str] = []
    pos = 0
    for typ, payload in _biff_records(stream, 0):
        pos += 4 + len(payload)
        if typ == 0x0085 and len(payload) >= 8:  # BOUNDSHEET8
            count, high = payload[6], payload[7] & 1
            name = payload[8:8 + count * (2 if high else 1)].decode("utf-16-le" if high else "latin-1", "replace")
            sheets[struct.unpack_from("<I", payload, 0)[0]] = name
            if payload[5] == 1:  # an Excel 4.0 macro sheet
                macro_sheets.append(name)
        elif typ == 0x000A:
            break
        else:
            biff.globals_record(typ, payload)
    biff.links()
    for name in macro_sheets:
        found.add("sheet macro Excel 4.0", f"Sheet “{name}” là sheet macro: nội dung chủ động, chạy được lệnh.", name)
    sheet, end, head = None, len(stream), _RECORD_HEAD.unpack_from
    while pos + 4 <= end:  # the sheets: only the records that hold a formula are copied out
        typ, length = head(stream, pos)
        if typ in _CELL_FORMULAS:
            if typ == 0x0809:
                sheet = sheets.get(pos, sheet)
            else:
                biff.cell(sheet, typ, stream[pos + 4:pos + 4 + length])
        pos += 4 + length


# ---------------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------------

def live_content(data: bytes, filename: str = "", *, strict: bool = False) -> list[tuple[str, str | None]]:
    """(warning, sheet or None) for the live content of an upload that passed the container guard: a summary,
    up to MAX_LISTED places named (sheet and cell), and a count of the rest. [] when there is none, or for any
    input it cannot follow (an HTML table, a broken file): it never raises. `strict` (for the fuzz tests) lets an
    exception a damaged file cannot explain (a bug) through."""
    found = _Found()
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return []
    try:
        data = bytes(data)
        if data.startswith(_ZIP_MAGIC):
            view = memoryview(data)
            parts = {p.key: p for p in _zip_parts(data)}
            if "xl/workbook.xml" in parts:
                _xlsx(view, parts, found)
            elif "content.xml" in parts:
                _ods(view, parts, found)
        elif data.startswith(_OLE_MAGIC):
            _xls(data, found)
    except (*_PARSE_ERRORS, _Enough):  # what could not be followed is no finding; what was found stays found
        pass
    except Exception:
        if strict:
            raise
    return found.messages()
