"""Redraw a figure from its plain summary as a PNG (trusted side only).

Used to save each student's figures beside their feedback and in the report's
gallery without ever touching the student's Figure object: only the validated
summary (see :mod:`grader.figures`) is drawn. The picture is a sketch of what
was graded (points, lines, contour vertices, labels, limits), not a replica.
"""

from __future__ import annotations

import io
import math
from typing import Any

from grader.figures import Axes, FigureData, FigureDataError, parse_summary

__all__ = ["FigureDataError", "render_png"]


def render_png(summary: dict[str, Any], dpi: int = 60) -> bytes:
    """PNG bytes of the figure described by ``summary``.

    Raises :class:`grader.figures.FigureDataError` (a ``ValueError``) when the
    summary is malformed or cannot be drawn; a readable summary with nothing on
    it gives a small picture saying so.
    """
    if type(dpi) is not int or not 20 <= dpi <= 300:
        raise FigureDataError("dpi must be an integer from 20 to 300")
    data = parse_summary(summary)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from grader.fonts import use_japanese_font

    use_japanese_font()  # before any text is made: a Text keeps the font family it was created with

    rows = max(1, len(data.axes))
    fig = Figure(figsize=(4, 3 * rows), dpi=dpi)
    FigureCanvasAgg(fig)
    try:
        _draw(fig, data)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi)
    except FigureDataError:
        raise
    except Exception as exc:  # odd but valid numbers (e.g. a log axis with no positive data)
        raise FigureDataError(f"the figure could not be drawn: {type(exc).__name__}") from None
    return out.getvalue()


def _draw(fig: Any, data: FigureData) -> None:
    if data.error or not data.axes:
        ax = fig.add_subplot()
        ax.set_axis_off()
        note = "the figure could not be read" if data.error else "empty figure (no axes)"
        ax.text(0.5, 0.5, note, ha="center", va="center", parse_math=False)
        return
    rows = len(data.axes)
    fig.subplots_adjust(left=0.2, right=0.95, top=1 - 0.1 / rows, bottom=0.17 / rows, hspace=0.5)
    for i, summary in enumerate(data.axes):
        _draw_axes(fig.add_subplot(rows, 1, i + 1), summary)


def _draw_axes(ax: Any, s: Axes) -> None:
    import numpy as np

    for cs in s.contours:
        for k, level in enumerate(cs.paths):
            x, y = level.x.astype(float), level.y.astype(float)
            if level.breaks:  # a NaN between segments keeps them apart
                x, y = np.insert(x, level.breaks, np.nan), np.insert(y, level.breaks, np.nan)
            ax.plot(x, y, color=f"C{k % 10}", linewidth=0.8, alpha=0.6 if cs.filled else 1.0)
    for ln in s.lines:
        if ln.kind == "other" or not len(ln.x):
            continue
        style: dict[str, Any]
        if ln.kind in ("axline", "vline", "hline"):
            style = {"linestyle": "--" if ln.kind != "axline" else "-"}
        else:
            style = {"linestyle": "-" if ln.joined else "none", "marker": "o" if ln.markers else None,
                     "markersize": 3}
        if ln.kind == "axline":
            (x1, x2), (y1, y2) = ln.x, ln.y
            if (x1, y1) != (x2, y2):
                ax.axline((x1, y1), (x2, y2), **style)
        else:
            ax.plot(ln.x, ln.y, **style)
    for sc in s.scatters:
        ax.scatter(sc.x, sc.y, s=9)
    ax.set_xlabel(_clean(s.xlabel), parse_math=False)
    ax.set_ylabel(_clean(s.ylabel), parse_math=False)
    ax.set_title(_clean(s.title), parse_math=False)
    for axis, scale in (("x", s.xscale), ("y", s.yscale)):
        if scale in ("linear", "log", "symlog", "logit"):
            getattr(ax, f"set_{axis}scale")(scale)
    for setter, lim in ((ax.set_xlim, s.xlim), (ax.set_ylim, s.ylim)):
        if lim is not None and lim[0] != lim[1] and all(math.isfinite(v) for v in lim):
            setter(*lim)
    if s.aspect is not None:
        ax.set_aspect(s.aspect)


def _clean(text: str) -> str:
    """Printable text only (a label is drawn, never interpreted)."""
    return "".join(ch if ch.isprintable() else " " for ch in text)
