"""Digest charts kept on disk under unguessable names, for chats that show images by URL (Teams).

The token is the only secret: 32 random bytes, so a chart cannot be found by guessing, and the
name is checked before any path is built, so a request cannot walk out of the directory.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


class ChartStore:
    def __init__(self, directory: Path, public_url: str | None) -> None:
        self.directory = directory
        self.public_url = public_url.rstrip("/") if public_url else None

    def save(self, png: bytes) -> str | None:
        """Store a chart; its public URL, or None when WINSBOT_PUBLIC_URL is not set."""
        if self.public_url is None:
            return None
        token = secrets.token_urlsafe(32)
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / f"{token}.png").write_bytes(png)
        return f"{self.public_url}/charts/{token}.png"

    def path(self, token: str) -> Path | None:
        if not _TOKEN.match(token):
            return None
        path = self.directory / f"{token}.png"
        return path if path.is_file() else None
