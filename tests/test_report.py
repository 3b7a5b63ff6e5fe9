"""The class report: the numbers behind each chart, the HTML, and the page in a real browser."""

from __future__ import annotations

import base64
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from grader import scoring
from grader.scoring import FunctionScore, StudentResult
from grader.writers import report

# -- a small hand-built course and a factory for results ---------------------------------

POINTS = {"losses.sse": 4.0, "losses.mse": 3.0, "derivatives.sse_derivative": 2.0}
TESTS = {  # function -> [(test name, public)]
    "losses.sse": [("losses.sse: small example", True), ("losses.sse: random data", False)],
    "losses.mse": [("losses.mse: small example", True), ("losses.mse: two columns", False)],
    "derivatives.sse_derivative": [("derivatives.sse_derivative: small example", True),
                                   ("derivatives.sse_derivative: leaves its inputs alone", False)],
}
FUNCTIONS = list(POINTS)
MAX_TOTAL = sum(POINTS.values())


def student(sid: str, *, fail: tuple[str, ...] = (), mistakes: dict[str, str] | None = None,
            status: str = "ok", limits: tuple[str, ...] = (), module_errors: dict[str, str] | None = None,
            problems: tuple[str, ...] = (), kind: str = "wrong value") -> StudentResult:
    """A result where the tests named in ``fail`` failed (``mistakes``: test -> mistake name)."""
    mistakes = mistakes or {}
    tests: list[scoring.TestResult] = []
    functions: list[FunctionScore] = []
    for fn, pts in POINTS.items():
        mine = []
        for name, public in TESTS[fn]:
            share = pts / len(TESTS[fn])
            ok = name not in fail
            mine.append(scoring.TestResult(name=name, function=fn, public=public, score=share if ok else 0.0,
                                   max_score=share, passed=ok, kind="passed" if ok else kind,
                                   mistake=mistakes.get(name)))
        passed = sum(t.passed for t in mine)
        earned = pts if passed == len(mine) else sum(t.score for t in mine)
        fstatus = "full" if passed == len(mine) else ("partial" if passed else "zero")
        functions.append(FunctionScore(fn, pts, earned, passed, len(mine), fstatus))
        tests += mine
    total = round(sum(f.earned for f in functions), 6)
    return StudentResult(student_id=sid, total=total, max_total=MAX_TOTAL, status=status,
                         functions=functions, tests=tests, problems=list(problems),
                         module_errors=dict(module_errors or {}), limits_hit=list(limits))


ALL_TESTS = [name for fn in TESTS for name, _ in TESTS[fn]]


def test_result_to_dict_is_asdict_and_round_trips() -> None:
    """The state file's hand-built ``to_dict`` gives what ``dataclasses.asdict`` gives, and loads back."""
    from dataclasses import asdict

    r = student("a", fail=("losses.mse: two columns",), mistakes={"losses.mse: two columns": "mean-of-sum"},
                problems=("found 2 files",), module_errors={"descent": "not submitted"}, limits=("memory",))
    r.stdout, r.cpu_ms = "printed", 12.5
    assert r.to_dict() == asdict(r)
    assert StudentResult.from_dict(json.loads(json.dumps(r.to_dict()))) == r
    slim = r.slim()
    assert slim.to_dict() == asdict(slim) and [t.name for t in slim.tests] == ["losses.mse: two columns"]


# -- totals histogram ---------------------------------------------------------------------

def test_histogram_bins_cover_zero_to_max_and_count_everyone() -> None:
    results = [student("a"), student("b", fail=("losses.sse: random data",)),
               student("c", fail=tuple(ALL_TESTS)), student("d", fail=tuple(ALL_TESTS))]
    h = report.totals_histogram(results)
    assert h.edges[0] == 0 and h.edges[-1] >= MAX_TOTAL
    assert sum(h.counts) == 4
    assert h.counts[0] == 2  # the two zero totals
    assert h.counts[-1] == 1  # full marks (9 of 9) lands in the last bin, not past it
    assert h.mean == pytest.approx((9 + 7 + 0 + 0) / 4)
    assert h.median == pytest.approx(3.5)
    assert h.max_total == MAX_TOTAL


def test_histogram_uses_round_bin_widths() -> None:
    assert report._bin_width(70) == 5
    assert report._bin_width(9) == 0.5
    assert report._bin_width(100) == 5
    assert report._bin_width(1000) == 50
    edges = report.totals_histogram([student("a")]).edges
    assert edges == [i * 0.5 for i in range(19)]  # 0 to 9 in steps of 0.5


def test_histogram_of_an_empty_class_and_of_one_student() -> None:
    empty = report.totals_histogram([])
    assert sum(empty.counts) == 0 and empty.mean is None and empty.median is None
    one = report.totals_histogram([student("solo", fail=("losses.mse: two columns",))])
    assert sum(one.counts) == 1 and one.mean == one.median == pytest.approx(7.5)


