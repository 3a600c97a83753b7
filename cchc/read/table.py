"""Find a table in a sheet, for every workbook kind: its header block, the label path of every column, the field
each column holds, and the rows around the data (numbering row, group and total rows, notes and signatures).

What a kind recognises is data, not code: a vocabulary file `cchc/read/vocabularies/<kind>.toml` (see
`vocabularies/README.md`) lists, one entry per canonical field, the label patterns, the group the column must sit
under, the words that exclude a match and the unit of its values. The readers (plan, stats, progress, procedures)
keep only the checks that are theirs alone.

The header block is one to `rows` rows deep (merged cells, a group label spread over its sub-columns, title lines
above it) and is looked for in the first `scan_rows` rows and `scan_columns` columns only, so the work is linear in
the cells looked at whatever a file holds. Labels are normalised and classified once per distinct text per sheet
(a memo per call, which distinct labels cannot defeat).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..findings import Findings
from .grid import Sheet, Workbook
from .text import clean, column_letter, fold

VOCABULARY_DIR = Path(__file__).resolve().parent / "vocabularies"
PATH_SEPARATOR = " › "  # how a column's label path is shown: "Số hồ sơ đã giải quyết › Trước hạn"
UNMAPPED_SAMPLE_ROWS = 200  # data rows looked at to tell whether a column nobody reads holds figures

_TOKEN = re.compile(r"\{\{(\w+)\}\}")


def _compile(patterns, defines: dict[str, str]) -> tuple[re.Pattern, ...]:
    if isinstance(patterns, str):
        patterns = [patterns]
    return tuple(re.compile(_TOKEN.sub(lambda m: defines[m.group(1)], p)) for p in patterns or ())


# ---------------------------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One way a column can be recognised. The first entry that applies decides; field "" means "recognised,
    not read" (a rate, a note), so no later entry can claim the column."""
    field: str
    match: tuple[re.Pattern, ...] = ()  # the normalised label matches one of these whole
    contains: tuple[re.Pattern, ...] = ()  # ... and holds every one of these
    any: tuple[re.Pattern, ...] = ()  # ... and at least one of these
    exclude: tuple[re.Pattern, ...] = ()  # ... and none of these
    under: tuple[str, ...] = ()  # the group it must sit under ("none": outside any group); else the next entry
    never_under: tuple[str, ...] = ()  # under these groups the label means nothing that is read: left unmapped
    above: tuple[re.Pattern, ...] = ()  # a label above it must match one of these
    template: bool = False  # matches the kind's own template labels (given by the reader), exactly
    unit: str = ""  # count | points | text | year | month | period | percent | date

    def __post_init__(self):
        # each list of alternatives as one expression, so a label costs one regular-expression call per list
        for name in ("match", "any", "exclude"):
            object.__setattr__(self, f"_{name}", _either(getattr(self, name)))

    def label_matches(self, leaf: str, template: dict[str, str]) -> bool:
        if self.template:
            return leaf in template
        if not (self.match or self.contains or self.any):
            return False
        if self._match is not None and not self._match.fullmatch(leaf):
            return False
        for pattern in self.contains:
            if not pattern.search(leaf):
                return False
        if self._any is not None and not self._any.search(leaf):
            return False
        return self._exclude is None or not self._exclude.search(leaf)


def _either(patterns: tuple[re.Pattern, ...]) -> re.Pattern | None:
    """One pattern that matches where any of `patterns` does (fullmatch and search alike), or None for none. (A
    vocabulary's alternatives therefore share one expression: a group name may not appear in two of them.)"""
    if len(patterns) < 2:
        return patterns[0] if patterns else None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))


@dataclass(frozen=True)
class Accept:
    """When a header row block counts as this kind's table."""
    require: tuple[str, ...] = ()  # every one of these roles
    require_any: tuple[str, ...] = ()  # at least one of these
    min_counts: int = 0  # roles whose unit is "count"
    min_columns: int = 0  # roles of any kind

    def __call__(self, roles: dict[str, int], vocabulary: "Vocabulary") -> bool:
        if any(r not in roles for r in self.require):
            return False
        if self.require_any and not any(r in roles for r in self.require_any):
            return False
        if sum(1 for r in roles if vocabulary.units.get(r) == "count") < self.min_counts:
            return False
        return len(roles) >= self.min_columns


