"""Property-based fuzzing of the upload path: random bytes, mutated real workbooks, mutated sheet XML.

Whatever the bytes, cchc.ingest.check_file must return a CheckResult whose findings are the project's own clear
messages (Vietnamese text, located by sheet and row where they concern a cell); no exception may escape it.

The example counts keep the whole file under a minute and the runs are derandomized, so CI is reproducible. For a
longer local run set CCHC_FUZZ_EXAMPLES, e.g. `CCHC_FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/read/test_fuzz.py`.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_container import (  # file builders shared with the hostile-file tests
    biff8,
    compound_file,
    ods,
)

from cchc.ingest import CheckResult, check_file
from cchc.read.container import MAX_CELLS, column_name
from cchc.read.formulas import live_content
from cchc.read.text import NumberError, parse_count
from cchc.registry import load_registry

DATA = Path(__file__).resolve().parents[2] / "data"
FILES = {name: (DATA / name).read_bytes() for name in (
    "ke_hoach_75_2019.xlsx", "thong_ke_2019_minh_hoa_mau.xlsx", "tien_do_2019_minh_hoa.xlsx",
    "thu_tuc_2019_minh_hoa.xlsx")}
REGISTRY = load_registry()

_LOCAL = int(os.environ.get("CCHC_FUZZ_EXAMPLES", "0") or 0)

# A RuntimeWarning from numpy ("invalid value encountered in cast") is a value silently turned into garbage: fail.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def fuzz_settings(default: int):
    """Derandomized settings: `default` examples in CI, CCHC_FUZZ_EXAMPLES when set."""
    return settings(max_examples=_LOCAL or default, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example, HealthCheck.filter_too_much])


_VIETNAMESE = re.compile(r"[^\x00-\x7f]")


def check(data: bytes, filename: str = "tep.xlsx") -> CheckResult:
    """check_file, asserting what every result must satisfy."""
    result = check_file(data, filename, registry=REGISTRY)
    assert isinstance(result, CheckResult)
    findings = result.findings.errors + result.findings.warnings
    for finding in findings:
        assert isinstance(finding.message, str) and finding.message.strip()
        assert _VIETNAMESE.search(finding.message), finding.message  # written for the user, in Vietnamese
        if finding.row is not None:
            assert isinstance(finding.row, int) and finding.row >= 1
            assert finding.sheet, f"a row without its sheet: {finding}"
        finding.located()
    if result.kind is None:
        assert not result.ok and result.findings.errors, "a refused file must say why"
    if not result.ok:
        assert result.findings.errors or result.kind is not None
    result.as_dict()
    return result


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


PARTS = {name: parts_of(data) for name, data in FILES.items()}
SHEETS = {name: sorted(p for p in parts if p.startswith("xl/worksheets/sheet")) for name, parts in PARTS.items()}


# ---------------------------------------------------------------------------------------------------------------
# (a) random bytes, bare or behind the magic numbers the loader dispatches on
# ---------------------------------------------------------------------------------------------------------------

MAGICS = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html>", b"\xef\xbb\xbf", b"\xff\xfe", b"%PDF-",
          b"PK\x05\x06", b"<?xml version=\"1.0\"?>"]


@fuzz_settings(300)
@given(prefix=st.sampled_from(MAGICS), body=st.binary(max_size=64 * 1024),
       filename=st.sampled_from(["tep.xlsx", "tep.xls", "tep.ods", "tep", "tep.csv"]))
def test_random_bytes(prefix, body, filename):
    result = check(prefix + body, filename)
    assert not result.ok


# ---------------------------------------------------------------------------------------------------------------
# (b) real workbooks with bytes flipped, inserted, deleted, duplicated or cut
# ---------------------------------------------------------------------------------------------------------------

@st.composite
def mutated_file(draw):
    name = draw(st.sampled_from(sorted(FILES)))
    data = bytearray(FILES[name])
    # Positions are drawn everywhere, and also near the end where the zip directory lives.
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "set", "insert", "delete", "duplicate", "truncate"]))
        near_end = draw(st.booleans())
        low = max(0, len(data) - 1200) if near_end else 0
        pos = draw(st.integers(low, len(data) - 1))
        if op == "flip":
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "set":
            data[pos] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x80, 0x01]))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "duplicate":
            data[pos:pos] = data[pos:pos + draw(st.integers(1, 256))]
        else:
            del data[pos:]
    return name, bytes(data)


@fuzz_settings(150)
@given(mutated_file())
def test_mutated_workbooks(case):
    name, data = case
    check(data, name)


# ---------------------------------------------------------------------------------------------------------------
# (c) structure-aware: the zip stays valid, the sheet XML is mutated
# ---------------------------------------------------------------------------------------------------------------

NASTY_VALUES = ["", " ", "-", "–", "-1", "-0", "0", "1.234", "1,234", "1.234,5", "12,5", "1e5", "1E308", "1e309",
                "-1e309", "9" * 30, "-" + "9" * 30, "NaN", "nan", "inf", "-inf", "Infinity", "0x10", "1_000", "١٢٣",
                "１２３", "=1+1", "=cmd|' /C calc'!A0", "@SUM(1)", "+1", "Đơn vị", "Tổng cộng", "Tháng 13", "T13-2019",
                "13/2019", "2019-02-30", "\u200b", "a\u0000b", "&amp;", "<x>", "]]>", "𝟙𝟚", "x" * 5000]


def _xml_text(value: str) -> str:
    value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)  # XML 1.0 cannot carry other controls
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


values = st.one_of(st.sampled_from(NASTY_VALUES), st.text(max_size=40),
                   st.integers(min_value=-10 ** 20, max_value=10 ** 20).map(str),
                   st.floats(allow_nan=True, allow_infinity=True).map(repr))

_V_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


@st.composite
def mutated_sheet(draw):
    """A real workbook whose cells get other values and types, written as Excel would store them."""
    name = draw(st.sampled_from(sorted(FILES)))
    parts = dict(PARTS[name])
    sheet = draw(st.sampled_from(SHEETS[name]))
    xml = parts[sheet]
    cells = list(_V_CELL.finditer(xml))
    chosen = sorted(set(draw(st.lists(st.integers(0, len(cells) - 1), min_size=1, max_size=12))))
    pieces, last = [], 0
    for i in chosen:
        m = cells[i]
        col, row = m.group(1).decode(), m.group(2).decode()
        kind = draw(st.sampled_from(["inline", "number", "shared", "bool", "error", "date", "str", "empty", "formula"]))
        value = draw(values)
        if kind == "inline":
            cell = f'<c r="{col}{row}" t="inlineStr"><is><t xml:space="preserve">{_xml_text(value)}</t></is></c>'
        elif kind == "number":
            cell = f'<c r="{col}{row}"><v>{_xml_text(value)}</v></c>'
        elif kind == "shared":
            cell = f'<c r="{col}{row}" t="s"><v>{draw(st.integers(-2, 10 ** 6))}</v></c>'
        elif kind == "bool":
            cell = f'<c r="{col}{row}" t="b"><v>{draw(st.sampled_from(["0", "1", "2", "true", ""]))}</v></c>'
        elif kind == "error":
            cell = f'<c r="{col}{row}" t="e"><v>{draw(st.sampled_from(["#DIV/0!", "#N/A", "#REF!", "#BAD", ""]))}</v></c>'
        elif kind == "date":
            cell = f'<c r="{col}{row}" t="d"><v>{_xml_text(value)}</v></c>'
        elif kind == "str":
            cell = f'<c r="{col}{row}" t="str"><f>A1</f><v>{_xml_text(value)}</v></c>'
        elif kind == "formula":
            cell = f'<c r="{col}{row}"><f>{_xml_text(value)}</f></c>'
        else:
            cell = f'<c r="{col}{row}"/>'
        pieces.append(xml[last:m.start()] + cell.encode("utf-8"))
        last = m.end()
    pieces.append(xml[last:])
    parts[sheet] = b"".join(pieces)
    if draw(st.booleans()):  # a few dates styled as dates: numbers far outside the calendar
        styled = draw(st.sampled_from([b' s="1"', b' s="2"', b' s="999"']))
        parts[sheet] = re.sub(rb'(<c r="[A-Z]+[0-9]+")(>)', rb"\1" + styled + rb"\2", parts[sheet], count=5)
    return name, rezip(parts)


@fuzz_settings(150)
@given(mutated_sheet())
def test_mutated_cell_values(case):
    """Only cells changed: a refusal, by the loader or by a reader, names the sheet and the row of a cell."""
    name, data = case
    result = check(data, name)
    if result.kind is None:
        error = result.findings.errors[0]
        assert error.sheet and error.row and error.column, error.located()


@st.composite
def mangled_xml(draw):
    """The bytes of one part mutated (tags cut, attributes changed), the zip rebuilt around them."""
    name = draw(st.sampled_from(sorted(FILES)))
    parts = dict(PARTS[name])
    part = draw(st.sampled_from(sorted(p for p in parts if p.endswith((".xml", ".rels")))))
    xml = bytearray(parts[part])
    for _ in range(draw(st.integers(1, 5))):
        if not xml:
            break
        pos = draw(st.integers(0, len(xml) - 1))
        op = draw(st.sampled_from(["delete", "insert", "replace_digits", "duplicate"]))
        if op == "delete":
            del xml[pos:pos + draw(st.integers(1, 40))]
        elif op == "insert":
            xml[pos:pos] = draw(st.sampled_from([b"<", b">", b'"', b"&", b"<c>", b"</c>", b"<row>", b'r="XFD99"',
                                                 b"<v>1</v>", b'<c r="A1048576"><v>1</v></c>', b"<f>1</f>",
                                                 b'<mergeCell ref="A1:C3"/>', b"\xff\xfe", b"<!--", b"<![CDATA[x]]>",
                                                 b'<si><t>x</t></si>', b' t="s"', b' s="7"']))
        elif op == "replace_digits":
            m = re.compile(rb"[0-9]+").search(bytes(xml), pos)
            if m:
                xml[m.start():m.end()] = draw(st.sampled_from([b"0", b"99999999", b"1048577", b"16385", b"-1", b""]))
        else:
            xml[pos:pos] = xml[pos:pos + draw(st.integers(1, 300))]
    parts[part] = bytes(xml)
    return name, rezip(parts)


@fuzz_settings(150)
@given(mangled_xml())
def test_mangled_xml_parts(case):
    name, data = case
    check(data, name)


# ---------------------------------------------------------------------------------------------------------------
# A bad figure is refused at its cell: sheet, row and column named
# ---------------------------------------------------------------------------------------------------------------

STATS_FILE = "thong_ke_2019_minh_hoa_mau.xlsx"
_STATS_SHEET = "xl/worksheets/sheet1.xml"


def _not_a_count(value: str) -> bool:
    try:
        parse_count(value)
    except NumberError:
        return True
    except (ValueError, OverflowError):
        return True
    return False


@fuzz_settings(80)
@given(row=st.integers(2, 241), column=st.integers(3, 20),
       value=st.one_of(st.sampled_from(NASTY_VALUES), st.text(min_size=1, max_size=20)).filter(_not_a_count))
def test_a_bad_figure_is_refused_where_it_is(row, column, value):
    parts = dict(PARTS[STATS_FILE])
    ref = f"{column_name(column)}{row}"
    xml = parts[_STATS_SHEET]
    cell = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    new = f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xml_text(value)}</t></is></c>'.encode()
    xml, n = cell.subn(new, xml, count=1)
    assert n == 1
    parts[_STATS_SHEET] = xml
    result = check(rezip(parts), STATS_FILE)
    assert result.kind == "stats"
    if not _xml_text(value).strip() or not _not_a_count(_xml_text(value)):
        return  # the value did not survive as a non-count (e.g. only control characters)
    assert not result.ok
    here = [f for f in result.findings.errors if f.sheet == "Thống kê" and f.row == row]
    assert here, [f.located() for f in result.findings.errors[:5]]
    assert all(f.column for f in here)


# ---------------------------------------------------------------------------------------------------------------
# .ods tables with repeated rows and cells, and legacy .xls with mutated records
# ---------------------------------------------------------------------------------------------------------------


@st.composite
def ods_table(draw):
    """A table whose rows and cells repeat; tables of a legal but large size (slow to read, and tested elsewhere)
    are pushed past the limit, so each example stays fast while both sides of the limit are exercised."""
    rows = []
    height = width = 0
    for _ in range(draw(st.integers(1, 6))):
        cells = []
        row_width = 0
        for _ in range(draw(st.integers(0, 5))):
            repeat = draw(st.sampled_from([None, 1, 2, 1000, 16384, 10 ** 6, 0, -1, "x"]))
            row_width += repeat if isinstance(repeat, int) and repeat > 0 else 1
            attr = f' table:number-columns-repeated="{repeat}"' if repeat is not None else ""
            kind = draw(st.sampled_from(["float", "string", "date", "empty", "spaces"]))
            if kind == "float":
                cells.append(f'<table:table-cell{attr} office:value-type="float" office:value="'
                             f'{_xml_text(draw(values))}"/>')
            elif kind == "string":
                cells.append(f'<table:table-cell{attr} office:value-type="string"><text:p>{_xml_text(draw(values))}'
                             "</text:p></table:table-cell>")
            elif kind == "date":
                cells.append(f'<table:table-cell{attr} office:value-type="date" office:date-value="'
                             f'{_xml_text(draw(values))}"/>')
            elif kind == "spaces":
                count = draw(st.sampled_from([1, 100, 10 ** 9]))
                cells.append(f'<table:table-cell{attr} office:value-type="string"><text:p>a<text:s text:c="{count}"/>'
                             "</text:p></table:table-cell>")
            else:
                cells.append(f"<table:table-cell{attr}/>")
        repeat = draw(st.sampled_from([None, 1, 3, 5000, 10 ** 6]))
        height, width = height + (repeat or 1), max(width, row_width)
        if 50_000 < height * width <= 4 * MAX_CELLS:
            repeat = 10 ** 7
            height = 10 ** 7
        attr = f' table:number-rows-repeated="{repeat}"' if repeat is not None else ""
        rows.append(f"<table:table-row{attr}>" + "".join(cells) + "</table:table-row>")
    header = ("<table:table-row>" + "".join(f'<table:table-cell office:value-type="string"><text:p>{h}</text:p>'
                                             "</table:table-cell>" for h in ("Đơn vị", "Năm", "Tổng số TTHC"))
              + "</table:table-row>")
    return ods(f'<table:table table:name="{_xml_text(draw(st.text(max_size=10)))}">' + header + "".join(rows)
               + "</table:table>")


@fuzz_settings(100)
@given(ods_table())
def test_generated_ods_tables(data):
    check(data, "so_lieu.ods")


@fuzz_settings(25)
@given(st.data())
def test_mutated_legacy_xls(data):
    """Records of a real BIFF8 stream flipped: read in the child process, refused with a message at worst."""
    stream = bytearray(biff8([["Đơn vị", "Năm", "Tổng số TTHC"], ["Phòng Tư pháp", 2019, 32]]))
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(stream) - 1))
        stream[pos] = data.draw(st.integers(0, 255))
    check(compound_file({"Workbook": bytes(stream)}), "thu_tuc.xls")


@fuzz_settings(100)
@given(st.one_of(mutated_file(), mangled_xml(), mutated_sheet()))
def test_live_content_never_raises(case):
    """The live-formula scan (cchc/read/formulas.py) on its own: check_file would turn an exception into a refusal
    of a good file, so it must answer a list of (Vietnamese warning, sheet) for any bytes; strict: only the errors
    a damaged file explains are swallowed, any other exception is a bug and fails here."""
    name, data = case
    found = live_content(data, name, strict=True)
    assert isinstance(found, list)
    for message, sheet in found:
        assert isinstance(message, str) and _VIETNAMESE.search(message) and (sheet is None or isinstance(sheet, str))