# -- function means -----------------------------------------------------------------------

def test_function_means_are_shares_of_points_in_course_order() -> None:
    results = [student("a"), student("b", fail=("losses.sse: random data", "losses.sse: small example")),
               student("c", fail=("losses.sse: random data",))]
    means = report.function_means(results, FUNCTIONS)
    assert [f for f, _ in means] == FUNCTIONS
    got = dict(means)
    assert got["losses.sse"] == pytest.approx((1 + 0 + 0.5) / 3)
    assert got["losses.mse"] == pytest.approx(1.0)
    assert report.function_means([], FUNCTIONS) == [(f, 0.0) for f in FUNCTIONS]


# -- test failures ------------------------------------------------------------------------

def test_failure_shares_sorted_by_share_then_name() -> None:
    results = [student("a", fail=("losses.mse: two columns", "losses.sse: random data")),
               student("b", fail=("losses.mse: two columns",)),
               student("c", fail=("losses.sse: small example",)),
               student("d")]
    shares = report.test_failure_shares(results)
    assert [s.name for s in shares[:3]] == ["losses.mse: two columns", "losses.sse: random data",
                                            "losses.sse: small example"]
    first = shares[0]
    assert (first.failed, first.students, first.share, first.public) == (2, 4, 0.5, False)
    assert shares[2].public is True and shares[2].function == "losses.sse"
    assert len(shares) == len(ALL_TESTS)
    assert all(s.failed == 0 for s in shares[3:])


# -- mistakes -----------------------------------------------------------------------------

def test_mistakes_count_each_student_once_per_mistake() -> None:
    both = {"losses.sse: small example": "forgot to square", "losses.sse: random data": "forgot to square"}
    results = [student("a", fail=tuple(both), mistakes=both),  # two tests, one mistake: counts once
               student("b", fail=("losses.sse: random data",),
                        mistakes={"losses.sse: random data": "forgot to square"}),
               student("c", fail=("losses.mse: two columns",),
                        mistakes={"losses.mse: two columns": "divides by n-1"}),
               student("d")]
    counts = report.mistake_counts(results)
    assert counts == [report.MistakeCount("losses.sse", "forgot to square", 2),
                      report.MistakeCount("losses.mse", "divides by n-1", 1)]
    assert report.mistake_counts([student("x")]) == []


def test_same_mistake_name_in_two_functions_is_kept_apart() -> None:
    m = {"losses.sse: random data": "sign flipped", "losses.mse: two columns": "sign flipped"}
    counts = report.mistake_counts([student("a", fail=tuple(m), mistakes=m)])
    assert {(c.function, c.students) for c in counts} == {("losses.sse", 1), ("losses.mse", 1)}


# -- needs attention ----------------------------------------------------------------------

def test_needs_attention_flags_errors_timeouts_limits_and_zeros_with_reasons() -> None:
    results = [
        student("zed-ok"),
        student("amy", fail=tuple(ALL_TESTS), status="error",
                module_errors={"losses": "SyntaxError: invalid syntax (line 3)",
                               "derivatives": "not submitted"}, kind="error"),
        student("bob", fail=("losses.mse: two columns",), status="timeout", limits=("wall time",)),
        student("cy", fail=("losses.sse: random data",), status="partial", limits=("memory",)),
        student("dee", fail=tuple(ALL_TESTS), status="ok"),
        student("eve", fail=("losses.mse: two columns",), status="partial",
                module_errors={"derivatives": "not submitted"}),  # partial, has points: not flagged
    ]
    flagged = report.needs_attention(results)
    assert [r.student_id for r, _ in flagged] == ["amy", "bob", "cy", "dee"]
    why = {r.student_id: w for r, w in flagged}
    assert "could be loaded" in why["amy"] and "losses.py: SyntaxError" in why["amy"]
    assert "scored 0" in why["amy"]
    assert "wall time" in why["bob"]
    assert "memory" in why["cy"]
    assert why["dee"] == "scored 0"


# -- the HTML -----------------------------------------------------------------------------

def synthetic_class(n: int = 30, seed: int = 3) -> list[StudentResult]:
    """A class with a spread of scores, some known mistakes, and a few broken runs."""
    rng = random.Random(seed)
    difficulty = {name: rng.uniform(0.05, 0.5) for name in ALL_TESTS}
    results = []
    for i in range(n):
        sid = f"student{i:02d}"
        if i == 0:
            results.append(student(sid, fail=tuple(ALL_TESTS), status="error", kind="error",
                                   module_errors={m: "not submitted" for m in ("losses", "derivatives")}))
            continue
        if i == 1:
            results.append(student(sid, fail=("losses.mse: two columns",), status="timeout",
                                   limits=("wall time",)))
            continue
        fail = tuple(t for t in ALL_TESTS if rng.random() < difficulty[t])
        mistakes = {t: rng.choice(["forgot to square", "mean instead of sum", "sign flipped"])
                    for t in fail if t.startswith("losses") and rng.random() < 0.6}
        results.append(student(sid, fail=fail, mistakes=mistakes))
    results.append(student("o'brien, <pat> & co", fail=("losses.sse: random data",)))
    rng.shuffle(results)
    return results