class Vocabulary:
    """A workbook kind's header vocabulary, loaded from its TOML file."""

    def __init__(self, kind: str, spec: dict, template_labels: dict[str, str] | None = None):
        self.kind = kind
        self._normalised: dict[str, str] = {}
        self._classified: dict[tuple[str, ...], str | None] = {}
        # per distinct label: the entries whose label patterns it matches, and the group it names (section)
        self._leaves: dict[str, tuple[bool, tuple[Entry, ...]]] = {}
        self._sections: dict[str, str | None] = {}
        defines = spec.get("define", {})
        label = spec.get("label", {})
        self.max_folded = int(label.get("max_folded_length", 0))
        self.max_length = int(label.get("max_length", 0))
        self.section_label_max = int(label.get("section_label_max", 60))
        self.count_leaf = re.compile(label["count_leaf"]) if "count_leaf" in label else None
        self.steps: list[tuple[re.Pattern | None, str]] = []
        for step in label.get("normalise", []):
            if "strip" in step:
                self.steps.append((None, step["strip"]))
            else:
                self.steps.append((re.compile(_TOKEN.sub(lambda m: defines[m.group(1)], step["pattern"])),
                                   step.get("replace", " ")))
        self.sections = [(s["name"], _compile(s["pattern"], defines)[0]) for s in spec.get("section", [])]
        self.entries = [Entry(field=e.get("field", ""), match=_compile(e.get("match"), defines),
                              contains=_compile(e.get("contains"), defines), any=_compile(e.get("any"), defines),
                              exclude=_compile(e.get("exclude"), defines), under=tuple(e.get("under", ())),
                              never_under=tuple(e.get("never_under", ())), above=_compile(e.get("above"), defines),
                              template=bool(e.get("template", False)), unit=e.get("unit", ""))
                        for e in spec.get("column", [])]
        self.units = {e.field: e.unit for e in self.entries if e.field and not e.template}
        self.template = {self.normalise(text): name for name, text in (template_labels or {}).items()}
        for name in self.template.values():
            self.units.setdefault(name, "count")
        header = spec.get("header", {})
        self.header_rows = int(header.get("rows", 1))
        self.scan_rows = int(header.get("scan_rows", 60))
        self.scan_columns = int(header.get("scan_columns", 150))
        self.choose = header.get("choose", "best")
        self.text_only = bool(header.get("text_cells_only", False))
        self.weights: dict[str, int] = dict(header.get("weights", {}))
        rule = lambda a: Accept(tuple(a.get("require", ())), tuple(a.get("require_any", ())),  # noqa: E731
                                int(a.get("min_counts", 0)), int(a.get("min_columns", 0)))
        self.accept = [rule(a) for a in header.get("accept", [{}])]
        # kind detection may ask more than reading does: reading also accepts a table that misses a column, so
        # that the missing column can be named
        self.detect = [rule(a) for a in header["detect"]] if "detect" in header else self.accept

    # Memos bounded by the vocabulary's own labels plus what one sheet's header block can hold; cleared past that,
    # so a file with millions of distinct labels costs linear time, never an unbounded cache.
    _MEMO_LIMIT = 50_000

    def normalise(self, label: object) -> str:
        text = label if isinstance(label, str) else clean(label)
        hit = self._normalised.get(text)
        if hit is not None:
            return hit
        out = fold(text)
        if self.max_folded and len(out) > self.max_folded:
            out = ""
        for pattern, replace in self.steps if out else ():
            out = out.strip(replace) if pattern is None else pattern.sub(replace, out)
        if len(self._normalised) > self._MEMO_LIMIT:
            self._normalised.clear()
        self._normalised[text] = out
        return out

    def section(self, labels: Sequence[str]) -> str | None:
        """The group a column sits under: searched in the labels above it, nearest first."""
        for label in reversed(labels):
            name = self._label_section(label)
            if name is not None:
                return name
        return None

    def _label_section(self, label: str) -> str | None:
        """The first section one label names, matched once per distinct label."""
        hit = self._sections.get(label, False)
        if hit is not False:
            return hit
        name = next((name for name, pattern in self.sections if pattern.search(label)), None)
        if len(self._sections) > self._MEMO_LIMIT:
            self._sections.clear()
        self._sections[label] = name
        return name

    def classify(self, path: tuple[str, ...]) -> str | None:
        """The role of a column from its normalised label path (group › sub-group › label), or None."""
        return self._role(path) or None

    def recognised(self, path: tuple[str, ...]) -> bool:
        """Is this a column the vocabulary knows and deliberately does not read (a rate, a derived total)?"""
        return self._role(path) == ""

    def _role(self, path: tuple[str, ...]) -> str | None:
        hit = self._classified.get(path, False)
        if hit is not False:
            return hit
        role = self._classify(path)
        if len(self._classified) > self._MEMO_LIMIT:
            self._classified.clear()
        self._classified[path] = role
        return role

    def _leaf(self, leaf: str) -> tuple[bool, tuple[Entry, ...]]:
        """(is a count sub-label like "SL", the entries whose label patterns match) of a leaf label: the regular
        expressions run once per distinct label, however many header blocks and label paths the label ends."""
        hit = self._leaves.get(leaf)
        if hit is not None:
            return hit
        count = self.count_leaf is not None and self.count_leaf.fullmatch(leaf) is not None
        out = (count, tuple(e for e in self.entries if e.label_matches(leaf, self.template)))
        if len(self._leaves) > self._MEMO_LIMIT:
            self._leaves.clear()
        self._leaves[leaf] = out
        return out

    def _classify(self, path: tuple[str, ...]) -> str | None:
        leaf = path[-1]
        if not leaf or self.max_length and len(leaf) > self.max_length:
            return None
        count, matching = self._leaf(leaf)
        if count and len(path) > 1:
            return self._role(path[:-1])  # "Trước hạn › SL": the count of what the label above names
        if not matching:
            return None
        section = self.section(path[:-1]) if self.sections else None
        for entry in matching:
            if section is not None and section in entry.never_under:
                return None
            if entry.under and (section or "none") not in entry.under:
                continue
            if entry.above and not any(p.search(a) for a in path[:-1] for p in entry.above):
                continue
            return self.template[leaf] if entry.template else entry.field  # "" = recognised, not read
        return None

    def names_a_group(self, label: str) -> bool:
        return bool(label) and len(label) < self.section_label_max and self.section((label,)) is not None

    def qualifies(self, label: str) -> bool:
        """Can this header cell start a header block (it names a field or a group)?"""
        if not label:
            return False
        norm = self.normalise(label)
        return self.classify((norm,)) is not None or self.names_a_group(norm)

    def score(self, roles: dict[str, int]) -> int:
        default = self.weights.get("default", 1)
        return sum(self.weights.get(r, self.weights.get(self.units.get(r, ""), default)) for r in roles)

    def accepts(self, roles: dict[str, int], strict: bool = False) -> bool:
        return any(rule(roles, self) for rule in (self.detect if strict else self.accept))


