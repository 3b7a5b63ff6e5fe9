"""Japanese text in figures drawn to PNG: with ``grader.fonts.use_japanese_font`` every glyph is
found (IPAexGothic from matplotlib-fontja, as a fallback), and without it matplotlib draws boxes
and warns "Glyph ... missing from font(s)", which is what these tests look for."""

from __future__ import annotations

import io
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from grader.fonts import FONT, use_japanese_font  # noqa: E402

TITLE, X_LABEL, Y_LABEL = "学習率と損失", "学習率 η", "損失 (二乗和誤差)"


def missing_glyphs() -> list[str]:
    """Draw a figure with a Japanese title and axis labels to PNG; the missing-glyph warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = Figure(figsize=(4, 3))
        ax = fig.add_subplot()
        ax.plot([0.001, 0.01, 0.1, 1.0], [2.5, 0.8, 0.3, 4.0], marker="o")
        ax.set_xscale("log")
        ax.set_title(TITLE)
        ax.set_xlabel(X_LABEL)
        ax.set_ylabel(Y_LABEL)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=60)
    assert out.getvalue().startswith(b"\x89PNG")
    return [str(w.message) for w in caught
            if issubclass(w.category, UserWarning) and "missing from font" in str(w.message)]


def test_japanese_text_has_every_glyph_with_the_font() -> None:
    with matplotlib.rc_context():
        assert use_japanese_font() is True
        assert missing_glyphs() == []
        with warnings.catch_warnings():  # and as an error, the way a strict run sees it
            warnings.filterwarnings("error", message="Glyph", category=UserWarning)
            missing_glyphs()


def test_without_the_font_the_same_figure_misses_glyphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: matplotlib's own font has no Japanese, and without the package
    use_japanese_font says so and changes nothing."""
    monkeypatch.setitem(sys.modules, "matplotlib_fontja", None)  # "not installed"
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        assert use_japanese_font() is False
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]
        missing = missing_glyphs()
        assert missing and all("DejaVu Sans" in m for m in missing)
        assert any("5B66" in m for m in missing)  # 学
        with warnings.catch_warnings(), pytest.raises(UserWarning, match="missing from font"):
            warnings.filterwarnings("error", message="Glyph", category=UserWarning)
            fig = Figure()
            fig.add_subplot().set_title(TITLE)
            fig.savefig(io.BytesIO(), format="png")


def test_latin_text_keeps_its_font_and_repeated_calls_change_nothing() -> None:
    """IPAexGothic is only the fallback: English labels are drawn exactly as before."""
    outside = list(matplotlib.rcParams["font.family"])  # another test may have added the font already
    with matplotlib.rc_context():
        before = [f for f in outside if f != FONT]
        matplotlib.rcParams["font.family"] = before
        default = font_manager.findfont(font_manager.FontProperties(family=before))
        assert use_japanese_font() and use_japanese_font()
        family = list(matplotlib.rcParams["font.family"])
        assert family == [*before, FONT]
        assert font_manager.findfont(font_manager.FontProperties(family=family)) == default
        assert Path(font_manager.findfont(font_manager.FontProperties(family=FONT),
                                          fallback_to_default=False)).name == "ipaexg.ttf"
    assert list(matplotlib.rcParams["font.family"]) == outside  # rc_context put everything back
