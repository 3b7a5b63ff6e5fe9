"""Write the student's copy of the course: stubs, public tests, support code, README.

The copy must run with only numpy and pytest installed (matplotlib too for
the plot exercises), so the judging code (``checks``, ``wire``, ``execute``,
``probes``, ``figures``) is copied from this package with its ``grader``
imports rewritten to local ones. It must also leak nothing: the public tests
travel as data (``tests/public_cases.json``, and ``tests/plot_cases.json`` for
the figure tests) holding only public calls, their expected results and the
results of known mistakes on those calls, never solution code, mistake code or
hidden tests.

The figure tests have their own test file so that a run of the other tests
never imports matplotlib; each of them saves the student's figure as a PNG
under ``figures/`` in the copy.

The copy speaks the course's language (``course.language``): its stubs' docstrings
come from ``grader/locale/<lang>/docstrings/`` (:mod:`grader.stubgen`), its README is
``grader/student/README.<lang>.md`` (``README.md`` for English), its messages
come from the message layer (``i18n.py``, shipped to ``tests/_support/``) with
the language's catalogues shipped beside it (``tests/_support/locale/``), and
its ``course.yml`` names the language, which the public tests read at start.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import yaml

from grader import i18n, stubgen
from grader.cases import Test
from grader.checks import same_numbers
from grader.config import Course
from grader.errors import InputError
from grader.fsutil import is_inside
from grader.i18n import t
from grader.plan import Plan, build_plan
from grader.scoring import tolerances
from grader.wire import encode

GRADER = Path(__file__).resolve().parent
STUDENT = GRADER / "student"
# The catalogues a student copy needs; the hints it shows arrive translated in public_cases.json.
SHIPPED_CATALOGUES = ("engine.po", "student.po")
SUPPORT = ("wire", "probes", "verdict", "checks", "execute", "figure_summary", "figures",  # figures*: plot checks only
           "i18n", "fonts")  # the message layer (its catalogues: support_files) and the Japanese font

PYTEST_INI = """\
[pytest]
# Settings for the public tests; run `pytest` in this folder (`pytest --watch` keeps rerunning them).
minversion = 8.4
testpaths = tests
pythonpath = .
# -rN: the progress table replaces pytest's list of failed tests (`-ra` brings it back).
# --disable-plugin-autoload: only the plugins these tests need are loaded; the pytest plugins
#   other packages install (Colab has several) would add up to a second to every run.
# -p no:unraisableexception: skips a full garbage collection at the end of each run that
#   only reports errors in __del__ methods.
addopts = -rN --disable-plugin-autoload -p no:unraisableexception
"""

WIRE_ERROR = '''\
class WireError(ValueError):
    """Data that is not valid plain data (malformed, too big, wrong type)."""
'''


# -- support code -----------------------------------------------------------------------

def support_source(name: str) -> str:
    """``grader/<name>.py`` rewritten to import only its neighbours in ``tests/_support``."""
    text = (GRADER / f"{name}.py").read_text(encoding="utf-8")  # name may be "suites/figures_<module>"

    def local(match: re.Match[str]) -> str:
        indent, module, names = match.group(1), match.group(2), match.group(3)
        if module == "errors":
            if names.strip() != "WireError":
                raise RuntimeError(f"grader/{name}.py: cannot ship 'from grader.errors import {names}'")
            return f"{indent}{WIRE_ERROR}" if name == "wire" and not indent else f"{indent}from .wire import WireError"
        return f"{indent}from .{module} import {names}"

    text = re.sub(r"^([ \t]*)from grader\.(\w+) import (.+)$", local, text, flags=re.M)
    text = re.sub(r"^([ \t]*)from grader import (.+)$", r"\1from . import \2", text, flags=re.M)
    for node in ast.walk(ast.parse(text)):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        if any(n == "grader" or n.startswith("grader.") for n in names):
            raise RuntimeError(f"grader/{name}.py: an import of grader is left in the student copy")
    return f"# Copied from grader/{name}.py for the public tests; do not edit.\n{text}"


def support_files(language: str = "en") -> dict[str, str]:
    """Relative path in the copy -> text, for the test support code and the plugin, with the
    message catalogues of ``language`` (none for English, the language of the msgids)."""
    files = {
        "tests/_support/__init__.py": '"""Support code for the public tests (a copy of the grader\'s judging code)."""\n',
        "tests/conftest.py": (STUDENT / "conftest.py").read_text(encoding="utf-8"),
        "tests/test_public.py": (STUDENT / "test_public.py").read_text(encoding="utf-8"),
        "tests/_support/public.py": (STUDENT / "public.py").read_text(encoding="utf-8"),
        "tests/_support/watch.py": (STUDENT / "watch.py").read_text(encoding="utf-8"),
    }
    for name in SUPPORT:
        if (GRADER / f"{name}.py").is_file():
            files[f"tests/_support/{name}.py"] = support_source(name)
    for checks in sorted((GRADER / "suites").glob("figures_*.py")):  # each plot module's figure checks
        files[f"tests/_support/{checks.name}"] = support_source(f"suites/{checks.stem}")
    if language != "en":  # the engine's verdicts and the student copy's own texts
        for po in i18n.catalogues(language):
            if po.name in SHIPPED_CATALOGUES:  # never mistakes.po: every hint, hidden tests' included
                files[f"tests/_support/locale/{language}/LC_MESSAGES/{po.name}"] = po.read_text(encoding="utf-8")
    return files


