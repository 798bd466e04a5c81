"""Files and images that came with a Teams message: a reply's screenshot belongs to its story.

Teams sends a channel reply's pictures as ``image/*`` attachments with a ``contentUrl`` and its
uploaded files as ``application/vnd.microsoft.teams.file.download.info`` attachments whose
``content.downloadUrl`` fetches them; the ``text/html`` attachment repeats the message itself.
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from adapters.chat.teams.text import is_safe_url
from bot.domain.context import SharedFile

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
MAX_FILES = 20
MAX_NAME = 200


def shared_files(activity: Activity) -> tuple[SharedFile, ...]:
    """Each picture or file of the message with a link a reader can open; others are skipped."""
    found: list[SharedFile] = []
    for attachment in (activity.attachments or [])[:MAX_FILES]:
        kind = str(getattr(attachment, "content_type", "") or "")
        name = str(getattr(attachment, "name", "") or "")[:MAX_NAME]
        url: Any = None
        if kind.startswith("image/"):
            url, name = getattr(attachment, "content_url", None), name or "image"
        elif kind == FILE_INFO:
            content = getattr(attachment, "content", None)
            url = content.get("downloadUrl") if isinstance(content, dict) else None
            name = name or "file"
        if isinstance(url, str) and is_safe_url(url):
            found.append(SharedFile(name=name, url=url))
    return tuple(found)
