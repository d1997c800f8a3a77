"""The payment forecast's chart: what the District pays, as a share of its maximum budget, from 0 to 100 % of
students achieving each outcome (a PNG written beside an HDT review file).

Drawing a chart with matplotlib costs about 80 ms, most of it the axes, ticks, labels and legend, which would make a
batch of contracts ten times slower. Here they are the same for every contract (the vertical axis is the share of
the maximum budget, which the District never exceeds), so they are drawn once per process; each chart draws only its
own areas and lines over a copy of that frame, and encodes the picture. Identical contracts give identical bytes.

Importing matplotlib is another matter: about 0.35 s, more than the rest of a `generate`. So `generate` looks for
the chart among those kept between processes first (:mod:`obc_builder.chart_cache`): the same figures drawn by the
same code give the same picture, so a contract regenerated with unchanged payment terms needs neither matplotlib nor
drawing. A batch, whose processes import matplotlib once, draws every chart and keeps none
(:func:`draw_every_chart`).
"""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal
from functools import cache
from typing import Any

from .forecast import RATES, level, ready, terms_of

_PERCENTS = list(range(0, 101, 5))
_TOP = 110  # % of the maximum budget at the top of the chart (the District never pays more than 100 %)
_BASE, _CONTINGENT, _BUDGET, _INK = "#9db9d5", "#2f6b9a", "#b03a2e", "#1b2631"


@cache
def _frame() -> Any:
    """The figure with everything that is the same for every contract drawn, and its artists for the data."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    # The defaults but "backend": setting that asks whether a backend is chosen yet, which imports pyplot and picks
    # one (~30 ms); the canvas here is Agg's whatever the backend.
    defaults = dict(matplotlib.rcParamsDefault)
    del defaults["backend"]
    with matplotlib.rc_context(defaults):
        figure = Figure(figsize=(7, 3.8), dpi=100)
        canvas = FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        axes.set_xlim(0, 100)
        axes.set_ylim(0, _TOP)
        axes.xaxis.set_major_formatter(PercentFormatter())
        axes.yaxis.set_major_formatter(PercentFormatter())
        axes.yaxis.set_major_locator(MultipleLocator(20))
        axes.set_xlabel("Students achieving each outcome")
        axes.set_ylabel("Share of the maximum budget")
        figure.suptitle("What the District pays, by share of students achieving each outcome", fontsize=10, y=0.97)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        budget = Line2D([0, 100], [100, 100], color=_BUDGET, linestyle="--", linewidth=1.2)
        figure.legend(handles=[Patch(color=_BASE, label="Base payments"),
                               Patch(color=_CONTINGENT, label="Contingent payments"),
                               Line2D([], [], color=_BUDGET, linestyle="--", label="Maximum budget")],
                      loc="upper center", ncol=3, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.91))
        figure.subplots_adjust(left=0.1, right=0.97, top=0.82, bottom=0.14)
        base = axes.fill_between([0, 1], [0, 0], color=_BASE, linewidth=0, animated=True)
        contingent = axes.fill_between([0, 1], [0, 0], color=_CONTINGENT, linewidth=0, animated=True)
        (marks,) = axes.plot([], [], "o", color=_INK, markersize=4, animated=True)
        axes.add_line(budget)
        budget.set_animated(True)
        canvas.draw()
        background = canvas.copy_from_bbox(figure.bbox)
    return canvas, axes, background, (base, contingent, budget, marks)


_every_chart_drawn = False


def draw_every_chart() -> None:
    """From now on in this process, draw each chart rather than look for it among the kept ones or keep it: a batch
    imports matplotlib once for thousands of charts, which no later `generate` is likely to ask for again."""
    global _every_chart_drawn
    _every_chart_drawn = True


def prepare_frame() -> None:
    """Draw the frame now (a batch's fork server does, so that its workers inherit it)."""
    _frame()


def _area(xs: list[float], low: list[float], high: list[float]) -> list[tuple[float, float]]:
    return list(zip(xs + xs[::-1], high + low[::-1], strict=True))


def forecast_chart(contract: Any) -> bytes | None:
    """The chart as PNG bytes; ``None`` for a contract that is not HDT or cannot be forecast yet."""
    if getattr(contract, "family", None) != "hdt" or not ready(contract):
        return None
    series = _series(contract)
    if _every_chart_drawn:
        return _draw(series)
    from .chart_cache import cached

    return cached(series, _draw)


Series = tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...], tuple[int, ...]]
"""What a chart draws: the achievement levels (% of students), the base and total payments at each (% of the
maximum budget), and which levels are marked."""


def _series(contract: Any) -> Series:
    terms = terms_of(contract)
    budget = float(contract.payments.maximum_budget) or 1.0
    levels = [level(contract, Decimal(p) / 100, terms) for p in _PERCENTS]
    base = tuple(float(item.base) * 100 / budget for item in levels)
    total = tuple(float(item.total) * 100 / budget for item in levels)
    marked = tuple(index for index, p in enumerate(_PERCENTS) if Decimal(p) / 100 in RATES)
    return tuple(float(p) for p in _PERCENTS), base, total, marked


def _draw(series: Series) -> bytes:
    xs, base, total = list(series[0]), list(series[1]), list(series[2])
    marked = series[3]
    canvas, axes, background, (base_area, contingent_area, budget_line, marks) = _frame()
    base_area.set_verts([_area(xs, [0.0] * len(xs), base)])
    contingent_area.set_verts([_area(xs, base, total)])
    marks.set_data([xs[i] for i in marked], [total[i] for i in marked])
    canvas.restore_region(background)
    for artist in (base_area, contingent_area, budget_line, marks, *axes.spines.values()):
        axes.draw_artist(artist)
    width, height = (int(size) for size in canvas.get_width_height())
    return _png(canvas.buffer_rgba(), width, height)


def _png(rgba: Any, width: int, height: int) -> bytes:
    """A PNG of an RGBA picture: unfiltered rows, deflated at the fastest level.

    Written here rather than through Pillow because it is a third of the time (5 ms, not 15 ms, for a chart) and
    the format needs nothing more than this: a signature, a header, the deflated rows, an end (no date, no software
    name, so the bytes depend on the picture alone)."""
    stride = width * 4
    rows = bytearray(height * (stride + 1))  # each row: its filter byte (0, none), then its pixels
    into, pixels = memoryview(rows), memoryview(rgba).cast("B")
    for row in range(height):  # copied into place: slicing and joining rows copied the picture three times
        into[row * (stride + 1) + 1:(row + 1) * (stride + 1)] = pixels[row * stride:(row + 1) * stride]

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits per channel, RGBA, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")