# -- public cases -----------------------------------------------------------------------

def _mistakes(plan: Plan, test: Test, expected: Any, rtol: float, atol: float) -> list[list[Any]]:
    """[hint, encoded output] of each known mistake that answers this call differently."""
    out: list[list[Any]] = []
    i = plan.index(test)
    for mistake, outcomes in plan.mistakes.get(test.function, []):
        got = outcomes[i]
        if got is None or not got.ok or same_numbers(got.value, expected, rtol, atol):
            continue
        entry = [i18n.translate(str(mistake.hint)), encode(got.value)]  # type: ignore[attr-defined]
        if entry not in out:
            out.append(entry)
    return out


def _case(plan: Plan, t: Test, share: float) -> dict[str, Any]:
    """One public test as plain data: its call, what is checked and the reference's answer."""
    expected = plan.expected[plan.index(t)].value
    rtol, atol = tolerances(plan, t)
    case: dict[str, Any] = {
        "name": t.name, "function": t.function, "check": t.check, "call": t.call.to_plain(),
        "what": t.what, "points": share, "rtol": rtol, "atol": atol,
    }
    title = i18n.display_name(t.name)  # what the student reads; "name" stays the identifier (pytest -k)
    if title != t.name:
        case["title"] = title
    case["expected"] = encode(expected)  # a figure travels as its summary ({"$figure": ...})
    if t.check == "figure":
        return case
    if t.check == "value":  # hints only where grading gives them (scoring.diagnose)
        case["mistakes"] = _mistakes(plan, t, expected, rtol, atol)
    return case


def _public_tests(plan: Plan) -> list[Test]:
    return [t for t in plan.tests if t.public]


def public_cases(plan: Plan) -> dict[str, Any]:
    """The data the student's public tests run on (plain JSON, no code).

    A function's points are shared by all its public tests, figure tests
    included, but figure tests travel in :func:`plot_cases`: checking a figure
    needs matplotlib, and the other public tests must never import it.
    """
    course = plan.course
    public = _public_tests(plan)
    counts = {f: sum(t.function == f for t in public) for f in course.points}
    cases = [_case(plan, t, course.points[t.function] / counts[t.function]) for t in public if t.check != "figure"]
    functions = [{"name": f, "points": p, "public_tests": counts[f]} for f, p in course.points.items()]
    return {"title": course.title, "tolerance": {"rtol": course.rtol, "atol": course.atol},
            "call_seconds": course.limits.call_seconds,  # the same per-call limit as in grading
            "functions": functions, "cases": cases}


def plot_cases(plan: Plan) -> dict[str, Any]:
    """The public figure tests (``tests/plot_cases.json``), in the same layout as the others."""
    course = plan.course
    public = _public_tests(plan)
    counts = {f: sum(t.function == f for t in public) for f in course.points}
    cases = [_case(plan, t, course.points[t.function] / counts[t.function]) for t in public if t.check == "figure"]
    return {"title": course.title, "cases": cases}


