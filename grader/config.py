"""course.yml: every key declared once, with its default, meaning and validation.

``load_course(path)`` returns a :class:`Course` or raises :class:`ConfigError`
with one line naming the file and the key. Unknown keys are errors.

A course is a sequence of assignments (problem sets), each with a title and
its modules -> functions -> points (``assignments:``); a course.yml with only
a top-level ``modules:`` is a course of one assignment. A :class:`Course` is
one assignment of the course, chosen by ``load_course(path, assignment=...)``
(the first one when none is named), with every other setting shared.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from grader.errors import ConfigError, UsageError
from grader.sandbox.limits import Limits


@dataclass(frozen=True)
class Key:
    """One course.yml key: dotted path, default, meaning, validator."""

    path: str
    default: Any
    meaning: str
    check: Callable[[Any], str | None]


def _positive_number(v: Any) -> str | None:
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0
    return None if ok else "must be a positive number"


def _non_negative_number(v: Any) -> str | None:
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
    return None if ok else "must be a number >= 0"


def _positive_int(v: Any) -> str | None:
    return None if isinstance(v, int) and not isinstance(v, bool) and v > 0 else "must be a positive integer"


def _text(v: Any) -> str | None:
    return None if isinstance(v, str) and v.strip() else "must be non-empty text"


def _language(v: Any) -> str | None:
    from grader.i18n import LANGUAGES

    return None if v in LANGUAGES else f"must be one of: {', '.join(LANGUAGES)}"


def _flag(v: Any) -> str | None:
    return None if isinstance(v, bool) else "must be true or false"


def _modules(v: Any) -> str | None:
    if not isinstance(v, dict) or not v:
        return "must map each exercise module to its functions and points"
    return None


def _optional_modules(v: Any) -> str | None:
    return None if v is False else _modules(v)


def _assignments(v: Any) -> str | None:
    if v is False:
        return None
    if not isinstance(v, dict) or not v:
        return "must map each assignment name to its title and modules"
    for name, spec in v.items():
        if not isinstance(name, str) or not name.replace("-", "_").isidentifier():
            return f"has a bad assignment name {name!r} (use letters, digits, - and _)"
        if not isinstance(spec, dict) or set(spec) - {"title", "modules"} or "modules" not in spec:
            return f"'{name}' must have a 'title' and its 'modules' (and nothing else)"
        if "title" in spec and _text(spec["title"]):
            return f"'{name}.title' must be non-empty text"
    return None


DEFAULT_ASSIGNMENT = "ps1"  # the name of a course's only assignment when course.yml has just `modules:`


KEYS: tuple[Key, ...] = (
    Key("title", "Exercises", "Course title shown to students and in reports.", _text),
    Key("language", "en", "Language of everything students read and of the report (en or ja); "
        "`--lang` overrides it for one command.", _language),
    Key("modules", False, "Exercise modules in course order, each mapping function name -> points "
        "(a course of one assignment; use either this or 'assignments').", _optional_modules),
    Key("assignments", False, "Assignments (problem sets) in course order: name -> {title, modules}, "
        "each 'modules' as above.", _assignments),
    Key("tolerance.rtol", 1e-6, "Relative tolerance for comparing numbers.", _non_negative_number),
    Key("tolerance.atol", 1e-9, "Absolute tolerance for comparing numbers.", _non_negative_number),
    Key("limits.wall_seconds", 20.0, "Wall-clock limit for one submission.", _positive_number),
    Key("limits.call_seconds", 3.0, "Wall-clock limit for one function call.", _positive_number),
    Key("limits.cpu_seconds", 10.0, "CPU-time limit for one submission.", _positive_number),
    Key("limits.memory_mb", 512, "Memory a submission may allocate, in MB.", _positive_int),
    Key("limits.processes", 4, "Processes a submission may have alive, itself included.", _positive_int),
    Key("limits.output_kb", 256, "Output (stdout + stderr) kept per submission, in KB.", _positive_int),
    Key("limits.max_zip_mb", 50, "A submission zip expanding past this many MB is refused.", _positive_int),
    Key("feedback.show_hidden_inputs", False, "Show hidden tests' inputs in student feedback.", _flag),
    Key("feedback.show_hidden_expected", False, "Show hidden tests' expected values in feedback.", _flag),
)
KEY_INDEX = {k.path: k for k in KEYS}
SECTIONS = {k.path.split(".")[0] for k in KEYS if "." in k.path}


@dataclass(frozen=True)
class Course:
    """A validated course: modules in order with their functions' points."""

    root: Path
    title: str
    modules: dict[str, dict[str, float]]
    rtol: float
    atol: float
    limits: Limits
    max_zip_mb: int
    show_hidden_inputs: bool
    show_hidden_expected: bool
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    assignment: str = DEFAULT_ASSIGNMENT  # which assignment of the course this is
    assignments: dict[str, str] = field(default_factory=dict)  # every assignment: name -> title
    path: Path | None = None  # the course.yml this was loaded from
    module_owners: dict[str, str] = field(default_factory=dict)  # every module of the course -> its assignment
    language: str = "en"  # what students read and the report are written in (grader.i18n)

    @property
    def other_modules(self) -> dict[str, str]:
        """The modules of the course's other assignments -> their assignment."""
        return {m: a for m, a in self.module_owners.items() if a != self.assignment}

    # Derived once per Course (read for every student while grading); never mutate them.
    @cached_property
    def functions(self) -> list[str]:
        """Every graded function as ``module.function``, in course order."""
        return list(self.points)

    @cached_property
    def points(self) -> dict[str, float]:
        return {f"{m}.{f}": p for m, fs in self.modules.items() for f, p in fs.items()}

    @cached_property
    def max_total(self) -> float:
        return float(sum(self.points.values()))

    @property
    def show_hidden_values(self) -> bool:
        """Whether feedback may show anything of the hidden tests (their inputs or expected values)."""
        return self.show_hidden_inputs or self.show_hidden_expected

    @property
    def assignment_title(self) -> str:
        return self.assignments.get(self.assignment, self.title)

    def other(self, assignment: str) -> Course:
        """Another assignment of the same course (ConfigError naming the known ones)."""
        if self.path is None:
            raise ConfigError("this course was not loaded from a file")
        return load_course(self.path, assignment=assignment)

    def student_safe(self) -> dict[str, Any]:
        """The part of course.yml students may see (no limits, no feedback policy)."""
        return {
            "title": self.title,
            "assignment": self.assignment,
            "modules": {m: dict(fs) for m, fs in self.modules.items()},
            "tolerance": {"rtol": self.rtol, "atol": self.atol},
        }


