"""Read the plan workbook: the appendix of a PAR Index improvement plan (domains, criteria, points, targets).

The header is found by its labels on any sheet; the title block above and the notes and signatures below are
not part of the table. Criterion codes are read as text even where Excel made them numbers, points accept
decimal commas, and a row that only continues the cells above (a page break) is joined to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..findings import Findings, WorkbookRefused
from ..registry import Registry, load_registry
from .grid import Sheet, Workbook, load_workbook
from .table import (
    Header,
    data_rows,
    find_header,
    header_texts,
    load_vocabulary,
    warn_unmapped,
)
from .targets import Target, describe_missing, parse_target
from .text import NumberError, clean, criterion_code, fold, parse_points, without_download_stamps

TOLERANCE = 1e-6


@dataclass
class Criterion:
    code: str
    name: str
    domain: str
    standard: float
    appraised: float
    lost: float
    solution: str = ""
    lead_text: str = ""
    partners_text: str = ""
    timeline: str = ""
    note: str = ""
    lead: list[str] = field(default_factory=list)  # canonical agency or group names
    partners: list[str] = field(default_factory=list)
    target: Target | None = None
    no_target_reason: str = ""
    row: int = 0  # Excel row
    sheet: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "domain": self.domain, "standard": self.standard,
                "appraised": self.appraised, "lost": self.lost, "solution": self.solution, "lead": self.lead,
                "partners": self.partners, "timeline": self.timeline,
                "target": self.target.as_dict() if self.target else None}


@dataclass
class Domain:
    code: str
    name: str
    standard: float
    appraised: float
    lost: float
    row: int = 0


@dataclass
class Plan:
    title: str
    appraisal_year: int | None
    plan_year: int | None
    domains: list[Domain]
    criteria: list[Criterion]
    # "appraised": the province's appraisal; "self": a self-assessment sheet's own score stands in for it
    appraisal_source: str = "appraised"

    @property
    def appraisal_label(self) -> str:
        """How the points a plan starts from are named on every page: appraised, or self-assessed."""
        return "Điểm tự đánh giá" if self.appraisal_source == "self" else "Điểm thẩm định"

    @property
    def total(self) -> dict:
        return {k: round(sum(getattr(d, k) for d in self.domains), 6) for k in ("standard", "appraised", "lost")}

    def as_dict(self) -> dict:
        """The "plan" object of the CLI's JSON."""
        return {
            "title": self.title,
            "plan_year": self.plan_year,
            "appraisal_year": self.appraisal_year,
            "appraisal_source": self.appraisal_source,
            "criteria": len(self.criteria),
            "domains": [{"code": d.code, "name": d.name, "standard": d.standard, "appraised": d.appraised,
                         "lost": d.lost} for d in self.domains],
            "total": self.total,
            "criteria_list": [c.as_dict() for c in self.criteria],
        }


@dataclass
class PlanResult:
    plan: Plan | None
    findings: Findings


# Header vocabulary: vocabularies/plan.toml.
VOCABULARY = load_vocabulary("plan")
_REQUIRED = ("code", "name", "standard", "appraised")
_LABELS_VI = {"code": "STT", "name": "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "standard": "Điểm chuẩn",
              "appraised": "Điểm thẩm định", "lost": "Điểm bị mất"}
_DOMAIN_CODE = re.compile(r"^([1-9]\d?)\.?$")
_CRITERION_CODE = re.compile(r"^([1-9]\d?)(\.\d+)+$")
_NUMBERING = re.compile(r"^\(?\d+\)?$")


def _find_header(sheet: Sheet) -> Header | None:
    """The plan's header row: "Điểm chuẩn" and "Điểm thẩm định" with at least two more known columns; the row
    with the most known columns wins."""
    return find_header(sheet, VOCABULARY)


def sentence_case(name: str) -> str:
    """"CẢI CÁCH THỦ TỤC HÀNH CHÍNH" → "Cải cách thủ tục hành chính"; acronyms (CCHC, TTHC) stay."""
    if not name or name != name.upper():
        return name
    words = []
    for word in name.split(" "):
        letters = re.sub(r"[^a-z]", "", fold(word))
        keep = len(letters) >= 2 and not (set(letters) & set("aeiouy"))
        words.append(word if keep else word.lower())
    text = " ".join(words)
    return text[:1].upper() + text[1:]


# Of several appraisal columns (a first appraisal, then the one after the unit's explanations), the final one counts.
_FINAL_APPRAISAL = re.compile(r"sau (?:khi )?(?:giai trinh|phuc khao|dieu chinh)|chinh thuc|cuoi cung|lan cuoi|"
                              r"phuc khao|cong bo|lan ([2-9])")