def _images(page: str) -> list[str]:
    return re.findall(r'<img[^>]*src="([^"]+)"', page)


def test_report_is_self_contained_html() -> None:
    page = report.render(synthetic_class(), title="Loss functions <2026>", functions=FUNCTIONS)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:", page)
    assert not re.search(r"(?i)(https?:|ftp:|//[a-z0-9]|url\(|@import|src=\"(?!data:))", text)  # nothing external
    srcs = _images(page)
    assert len(srcs) == 4
    for src in srcs:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Loss functions &lt;2026&gt;" in page
    assert "o&#x27;brien, &lt;pat&gt; &amp; co" in page  # ids are escaped
    for heading in ("Total scores", "Per function", "Most failed tests", "Known mistakes",
                    "Needs attention", "All students"):
        assert f"<h2>{heading}</h2>" in page


def test_student_table_is_sorted_by_id_and_lists_everyone() -> None:
    results = synthetic_class()
    page = report.render(results, title="T", functions=FUNCTIONS)
    table = page.split("<h2>All students</h2>", 1)[1]
    ids = re.findall(r"<tr><td><code>(.*?)</code>", table)
    expected = sorted(r.student_id for r in results)
    assert [report.html.unescape(i) for i in ids] == expected


def test_headline_figures() -> None:
    results = [student("a"), student("b", fail=("losses.mse: two columns",)), student("c", fail=tuple(ALL_TESTS))]
    page = report.render(results, title="T", functions=FUNCTIONS)
    cards = {label: re.sub("<.*?>", "", value) for value, label in
             re.findall(r'<div class="value">(.*?)</div><div class="label">(.*?)</div>', page)}
    assert cards["students"] == "3"
    assert cards["mean"] == "5.5 / 9"
    assert cards["median"] == "7.5 / 9"
    assert cards["highest"] == "9 / 9"
    assert cards["need attention"] == "1"
    assert cards["full marks"] == "1"


def test_empty_class_and_class_of_one_render() -> None:
    empty = report.render([], title="Nobody yet", functions=FUNCTIONS)
    assert "No submissions were graded" in empty and _images(empty) == []
    one = report.render([student("solo")], title="One", functions=FUNCTIONS)
    assert len(_images(one)) == 2  # totals + functions; nothing failed, no mistakes
    assert "No test failed" in one and "No known mistake" in one


def test_gallery_section_lists_students_in_order() -> None:
    png = report.chart_totals(report.totals_histogram([student("a")]))
    page = report.render([student("a")], title="T", functions=FUNCTIONS,
                         gallery={"plots.scatter": [("zoe", png), ("ann", png)]})
    assert "Plot gallery" in page
    section = page.split("Plot gallery", 1)[1]
    assert section.index("ann") < section.index("zoe")
    assert not re.search(r"(?i)https?:", page)


def test_labels_never_trigger_mathtext() -> None:
    assert report._label("costs $5 and $6") == r"costs \$5 and \$6"
    assert report._label("x" * 100).endswith("…") and len(report._label("x" * 100)) == report.LABEL_CHARS
    png = report.chart_mistakes([report.MistakeCount("losses.sse", "uses $y$ twice", 3)])
    assert png[:4] == b"\x89PNG"


# -- in a real browser --------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


