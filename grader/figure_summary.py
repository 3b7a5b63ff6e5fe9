"""A matplotlib Figure as small plain data: what the sandbox sends back for a plot exercise.

:func:`summarise` runs wherever a figure was drawn (inside the sandbox for a
submission) and reduces a ``matplotlib.figure.Figure`` to JSON-able data: per
axes its lines, point sets, contour sets, labels and limits, with a cap on
everything. It never renders, and it always closes the figure. It holds points
only: every count and extent a check needs is measured from them on the
trusted side (:mod:`grader.figures`), never claimed here. Only the standard
library and NumPy are imported at module level; matplotlib inside the functions.
This module imports nothing of the grader, so the sandbox's encoder
(:mod:`grader.wire`) can use it without importing the judging code.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

VERSION = 1
MAX_AXES = 4  # axes kept per figure
MAX_ARTISTS = 24  # lines, point sets and contour sets kept per axes
MAX_POINTS = 200  # points kept per line or point set (deterministic subsample)
MAX_LEVELS = 16  # paths kept per contour set
MAX_LEVEL_POINTS = 30  # vertices kept per contour path
MAX_TOTAL_POINTS = 3000  # points kept per figure, all artists together
MAX_TEXT = 200  # characters kept per label or title
UNBOUNDED = 1e200  # contour band edges beyond this are open-ended (``extend=``)

LINE_KINDS = ("data", "axline", "vline", "hline", "segment", "other")
SCALES = ("linear", "log", "symlog", "logit", "function", "functionlog", "asinh")




class _Budget:
    """Points still allowed in this figure's summary."""

    def __init__(self, total: int) -> None:
        self.left = total
        self.truncated = False

    def take(self, wanted: int, cap: int) -> int:
        k = min(wanted, cap, self.left)
        if k < wanted:
            self.truncated = True
        self.left -= k
        return k


def summarise(fig: Any) -> dict[str, Any]:
    """The figure as plain data (see the module docstring); closes the figure.

    Never raises: an artist that cannot be read is skipped (and counted), a
    figure that cannot be read at all gives a summary with an ``error``.
    """
    budget = _Budget(MAX_TOTAL_POINTS)
    skipped = [0]
    try:
        axes = list(fig.get_axes())
        out: dict[str, Any] = {
            "v": VERSION,
            "label": _text(fig.get_label()),
            "axes": [_summarise_axes(ax, budget, skipped) for ax in axes[:MAX_AXES]],
        }
        out["truncated"] = budget.truncated or len(axes) > MAX_AXES
        out["skipped"] = skipped[0]
    except Exception:  # a broken or hostile figure must not break the encoding
        out = {"v": VERSION, "label": "", "axes": [], "truncated": False,
               "skipped": skipped[0], "error": "the figure could not be read"}
    finally:
        _close(fig)
    return out


