"""The Teams app package: the zip an admin uploads to install winsbot in Microsoft Teams.

A package is ``manifest.json`` (from ``manifest/teams/manifest.json``, with the bot's Microsoft
app id filled in) and two icons Teams requires: ``color.png`` (192x192, full colour) and
``outline.png`` (32x32, white on a transparent background). The icons are drawn here, a gold
star on the accent blue, and written by a small PNG encoder, so the package needs no image
files in the repository and builds byte for byte the same every time.
"""

from __future__ import annotations

import json
import math
import struct
import uuid
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["COLOR_SIZE", "OUTLINE_SIZE", "build_package", "color_icon", "outline_icon", "png"]

COLOR_SIZE = 192
OUTLINE_SIZE = 32
MAX_SHORT_NAME = 30  # Teams manifest limit for name.short

DEFAULT_MANIFEST = Path(__file__).resolve().parents[3] / "manifest" / "teams" / "manifest.json"

_ACCENT = (0x1D, 0x4E, 0xD8)  # the manifest's accentColor
_GOLD = (0xFB, 0xBF, 0x24)
_WHITE = (0xFF, 0xFF, 0xFF)
_SUBSAMPLES = 4  # rows sampled per pixel for anti-aliased edges
# A fixed timestamp keeps the zip reproducible (zip dates start in 1980).
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

Point = tuple[float, float]
Rgb = tuple[int, int, int]


def build_package(
    out: Path, *, app_id: str, name: str = "winsbot", base_manifest: Path | None = None
) -> Path:
    """Write the Teams app package zip and return its path.

    ``out`` is the zip to write, or an existing directory to write ``<name>.zip`` into.
    ``app_id`` is the bot's Microsoft app id (``MICROSOFT_APP_ID``): it becomes the app's ``id``,
    ``bots[0].botId`` and, when present, ``webApplicationInfo.id``. ``name`` is the short name
    people see in Teams. Raises ValueError for an app id that is not a GUID or a bad name.
    """
    app_guid = _app_guid(app_id)
    short_name = name.strip()
    if not short_name or len(short_name) > MAX_SHORT_NAME:
        raise ValueError(
            f"The app name must be 1 to {MAX_SHORT_NAME} characters (Teams' limit for a short "
            f"name); got {name!r}."
        )
    manifest = _manifest(base_manifest or DEFAULT_MANIFEST, app_guid, short_name)
    path = out / f"{short_name}.zip" if out.is_dir() else out
    path.parent.mkdir(parents=True, exist_ok=True)
    files = {
        "manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode(),
        "color.png": color_icon(),
        "outline.png": outline_icon(),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for filename, data in files.items():
            info = zipfile.ZipInfo(filename, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return path


def color_icon(size: int = COLOR_SIZE) -> bytes:
    """The full-colour icon: a gold star on the accent blue, filling the square (RGBA PNG)."""
    coverage = _star_coverage(size, radius=size * 0.40)
    pixels = [[(*_blend(_ACCENT, _GOLD, alpha), 255) for alpha in row] for row in coverage]
    return png(pixels)


def outline_icon(size: int = OUTLINE_SIZE) -> bytes:
    """The outline icon: a white star on a transparent background (RGBA PNG).

    Every pixel is white; only alpha varies, so anti-aliased edges stay white as Teams requires.
    """
    coverage = _star_coverage(size, radius=size * 0.47)
    return png([[(*_WHITE, round(alpha * 255)) for alpha in row] for row in coverage])


def png(pixels: Sequence[Sequence[tuple[int, int, int, int]]]) -> bytes:
    """Encode rows of RGBA pixels as an 8-bit RGBA PNG (colour type 6, no filtering)."""
    height = len(pixels)
    width = len(pixels[0]) if height else 0
    if not width or any(len(row) != width for row in pixels):
        raise ValueError("a PNG needs a non-empty rectangle of pixels")
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(raw, 9)),
            _chunk(b"IEND", b""),
        )
    )


# ------------------------------------------------------------------ manifest


def _app_guid(app_id: str) -> str:
    try:
        parsed = uuid.UUID(app_id.strip())
    except (AttributeError, ValueError):
        raise ValueError(
            f"The Microsoft app id must be a GUID like 12345678-9abc-def0-1234-56789abcdef0 "
            f"(the bot's MICROSOFT_APP_ID from its Azure Bot registration); got {app_id!r}."
        ) from None
    if parsed.int == 0:
        raise ValueError(
            "The Microsoft app id is the placeholder GUID 00000000-0000-0000-0000-000000000000: "
            "use the bot's MICROSOFT_APP_ID from its Azure Bot registration."
        )
    return str(parsed)


def _manifest(base: Path, app_id: str, short_name: str) -> dict[str, Any]:
    try:
        loaded = json.loads(base.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"No Teams manifest at {base}: pass base_manifest= the path of manifest.json."
        ) from None
    if not isinstance(loaded, dict):
        raise ValueError(f"{base} is not a Teams manifest: expected a JSON object.")
    manifest: dict[str, Any] = loaded
    bots = manifest.get("bots")
    if not isinstance(bots, list) or not bots or not isinstance(bots[0], dict):
        raise ValueError(f"{base} has no bots[0]: a winsbot manifest must declare its bot.")
    manifest["id"] = app_id
    bots[0]["botId"] = app_id
    web_app = manifest.get("webApplicationInfo")
    if isinstance(web_app, dict):
        web_app["id"] = app_id
    names = manifest.setdefault("name", {})
    old_short = str(names.get("short", ""))
    full = str(names.get("full", ""))
    names["short"] = short_name
    if old_short and full.startswith(old_short):
        names["full"] = short_name + full[len(old_short) :]
    return manifest


# --------------------------------------------------------------------- icons


def _star(cx: float, cy: float, radius: float) -> list[Point]:
    """A five-pointed star, point up, inner radius ~0.45 of the outer for a sturdy glyph."""
    points: list[Point] = []
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.45
        angle = -math.pi / 2 + index * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def _star_coverage(size: int, radius: float) -> list[list[float]]:
    """How much of each pixel the star covers (0..1): sampled rows, exact spans within a row."""
    # Optical centre: a star's points make it look top-heavy, so nudge it down a little.
    polygon = _star(size / 2, size / 2 + radius * 0.08, radius)
    edges = list(zip(polygon, polygon[1:] + polygon[:1], strict=True))
    coverage = [[0.0] * size for _ in range(size)]
    weight = 1 / _SUBSAMPLES
    for y in range(size):
        row = coverage[y]
        for sub in range(_SUBSAMPLES):
            sample_y = y + (sub + 0.5) / _SUBSAMPLES
            crossings = sorted(
                x0 + (sample_y - y0) * (x1 - x0) / (y1 - y0)
                for (x0, y0), (x1, y1) in edges
                if (y0 <= sample_y) != (y1 <= sample_y)
            )
            # Even-odd rule: the star is inside between each pair of crossings.
            for start, end in zip(crossings[::2], crossings[1::2], strict=True):
                _add_span(row, max(start, 0.0), min(end, float(size)), weight)
    return [[min(value, 1.0) for value in row] for row in coverage]


def _add_span(row: list[float], start: float, end: float, weight: float) -> None:
    if end <= start:
        return
    first, last = int(start), min(math.ceil(end), len(row))
    for x in range(first, last):
        covered = min(end, x + 1) - max(start, x)
        if covered > 0:
            row[x] += covered * weight


def _blend(back: Rgb, front: Rgb, alpha: float) -> Rgb:
    r, g, b = (round(bc + (fc - bc) * alpha) for bc, fc in zip(back, front, strict=True))
    return (r, g, b)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
