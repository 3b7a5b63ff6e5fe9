"""Plot exercises: figures as plain data, and judging what a figure shows.

:func:`grader.figure_summary.summarise` runs wherever a figure was drawn (inside the
sandbox for a submission) and reduces a ``matplotlib.figure.Figure`` to small JSON-able data:
per axes its lines, point sets, contour sets, labels and limits, with a cap on
everything. It never renders, and it always closes the figure. The Figure
object itself never crosses the sandbox boundary.

:func:`check_figure` runs on the trusted side on two such summaries, the
submission's (untrusted, validated here) and the reference's. The reference
figure names its exercise through the figure label (``fig.set_label``), and
each exercise has its own check of what the picture must say; the numbers it
needs (the log base, the data, the slope, the trajectory) are read off the
reference figure. Colours, styles, legends, titles, extra artists and the
order of artists never matter.

Only the standard library and NumPy are imported at module level, so importing
this module is cheap; matplotlib is imported inside the functions that need it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from grader.figure_summary import (
    LINE_KINDS,
    MAX_ARTISTS,
    MAX_AXES,
    MAX_LEVEL_POINTS,
    MAX_LEVELS,
    MAX_POINTS,
    MAX_TEXT,
    MAX_TOTAL_POINTS,
    SCALES,
    VERSION,
)
from grader.verdict import PASS, Verdict, _, show, t

POSITION_TOL = 1e-3  # matching positions: this fraction of the reference's extent
COVER_TOL = 0.02  # "covers a range": may fall short by this fraction of it
CONTOUR_TOL = 0.05  # contour vertices: f within this fraction of the levels' range
MIN_CURVE_SAMPLES = 50
NEAR_ZERO_P = 0.05
NEAR_ONE_P = 0.95


class FigureDataError(ValueError):
    """A figure summary that is not well-formed (wrong types, sizes or numbers)."""


# --------------------------------------------------------------------------- validation


@dataclass
class Line:
    kind: str
    x: np.ndarray
    y: np.ndarray
    joined: bool = True
    markers: bool = False

    @property
    def xy(self) -> np.ndarray:
        return np.column_stack([self.x, self.y])

    @property
    def n(self) -> int:
        """The number of points received (never what a summary claims)."""
        return len(self.x)

    @cached_property
    def bbox(self) -> tuple[float, float, float, float] | None:
        return _extent(self.x, self.y)


@dataclass
class Level:
    lo: float | None
    hi: float | None
    x: np.ndarray
    y: np.ndarray
    breaks: list[int]

    @property
    def n(self) -> int:
        return len(self.x)


@dataclass
class Contour:
    filled: bool
    levels: np.ndarray
    paths: list[Level]

    @cached_property
    def bbox(self) -> tuple[float, float, float, float] | None:
        """The extent of every level's points."""
        if not self.paths:
            return None
        return _extent(np.concatenate([p.x for p in self.paths]), np.concatenate([p.y for p in self.paths]))


@dataclass
class Axes:
    xlabel: str
    ylabel: str
    title: str
    xlim: tuple[float, float] | None
    ylim: tuple[float, float] | None
    xscale: str
    yscale: str
    aspect: float | None = None
    lines: list[Line] = field(default_factory=list)
    scatters: list[Line] = field(default_factory=list)
    contours: list[Contour] = field(default_factory=list)

    def marker_points(self) -> np.ndarray:
        """Every point drawn as a marker: scatter points and the markers of lines."""
        parts = [s.xy for s in self.scatters]
        parts += [ln.xy for ln in self.lines if ln.kind == "data" and ln.markers]
        return np.concatenate(parts) if parts else np.zeros((0, 2))

    def joined_lines(self, *kinds: str) -> list[Line]:
        """Lines of these kinds drawn with a line style (and with points in the summary)."""
        return [ln for ln in self.lines if ln.joined and ln.kind in kinds and len(ln.x)]


@dataclass
class FigureData:
    label: str
    axes: list[Axes]
    error: str | None = None


def _fail(what: str) -> FigureDataError:
    return FigureDataError(f"malformed figure data: {what}")


def _get(d: Any, key: str) -> Any:
    if type(d) is not dict:
        raise _fail("an object was expected")
    if key not in d:
        raise _fail(f"'{key}' is missing")
    return d[key]


def _str(v: Any) -> str:
    if type(v) is not str or len(v) > MAX_TEXT:
        raise _fail("a short text was expected")
    return v


def _bool(v: Any) -> bool:
    if type(v) is not bool:
        raise _fail("true or false was expected")
    return v


def _list(v: Any, limit: int) -> list[Any]:
    if type(v) is not list or len(v) > limit:
        raise _fail("a short list was expected")
    return v


def _numbers(v: Any, limit: int) -> np.ndarray:
    items = _list(v, limit)
    if not {type(x) for x in items} <= {int, float}:
        raise _fail("numbers were expected")
    try:
        arr = np.asarray(items, dtype=float)
    except (OverflowError, ValueError, TypeError):
        raise _fail("numbers were expected") from None
    if not np.all(np.isfinite(arr)):
        raise _fail("a number is not finite")
    return arr