@lru_cache(maxsize=None)
def _spec(kind: str) -> dict:
    with open(VOCABULARY_DIR / f"{kind}.toml", "rb") as handle:
        return tomllib.load(handle)


def load_vocabulary(kind: str, template_labels: dict[str, str] | None = None) -> Vocabulary:
    """The vocabulary of a workbook kind ("stats", "plan", "progress", "procedures")."""
    return Vocabulary(kind, _spec(kind), template_labels)


def layout() -> dict:
    """The patterns every kind shares for the rows around the data: ends, totals, groups (layout.toml)."""
    return _spec("layout")


# ---------------------------------------------------------------------------------------------------------------
# Rows around the data
# ---------------------------------------------------------------------------------------------------------------

_LAYOUT = layout()
FOOTER = re.compile(_LAYOUT["rows"]["footer"])
END_MARKER = re.compile(_LAYOUT["rows"]["end_marker"])
END_LINE = re.compile(_LAYOUT["rows"]["end_line"])
TOTAL_LABEL = re.compile(_LAYOUT["rows"]["total"])
NUMBERED_GROUP = re.compile(_LAYOUT["rows"]["numbered_group"])
NAMED_GROUP = re.compile(_LAYOUT["rows"]["named_group"])
ROMAN_GROUP = re.compile(_LAYOUT["rows"]["roman_group"])
GROUP_PREFIX = re.compile(_LAYOUT["rows"]["group_prefix"])
GROUP_STT = re.compile(_LAYOUT["rows"]["group_stt"])
_NUMBER_CELL = re.compile(_LAYOUT["rows"]["numbering_cell"])