def cases_json(data: dict[str, Any]) -> str:
    """Compact JSON with one function or case per line (small, yet readable and diffable)."""
    def dump(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), allow_nan=False, ensure_ascii=False)

    lists = [k for k in ("functions", "cases") if k in data]
    head = {k: v for k, v in data.items() if k not in lists}
    lines = [dump(head)[:-1] + ","]
    for i, key in enumerate(lists):
        items = ",\n".join(f"  {dump(item)}" for item in data[key])
        lines.append(f' "{key}": [\n{items}\n ]' + ("," if i < len(lists) - 1 else ""))
    return "\n".join(lines) + "\n}\n"


# -- README -----------------------------------------------------------------------------

def _points(x: float) -> str:
    return f"{x:g}"


def readme_template(language: str) -> Path:
    """The student README of ``language``: ``README.<language>.md``, else the English ``README.md``."""
    own = STUDENT / f"README.{language}.md"
    return own if language != "en" and own.is_file() else STUDENT / "README.md"


def readme(course: Course, n_public: int, n_plots: int = 0) -> str:
    """The student README in the course's language with its title, functions, points and tolerance.

    Text between ``{{#plots}}`` and ``{{/plots}}`` lines is kept only when the
    course has public figure tests."""
    rows = []
    with i18n.in_language(course.language):
        for module, functions in course.modules.items():
            listed = ", ".join(f"`{f}` ({_points(p)})" for f, p in functions.items())
            rows.append(f"- `exercises/{module}.py`: {listed}")
        rows.append("\n" + t("In all: {points} points.", points=_points(course.max_total)))
    text = readme_template(course.language).read_text(encoding="utf-8")
    block = re.compile(r"^\{\{#plots\}\}\n(.*?)^\{\{/plots\}\}\n", flags=re.M | re.S)
    text = block.sub(lambda m: m.group(1) if n_plots else "", text)
    for key, value in {"title": course.title, "functions": "\n".join(rows), "rtol": f"{course.rtol:g}",
                       "atol": f"{course.atol:g}", "public_count": str(n_public),
                       "plot_count": str(n_plots)}.items():
        text = text.replace("{{" + key + "}}", value)
    return text


# -- the release ------------------------------------------------------------------------

def student_course_yml(course: Course) -> str:
    """The copy's ``course.yml``: what students may see of the course, and its language
    (left out for English, the default), which the public tests read at start."""
    data = course.student_safe()
    if course.language != "en":
        data["language"] = course.language
    return ("# The course as students see it (points and tolerance).\n"
            + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _default_plan(course: Course) -> Plan:
    """The course's plan, with the mistake catalogue's hints."""
    return build_plan(course, with_mistakes=True)


def student_files(course: Course, plan: Plan | None = None) -> dict[str, str]:
    """Every file of the student copy: relative path -> text, written in the course's language."""
    with i18n.in_language(course.language):
        return _student_files(course, plan)


def _student_files(course: Course, plan: Plan | None) -> dict[str, str]:
    plan = plan or _default_plan(course)
    stubs = stubgen.generate(course.root, list(course.modules), lang=course.language)  # docstrings in that language
    files = {f"exercises/{name}": text for name, text in stubs.items()}
    files.update(support_files(course.language))
    data, plots = public_cases(plan), plot_cases(plan)
    files["tests/public_cases.json"] = cases_json(data)
    if plots["cases"]:
        files["tests/plot_cases.json"] = cases_json(plots)
        files["tests/test_public_plots.py"] = (STUDENT / "test_public_plots.py").read_text(encoding="utf-8")
    files["README.md"] = readme(course, len(data["cases"]), len(plots["cases"]))
    files["pytest.ini"] = PYTEST_INI
    files["course.yml"] = student_course_yml(course)
    return files


def release(course: Course, out_dir: Path, *, force: bool = False, plan: Plan | None = None) -> list[Path]:
    """Write the student copy into ``out_dir``; returns the files written, sorted.

    Refuses a non-empty ``out_dir`` unless ``force`` (then our files are
    overwritten and any others left alone), and never writes into the course's
    own folder. ``plan`` defaults to the course's plan with known mistakes."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: exists and is not a folder")
    if is_inside(course.root, out_dir):
        raise InputError(f"{out_dir}: refusing to write the student copy over the course's own folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise InputError(f"{out_dir}: folder is not empty (use --force to overwrite)")
    files = student_files(course, plan)
    written = []
    for rel, text in sorted(files.items()):
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