class DevTools:
    """A minimal Chrome DevTools Protocol client over a standard-library WebSocket."""

    def __init__(self, port: int, path: str, timeout: float) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv_some()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        assert head.split(b"\r\n")[0].split()[1] == b"101", head
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _recv_some(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("DevTools closed the connection")
        return chunk

    def _read(self, n: int) -> bytes:
        while len(self.buf) < n:
            self.buf += self._recv_some()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 1 << 16:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _message(self) -> dict[str, Any]:
        data = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)  # server frames are never masked
            opcode = b0 & 0x0F
            if opcode == 0x9:
                self._frame(0xA, payload)  # pong
            elif opcode == 0x8:
                raise ConnectionError("DevTools closed the connection")
            elif opcode in (0x0, 0x1, 0x2):
                data += payload
                if b0 & 0x80:
                    return json.loads(data)

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer; events seen meanwhile are kept."""
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self._frame(0x1, json.dumps(msg).encode())
        while True:
            reply = self._message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, deadline: float, since: int = 0) -> dict[str, Any]:
        """The first event ``method`` at or after ``self.events[since]``, waiting until ``deadline``."""
        for e in self.events[since:]:
            if e.get("method") == method:
                return e
        while time.monotonic() < deadline:
            e = self._message()
            self.events.append(e)
            if e.get("method") == method:
                return e
        raise TimeoutError(method)

    def close(self) -> None:
        self.sock.close()


def _find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium is missing: none of " + ", ".join(BROWSERS) + " is on PATH "
                "(run scripts/ensure-browser to install Debian's chromium)")


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_in_headless_chromium(tmp_path: Path, lang: str) -> None:
    """Open the report in Chromium: no console errors, every image decoded, no network,
    no horizontal overflow, and a full-page screenshot that is not blank (report-<lang>.png
    in the test's folder); the Japanese report's headings are Japanese."""
    from grader import i18n

    browser = _find_browser()
    page = tmp_path / "report.html"
    i18n.set_language(lang)
    try:
        page.write_text(report.render(synthetic_class(), title="Loss functions", functions=FUNCTIONS),
                        encoding="utf-8")
    finally:
        i18n.set_language("en")
    profile = tmp_path / "profile"
    log = (tmp_path / "chromium.log").open("wb")
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-extensions", "--disable-default-apps", "--no-first-run",
           "--no-default-browser-check", "--hide-scrollbars", "--mute-audio",
           f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"]
    proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    devtools: DevTools | None = None
    try:
        deadline = time.monotonic() + 15
        port_file = profile / "DevToolsActivePort"
        while not (port_file.is_file() and len(port_file.read_text().splitlines()) >= 2):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (tmp_path / "chromium.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"Chromium did not start its DevTools endpoint:\n{tail}")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        devtools = DevTools(int(port), path, timeout=10)
        target = devtools.call("Target.createTarget", url="about:blank")["targetId"]
        session = devtools.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            devtools.call(f"{domain}.enable", session)
        devtools.call("Emulation.setDeviceMetricsOverride", session, width=1100, height=900,
                      deviceScaleFactor=1, mobile=False)
        seen = len(devtools.events)
        devtools.call("Page.navigate", session, url=page.as_uri())
        devtools.wait_for("Page.loadEventFired", deadline, since=seen)

        state = devtools.call("Runtime.evaluate", session, returnByValue=True, expression="""({
            images: Array.from(document.images, i => ({alt: i.alt, complete: i.complete,
                                                       w: i.naturalWidth, h: i.naturalHeight})),
            scripts: document.scripts.length,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            title: document.title, rows: document.querySelectorAll('tbody tr').length,
            headings: Array.from(document.querySelectorAll('h2'), h => h.textContent)})""")["result"]["value"]
        japanese = [h for h in state["headings"] if any("\u3040" <= c <= "\u9fff" for c in h)]
        if lang == "ja":
            assert len(japanese) == len(state["headings"]) > 3, state["headings"]
        else:
            assert japanese == []
        assert state["scripts"] == 0
        assert len(state["images"]) == 4
        for img in state["images"]:
            assert img["complete"] and img["w"] > 0 and img["h"] > 0, img
        assert state["overflow"] <= 0, "the page scrolls sideways"
        assert state["title"].startswith("Loss functions")

        size = devtools.call("Page.getLayoutMetrics", session)["cssContentSize"]
        width, height = int(size["width"]), int(size["height"])
        shot = base64.b64decode(devtools.call(
            "Page.captureScreenshot", session, format="png", captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})["data"])
        (tmp_path / f"report-{lang}.png").write_bytes(shot)
        assert _png_size(shot)[1] > 900 and len(shot) > 20_000  # a whole page, not a blank one

        errors = [e for e in devtools.events if
                  (e.get("method") == "Runtime.exceptionThrown")
                  or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
                  or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
                  or e.get("method") == "Network.loadingFailed"]
        assert errors == []
        requested = [e["params"]["request"]["url"] for e in devtools.events
                     if e.get("method") == "Network.requestWillBeSent"]
        assert requested and all(u.startswith(("file:", "data:")) for u in requested), requested
    finally:
        if devtools is not None:
            try:
                devtools.call("Browser.close")
            except (OSError, RuntimeError, ConnectionError):
                pass
            devtools.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the group we started, by its id
            proc.wait(timeout=5)
        log.close()

    w, h = _png_size(shot)
    assert w >= 1000 and h >= 2000, (w, h)
    assert len(shot) > 50_000
    from matplotlib.image import imread

    pixels = imread(str(tmp_path / f"report-{lang}.png"))
    assert pixels.std() > 0.05  # not a blank page
    assert (pixels[..., :3].mean(axis=2) < 0.5).mean() > 0.005  # some dark ink (text, bars)