def _number_or_none(v: Any) -> float | None:
    return None if v is None else float(_numbers([v], 1)[0])


def _pair(v: Any) -> tuple[float, float] | None:
    if v is None:
        return None
    p = _numbers(v, 2)
    if len(p) != 2:
        raise _fail("a pair of limits was expected")
    return (float(p[0]), float(p[1]))


class _Tally:
    """Counts the points of an untrusted summary against the figure-wide cap."""

    def __init__(self) -> None:
        self.points = 0

    def add(self, n: int) -> None:
        self.points += n
        if self.points > MAX_TOTAL_POINTS:
            raise _fail("too many points")


def _parse_xy(d: Any, tally: _Tally, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """The points as sent (their count and extent are measured from them, whatever the summary claims)."""
    x, y = _numbers(_get(d, "x"), limit), _numbers(_get(d, "y"), limit)
    if len(x) != len(y):
        raise _fail("inconsistent point counts")
    tally.add(len(x))
    return x, y


def _parse_line(d: Any, tally: _Tally) -> Line:
    kind = _get(d, "kind")
    if kind not in LINE_KINDS:
        raise _fail("an unknown kind of line")
    x, y = _parse_xy(d, tally, MAX_POINTS)
    return Line(kind, x, y, _bool(_get(d, "joined")), _bool(_get(d, "markers")))


def _parse_scatter(d: Any, tally: _Tally) -> Line:
    x, y = _parse_xy(d, tally, MAX_POINTS)
    return Line("scatter", x, y, joined=False, markers=True)


def _extent(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float] | None:
    """The extent of the points received, measured on the trusted side."""
    if not len(x):
        return None
    return (float(x.min()), float(x.max()), float(y.min()), float(y.max()))


def _parse_contour(d: Any, tally: _Tally) -> Contour:
    paths = []
    for p in _list(_get(d, "paths"), MAX_LEVELS):
        x, y = _parse_xy(p, tally, MAX_LEVEL_POINTS)
        breaks = _list(_get(p, "breaks"), MAX_LEVEL_POINTS)
        if not all(type(b) is int and 0 < b < len(x) for b in breaks) or breaks != sorted(set(breaks)):
            raise _fail("bad contour segments")
        paths.append(Level(_number_or_none(_get(p, "lo")), _number_or_none(_get(p, "hi")), x, y, breaks))
    levels = _numbers(_get(d, "levels"), MAX_LEVELS * 4)
    return Contour(_bool(_get(d, "filled")), levels, paths)


def _parse_axes(d: Any, tally: _Tally) -> Axes:
    scales = [_get(d, "xscale"), _get(d, "yscale")]
    if any(s not in SCALES for s in scales):
        raise _fail("an unknown axis scale")
    aspect = _number_or_none(_get(d, "aspect"))
    if aspect is not None and not 1e-6 <= aspect <= 1e6:
        raise _fail("an aspect ratio out of range")
    ax = Axes(_str(_get(d, "xlabel")), _str(_get(d, "ylabel")), _str(_get(d, "title")),
              _pair(_get(d, "xlim")), _pair(_get(d, "ylim")), scales[0], scales[1], aspect)
    lines = _list(_get(d, "lines"), MAX_ARTISTS)
    scatters = _list(_get(d, "scatters"), MAX_ARTISTS)
    contours = _list(_get(d, "contours"), MAX_ARTISTS)
    if len(lines) + len(scatters) + len(contours) > MAX_ARTISTS:
        raise _fail("too many artists")
    ax.lines = [_parse_line(v, tally) for v in lines]
    ax.scatters = [_parse_scatter(v, tally) for v in scatters]
    ax.contours = [_parse_contour(v, tally) for v in contours]
    return ax


def parse_summary(data: Any) -> FigureData:
    """Validate an (untrusted) summary and return it as typed data.

    Raises :class:`FigureDataError` for anything :func:`summarise` would never
    produce: wrong types, missing keys, non-finite numbers, or sizes past the caps.
    """
    if _get(data, "v") != VERSION:
        raise _fail("unknown version")
    error = data.get("error")
    if error is not None:
        _str(error)
    tally = _Tally()
    axes = [_parse_axes(a, tally) for a in _list(_get(data, "axes"), MAX_AXES)]
    return FigureData(_str(_get(data, "label")), axes, error)


def figure_summary(value: Any) -> Any | None:
    """The summary inside a decoded figure (:class:`grader.wire.FigureSummary`), or None
    for anything else: a dict that merely looks like one is not a figure.

    A Figure object itself (only trusted in-process code can hand one over) is
    summarised here, exactly as the wire would have done.
    """
    from grader.wire import FigureSummary, decode, encode

    if type(value).__module__ == "matplotlib.figure" and type(value).__name__ == "Figure":
        value = decode(encode(value))
    if type(value) is FigureSummary:
        return value.data
    return None


# --------------------------------------------------------------------------- judging

Requirement = Callable[[Axes], "str | None"]  # None when the axes shows it, else the reason


def _not_a_figure(value: Any) -> Verdict:
    type_name = getattr(value, "type_name", None)  # a ``grader.wire.Unsupported``
    plain = (type(None), bool, int, float, str, tuple, list, dict, np.ndarray, np.generic)
    if not isinstance(type_name, str) and not isinstance(value, plain):  # in-process: the object
        type_name = f"{type(value).__module__}.{type(value).__qualname__}"
    if value is None:
        reason = _("returned None, not the Figure (is `return fig` missing?)")
    elif isinstance(type_name, str) and "Axes" in type_name:
        reason = _("returned an Axes, not its Figure (return `fig`, or `ax.figure`)")
    elif isinstance(value, tuple):
        reason = _("returned a tuple; return only the matplotlib Figure")
    elif isinstance(value, list):
        reason = _("returned a list; return only the matplotlib Figure")
    elif isinstance(type_name, str):
        reason = t("returned a {type} object, not a matplotlib Figure", type=type_name.rsplit('.', 1)[-1])
    else:
        reason = t("returned {value}, not a matplotlib Figure", value=show(value))
    return Verdict(False, "wrong type", reason, _("a matplotlib Figure"), show(value))


def check_figure(actual: Any, expected: Any) -> Verdict:
    """Whether the submission's figure shows what the exercise asks, judged against
    the reference figure. ``actual`` is untrusted: anything malformed fails."""
    ref_data = figure_summary(expected)
    if ref_data is None:
        raise ValueError("the reference did not return a figure")
    ref = parse_summary(ref_data)
    check = EXERCISES.get(ref.label)
    if check is None or not ref.axes:
        raise ValueError(f"the reference figure does not name a known exercise ({ref.label!r})")
    data = figure_summary(actual)
    if data is None:
        return _not_a_figure(actual)
    try:
        fig = parse_summary(data)
    except FigureDataError:
        return Verdict(False, "wrong type", _("the figure's data could not be read (it is malformed)"))
    if fig.error:
        return Verdict(False, "error", _("the figure could not be read"))
    if not fig.axes:
        return Verdict(False, "empty", _("the figure is empty: it has no axes (use fig.add_subplot())"))
    try:
        requirements = check(ref.axes[0])
    except (IndexError, ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"the reference figure is not as its check expects: {exc}") from None
    return _judge(fig, requirements)


def _judge(fig: FigureData, requirements: list[Requirement]) -> Verdict:
    """Pass when one axes meets every requirement; otherwise report the closest axes."""
    best: list[str] | None = None
    for ax in fig.axes:
        try:
            with np.errstate(all="ignore"):
                reasons = [r for req in requirements if (r := req(ax))]
        except (ArithmeticError, ValueError, IndexError, TypeError):  # odd numbers: never crash
            reasons = [_("the figure's data could not be checked")]
        if not reasons:
            return PASS
        if best is None or len(reasons) < len(best):
            best = reasons
    assert best is not None
    return Verdict(False, "wrong value", "; ".join(best[:3]))


def _span(*parts: np.ndarray) -> float:
    """The extent of some numbers; never zero (falls back to their size, or 1)."""
    values = np.concatenate([np.ravel(p) for p in parts])
    extent = float(values.max() - values.min()) if values.size else 0.0
    return extent if extent > 0 else max(float(np.abs(values).max()) if values.size else 0.0, 1.0)


def _matched(wanted: np.ndarray, drawn: np.ndarray, tol_x: float, tol_y: float) -> np.ndarray:
    """For each wanted point, whether some drawn point is within the tolerances."""
    if not len(wanted):
        return np.zeros(0, dtype=bool)
    if not len(drawn):
        return np.zeros(len(wanted), dtype=bool)
    near = (np.abs(wanted[:, None, 0] - drawn[None, :, 0]) <= tol_x) & (
        np.abs(wanted[:, None, 1] - drawn[None, :, 1]) <= tol_y)
    return near.any(axis=1)


def _same_set(a: np.ndarray, b: np.ndarray, tol_x: float, tol_y: float) -> bool:
    return len(a) == len(b) and bool(_matched(a, b, tol_x, tol_y).all() and _matched(b, a, tol_x, tol_y).all())


def _labelled(ax: Axes) -> str | None:
    x, y = not ax.xlabel.strip(), not ax.ylabel.strip()
    if x and y:
        return _("the x axis and the y axis have no label (use ax.set_xlabel / ax.set_ylabel)")
    if x:
        return _("the x axis has no label (use ax.set_xlabel / ax.set_ylabel)")
    if y:
        return _("the y axis has no label (use ax.set_xlabel / ax.set_ylabel)")
    return None


def _reference_line(ax: Axes) -> Line:
    lines = ax.joined_lines("data")
    if not lines:
        raise ValueError("no joined line")
    return lines[0]


def register_figure_checks(checks: dict[str, Callable[[Axes], list[Requirement]]]) -> None:
    """Add a plot module's figure checks (from its suite's ``FIGURE_CHECKS``), by figure label."""
    EXERCISES.update(checks)


# Figure label -> its exercise's check. The engine knows none by name: each plot
# module's suite (grader/suites/test_<module>.py) declares FIGURE_CHECKS, which
# grader.suites registers when the suite is loaded.
EXERCISES: dict[str, Callable[[Axes], list[Requirement]]] = {}