def _close(fig: Any) -> None:
    """Release the figure from pyplot's registry (if pyplot is in use at all)."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        try:
            plt.close(fig)
        except Exception:
            pass


def _text(value: Any) -> str:
    return str.__str__(value)[:MAX_TEXT] if isinstance(value, str) else ""  # plain str, even from a subclass


def _limits(pair: Any) -> list[float] | None:
    try:
        lo, hi = (float(v) for v in pair)
    except Exception:
        return None
    return [lo, hi] if math.isfinite(lo) and math.isfinite(hi) else None


def _summarise_axes(ax: Any, budget: _Budget, skipped: list[int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "xlabel": _text(ax.get_xlabel()), "ylabel": _text(ax.get_ylabel()),
        "title": _text(ax.get_title()),
        "xlim": _limits(ax.get_xlim()), "ylim": _limits(ax.get_ylim()),
        "xscale": _scale(ax.get_xscale()), "yscale": _scale(ax.get_yscale()),
        "aspect": _aspect(ax.get_aspect()),
        "lines": [], "scatters": [], "contours": [],
    }
    artists = [*ax.get_lines(), *ax.collections]
    kept = 0
    for artist in artists:
        if kept >= MAX_ARTISTS:
            budget.truncated = True
            break
        try:
            kind, entries = _summarise_artist(ax, artist, budget, MAX_ARTISTS - kept)
        except Exception:
            skipped[0] += 1
            continue
        out[kind].extend(entries)
        kept += len(entries)
    return out


def _scale(name: Any) -> str:
    return name if name in SCALES else "linear"


def _aspect(value: Any) -> float | None:
    """A fixed data aspect ratio (``set_aspect("equal")`` is 1.0), or None for "auto"."""
    try:
        ratio = float(value)
    except (TypeError, ValueError):
        return None
    return ratio if math.isfinite(ratio) and ratio > 0 else None


def _summarise_artist(ax: Any, artist: Any, budget: _Budget, room: int) -> tuple[str, list[dict[str, Any]]]:
    """The summary entries of one artist (at most ``room``), and which list they go to."""
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.contour import ContourSet
    from matplotlib.lines import Line2D

    if isinstance(artist, Line2D):
        return "lines", [_line(ax, artist, budget)]
    if isinstance(artist, ContourSet) or _looks_like_contour(artist):
        return "contours", [_contour(ax, artist, budget)]
    if isinstance(artist, PathCollection):
        if artist.get_offset_transform() is not ax.transData:
            return "scatters", []
        xy = _as_xy(artist.get_offsets())
        return "scatters", [_points(xy, budget)]
    if isinstance(artist, LineCollection):
        if artist.get_transform() is not ax.transData:
            return "lines", []
        entries = []
        for seg in artist.get_segments()[:room]:
            entry = _points(_as_xy(seg), budget)
            entry.update(kind="segment", joined=True, markers=False)
            entries.append(entry)
        return "lines", entries
    return "lines", []  # fills, images, meshes: not part of any exercise


def _looks_like_contour(artist: Any) -> bool:
    """Duck-typed ContourSet (for subclasses or other matplotlib layouts)."""
    return all(hasattr(artist, a) for a in ("levels", "filled", "get_paths", "layers"))


def _as_xy(data: Any) -> np.ndarray:
    arr: np.ndarray = np.asarray(np.ma.filled(np.ma.asarray(data, dtype=float), np.nan), dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2:
        return np.zeros((0, 2))
    return arr


def _subsample(n: int, k: int) -> np.ndarray:
    """``k`` evenly spread indices of ``range(n)``, always with the first and last."""
    if k >= n:
        return np.arange(n)
    if k <= 0:
        return np.zeros(0, dtype=int)
    if k == 1:
        return np.zeros(1, dtype=int)
    return (np.arange(k) * (n - 1)) // (k - 1)  # strictly increasing because k <= n


def _sample(xy: np.ndarray, k: int) -> np.ndarray:
    """At most ``k`` indices of ``xy`` in drawing order: evenly spread, plus (when some are
    left out) the points where x and y are smallest and largest, so that the extent the
    trusted side measures from the sample is the true one."""
    if k >= len(xy) or k < 8:
        return _subsample(len(xy), k)
    idx = _subsample(len(xy), k - 4)
    ends = [int(np.argmin(xy[:, 0])), int(np.argmax(xy[:, 0])), int(np.argmin(xy[:, 1])), int(np.argmax(xy[:, 1]))]
    return np.unique(np.concatenate([idx, np.array(ends)]))


def _short(values: np.ndarray) -> list[float]:
    """Numbers rounded to 7 significant digits: far below every check's tolerance
    (1e-3 of an extent), and about half the JSON each submission sends back."""
    return [float(f"{v:.7g}") for v in values.tolist()]


def _points(xy: np.ndarray, budget: _Budget, cap: int = MAX_POINTS) -> dict[str, Any]:
    """Finite points (x, y), their count and extent before subsampling, a capped sample."""
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    idx = _sample(xy, budget.take(len(xy), cap))
    keep = xy[idx]
    return {"x": _short(keep[:, 0]), "y": _short(keep[:, 1])}


def _no_style(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in ("", "none"))


def _line(ax: Any, line: Any, budget: _Budget) -> dict[str, Any]:
    joined = not _no_style(line.get_linestyle()) and float(line.get_linewidth()) > 0
    markers = not _no_style(line.get_marker()) and float(line.get_markersize()) > 0
    style = {"joined": joined, "markers": markers}
    if type(line).__name__ in ("AxLine", "_AxLine"):
        return {**_axline(ax, line, budget), **style, "markers": False}
    transform = line.get_transform()
    xy = _as_xy(line.get_xydata())
    if transform is ax.transData:
        kind = "data"
    elif transform is ax.get_xaxis_transform(which="grid"):  # axvline: x data, y axes
        kind, xy = "vline", _to_data(ax, xy, axis=1)
    elif transform is ax.get_yaxis_transform(which="grid"):  # axhline: y data, x axes
        kind, xy = "hline", _to_data(ax, xy, axis=0)
    else:
        kind, xy = "other", np.zeros((0, 2))
    return {"kind": kind, **_points(xy, budget), **style}


def _to_data(ax: Any, xy: np.ndarray, axis: int) -> np.ndarray:
    """Turn the axes-fraction coordinate ``axis`` of each point into data coordinates."""
    frac = np.zeros_like(xy)
    frac[:, axis] = xy[:, axis]
    data = ax.transData.inverted().transform(ax.transAxes.transform(frac))
    out = xy.copy()
    out[:, axis] = data[:, axis]
    return out


def _axline(ax: Any, line: Any, budget: _Budget) -> dict[str, Any]:
    """An infinite line (``axline``) by its two defining points in data coordinates."""
    if getattr(line, "_transform", ax.transData) is not ax.transData:
        return {"kind": "other", **_points(np.zeros((0, 2)), budget)}
    x1, y1 = (float(v) for v in line.get_xy1())
    xy2, slope = line.get_xy2(), line.get_slope()
    if xy2 is not None:
        x2, y2 = (float(v) for v in xy2)
    elif slope is not None and math.isinf(float(slope)):
        x2, y2 = x1, y1 + 1.0
    else:
        x2, y2 = x1 + 1.0, y1 + float(slope)
    entry = _points(np.array([[x1, y1], [x2, y2]]), budget)
    entry["kind"] = "axline"
    return entry


def _contour(ax: Any, cs: Any, budget: _Budget) -> dict[str, Any]:
    """Levels, filled or not, extent, and per path its level (or band) and some vertices."""
    from matplotlib.path import Path

    levels = np.asarray(cs.levels, dtype=float).ravel()
    edges = np.asarray(getattr(cs, "_levels", levels), dtype=float).ravel()  # with extend= bands
    filled = bool(cs.filled)
    paths = list(cs.get_paths())
    if filled and len(paths) == len(edges) - 1:
        bounds = [(edges[i], edges[i + 1]) for i in range(len(paths))]
    elif not filled and len(paths) == len(levels):
        bounds = [(v, v) for v in levels]
    else:
        bounds = [(np.nan, np.nan)] * len(paths)  # layout unknown: levels not attributed
    data = getattr(cs, "get_transform", lambda: ax.transData)() is ax.transData
    entries: list[dict[str, Any]] = []
    for i in _subsample(len(paths), MAX_LEVELS) if data else []:
        path = paths[i]
        verts = np.asarray(path.vertices, dtype=float)
        codes = path.codes
        if codes is None:
            codes = np.full(len(verts), Path.LINETO, dtype=np.uint8)
            if len(codes):
                codes[0] = Path.MOVETO
        keep = (codes != Path.CLOSEPOLY) & (codes != Path.STOP) & np.all(np.isfinite(verts), axis=1)
        segment = np.cumsum(codes == Path.MOVETO)[keep]
        verts = verts[keep]
        if not len(verts):
            continue
        idx = _sample(verts, budget.take(len(verts), MAX_LEVEL_POINTS))
        seg = segment[idx]
        lo, hi = bounds[i]
        entries.append({
            "lo": _edge(lo), "hi": _edge(hi),
            "x": _short(verts[idx, 0]), "y": _short(verts[idx, 1]),
            "breaks": [int(j) for j in np.flatnonzero(np.diff(seg)) + 1],
        })
    shown = levels[np.isfinite(levels)][:MAX_LEVELS * 4]
    return {"filled": filled, "levels": shown.tolist(), "paths": entries}


def _edge(value: float) -> float | None:
    return float(value) if math.isfinite(value) and abs(value) < UNBOUNDED else None