def is_footer(first_text: str) -> bool:
    """The first text of a row that ends a table read row by row: "Nơi nhận:", "Người lập", "TM. UBND", "(Đã ký)".
    Matched on `fold`ed text; narrower than `is_end_text`, because a page-break tail of a long plan row may start
    with any word ("lãnh đạo …", "trước ngày 30 tháng 6 năm 2019")."""
    return bool(FOOTER.match(first_text))


def is_end_text(folded: str) -> bool:
    """Notes, addressees, signatures and the date line below a table ("Người lập biểu", "Nơi nhận:", "* Ghi chú:",
    "Ia Pa, ngày … tháng … năm …"): the table ends above them. Matched on `fold`ed text."""
    return bool(END_MARKER.match(folded.lstrip("*-+•. ")) or END_LINE.search(folded))


def is_total_label(folded: str) -> bool:
    """"Tổng cộng", "Tổng số", "Cộng", "Toàn huyện": a row that sums the rows above it."""
    return bool(TOTAL_LABEL.fullmatch(folded))


def is_group_label(folded: str, lettered_items: bool = True) -> bool:
    """"I. Cấp huyện", "II", "Khối xã, phường, thị trấn", "Các sở, ban, ngành": a row that heads (and may sum) a
    group of units. With `lettered_items=False`, "a) Phòng Tư pháp" is a unit numbered with a letter, not a group,
    unless what follows the letter names a group ("a) Cấp xã")."""
    if ROMAN_GROUP.fullmatch(folded) or lettered_items and NUMBERED_GROUP.fullmatch(folded):
        return True
    return bool(NAMED_GROUP.fullmatch(GROUP_PREFIX.sub("", folded, count=1)))


def is_numbering_row(values: Iterable) -> bool:
    """The "(1) (2) (3) …" (or 1 2 3 …, or A B 1 2 …) row that numbers a table's columns under its header."""
    cells = [t for t in (clean(v) for v in values) if t]
    if len(cells) < 2 or not all(_NUMBER_CELL.fullmatch(t) for t in cells):
        return False
    if any("(" in t for t in cells):
        return True
    ints = [int(t) for t in cells if t.isdigit()]
    return len(ints) >= 2 and ints == list(range(ints[0], ints[0] + len(ints))) and (
        len(ints) >= 3 or len(ints) == len(cells))


# ---------------------------------------------------------------------------------------------------------------
# The header block
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Header:
    top: int  # 0-based index of the first header row
    bottom: int  # 0-based index of the last header row
    data_start: int  # 0-based index of the first row below the header (after blank rows and the numbering row)
    numbered: bool  # a "(1) (2) …" row follows the header
    roles: dict[str, int]  # role → column index
    labels: dict[int, str]  # column index → the column's label path as in the file, joined by " › "
    paths: dict[int, tuple[str, ...]]  # column index → normalised label path
    score: int
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (ignored column, column used instead)
    unmapped: list[int] = field(default_factory=list)  # labelled columns no entry claims

    @property
    def depth(self) -> int:
        return self.bottom - self.top + 1

    def label(self, role: str) -> str:
        col = self.roles[role]
        return self.labels.get(col) or column_letter(col)

    def column_label(self, col: int) -> str:
        return self.labels.get(col) or column_letter(col)

    def cell(self, row: list, role: str):
        """The value of a role's column in a data row (None when the role has no column or the row is short)."""
        col = self.roles.get(role)
        return row[col] if col is not None and col < len(row) else None