def _choose_final_appraisal(header: Header, findings: Findings, sheet: str) -> None:
    """Several appraisal columns: read the final one (named so, else the last), and say which."""
    first = header.roles.get("appraised")
    columns = [first] + [ignored for ignored, used in header.duplicates if used == first] if first is not None else []
    if len(columns) < 2:
        return
    labels = {c: header.column_label(c) for c in columns}

    def rank(col: int) -> tuple[int, int, int]:
        m = _FINAL_APPRAISAL.search(fold(labels[col]))
        return (1 if m else 0, int(m[1]) if m and m[1] else 0, col)

    final = max(columns, key=rank)
    header.roles["appraised"] = final
    header.duplicates = [d for d in header.duplicates if d[1] != first]
    others = ", ".join(f"“{labels[c]}”" for c in columns if c != final)
    findings.warn(f"Bảng có {len(columns)} cột điểm thẩm định; dùng cột “{labels[final]}” (lần thẩm định cuối cùng), "
                  f"không dùng {others}.", sheet, header.top + 1, labels[final])


def _year_from(texts: list[str]) -> int | None:
    for text in texts:
        match = re.search(r"(?:19|20)\d{2}", text)
        if match:
            return int(match.group(0))
    return None


def read_plan_workbook(workbook: Workbook, registry: Registry | None = None, filename: str = "") -> PlanResult:
    registry = registry or load_registry()
    findings = Findings()
    located = None
    for sheet in workbook.sheets:
        header = _find_header(sheet)
        if header:
            located = (sheet, header)
            break
    if located is None:
        findings.error("Không tìm thấy bảng kế hoạch: cần một dòng tiêu đề có các cột “STT”, “Lĩnh vực/Tiêu chí”, "
                       "“Điểm chuẩn”, “Điểm thẩm định”, “Điểm bị mất”.")
        return PlanResult(None, findings)
    sheet, header = located
    header_row, cols = header.top, header.roles
    appraisal_source = "appraised"
    if "appraised" not in cols and "self_assessed" in cols:  # a self-assessment sheet: its own score, labelled so
        cols["appraised"] = cols["self_assessed"]
        appraisal_source = "self"
        findings.warn(f"Bảng là bảng tự đánh giá: cột “{header.column_label(cols['appraised'])}” được dùng thay cho "
                      "điểm thẩm định, và được ghi là “Điểm tự đánh giá” trên mọi trang.", sheet.name, header_row + 1,
                      header.column_label(cols["appraised"]))
    else:
        _choose_final_appraisal(header, findings, sheet.name)
    for key in _REQUIRED:
        if key not in cols:
            findings.error(f"Thiếu cột “{_LABELS_VI[key]}”.", sheet.name, header_row + 1)
    if findings.errors:
        return PlanResult(None, findings)
    if unsaved := workbook.unsaved_formulas_message(sheet.name):
        findings.error(unsaved, sheet.name)
        return PlanResult(None, findings)

    header_text = header_texts(sheet, header)
    warn_unmapped(findings, sheet, header)
    title_lines = [clean(c) for row in sheet.rows[:header_row] for c in row if clean(c)]
    appraised_label = header_text[cols["appraised"]]
    appraisal_year = _year_from([appraised_label])
    plan_year = appraisal_year + 1 if appraisal_year else None
    if plan_year is None:
        title_year = _year_from(title_lines + [without_download_stamps(filename)])
        if title_year:
            plan_year, appraisal_year = title_year, title_year - 1
        else:
            findings.error("Không xác định được năm: ghi năm vào tiêu đề cột (ví dụ “Điểm thẩm định 2018”).",
                           sheet.name, header_row + 1, appraised_label)

    def column_name(key: str) -> str:
        return header_text[cols[key]] or _LABELS_VI.get(key, key)

    cell = header.cell
    domains: dict[str, Domain] = {}
    criteria: list[Criterion] = []
    last_criterion: Criterion | None = None
    text_keys = ("name", "solution", "lead", "partners", "timeline", "note")
    attr = {"name": "name", "solution": "solution", "lead": "lead_text", "partners": "partners_text",
            "timeline": "timeline", "note": "note"}

    for excel_row, row, _first in data_rows(sheet, header):
        code_raw = cell(row, "code")
        code = criterion_code(code_raw)
        if not code and all(not clean(cell(row, k)) for k in ("standard", "appraised", "lost")):
            # A page-break tail: its text continues the cells of the row above.
            if last_criterion is None or all(not clean(cell(row, k)) for k in text_keys):
                continue
            for key in text_keys:
                piece = clean(cell(row, key))
                if piece:
                    current = getattr(last_criterion, attr[key])
                    setattr(last_criterion, attr[key], f"{current} {piece}".strip())
            continue
        if _NUMBERING.match(code) and all(_NUMBERING.match(clean(v)) or not clean(v) for v in row):
            continue  # the "(1) (2) (3)" row under the header

        points = {}
        bad = False
        for key in ("standard", "appraised", "lost"):
            if key not in cols:
                points[key] = None
                continue
            try:
                points[key] = parse_points(cell(row, key))
            except NumberError as exc:
                findings.error(f"“{exc}” không phải là số điểm.", sheet.name, excel_row, column_name(key))
                bad = True
                continue
            if points[key] is not None and points[key] < 0:
                findings.error(f"Điểm âm ({points[key]:g}).", sheet.name, excel_row, column_name(key))
                bad = True
        if bad:
            continue
        standard, appraised, lost = points["standard"], points["appraised"], points["lost"]
        name = clean(cell(row, "name"))
        if standard is None or appraised is None:
            findings.error("Thiếu điểm chuẩn hoặc điểm thẩm định.", sheet.name, excel_row,
                           column_name("standard" if standard is None else "appraised"))
            continue
        if appraised > standard + TOLERANCE:
            findings.error(f"Điểm thẩm định ({appraised:g}) lớn hơn điểm chuẩn ({standard:g}).", sheet.name,
                           excel_row, column_name("appraised"))
            continue
        if lost is None:
            lost = round(standard - appraised, 6)
        elif abs(lost - (standard - appraised)) > TOLERANCE:
            findings.warn(f"Điểm bị mất ({lost:g}) khác điểm chuẩn − điểm thẩm định "
                          f"({standard:g} − {appraised:g} = {standard - appraised:g}).",
                          sheet.name, excel_row, column_name("lost") if "lost" in cols else None)

        domain_match = _DOMAIN_CODE.match(code)
        if domain_match:
            dcode = domain_match.group(1)
            if dcode in domains:
                findings.error(f"Lĩnh vực “{dcode}” xuất hiện hai lần.", sheet.name, excel_row, column_name("code"))
                continue
            domains[dcode] = Domain(dcode, sentence_case(name), standard, appraised, lost, excel_row)
            last_criterion = None
            continue
        if not _CRITERION_CODE.match(code):
            findings.error(f"Mã tiêu chí “{clean(code_raw)}” không đúng dạng (ví dụ “3”, “3.4”, “7.2.1”).",
                           sheet.name, excel_row, column_name("code"))
            continue
        if any(c.code == code for c in criteria):
            findings.error(f"Tiêu chí “{code}” xuất hiện hai lần.", sheet.name, excel_row, column_name("code"))
            continue
        criterion = Criterion(code=code, name=name, domain=code.split(".")[0], standard=standard,
                              appraised=appraised, lost=lost, solution=clean(cell(row, "solution")),
                              lead_text=clean(cell(row, "lead")), partners_text=clean(cell(row, "partners")),
                              timeline=clean(cell(row, "timeline")), note=clean(cell(row, "note")),
                              row=excel_row, sheet=sheet.name)
        criteria.append(criterion)
        last_criterion = criterion

    if not criteria and not findings.errors:
        findings.error("Bảng kế hoạch không có tiêu chí nào.", sheet.name, header_row + 1)

    for criterion in criteria:
        for key, target_list in (("lead", criterion.lead), ("partners", criterion.partners)):
            known, unknown = registry.split(getattr(criterion, attr[key]))
            target_list.extend(a.name for a in known)
            for name in unknown:
                findings.warn(f"Cơ quan “{name}” không có trong danh mục đơn vị (tiêu chí {criterion.code}).",
                              sheet.name, criterion.row, column_name(key))
        criterion.target = parse_target(criterion.solution, criterion.name)
        if criterion.target is None:
            criterion.no_target_reason = describe_missing(criterion.solution)
        if criterion.domain not in domains:
            findings.warn(f"Tiêu chí {criterion.code} không có dòng lĩnh vực “{criterion.domain}” phía trên; "
                          "tổng điểm lĩnh vực lấy theo các tiêu chí.", sheet.name, criterion.row, column_name("code"))
            domains[criterion.domain] = Domain(criterion.domain, f"Lĩnh vực {criterion.domain}", 0.0, 0.0, 0.0)

    for domain in domains.values():
        members = [c for c in criteria if c.domain == domain.code]
        if domain.row == 0:  # made up above from its criteria
            for key in ("standard", "appraised", "lost"):
                setattr(domain, key, round(sum(getattr(c, key) for c in members), 6))
            continue
        lost_sum = round(sum(c.lost for c in members), 6)
        if abs(lost_sum - domain.lost) > TOLERANCE:
            findings.warn(f"Điểm bị mất của lĩnh vực {domain.code} ({domain.lost:g}) khác tổng điểm bị mất của "
                          f"các tiêu chí ({lost_sum:g}).", sheet.name, domain.row,
                          column_name("lost") if "lost" in cols else None)

    ordered = sorted(domains.values(), key=lambda d: int(d.code))
    title = next((t for t in title_lines if fold(t).startswith(("ke hoach", "phu luc ke hoach"))),
                 next((t for t in title_lines if "ke hoach" in fold(t)), title_lines[0] if title_lines else ""))
    plan = Plan(title=title, appraisal_year=appraisal_year, plan_year=plan_year, domains=ordered,
                criteria=criteria, appraisal_source=appraisal_source)
    return PlanResult(plan if not findings.errors else None, findings)


def detect_plan_table(workbook: Workbook) -> bool:
    return any(_find_header(sheet) for sheet in workbook.sheets)


def read_plan(data: bytes, filename: str = "", registry: Registry | None = None) -> PlanResult:
    """Read a plan workbook from bytes. Unreadable files give a result with the error, never an exception."""
    try:
        workbook = load_workbook(data, filename)
    except WorkbookRefused as refused:
        return PlanResult(None, refused.findings)
    return read_plan_workbook(workbook, registry, filename)
