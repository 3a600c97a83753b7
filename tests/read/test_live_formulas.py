"""Live content in an upload (cchc/read/formulas.py): formulas and parts that make Excel reach outside the file.

The readers never evaluate a formula, but the Dữ liệu page hands the original back ("Tải tệp gốc") as it came, so a
workbook with HYPERLINK, DDE or links to other files is warned about at upload, each place named by sheet and cell.
Every file here is built in the test: .xlsx with openpyxl (parts the library does not write are added to the zip
by hand), .ods as content.xml in a zip, .xls as BIFF8 records in an OLE2 container.
"""

from __future__ import annotations

import html
import io
import json
import re
import struct
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from read.test_container import compound_file, ods, ods_cell, parts_of, rezip
from support import DATA, book, figures, make_registry, template_sheet

from cchc import cli
from cchc.ingest import check_file
from cchc.read import formulas
from cchc.read.formulas import MAX_LISTED, live_content

SUMMARY = "Tệp có nội dung có thể tự kết nối ra ngoài hoặc chạy lệnh khi được mở bằng Excel"
HYPERLINK = '=HYPERLINK("http://x.example/","bấm")'


def messages(data: bytes, filename: str = "tep.xlsx") -> list[tuple[str, str | None]]:
    found = live_content(data, filename)
    assert all(isinstance(m, str) and (s is None or isinstance(s, str)) for m, s in found)
    return found


def lines(data: bytes, filename: str = "tep.xlsx") -> list[str]:
    """The messages after the summary."""
    found = messages(data, filename)
    assert found and found[0][0].startswith(SUMMARY) and found[0][1] is None, found[:1]
    return [m for m, _ in found[1:]]


# ---------------------------------------------------------------------------------------------------------------
# .xlsx builders
# ---------------------------------------------------------------------------------------------------------------