def header_signature(header: Header) -> str:
    """The layout of a header block: its column labels in order, folded. The next month's file of the same layout
    has the same signature, so a mapping saved for one applies by itself to the next."""
    import hashlib

    text = "\x1f".join(f"{c}={fold(label)}" for c, label in sorted(header.labels.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def apply_mapping(header: Header, columns: dict[str, str]) -> list[int]:
    """Read the columns a user mapped as they said ({header text: role, "" = not read}); returns the columns
    changed. A role the user gives a column is taken from any other column that had it."""
    wanted = {fold(label): role for label, role in columns.items()}
    changed = {c: wanted[fold(label)] for c, label in header.labels.items() if fold(label) in wanted}
    if not changed:
        return []
    given = {role for role in changed.values() if role}
    roles = {role: c for role, c in header.roles.items() if c not in changed and role not in given}
    for c, role in sorted(changed.items()):
        if role and role not in roles:
            roles[role] = c
    header.roles = roles
    header.unmapped = [c for c in header.unmapped if c not in changed]
    header.duplicates = [(a, b) for a, b in header.duplicates if a not in changed and b not in changed]
    return sorted(changed)


def header_grid(sheet: Sheet, limit: int, width: int, text_only: bool = False):
    """(texts, cells, origin) of the first `limit` rows: cell texts as typed, the texts with every merged range
    filled from its top-left cell, and the top-left cell of each merged cell. Built once per sheet and mode: every
    kind's header search (kind detection, then the reader) looks at the same grid."""
    key = (limit, width, text_only)
    if key not in sheet.grids:
        sheet.grids[key] = _header_grid(sheet, limit, width, text_only)
    return sheet.grids[key]


def _header_grid(sheet: Sheet, limit: int, width: int, text_only: bool):
    def text(value) -> str:
        if text_only and not isinstance(value, str):
            return ""
        return clean(value)

    texts = [[text(row[c]) if c < len(row) else "" for c in range(width)] for row in sheet.rows[:limit]]
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in sheet.merged:
        if r0 >= limit or c0 >= width:
            continue
        for r in range(r0, min(r1, limit - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                origin[(r, c)] = (r0, c0)
    cells = [[texts[origin[(r, c)][0]][origin[(r, c)][1]] if (r, c) in origin else texts[r][c]
              for c in range(width)] for r in range(limit)]
    return texts, cells, origin


Resolver = Callable[[list[tuple[int, str]]], list[tuple[int, str]]]


def build_header(vocabulary: Vocabulary, top: int, depth: int, width: int, cells, origin,
                 resolve: Resolver | None = None, strict: bool = False) -> Header | None:
    grid = [list(cells[top + i]) for i in range(depth)]
    # below[i][c]: a label under row i of the block in column c (one pass from the bottom row up, so a block costs
    # depth × width steps, not depth² × width)
    below = [[False] * width for _ in range(depth)]
    for i in range(depth - 2, -1, -1):
        under, lower = cells[top + i + 1], below[i + 1]
        below[i] = [bool(under[c]) or lower[c] for c in range(width)]
    # Without merge information a group label fills to the right over the columns that have sub-labels.
    for i in range(depth - 1):
        carry = ""
        children = below[i]
        for c in range(width):
            has_children = children[c]
            if (top + i, c) in origin:
                carry = ""
            elif grid[i][c]:
                carry = grid[i][c] if has_children else ""
            elif carry and has_children:
                grid[i][c] = carry
            else:
                carry = ""
    labels: dict[int, str] = {}
    paths: dict[int, tuple[str, ...]] = {}
    column_roles: list[tuple[int, str]] = []
    unmapped: list[int] = []
    for c in range(width):
        path: list[str] = []
        for i in range(depth):
            if grid[i][c] and (not path or path[-1] != grid[i][c]):
                path.append(grid[i][c])
        if not path:
            continue
        if all(origin.get((top + i, c), (0, c))[1] != c for i in range(depth) if cells[top + i][c]):
            continue  # covered by a label merged from a column to its left: that column holds the data
        labels[c] = PATH_SEPARATOR.join(path)
        paths[c] = tuple(vocabulary.normalise(p) for p in path)
        role = vocabulary.classify(paths[c])
        if role:
            column_roles.append((c, role))
        elif not vocabulary.recognised(paths[c]):
            unmapped.append(c)
    if resolve is not None:
        column_roles = resolve(column_roles)
    roles: dict[str, int] = {}
    duplicates: list[tuple[int, int]] = []
    for c, role in column_roles:
        if role in roles:
            duplicates.append((c, roles[role]))
            continue
        roles[role] = c
    if not vocabulary.accepts(roles, strict):
        return None
    return Header(top=top, bottom=top + depth - 1, data_start=top + depth, numbered=False,
                  roles=roles, labels=labels, paths=paths, score=vocabulary.score(roles), duplicates=duplicates,
                  unmapped=unmapped)


def find_header(sheet: Sheet, vocabulary: Vocabulary, resolve: Resolver | None = None,
                accept: Callable[[Header], bool] | None = None, strict: bool = False) -> Header | None:
    """The header block of this kind's table in a sheet: the best-scoring (or, for "choose = first"
    vocabularies, the first) block of one to `rows` rows that the vocabulary accepts (its `detect` rules when
    `strict`, to tell the kind of a workbook), and `accept` too if given."""
    depth_max = vocabulary.header_rows
    limit = min(len(sheet.rows), vocabulary.scan_rows + depth_max + 2)
    width = min(max((len(r) for r in sheet.rows[:limit]), default=0), vocabulary.scan_columns)
    if not limit or not width:
        return None
    texts, cells, origin = header_grid(sheet, limit, width, vocabulary.text_only)
    numbering = [is_numbering_row(t) for t in texts]
    best: Header | None = None
    for top in range(min(limit, vocabulary.scan_rows)):
        if numbering[top] or not any(vocabulary.qualifies(x) for x in cells[top] if x):
            continue
        for depth in range(1, depth_max + 1):
            bottom = top + depth - 1
            if bottom >= limit or depth > 1 and (numbering[bottom] or not any(cells[bottom])):
                break
            candidate = build_header(vocabulary, top, depth, width, cells, origin, resolve, strict)
            if candidate is None or accept is not None and not accept(candidate):
                continue
            if best is None or candidate.score > best.score or (
                    candidate.score == best.score and top > best.top and top <= best.bottom):
                best = candidate
        if best is not None and vocabulary.choose == "first":
            break
    if best is None:
        return None
    # Skip blank rows and the numbering row right under the header.
    row = best.bottom + 1
    while row < len(sheet.rows) and not any(clean(v) for v in sheet.rows[row][:width]):
        row += 1
    if row < len(sheet.rows) and is_numbering_row(sheet.rows[row][:width]):
        best.numbered = True
        best.data_start = row + 1
    return best


def data_rows(sheet: Sheet, header: Header) -> Iterator[tuple[int, list, str]]:
    """(Excel row number, cells, first text folded) of every data row below a header, for readers that read row
    by row: blank rows and a "(1) (2) …" row are skipped, and the table ends at its first footer line."""
    for r in range(header.bottom + 1, len(sheet.rows)):
        row = sheet.rows[r]
        first = next((text for v in row if (text := clean(v))), "")
        if not first:
            continue
        first_text = fold(first)
        if is_footer(first_text):
            return
        if is_numbering_row(row):
            continue
        yield r + 1, row, first_text


def header_texts(sheet: Sheet, header: Header) -> list[str]:
    """The header row's texts as typed, with a label merged down from above filled in (for messages)."""
    texts = [clean(v) for v in sheet.rows[header.bottom]]
    for col, label in header.labels.items():
        if col < len(texts) and not texts[col]:
            texts[col] = label
    return texts


def warn_unmapped(findings: Findings, sheet: Sheet, header: Header) -> None:
    """Name, in a warning on the header row, every column with figures that no vocabulary entry reads."""
    for col in numeric_unmapped(sheet, header):
        findings.warn(unmapped_message(header, col), sheet.name, header.top + 1, header.column_label(col))


def detect_kind(workbook: Workbook, kinds: Sequence[tuple[str, Vocabulary]], default: str) -> str:
    """The workbook's kind: the first of `kinds` (in priority order) whose vocabulary's `detect` rules find a
    table on some sheet, else `default`. Each sheet's header grid is built once and shared by every kind tried,
    and by the reader that reads it afterwards."""
    for kind, vocabulary in kinds:
        if any(find_header(sheet, vocabulary, strict=True) is not None for sheet in workbook.sheets):
            return kind
    return default


# ---------------------------------------------------------------------------------------------------------------
# Columns nobody reads
# ---------------------------------------------------------------------------------------------------------------

def _is_figure(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def numeric_unmapped(sheet: Sheet, header: Header, end: int | None = None) -> list[int]:
    """The labelled columns that no vocabulary entry claims and that hold figures in the data rows."""
    if not header.unmapped:
        return []
    stop = min(len(sheet.rows), end if end is not None else len(sheet.rows),
               header.data_start + UNMAPPED_SAMPLE_ROWS)
    rows = sheet.rows[header.data_start:stop]
    return [c for c in header.unmapped if any(c < len(row) and _is_figure(row[c]) for row in rows)]


def unmapped_message(header: Header, col: int) -> str:
    return (f"Cột {column_letter(col)} “{header.column_label(col)}” có số liệu nhưng phần mềm không biết cột này "
            "ghi gì nên không đọc. Nếu đây là số liệu cần dùng, hãy đổi tiêu đề theo mẫu.")
