"""A Japanese font for figures drawn to PNG, so that Japanese text is not drawn as empty boxes.

matplotlib's own font (DejaVu Sans) has no Japanese glyphs: a title such as
"学習率と損失" comes out as boxes, with a "Glyph ... missing from font" warning.
The ``matplotlib-fontja`` package bundles IPAexGothic; :func:`use_japanese_font`
registers it as a *fallback*: the families already configured come first, so
Latin text looks exactly as before, and only the characters they lack are
drawn with IPAexGothic.

Call it after ``matplotlib.use(...)`` and before the figure's text is created
(a text keeps the font family configured when it was made). It imports nothing
of the grader, so the student copy ships it beside its public tests, and it
imports matplotlib only when called.
"""

from __future__ import annotations

FONT = "IPAexGothic"  # the family matplotlib-fontja bundles


def use_japanese_font() -> bool:
    """Add IPAexGothic (from ``matplotlib-fontja``) to matplotlib's fonts as the fallback for
    characters the configured fonts lack; returns whether it is available. Never raises:
    without the package (or with a broken one) figures are drawn as before. Cheap to call
    again (after the first call it only checks ``rcParams``)."""
    try:
        import matplotlib
        from matplotlib import font_manager
    except Exception:  # noqa: BLE001 - no matplotlib: nothing to draw with
        return False
    before = list(matplotlib.rcParams["font.family"])
    try:
        import matplotlib_fontja  # noqa: F401 - importing it registers the font (and makes it the only family)

        font_manager.findfont(font_manager.FontProperties(family=FONT), fallback_to_default=False)
    except Exception:  # noqa: BLE001 - no package, no font file, an old matplotlib: draw as before
        matplotlib.rcParams["font.family"] = before
        return False
    matplotlib.rcParams["font.family"] = [f for f in before if f != FONT] + [FONT]
    return True


def add_fallback_to(figure: object) -> bool:
    """Give every text already on ``figure`` IPAexGothic as its fallback font, for a figure
    whose text was made before :func:`use_japanese_font` ran (the student copy imports
    matplotlib only when a plot function needs it, so the font is added at saving time).
    Returns whether the font is available; never raises."""
    if not use_japanese_font():
        return False
    try:
        from matplotlib.text import Text

        for text in figure.findobj(Text):  # type: ignore[attr-defined]
            family = list(text.get_fontfamily())
            if FONT not in family:
                text.set_fontfamily([*family, FONT])
    except Exception:  # noqa: BLE001 - not a Figure, or an old matplotlib: draw as it is
        return False
    return True
