"""The Teams app package holds a manifest with the bot's app id and icons Teams accepts."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from adapters.chat.teams.package import (
    COLOR_SIZE,
    DEFAULT_MANIFEST,
    OUTLINE_SIZE,
    build_package,
)

APP_ID = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data.startswith(PNG_SIGNATURE)
    chunks, offset = [], len(PNG_SIGNATURE)
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + body), f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        offset += 12 + length
    return chunks


def _ihdr(data: bytes) -> tuple[int, int, int, int]:
    """(width, height, bit depth, colour type) from the PNG header."""
    kind, body = _chunks(data)[0]
    assert kind == b"IHDR"
    width, height, depth, colour = struct.unpack(">IIBB", body[:10])
    return width, height, depth, colour


def _rgba_pixels(data: bytes) -> list[tuple[int, int, int, int]]:
    """Decode an 8-bit RGBA PNG whose rows all use filter 0 (what the package writes)."""
    width, height, _, _ = _ihdr(data)
    raw = zlib.decompress(b"".join(body for kind, body in _chunks(data) if kind == b"IDAT"))
    stride = 1 + width * 4
    assert len(raw) == height * stride
    pixels = []
    for y in range(height):
        row = raw[y * stride : (y + 1) * stride]
        assert row[0] == 0, "unexpected PNG filter"
        pixels += [tuple(row[1 + x * 4 : 5 + x * 4]) for x in range(width)]
    return pixels  # type: ignore[return-value]


@pytest.fixture
def package(tmp_path: Path) -> zipfile.ZipFile:
    path = build_package(tmp_path / "winsbot.zip", app_id=APP_ID)
    assert path == tmp_path / "winsbot.zip"
    return zipfile.ZipFile(path)


def _manifest(package: zipfile.ZipFile) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(package.read("manifest.json"))
    return manifest


def test_package_holds_exactly_the_manifest_and_two_icons(package: zipfile.ZipFile) -> None:
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
    assert package.testzip() is None
    # Teams wants the files at the root of the zip, not in a folder.
    assert all("/" not in name for name in package.namelist())


def test_manifest_carries_the_app_id_everywhere_the_bot_is_named(
    package: zipfile.ZipFile,
) -> None:
    manifest = _manifest(package)

    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["webApplicationInfo"]["id"] == APP_ID
    assert "00000000-0000-0000-0000-000000000000" not in json.dumps(manifest)


def test_manifest_is_a_v1_17_bot_app_with_rsc_for_channel_messages(
    package: zipfile.ZipFile,
) -> None:
    manifest = _manifest(package)

    assert manifest["manifestVersion"] == "1.17"
    assert manifest["$schema"].endswith("/teams/v1.17/MicrosoftTeams.schema.json")
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["name"] == {"short": "winsbot", "full": "winsbot: social media wins"}
    bot = manifest["bots"][0]
    assert bot["scopes"] == ["team", "groupChat", "personal"]
    commands = bot["commandLists"][0]["commands"]
    titles = [command["title"] for command in commands]
    assert {"wins", "wins cases", "wins subscribe", "help"} <= set(titles)
    # Teams' limits: 10 commands per list, titles up to 32 and descriptions up to 128 chars.
    assert len(commands) <= 10
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in commands)
    assert len(manifest["description"]["short"]) <= 80
    assert manifest["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "ChannelMessage.Read.Group", "type": "Application"}
    ]
    assert manifest["webApplicationInfo"]["resource"]


def test_the_repository_manifest_keeps_the_placeholder_guid() -> None:
    manifest = json.loads(DEFAULT_MANIFEST.read_text(encoding="utf-8"))

    assert manifest["id"] == manifest["bots"][0]["botId"]
    assert manifest["id"] == "00000000-0000-0000-0000-000000000000"


def test_color_icon_is_192_square_full_colour_rgba(package: zipfile.ZipFile) -> None:
    data = package.read("color.png")

    assert _ihdr(data) == (COLOR_SIZE, COLOR_SIZE, 8, 6)
    assert (COLOR_SIZE, COLOR_SIZE) == (192, 192)
    pixels = _rgba_pixels(data)
    assert {alpha for *_, alpha in pixels} == {255}  # opaque: a full-colour tile
    assert pixels[0][:3] == (0x1D, 0x4E, 0xD8)  # the accent colour in the corner
    centre = pixels[(COLOR_SIZE // 2) * COLOR_SIZE + COLOR_SIZE // 2]
    assert centre[:3] == (0xFB, 0xBF, 0x24)  # the gold star in the middle
    assert len({pixel[:3] for pixel in pixels}) > 2  # anti-aliased edges


def test_outline_icon_is_32_square_white_on_transparent(package: zipfile.ZipFile) -> None:
    data = package.read("outline.png")

    assert _ihdr(data) == (OUTLINE_SIZE, OUTLINE_SIZE, 8, 6)  # colour type 6: RGBA
    assert (OUTLINE_SIZE, OUTLINE_SIZE) == (32, 32)
    pixels = _rgba_pixels(data)
    assert {pixel[:3] for pixel in pixels if pixel[3]} == {(255, 255, 255)}
    alphas = [pixel[3] for pixel in pixels]
    assert alphas[0] == 0  # transparent corner
    assert alphas[(OUTLINE_SIZE // 2) * OUTLINE_SIZE + OUTLINE_SIZE // 2] == 255
    assert 0.2 < sum(a > 0 for a in alphas) / len(alphas) < 0.6  # a glyph, not a blob


def test_icons_decode_with_matplotlib(package: zipfile.ZipFile) -> None:
    from matplotlib import image

    color = image.imread(io.BytesIO(package.read("color.png")), format="png")
    outline = image.imread(io.BytesIO(package.read("outline.png")), format="png")

    assert color.shape == (192, 192, 4)
    assert outline.shape == (32, 32, 4)
    assert outline[..., :3][outline[..., 3] > 0].min() == 1.0


def test_build_is_reproducible(tmp_path: Path) -> None:
    first = build_package(tmp_path / "a.zip", app_id=APP_ID)
    second = build_package(tmp_path / "b.zip", app_id=APP_ID)

    assert first.read_bytes() == second.read_bytes()


def test_a_directory_gets_a_zip_named_after_the_app(tmp_path: Path) -> None:
    path = build_package(tmp_path, app_id=APP_ID.upper(), name="Acme wins")

    assert path == tmp_path / "Acme wins.zip"
    manifest = _manifest(zipfile.ZipFile(path))
    assert manifest["id"] == APP_ID  # normalised to lower case
    assert manifest["name"] == {"short": "Acme wins", "full": "Acme wins: social media wins"}


def test_a_custom_base_manifest_is_used(tmp_path: Path) -> None:
    base = json.loads(DEFAULT_MANIFEST.read_text(encoding="utf-8"))
    del base["webApplicationInfo"]
    base["version"] = "2.0.0"
    custom = tmp_path / "manifest.json"
    custom.write_text(json.dumps(base), encoding="utf-8")

    path = build_package(tmp_path / "out" / "app.zip", app_id=APP_ID, base_manifest=custom)

    manifest = _manifest(zipfile.ZipFile(path))
    assert manifest["version"] == "2.0.0"
    assert manifest["bots"][0]["botId"] == APP_ID
    assert "webApplicationInfo" not in manifest


@pytest.mark.parametrize(
    "app_id", ["", "winsbot", "6f1c2d3e-4a5b-4c6d-8e7f", "xyz1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"]
)
def test_an_app_id_that_is_not_a_guid_is_refused(tmp_path: Path, app_id: str) -> None:
    with pytest.raises(ValueError, match="GUID"):
        build_package(tmp_path / "winsbot.zip", app_id=app_id)

    assert not (tmp_path / "winsbot.zip").exists()


def test_the_placeholder_guid_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="placeholder GUID"):
        build_package(tmp_path / "winsbot.zip", app_id="00000000-0000-0000-0000-000000000000")


def test_a_name_too_long_for_teams_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="30 characters"):
        build_package(tmp_path / "winsbot.zip", app_id=APP_ID, name="x" * 31)
