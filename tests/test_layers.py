"""The package's layout is a rule, checked on the source: stages in the order data flows, no circles.

read (bytes → checked records) · store (database, accounts, backup) · score (targets, rules, statuses, rates) ·
show (view models, figures, exports, reports); at the top the ties (fields, findings, registry, formatting, rights)
and the assemblies (ingest, cli, sample) that only callers outside the package, or each other, import.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cchc"
STAGES = ("read", "store", "score", "show")
TIES = {"fields", "findings", "registry", "formatting", "rights"}
ASSEMBLIES = {"ingest", "cli", "sample", "__main__"}
# what each stage may import besides itself and the ties
ALLOWED = {"read": set(), "store": {"read"}, "score": {"read", "store"}, "show": {"read", "store", "score"}}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        yield path, ("cchc",) + (parts[:-1] if parts[-1] == "__init__" else parts), parts[-1] == "__init__"


def imports(path: Path, name: tuple[str, ...], is_package: bool) -> set[tuple[str, ...]]:
    """Every module of the package that this file imports, at the top or inside a function."""
    found = set()
    here = name if is_package else name[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = here[:len(here) - node.level + 1] if node.level else ()
            target = base + tuple((node.module or "").split(".")) if node.module else base
            if node.level == 0 and not (node.module or "").startswith("cchc"):
                continue
            for alias in node.names:  # "from . import views" names a module
                found.add(target + (alias.name,))
            found.add(target)
        elif isinstance(node, ast.Import):
            found.update(tuple(a.name.split(".")) for a in node.names if a.name.startswith("cchc"))
    return {t for t in found if t and t[0] == "cchc"}


def top_part(module: tuple[str, ...]) -> str:
    return module[1] if len(module) > 1 else ""


def test_no_module_of_the_package_imports_streamlit():
    for path, _, _ in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "streamlit" not in names, path


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_only_earlier_stages_and_the_ties(stage):
    offences = []
    for path, name, is_package in modules():
        if top_part(name) != stage:
            continue
        for target in imports(path, name, is_package):
            part = top_part(target)
            if part in (stage, "") or part in TIES or part in ALLOWED[stage]:
                continue
            offences.append(f"{'.'.join(name)} imports {'.'.join(target)}")
    assert offences == []


def test_the_ties_import_no_stage_but_read_text():
    for path, name, is_package in modules():
        if top_part(name) not in TIES:
            continue
        for target in imports(path, name, is_package):
            assert top_part(target) in TIES or target[:3] == ("cchc", "read", "text"), (name, target)


def test_the_rule_catches_an_offence(tmp_path):
    """The checker itself: a read module that imports the show stage is seen."""
    offender = tmp_path / "bad.py"
    offender.write_text("from ..show.views import Filters\nfrom .. import ingest\n")
    found = imports(offender, ("cchc", "read", "bad"), False)
    assert ("cchc", "show", "views") in found and ("cchc", "ingest") in found


def test_every_stage_package_says_what_it_owns_and_may_import():
    for stage in STAGES:
        tree = ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree) or ""
        assert len(doc) > 200 and "import" in doc, stage
        assert [n for n in tree.body if not isinstance(n, ast.Expr)] == [], stage  # a docstring, nothing to run