def _flatten(data: dict[str, Any], where: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: key '{key}' must be a mapping")
            for sub, v in value.items():
                flat[f"{key}.{sub}"] = v
        else:
            flat[key] = value
    for path in flat:
        if path not in KEY_INDEX:
            known = ", ".join(sorted(KEY_INDEX))
            raise ConfigError(f"{where}: unknown key '{path}' (known keys: {known})")
    return flat


def solution_functions(root: Path, module: str) -> set[str] | None:
    """Top-level function names in ``solutions/<module>.py`` (None if the file is missing)."""
    path = root / "solutions" / f"{module}.py"
    if not path.is_file():
        return None
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def load_course(path: Path | str = "course.yml", *, check_solutions: bool = True,
                assignment: str | None = None) -> Course:
    """Load and validate course.yml, as one of its assignments (the first if ``assignment``
    is None); every problem is a one-line :class:`ConfigError`."""
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise ConfigError(f"{where}: file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        at = f" (line {line + 1})" if line is not None else ""
        raise ConfigError(f"{where}: not valid YAML{at}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: the top level must be a mapping of keys")
    flat = _flatten(data, where)
    values: dict[str, Any] = {}
    for key in KEYS:
        value = flat.get(key.path, key.default)
        if value is None:
            raise ConfigError(f"{where}: key '{key.path}' is required ({key.meaning})")
        problem = key.check(value)
        if problem:
            raise ConfigError(f"{where}: key '{key.path}' {problem}")
        values[key.path] = value
    root = path.resolve().parent
    if (values["modules"] is False) == (values["assignments"] is False):
        raise ConfigError(f"{where}: give either 'modules' (one assignment) or 'assignments', not "
                          f"{'both' if values['modules'] is not False else 'neither'}")
    specs: dict[str, Any] = (values["assignments"] if values["assignments"] is not False
                             else {DEFAULT_ASSIGNMENT: {"title": values["title"], "modules": values["modules"]}})
    titles = {str(name): str(spec.get("title", name)) for name, spec in specs.items()}
    chosen = next(iter(specs)) if assignment is None else assignment
    if chosen not in specs:
        raise UsageError(f"--assignment {chosen}: no such assignment in {where} (the course has: "
                         f"{', '.join(specs)})")
    prefix = f"assignments.{chosen}.modules" if values["assignments"] is not False else "modules"
    _check_modules(specs, where, values["assignments"] is not False)
    modules: dict[str, dict[str, float]] = {}
    for module, functions in specs[chosen]["modules"].items():
        mkey = f"{prefix}.{module}"
        if not isinstance(functions, dict) or not functions:
            raise ConfigError(f"{where}: key '{mkey}' must map function names to points")
        known = solution_functions(root, str(module)) if check_solutions else None
        if check_solutions and known is None:
            raise ConfigError(f"{where}: key '{mkey}': file solutions/{module}.py not found")
        modules[str(module)] = {}
        for fn, pts in functions.items():
            fkey = f"{mkey}.{fn}"
            if known is not None and fn not in known:
                raise ConfigError(f"{where}: key '{fkey}': no function {fn} in solutions/{module}.py")
            if isinstance(pts, bool) or not isinstance(pts, (int, float)) or pts < 0:
                raise ConfigError(f"{where}: key '{fkey}' must be a number of points >= 0")
            modules[str(module)][str(fn)] = float(pts)
    limits = Limits(
        wall_seconds=float(values["limits.wall_seconds"]),
        call_seconds=float(values["limits.call_seconds"]),
        cpu_seconds=float(values["limits.cpu_seconds"]),
        memory_mb=int(values["limits.memory_mb"]),
        processes=int(values["limits.processes"]),
        output_kb=int(values["limits.output_kb"]),
    )
    return Course(
        root=root,
        title=str(values["title"]),
        modules=modules,
        rtol=float(values["tolerance.rtol"]),
        atol=float(values["tolerance.atol"]),
        limits=limits,
        max_zip_mb=int(values["limits.max_zip_mb"]),
        show_hidden_inputs=bool(values["feedback.show_hidden_inputs"]),
        show_hidden_expected=bool(values["feedback.show_hidden_expected"]),
        raw=data,
        assignment=str(chosen),
        assignments=titles,
        path=path,
        module_owners={str(m): str(a) for a, spec in specs.items() for m in spec["modules"]},
        language=str(values["language"]),
    )


def _check_modules(specs: dict[str, Any], where: str, named: bool) -> None:
    """Each assignment's modules are a mapping, and no module belongs to two assignments."""
    owner: dict[str, str] = {}
    for name, spec in specs.items():
        key = f"assignments.{name}.modules" if named else "modules"
        problem = _modules(spec["modules"])
        if problem:
            raise ConfigError(f"{where}: key '{key}' {problem}")
        for module in spec["modules"]:
            if module in owner:
                raise ConfigError(f"{where}: key '{key}.{module}': the module is already in assignment "
                                  f"'{owner[module]}' (a module belongs to one assignment)")
            owner[module] = name
