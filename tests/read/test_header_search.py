"""The header search (cchc/read/table.py) is linear in the cells it looks at: each distinct label is matched against a
vocabulary's entries once, however many header blocks (starting rows × depths) it could belong to. Before, every
(starting row, depth, column) label path was matched from scratch, so a sheet whose rows all look like header
candidates cost rows × depth × columns full matches (the path memo cannot help when every label is new), and a
2,7 MB upload of such sheets took minutes. Counted, not timed: the number of label matches is the measure."""

from __future__ import annotations

import itertools
import re

import pytest

from cchc.fields import FIELD_LABELS
from cchc.read import plan, procedures, progress, stats
from cchc.read.grid import Sheet
from cchc.read.table import Entry, find_header, load_vocabulary

_fresh = itertools.count()
VOCABULARIES = [stats.VOCABULARY, plan.VOCABULARY, progress.VOCABULARY, procedures.VOCABULARY]


def fresh(kind: str):
    """A vocabulary as the reader loads it, with empty memos."""
    return load_vocabulary(kind, template_labels=FIELD_LABELS if kind == "stats" else None)


def header_like_sheet(rows: int, cols: int) -> Sheet:
    """Every cell names a group of columns ("Đang giải quyết …"), so every row is a header candidate, and every text
    is new (not in any memo from an earlier test)."""
    run = next(_fresh)
    return Sheet("S", [[f"Đang giải quyết {run}.{r}.{c}" for c in range(cols)] for r in range(rows)])


@pytest.fixture
def matches(monkeypatch):
    """Counts Entry.label_matches calls, per vocabulary entry list."""
    counted = {"n": 0}
    original = Entry.label_matches

    def counting(self, leaf, template):
        counted["n"] += 1
        return original(self, leaf, template)

    monkeypatch.setattr(Entry, "label_matches", counting)
    return counted


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.kind)
def test_each_label_is_matched_once_per_vocabulary(vocabulary, matches):
    rows, cols = vocabulary.scan_rows + vocabulary.header_rows + 2, 40
    sheet = header_like_sheet(rows, cols)
    assert find_header(sheet, vocabulary) is None
    labels = rows * cols  # all distinct
    assert 0 < matches["n"] <= labels * len(vocabulary.entries)


def test_the_deep_stats_search_costs_no_more_than_a_one_row_search(matches):
    """The statistics header is up to four rows deep: each of the 60 starting rows tries depths 1–4, each with its
    own label paths. The label matches stay those of the distinct labels, as for a one-row vocabulary."""
    vocabulary = stats.VOCABULARY
    assert vocabulary.header_rows == 4
    rows, cols = vocabulary.scan_rows, 40  # both searches look at the same rows
    find_header(header_like_sheet(rows, cols), vocabulary)
    deep = matches["n"]
    matches["n"] = 0
    one_row = fresh("stats")
    one_row.header_rows = 1
    find_header(header_like_sheet(rows, cols), one_row)
    assert deep <= matches["n"]


def test_twice_the_sheets_is_twice_the_work(matches):
    vocabulary = stats.VOCABULARY
    find_header(header_like_sheet(64, 30), vocabulary)
    one = matches["n"]
    for _ in range(2):
        find_header(header_like_sheet(64, 30), vocabulary)
    assert matches["n"] == 3 * one


# ---------------------------------------------------------------------------------------------------------------
# One expression per list of alternatives means the same as trying them one by one
# ---------------------------------------------------------------------------------------------------------------

def _reference(entry: Entry, leaf: str, template: dict) -> bool:
    """Entry.label_matches as it was written before the alternatives were joined."""
    if entry.template:
        return leaf in template
    if entry.match and not any(p.fullmatch(leaf) for p in entry.match):
        return False
    if any(not p.search(leaf) for p in entry.contains):
        return False
    if entry.any and not any(p.search(leaf) for p in entry.any):
        return False
    if not (entry.match or entry.contains or entry.any):
        return False
    return not any(p.search(leaf) for p in entry.exclude)


def _labels(vocabulary) -> set[str]:
    """Labels near every entry: the template's own, texts spelled out of each pattern, with words added around."""
    out = set(vocabulary.template)
    for entry in vocabulary.entries:
        for pattern in entry.match + entry.contains + entry.any + entry.exclude:
            words = re.sub(r"\(\?:|[()?*+|\\\[\]^${}.]|\bb\b|\bs\b", " ", pattern.pattern).split()
            for n in range(1, min(len(words), 6) + 1):
                text = " ".join(words[:n])
                out.update({text, f"so {text}", f"{text} thang", f"tong so {text}", f"{text} / ty le %"})
    return out


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.kind)
def test_joined_alternatives_match_exactly_what_each_alternative_does(vocabulary):
    labels = _labels(vocabulary) | {"", "a", "don vi", "tong so", "qua han", "trong han", "da giai quyet"}
    agree = matched = 0
    for entry in vocabulary.entries:
        for label in labels:
            expected = _reference(entry, label, vocabulary.template)
            assert entry.label_matches(label, vocabulary.template) is expected, (entry.field, label)
            agree += 1
            matched += expected
    assert matched > len(vocabulary.entries) // 2 and agree > 1000  # the labels exercise the entries


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.kind)
def test_a_label_path_is_classified_as_before(vocabulary):
    """The memo of leaves and sections gives what the full classification gives, for paths of one to three labels."""
    new = fresh(vocabulary.kind)
    labels = sorted(_labels(vocabulary))[:150]
    paths = [(a,) for a in labels] + [(a, b) for a, b in zip(labels, reversed(labels))] + \
            [(a, b, c) for a, b, c in zip(labels, labels[1:], labels[2:])]
    for path in paths:
        assert new.classify(path) == _classify_reference(new, path), path


def _classify_reference(vocabulary, path):
    leaf = path[-1]
    if not leaf or vocabulary.max_length and len(leaf) > vocabulary.max_length:
        return None
    if vocabulary.count_leaf is not None and len(path) > 1 and vocabulary.count_leaf.fullmatch(leaf):
        return _classify_reference(vocabulary, path[:-1])
    section = None
    for label in reversed(path[:-1]):
        section = next((name for name, p in vocabulary.sections if p.search(label)), None)
        if section:
            break
    for entry in vocabulary.entries:
        if not _reference(entry, leaf, vocabulary.template):
            continue
        if section is not None and section in entry.never_under:
            return None
        if entry.under and (section or "none") not in entry.under:
            continue
        if entry.above and not any(p.search(a) for a in path[:-1] for p in entry.above):
            continue
        return (vocabulary.template[leaf] if entry.template else entry.field) or None
    return None
