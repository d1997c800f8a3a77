"""Forecast charts kept between processes, so that a `generate` whose chart was drawn before needs no matplotlib.

Importing matplotlib (and numpy, which it brings) is about 0.35 s, more than the rest of an HDT `generate`. A
chart's pixels depend only on the figures it draws and on the code that draws them, so a chart is kept in
``~/.cache/obc-builder/charts/<digest>.png`` (the folder :func:`obc_builder.precompiled.cache_dir` names, where the
compiled clauses are kept too: ``OBC_BUILDER_CACHE`` moves it, or, empty, turns both off). The digest covers every
input of the picture: the figures, the drawing code (``forecast_chart.py``'s bytes and this package's version), and
the matplotlib and numpy installations (their version files' paths and bytes). A kept file is used only if it is
a whole PNG; one that cannot be read or written is passed over, and the chart is drawn as it would be anyway. The
folder keeps the :data:`KEPT` most recently written charts.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .precompiled import cache_dir, remove_quietly, write_kept
from .version import __version__

KEPT = 200
"""Charts kept in the folder; writing one more removes the oldest."""

_SIGNATURE, _END = b"\x89PNG\r\n\x1a\n", b"\x00\x00\x00\x00IEND\xaeB`\x82"


def cached(series: Any, draw: Callable[[Any], bytes]) -> bytes:
    """The chart of ``series``: the kept one, or ``draw(series)``, then kept."""
    folder = cache_dir()
    key = _digest(series) if folder is not None else None
    if folder is None or key is None:
        return draw(series)
    path = folder / "charts" / f"{key}.png"
    try:
        kept = path.read_bytes()
    except OSError:
        kept = b""
    if kept.startswith(_SIGNATURE) and kept.endswith(_END):
        return kept
    chart = draw(series)
    _keep(path, chart)
    return chart


def _digest(series: Any) -> str | None:
    """The digest of everything the picture depends on; ``None`` where a file it covers cannot be read."""
    digest = hashlib.sha256()
    digest.update(repr(series).encode() + b"\0" + __version__.encode() + b"\0")
    files = [Path(__file__).with_name("forecast_chart.py")]
    for package, version_file in (("matplotlib", "_version.py"), ("numpy", "version.py")):
        spec = importlib.util.find_spec(package)
        folders = spec.submodule_search_locations if spec is not None else None
        if not folders:
            return None
        files.append(Path(list(folders)[0]) / version_file)
    try:
        for path in files:
            digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:40]


def _keep(path: Path, chart: bytes) -> None:
    if not write_kept(path, chart):
        return
    try:
        charts = sorted(path.parent.glob("*.png"), key=lambda kept: kept.stat().st_mtime_ns)
    except OSError:  # one removed by another process meanwhile: the next chart written trims the folder
        return
    remove_quietly(charts[:-KEPT])