def workbook(cells: dict[str, object], sheet: str = "Bieu06") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = "Đơn vị"
    for ref, value in cells.items():
        ws[ref] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def saved(data: bytes, values: dict[str, object], part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with a saved value for formula cells (openpyxl writes none; Excel always does)."""
    parts = parts_of(io.BytesIO(data))
    xml = parts[part].decode()
    for ref, value in values.items():
        kind = ' t="str"' if isinstance(value, str) else ""
        xml, n = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v(?:\s*/>|></v>)</c>',
                         rf'<c r="{ref}"\1{kind}><f>\2</f><v>{html.escape(str(value))}</v></c>', xml)
        assert n == 1, ref
    parts[part] = xml.encode()
    return rezip(parts)


def with_parts(data: bytes, add: dict[str, str], workbook_edit=None, rels: str = "") -> bytes:
    """The workbook with parts added, workbook.xml edited and relationships added to it."""
    parts = parts_of(io.BytesIO(data))
    for name, text in add.items():
        parts[name] = text.encode()
    if workbook_edit:
        parts["xl/workbook.xml"] = workbook_edit(parts["xl/workbook.xml"].decode()).encode()
    if rels:
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", rels.encode() + b"</Relationships>")
    return rezip(parts)


R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def external_link(data: bytes, link: str, target: str | None = None, names: str = "") -> bytes:
    """The workbook with xl/externalLinks/externalLink1.xml (external reference [1]) holding `link`."""
    add = {"xl/externalLinks/externalLink1.xml": f'<externalLink {MAIN} {R}>{link}</externalLink>'}
    if target is not None:
        add["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            f'Id="rId1" Type="{REL}/externalLinkPath" Target="{target}" TargetMode="External"/></Relationships>')

    def edit(xml: str) -> str:
        xml = xml.replace("<definedNames/>", f'<externalReferences><externalReference {R} r:id="rId9"/>'
                                             f"</externalReferences><definedNames>{names}</definedNames>")
        return xml

    return with_parts(data, add, edit, f'<Relationship Id="rId9" Type="{REL}/externalLink" '
                                       'Target="externalLinks/externalLink1.xml"/>')


# ---------------------------------------------------------------------------------------------------------------
# .xlsx formulas
# ---------------------------------------------------------------------------------------------------------------

def test_a_hyperlink_formula_is_named_by_sheet_and_cell():
    found = messages(workbook({"C7": HYPERLINK, "C8": "=SUM(C1:C6)"}))
    assert found[0][0].startswith(SUMMARY + " (1 ô có công thức HYPERLINK)")
    assert "Tải tệp gốc" in found[0][0] and "Dán đặc biệt › Giá trị" in found[0][0]
    assert found[1:] == [("Sheet “Bieu06”, ô C7: công thức HYPERLINK (mở một địa chỉ khi bấm vào ô): "
                          '=HYPERLINK("http://x.example/","bấm")', "Bieu06")]


@pytest.mark.parametrize("formula,name", [
    ('=_xlfn.WEBSERVICE("http://x.example/api")', "WEBSERVICE"),
    ('=_xlfn.FILTERXML(B1,"//a")', "FILTERXML"),
    ('=_xlfn.IMAGE("http://x.example/a.png")', "IMAGE"),
    ('=RTD("may.chu",,"gia")', "RTD"),
    ('=CALL("Kernel32","WinExec","JCJ","calc",1)', "CALL"),
    ('=REGISTER("Kernel32","WinExec","JCJ")', "REGISTER"),
    ('=IF(A1>0,hyperlink("http://x.example/"),0)', "HYPERLINK"),
])
def test_functions_that_reach_outside(formula, name):
    text = lines(workbook({"D9": formula}))
    assert len(text) == 1
    assert text[0].startswith(f"Sheet “Bieu06”, ô D9: công thức {name} ("), text


def test_a_dde_formula_names_the_program():
    text = lines(workbook({"B2": "=cmd|' /c calc'!A0"}))
    assert text == ["Sheet “Bieu06”, ô B2: liên kết DDE tới chương trình “cmd” (có thể chạy lệnh trên máy khi mở "
                    "tệp): =cmd|' /c calc'!A0"]


@pytest.mark.parametrize("formula,target", [
    ("='C:\\bao_cao\\[nam_2018.xlsx]Sheet1'!A1", "C:\\bao_cao\\[nam_2018.xlsx]Sheet1"),
    ("=SUM('http://x.example/[so_lieu.xlsx]T1'!B2:B9)", "http://x.example/[so_lieu.xlsx]T1"),
    ("=[so_lieu.xlsx]T1!B2+1", "[so_lieu.xlsx]T1"),
    ("=\\\\may-chu\\chung\\[a.xlsx]S!A1", None),
])
def test_references_to_other_workbooks(formula, target):
    text = lines(workbook({"E3": formula}))
    assert text[0].startswith("Sheet “Bieu06”, ô E3: tham chiếu tới tệp khác"), text
    if target:
        assert f"“{target}”" in text[0]


def test_ordinary_formulas_and_text_are_not_live():
    data = workbook({"B2": "=SUM(B3:B9)", "B3": '="a|b"&"[1]x!"&"HYPERLINK(" & C1', "B4": "='Số liệu 2019'!A1*2",
                     "B5": "=Bang1[[#This Row],[2019]]+Bang1[2019]", "B6": "=VLOOKUP(A1,'Danh mục'!A:B,2,0)",
                     "B7": "=MYHYPERLINK(1)+SUMIF(A:A,\"|\",B:B)", "B8": "=cmd|x"})
    parts = parts_of(io.BytesIO(data))
    # "=cmd|x" stored as text, not as a formula: never live (text that looks like a formula stays text)
    sheet = parts["xl/worksheets/sheet1.xml"].replace(b'<c r="B8"><f>cmd|x</f><v></v></c>',
                                                       b'<c r="B8" t="inlineStr"><is><t>=cmd|x</t></is></c>')
    parts["xl/worksheets/sheet1.xml"] = sheet
    assert messages(rezip(parts)) == []


@pytest.mark.parametrize("path", sorted(DATA.glob("*.xlsx")), ids=lambda p: p.name)
def test_the_shipped_workbooks_have_no_live_content(path):
    assert messages(path.read_bytes(), path.name) == []


def test_shared_formulas_name_every_cell_of_the_group():
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Đơn vị</t></is></c></row>'
            '<row r="7"><c r="C7"><f t="shared" ref="C7:C9" si="0">HYPERLINK("http://x.example/"&amp;A7,A7)</f>'
            '<v>1</v></c></row><row r="8"><c r="C8"><f t="shared" si="0"/><v>2</v></c></row>'
            '<row r="9"><c r="C9" s="1"><f t="shared" si="0"/><v>3</v></c>'
            '<c r="D9"><f t="shared" ref="D9:D10" si="1">SUM(A1:A2)</f><v>0</v></c></row>'
            '<row r="10"><c r="D10"><f t="shared" si="1"/><v>0</v></c></row>')
    xml = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}><sheetData>{rows}</sheetData></worksheet>'
    data = with_parts(workbook({}), {"xl/worksheets/sheet1.xml": xml})
    text = lines(data)
    assert [t.split(":")[0] for t in text] == ["Sheet “Bieu06”, ô C7", "Sheet “Bieu06”, ô C8", "Sheet “Bieu06”, ô C9"]
    assert all('=HYPERLINK("http://x.example/"&A7,A7)' in t for t in text)


def test_prefixed_sheet_xml_is_followed():
    rows = ('<x:row r="4"><x:c r="B4"><x:f>HYPERLINK("http://x.example/")</x:f><x:v>1</x:v></x:c></x:row>')
    xml = (f'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>{rows}'
           "</x:sheetData></x:worksheet>")
    text = lines(with_parts(workbook({}), {"xl/worksheets/sheet1.xml": xml}))
    assert text[0].startswith("Sheet “Bieu06”, ô B4: công thức HYPERLINK")


def test_characters_written_as_references_are_read_as_excel_reads_them():
    rows = ('<row r="3"><c r="B3"><f>&#72;YPERLINK(&quot;http://x.example/&quot;)</f><v>1</v></c>'
            '<c r="C3"><f>cmd&#124;&apos; /c calc&apos;!A0</f><v>0</v></c></row>')
    xml = f'<worksheet {MAIN}><sheetData>{rows}</sheetData></worksheet>'
    text = lines(with_parts(workbook({}), {"xl/worksheets/sheet1.xml": xml}))
    assert [t.split(": ")[1] for t in text] == ["công thức HYPERLINK (mở một địa chỉ khi bấm vào ô)",
                                                "liên kết DDE tới chương trình “cmd” (có thể chạy lệnh trên máy khi "
                                                "mở tệp)"]


def test_an_array_formula_is_named_by_its_range():
    rows = ('<row r="2"><c r="B2"><f t="array" ref="B2:B4">_xlfn.WEBSERVICE(A2:A4)</f><v>1</v></c></row>')
    xml = f'<worksheet {MAIN}><sheetData>{rows}</sheetData></worksheet>'
    text = lines(with_parts(workbook({}), {"xl/worksheets/sheet1.xml": xml}))
    assert text[0].startswith("Sheet “Bieu06”, các ô B2:B4: công thức WEBSERVICE")


def test_many_places_are_counted_after_the_first_ten():
    cells = {f"C{r}": f'=HYPERLINK("http://x.example/{r}")' for r in range(2, 27)}  # 25 cells
    found = messages(workbook(cells))
    assert found[0][0].startswith(SUMMARY + " (25 ô có công thức HYPERLINK)")
    named = found[1:1 + MAX_LISTED]
    assert [m.split(":")[0] for m, _ in named] == [f"Sheet “Bieu06”, ô C{r}" for r in range(2, 12)]
    assert found[1 + MAX_LISTED:] == [("Còn 15 chỗ khác có nội dung như trên không liệt kê ở đây (Sheet “Bieu06”: "
                                       "15 ô).", "Bieu06")]
    assert len(found) == MAX_LISTED + 2


def test_counting_stops_at_a_bound(monkeypatch):
    monkeypatch.setattr(formulas, "MAX_COUNTED", 20)
    found = messages(workbook({f"C{r}": f'=HYPERLINK("http://x.example/{r}")' for r in range(2, 40)}))
    assert found[0][0].startswith(SUMMARY + " (ít nhất 20 ô có công thức HYPERLINK)")
    assert found[-1] == ("Còn ít nhất 10 chỗ khác (dừng đếm ở 20 chỗ) có nội dung như trên không liệt kê ở đây (Sheet "
                         "“Bieu06”: 10 ô).", "Bieu06")


def test_reading_stops_after_a_budget_of_formulas(monkeypatch):
    """Formulas that only look live (a structured reference holds "[") count against MAX_EXAMINED too."""
    monkeypatch.setattr(formulas, "MAX_EXAMINED", 5)
    cells = {"C2": HYPERLINK, **{f"C{r}": f"=Bang1[Cot{r}]" for r in range(3, 9)}, "C9": HYPERLINK}
    found = messages(workbook(cells))
    assert found[0][0].startswith(SUMMARY + " (ít nhất 1 ô có công thức HYPERLINK)")
    assert [m.split(":")[0] for m, _ in found[1:]] == ["Sheet “Bieu06”, ô C2"]


def test_several_sheets_are_counted_sheet_by_sheet():
    wb = openpyxl.Workbook()
    wb.active.title = "T1"
    for r in range(1, 13):
        wb["T1"][f"A{r}"] = "=HYPERLINK(\"http://x.example/\")"
    wb.create_sheet("T2")
    for r in range(1, 4):
        wb["T2"][f"B{r}"] = "=cmd|' /c calc'!A0"
    buffer = io.BytesIO()
    wb.save(buffer)
    found = messages(buffer.getvalue())
    assert "12 ô có công thức HYPERLINK; 3 ô có liên kết DDE" in found[0][0]
    assert found[-1] == ("Còn 5 chỗ khác có nội dung như trên không liệt kê ở đây (Sheet “T1”: 2 ô; Sheet “T2”: "
                         "3 ô).", None)


# ---------------------------------------------------------------------------------------------------------------
# .xlsx parts: external links, DDE and OLE links, defined names, connections, active content
# ---------------------------------------------------------------------------------------------------------------

def test_an_external_workbook_link_and_the_cells_using_it():
    data = external_link(workbook({"C7": "=[1]Sheet1!A1*2", "C8": "='[1]Số liệu 2018'!$B$2"}),
                         '<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
                         "</externalBook>", "file:///C:/bao_cao/nam_2018.xlsx")
    text = lines(data)
    assert text[0] == ("Phần “xl/externalLinks/externalLink1.xml”: liên kết tới tệp khác “file:///C:/bao_cao/"
                       "nam_2018.xlsx”; Excel hỏi cập nhật liên kết (và mở tệp đó) khi mở tệp này.")
    assert text[1] == ("Sheet “Bieu06”, ô C7: tham chiếu tới tệp khác “file:///C:/bao_cao/nam_2018.xlsx” (Excel hỏi "
                       "cập nhật liên kết khi mở): =[1]Sheet1!A1*2")
    assert text[2].startswith("Sheet “Bieu06”, ô C8: tham chiếu tới tệp khác “file:///C:/bao_cao/nam_2018.xlsx”")


def test_a_dde_link_part_and_its_cell():
    data = external_link(workbook({"B5": "=[1]!'!A0'"}),
                         '<ddeLink ddeService="cmd" ddeTopic=" /c calc"><ddeItems><ddeItem name="A0"/></ddeItems>'
                         "</ddeLink>")
    text = lines(data)
    assert text[0].startswith("Phần “xl/externalLinks/externalLink1.xml”: liên kết DDE tới chương trình “cmd| /c "
                              "calc”; khi mở tệp Excel có thể đề nghị khởi động chương trình đó")
    assert text[1].startswith("Sheet “Bieu06”, ô B5: liên kết DDE “cmd| /c calc” (có thể chạy lệnh")


def test_an_ole_link_part():
    data = external_link(workbook({}), '<oleLink r:id="rId1" progId="Package"><oleItems/></oleLink>',
                         "file:///C:/Windows/System32/calc.exe")
    assert lines(data) == ["Phần “xl/externalLinks/externalLink1.xml”: liên kết OLE tới “file:///C:/Windows/System32/"
                           "calc.exe” (Package)."]


def test_a_defined_name_pointing_outside():
    names = '<definedName name="Nguon">[1]Sheet1!$A$1:$A$9</definedName><definedName name="Trong">Bieu06!$A$1' \
            "</definedName>"
    data = external_link(workbook({}), '<externalBook r:id="rId1"/>', "nam_2018.xlsx", names)
    text = lines(data)
    assert text[1] == ("Tên định nghĩa “Nguon”: tham chiếu tới tệp khác “nam_2018.xlsx” (Excel hỏi cập nhật liên kết "
                       "khi mở): =[1]Sheet1!$A$1:$A$9")
    assert len(text) == 2
    assert "1 tên định nghĩa tham chiếu tới tệp khác" in messages(data)[0][0]


def test_data_connections():
    connections = (f'<connections {MAIN}><connection id="1" name="Truy vấn - Số liệu" type="5" refreshedVersion="6">'
                   '<dbPr connection="Provider=Microsoft.Mashup.OleDb.1;Data Source=$Workbook$" command="SELECT *"/>'
                   '</connection><connection id="2" name="Web" type="4"><webPr url="http://x.example/so-lieu"/>'
                   '</connection><connection id="3" name="Khác" type="1"/></connections>')
    text = lines(with_parts(workbook({}), {"xl/connections.xml": connections}))
    assert text == [
        "Phần “xl/connections.xml”: kết nối cơ sở dữ liệu “Truy vấn - Số liệu” tới “Provider=Microsoft.Mashup.OleDb.1;"
        "Data Source=$Workbook$” (Excel có thể tự lấy dữ liệu từ nguồn ngoài khi mở tệp).",
        "Phần “xl/connections.xml”: truy vấn web “Web” tới “http://x.example/so-lieu” (Excel có thể tự lấy dữ liệu từ "
        "nguồn ngoài khi mở tệp).",
        "Phần “xl/connections.xml”: kết nối dữ liệu “Khác” (Excel có thể tự lấy dữ liệu từ nguồn ngoài khi mở tệp)."]


def test_activex_and_embedded_objects_are_active_content():
    data = with_parts(workbook({}), {"xl/activeX/activeX1.xml": "<ax:ocx/>", "xl/activeX/activeX1.bin": "x",
                                     "xl/embeddings/oleObject1.bin": "x"})
    text = lines(data)
    assert text == ["Tệp có 1 điều khiển ActiveX (xl/activeX/): nội dung chủ động, Excel có thể nạp chương trình của "
                    "điều khiển khi mở tệp.",
                    "Tệp có 1 đối tượng nhúng (xl/embeddings/: oleObject1.bin): nội dung chủ động, mở được bằng chương "
                    "trình khác khi bấm vào."]
    result = check_file(data, "tep.xlsx")  # the file itself is read as usual: a warning, never a refusal
    assert any(w.message.startswith("Tệp có 1 điều khiển ActiveX") for w in result.findings.warnings)


def test_vba_is_named_though_the_container_refuses_it():
    data = with_parts(workbook({}), {"xl/vbaProject.bin": "x"})
    assert lines(data, "tep.xlsm") == ["Tệp có macro VBA (xl/vbaProject.bin): nội dung chủ động, chạy được lệnh khi "
                                       "bật macro."]
    result = check_file(data, "tep.xlsm")
    assert result.kind is None and "macro (VBA)" in result.findings.errors[0].message


# ---------------------------------------------------------------------------------------------------------------
# Accepted with a warning: the figures are read from the saved values
# ---------------------------------------------------------------------------------------------------------------

def stats_with_hyperlink() -> bytes:
    spec = template_sheet([("Phòng Tư pháp", 2019, 1, figures()), ("Phòng Nội vụ", 2019, 1, figures(online=6,
                                                                                                        on_time=5))])
    spec.formulas["A2"] = '=HYPERLINK("http://x.example/tu-phap","Phòng Tư pháp")'
    return saved(book(spec), {"A2": "Phòng Tư pháp"})


def test_a_stats_workbook_with_a_hyperlink_is_accepted_with_the_warning():
    result = check_file(stats_with_hyperlink(), "thong_ke.xlsx", registry=make_registry())
    assert result.ok and result.kind == "stats", [e.located() for e in result.findings.errors]
    assert result.stats.records["unit"].tolist() == ["Phòng Tư pháp", "Phòng Nội vụ"]
    warnings = [(w.message, w.sheet) for w in result.findings.warnings]
    assert warnings[0][0].startswith(SUMMARY)
    assert ("Sheet “Số liệu”, ô A2: công thức HYPERLINK (mở một địa chỉ khi bấm vào ô): "
            '=HYPERLINK("http://x.example/tu-phap","Phòng Tư pháp")', "Số liệu") in warnings


def test_check_json_carries_the_warning(tmp_path, capsys, monkeypatch):
    path = tmp_path / "thong_ke.xlsx"
    path.write_bytes(stats_with_hyperlink())
    monkeypatch.delenv("CCHC_DATABASE_URL", raising=False)
    cli.main(["check", str(path), "--json"])
    payload = json.loads(capsys.readouterr().out)
    messages_out = [w["message"] for w in payload["warnings"]]
    assert any(m.startswith("Sheet “Số liệu”, ô A2: công thức HYPERLINK") for m in messages_out), messages_out
    assert {"sheet": "Số liệu"}.items() <= next(w for w in payload["warnings"] if "ô A2" in w["message"]).items()


# ---------------------------------------------------------------------------------------------------------------
# .ods
# ---------------------------------------------------------------------------------------------------------------

def ods_formula(formula: str, value=32) -> str:
    return (f'<table:table-cell table:formula="{html.escape(formula)}" office:value-type="float" '
            f'office:value="{value}"><text:p>{value}</text:p></table:table-cell>')


def procedures_ods(formula: str) -> bytes:
    body = ('<table:table table:name="Số liệu TTHC"><table:table-row>'
            + "".join(ods_cell(v) for v in ("Đơn vị", "Năm", "Tổng số TTHC")) + "</table:table-row><table:table-row>"
            + ods_cell("Phòng Tư pháp") + ods_cell(2019) + ods_formula(formula) + "</table:table-row></table:table>")
    return ods(body)


def test_an_ods_hyperlink_is_accepted_with_the_warning():
    data = procedures_ods('of:=HYPERLINK("http://x.example/";32)')
    result = check_file(data, "thu_tuc.ods")
    assert result.ok and result.kind == "procedures", result.findings.errors[:2]
    warnings = [(w.message, w.sheet) for w in result.findings.warnings]
    assert ("Sheet “Số liệu TTHC”, ô C2: công thức HYPERLINK (mở một địa chỉ khi bấm vào ô): "
            '=HYPERLINK("http://x.example/";32)', "Số liệu TTHC") in warnings


def test_ods_cells_are_located_through_repeated_rows_and_cells():
    body = ('<table:table table:name="T"><table:table-row table:number-rows-repeated="3">'
            '<table:table-cell table:number-columns-repeated="4"/></table:table-row>'
            '<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell/>'
            + ods_formula("of:=DDE(\"soffice\";\"file:///C:/a.ods\";\"Sheet1.A1\")")
            + ods_formula("of:=SUM(['file:///C:/bao_cao/nam_2018.ods'#$Sheet1.A1:.A9])")
            + ods_formula("of:=SUM([.A1:.A9])") + ods_formula("of:=[.A1:.B5]![.B2:.C6]")
            + "</table:table-row></table:table>")
    text = lines(ods(body), "t.ods")
    assert text == [
        'Sheet “T”, ô D4: công thức DDE (lấy dữ liệu từ một chương trình khác qua DDE): =DDE("soffice";'
        '"file:///C:/a.ods";"Sheet1.A1")',
        "Sheet “T”, ô E4: tham chiếu tới tệp khác “file:///C:/bao_cao/nam_2018.ods”: =SUM(['file:///C:/bao_cao/"
        "nam_2018.ods'#$Sheet1.A1:.A9])"]


def test_ods_linked_tables_and_dde_links():
    body = ('<table:table table:name="Liên kết"><table:table-source xmlns:xlink="http://www.w3.org/1999/xlink" '
            'xlink:href="file:///C:/bao_cao/nam_2018.ods" table:table-name="Sheet1" table:mode="copy-all"/>'
            "<table:table-row>" + ods_cell("x") + "</table:table-row></table:table>"
            '<table:dde-links><table:dde-link><office:dde-source office:name="cmd" office:dde-application="cmd" '
            'office:dde-topic="/c calc" office:dde-item="A0"/></table:dde-link></table:dde-links>')
    assert lines(ods(body), "t.ods") == [
        "Sheet “Liên kết”: bảng được liên kết tới tệp khác “file:///C:/bao_cao/nam_2018.ods” (LibreOffice cập nhật bảng "
        "từ tệp đó khi mở).",
        "Liên kết DDE tới chương trình “cmd|/c calc!A0” (có thể chạy lệnh trên máy khi mở tệp)."]


def test_an_ordinary_ods_has_no_warning():
    assert messages(procedures_ods("of:=SUM([.B2];30)"), "t.ods") == []


# ---------------------------------------------------------------------------------------------------------------
# Legacy .xls (BIFF8)
# ---------------------------------------------------------------------------------------------------------------

def record(typ: int, payload: bytes = b"") -> bytes:
    return struct.pack("<HH", typ, len(payload)) + payload


def short_string(text: str) -> bytes:
    """ShortXLUnicodeString, 8-bit."""
    return bytes([len(text), 0]) + text.encode("latin-1")


PTG_STR, PTG_INT, PTG_FUNCVAR, PTG_REF3D, PTG_NAMEX, PTG_AREA, PTG_REF = 0x17, 0x1E, 0x42, 0x5A, 0x59, 0x25, 0x24


def hyperlink_tokens(url: str, value: int) -> bytes:
    return (bytes([PTG_STR]) + short_string(url) + struct.pack("<BH", PTG_INT, value)
            + struct.pack("<BBH", PTG_FUNCVAR, 2, 359))


SUM_TOKENS = struct.pack("<BHHHH", PTG_AREA, 1, 1, 0xC001, 0xC001) + struct.pack("<BBH", 0x22, 1, 4)
EXTERNAL_TOKENS = struct.pack("<BHHH", PTG_REF3D, 1, 0, 0xC000)  # [nam_2018.xls]Sheet1!A1 through ixti 1
DDE_TOKENS = struct.pack("<BHI", PTG_NAMEX, 2, 1)  # cmd|' /c calc'!A0 through ixti 2, external name 1


def xls(rows, formulas: dict[tuple[int, int], tuple[bytes, float]], links: bool = False, names=()) -> bytes:
    """A BIFF8 workbook (one sheet "Sheet1") whose cells hold the values in `rows` and, at (row, col), formulas
    (tokens, saved value); with `links`, a SUPBOOK to another workbook, a DDE SUPBOOK and their EXTERNSHEET."""
    bof = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
    codepage = record(0x0042, struct.pack("<H", 1200))
    name = b"Sheet1"

    def boundsheet(pos):
        return record(0x0085, struct.pack("<IBB", pos, 0, 0) + struct.pack("<BB", len(name), 0) + name)

    extra = b""
    if links:
        path = "\x01\x01Cbao_cao\x03nam_2018.xls"  # C:\bao_cao\nam_2018.xls, encoded
        extra += record(0x01AE, struct.pack("<HH", 1, 0x0401))  # this workbook
        extra += record(0x01AE, struct.pack("<HHB", 1, len(path), 0) + path.encode("latin-1")
                        + struct.pack("<HB", 6, 0) + b"Sheet1")
        topic = "cmd\x03 /c calc"
        extra += record(0x01AE, struct.pack("<HHB", 0, len(topic), 0) + topic.encode("latin-1"))
        extra += record(0x0023, struct.pack("<HI", 0, 0) + short_string("A0"))
        extra += record(0x0017, struct.pack("<H", 3) + struct.pack("<HHH", 0, 0, 0) + struct.pack("<HHH", 1, 0, 0)
                        + struct.pack("<HHH", 2, 0xFFFE, 0xFFFE))
    for label, tokens in names:
        extra += record(0x0018, struct.pack("<HBBHHHI", 0, 0, len(label), len(tokens), 0, 0, 0) + b"\x00"
                        + label.encode("latin-1") + tokens)
    eof = record(0x000A)
    globals_len = len(bof) + len(codepage) + len(boundsheet(0)) + len(extra) + len(eof)
    sheet = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0))
    width = max([len(r) for r in rows] + [c + 1 for _, c in formulas])
    height = max(len(rows), max((r + 1 for r, _ in formulas), default=0))
    sheet += record(0x0200, struct.pack("<IIHHH", 0, height, 0, width, 0))
    for r in range(height):
        row = rows[r] if r < len(rows) else []
        for c in range(width):
            if (r, c) in formulas:
                tokens, value = formulas[(r, c)]
                sheet += record(0x0006, struct.pack("<HHHdHIH", r, c, 0, value, 0, 0, len(tokens)) + tokens)
            elif c < len(row) and isinstance(row[c], str):
                text = row[c].encode("utf-16-le")
                sheet += record(0x0204, struct.pack("<HHHHB", r, c, 0, len(row[c]), 1) + text)
            elif c < len(row) and row[c] is not None:
                sheet += record(0x0203, struct.pack("<HHHd", r, c, 0, float(row[c])))
    sheet += record(0x000A)
    return compound_file({"Workbook": bof + codepage + boundsheet(globals_len) + extra + eof + sheet})


PROCEDURES = [["Đơn vị", "Năm", "Tổng số TTHC"], ["Phòng Tư pháp", 2019, None]]


def test_an_xls_hyperlink_formula_is_accepted_with_the_warning():
    data = xls(PROCEDURES, {(1, 2): (hyperlink_tokens("http://x.example/", 32), 32.0)})
    result = check_file(data, "thu_tuc.xls")
    assert result.ok and result.kind == "procedures", result.findings.errors[:2]
    assert result.procedures.records["procedures_total"].tolist() == [32]  # the saved value of the formula
    warnings = [(w.message, w.sheet) for w in result.findings.warnings]
    assert ("Sheet “Sheet1”, ô C2: công thức HYPERLINK (mở một địa chỉ khi bấm vào ô).", "Sheet1") in warnings
    assert warnings[0][0].startswith(SUMMARY + " (1 ô có công thức HYPERLINK)")


def test_xls_links_to_other_workbooks_and_dde():
    data = xls(PROCEDURES, {(1, 2): (SUM_TOKENS, 0.0), (2, 2): (EXTERNAL_TOKENS, 5.0), (3, 1): (DDE_TOKENS, 0.0)},
               links=True, names=[("Nguon", EXTERNAL_TOKENS)])
    text = lines(data, "t.xls")
    assert text == [
        "Tệp có liên kết tới tệp khác “C:\\bao_cao\\nam_2018.xls”; Excel hỏi cập nhật liên kết (và mở tệp đó) khi mở "
        "tệp này.",
        "Tệp có liên kết DDE tới chương trình “cmd| /c calc” (mục: A0); khi mở tệp Excel có thể đề nghị khởi động "
        "chương trình đó.",
        "Tên định nghĩa “Nguon”: tham chiếu tới tệp khác “C:\\bao_cao\\nam_2018.xls” (Excel hỏi cập nhật liên kết khi "
        "mở).",
        "Sheet “Sheet1”, ô C3: tham chiếu tới tệp khác “C:\\bao_cao\\nam_2018.xls” (Excel hỏi cập nhật liên kết khi "
        "mở).",
        "Sheet “Sheet1”, ô B4: liên kết DDE tới chương trình “cmd| /c calc” (có thể chạy lệnh trên máy khi mở tệp)."]
    assert check_file(data, "t.xls").kind is not None  # read as usual (calamine takes the saved values)


def test_an_xls_with_ordinary_formulas_has_no_warning():
    assert messages(xls(PROCEDURES, {(1, 2): (SUM_TOKENS, 32.0)}), "t.xls") == []


def test_an_xls_with_a_vba_storage_is_named():
    data = compound_file({"Workbook": b"", "_VBA_PROJECT_CUR": b"x"})
    assert lines(data, "t.xls") == ["Tệp có macro VBA (_VBA_PROJECT_CUR): nội dung chủ động, chạy được lệnh khi bật "
                                    "macro."]


# ---------------------------------------------------------------------------------------------------------------
# Never raises, whatever the input
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data,filename", [
    (b"", "a.xlsx"), (b"PK\x03\x04" + bytes(100), "a.xlsx"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "a.xls"),
    (b"<html><body><table><tr><td>=HYPERLINK(\"http://x\")</td></tr></table></body></html>", "bao_cao.xls"),
    (None, "a.xlsx"),
])
def test_anything_else_gives_nothing(data, filename):
    assert live_content(data, filename) == []


LIVE_FILES = {
    "xlsx": external_link(workbook({"C7": HYPERLINK, "C8": "=[1]Sheet1!A1", "C9": "=cmd|' /c calc'!A0"}),
                          '<externalBook r:id="rId1"/>', "nam_2018.xlsx", '<definedName name="N">[1]S!A1</definedName>'),
    "ods": procedures_ods('of:=HYPERLINK("http://x.example/";32)'),
}


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_mutated_live_files_never_raise(data):
    kind = data.draw(st.sampled_from(["xlsx", "ods", "xls"]))
    if kind == "xls":
        stream = bytearray(xls(PROCEDURES, {(1, 2): (hyperlink_tokens("http://x/", 1), 1.0), (2, 2): (DDE_TOKENS, 0.0),
                                            (3, 2): (EXTERNAL_TOKENS, 0.0)}, links=True,
                               names=[("N", EXTERNAL_TOKENS)]))
        for _ in range(data.draw(st.integers(1, 8))):  # bytes of the records (past the OLE header and FAT)
            stream[data.draw(st.integers(1536, len(stream) - 1))] = data.draw(st.integers(0, 255))
        blob = bytes(stream)
    else:
        parts = parts_of(io.BytesIO(LIVE_FILES[kind]))
        name = data.draw(st.sampled_from(sorted(p for p in parts if p.endswith((".xml", ".rels")))))
        xml = bytearray(parts[name])
        for _ in range(data.draw(st.integers(1, 6))):
            pos = data.draw(st.integers(0, len(xml)))
            xml[pos:pos] = data.draw(st.sampled_from([b"<", b">", b'"', b"'", b"|", b"[1]", b"<f>", b"</f>", b"<c ",
                                                      b't="shared" si="0"', b"\xff", b"&", b"]"]))
        parts[name] = bytes(xml)
        blob = rezip(parts)
    found = live_content(blob, f"t.{kind}", strict=True)  # only a damaged file's errors are swallowed
    assert isinstance(found, list) and all(isinstance(m, str) and m for m, _ in found)


def test_a_large_sheet_costs_little():
    """A sheet of 100.000 ordinary formulas and one HYPERLINK: found, in a fraction of a second (the <f> elements
    whose text cannot be live are passed over by one regular expression)."""
    import time

    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><f>A{r}*2</f><v>{2 * r}</v></c></row>'
                   for r in range(1, 100_001))
    rows = rows.replace('<c r="B99999"><f>A99999*2</f>', '<c r="B99999"><f>HYPERLINK("http://x.example/")</f>')
    xml = f'<worksheet {MAIN}><sheetData>{rows}</sheetData></worksheet>'
    data = with_parts(workbook({}), {"xl/worksheets/sheet1.xml": xml})
    started = time.perf_counter()
    text = lines(data)
    assert time.perf_counter() - started < 5  # ~0,3 s alone; generous for a loaded CI machine
    assert text == ['Sheet “Bieu06”, ô B99999: công thức HYPERLINK (mở một địa chỉ khi bấm vào ô): '
                    '=HYPERLINK("http://x.example/")']
    assert zipfile.is_zipfile(io.BytesIO(data))
