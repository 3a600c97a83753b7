"""The agency registry: canonical names, levels, aliases and generic groups, loaded from data/.

Names in plan cells and statistics rows are matched after `text.fold`, so case, diacritics, spaces around
hyphens and the HĐND/HDND typo never matter.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .read.text import clean, fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REGISTRY_FILE = DATA_DIR / "don_vi.csv"
ORGANISATION_FILE = DATA_DIR / "to_chuc.json"
DATA_DIR_ENV = "CCHC_DATA_DIR"  # a folder with another organisation's to_chuc.json and don_vi.csv


def _data_file(shipped: Path) -> Path:
    """The organisation file or registry the app reads: from $CCHC_DATA_DIR when it is set, else the shipped one."""
    folder = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(folder) / shipped.name if folder else shipped


@dataclass(frozen=True)
class Agency:
    name: str
    short_name: str
    level: str  # a level code from the organisation file ("huyện", "xã", ...); "" for groups without one
    kind: str  # agency | commune | partner | group
    aliases: tuple[str, ...] = ()
    members: str = ""  # for groups: "kind:commune" (every unit of a kind), "stats" (units with statistics), "" (generic)

    @property
    def is_group(self) -> bool:
        return self.kind == "group"


@dataclass
class Registry:
    agencies: list[Agency]
    _index: dict[str, Agency] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for agency in self.agencies:
            for name in (agency.name, *agency.aliases):
                self._index.setdefault(fold(name), agency)
        for agency in self.agencies:  # short names last: a full name or alias always wins
            if agency.short_name and not agency.is_group:
                self._index.setdefault(fold(agency.short_name), agency)

    def lookup(self, name: str) -> Agency | None:
        key = fold(name)
        if not key:
            return None
        found = self._index.get(key)
        if found is None:
            # "Phòng Nội vụ huyện" and "Phòng Nội vụ" are one office; "UBND xã Ia Tul" and "Ia Tul" too.
            for prefix, suffix in (("", " huyen"), ("cac ", ""), ("ubnd ", ""), ("", " (cap huyen)")):
                if key.startswith(prefix) and key.endswith(suffix):
                    stripped = key[len(prefix):len(key) - len(suffix)].strip()
                    if stripped != key and stripped in self._index:
                        return self._index[stripped]
        return found

    def split(self, cell: object) -> tuple[list[Agency], list[str]]:
        """Split a cell's comma-separated list into known agencies/groups and unknown names.

        Names may themselves contain commas ("Cơ quan, đơn vị liên quan", "Trung tâm Văn hóa, Thông tin và
        Thể thao"), so the longest run of pieces that names something wins.
        """
        text = clean(cell).replace(";", ",").replace("\n", ",")
        pieces = [p.strip(" .") for p in text.split(",")]
        pieces = [p for p in pieces if p]
        known: list[Agency] = []
        unknown: list[str] = []
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                agency = self.lookup(", ".join(pieces[i:j]))
                if agency is not None:
                    if agency not in known:
                        known.append(agency)
                    i = j
                    break
            else:
                unknown.append(pieces[i])
                i += 1
        return known, unknown

    def units(self, level: str | None = None) -> list[Agency]:
        """Agencies and communes (never groups), optionally of one level."""
        return [a for a in self.agencies if not a.is_group and (level is None or a.level == level)]


    def group_members(self, units_with_stats: set[str] = frozenset()) -> dict[str, set[str]]:
        """The units each group stands for. Generic groups ("Cơ quan, đơn vị liên quan") have none."""
        out: dict[str, set[str]] = {}
        for group in (a for a in self.agencies if a.is_group and a.members):
            if group.members.startswith("kind:"):
                out[group.name] = {a.name for a in self.agencies if a.kind == group.members[5:]}
            elif group.members == "stats":
                out[group.name] = set(units_with_stats)
        return out

    def level_of(self, name: str) -> str:
        agency = self.lookup(name)
        return agency.level if agency else ""


def parse_registry(text: str) -> Registry:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    agencies = []
    for row in reader:
        name = clean(row.get("name"))
        if not name:
            continue
        aliases = tuple(a for a in (clean(x) for x in (row.get("aliases") or "").split("|")) if a)
        agencies.append(Agency(name=name, short_name=clean(row.get("short_name")) or name,
                               level=clean(row.get("level")), kind=clean(row.get("kind")) or "agency",
                               aliases=aliases, members=clean(row.get("members"))))
    return Registry(agencies)


@lru_cache(maxsize=4)
def _load_registry(path: str, mtime: float) -> Registry:
    return parse_registry(Path(path).read_text(encoding="utf-8"))


def load_registry(path: Path | str | None = None) -> Registry:
    path = Path(path or _data_file(REGISTRY_FILE))
    return _load_registry(str(path), path.stat().st_mtime)


@dataclass(frozen=True)
class Organisation:
    name: str
    province: str
    levels: tuple[tuple[str, str], ...]  # (code, label)

    def level_label(self, code: str) -> str:
        return dict(self.levels).get(code, code)


def load_organisation(path: Path | str | None = None) -> Organisation:
    raw = json.loads(Path(path or _data_file(ORGANISATION_FILE)).read_text(encoding="utf-8"))
    levels = tuple((lvl["code"], lvl.get("label", lvl["code"])) for lvl in raw.get("levels", []))
    return Organisation(name=raw.get("name", ""), province=raw.get("province", ""), levels=levels)
