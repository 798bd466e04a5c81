"""Post ids and handles hidden in post links, for exports that leave them out of their columns."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote

_X_STATUS = re.compile(
    r"(?:x|twitter)\.com/(?:#!/)?([A-Za-z0-9_]{1,15})/status(?:es)?/(\d+)", re.IGNORECASE
)
# x.com/i/web/status/<id> is X's handle-less link; "i" is not an account.
_X_NOT_HANDLES = frozenset({"i", "home", "intent", "search"})
_LINKEDIN_URN = re.compile(r"urn:li:(activity|share|ugcPost):(\d+)", re.IGNORECASE)
_LINKEDIN_SLUG = re.compile(r"-(activity|share|ugcPost)-(\d+)", re.IGNORECASE)
_URN_KINDS = {"activity": "activity", "share": "share", "ugcpost": "ugcPost"}


def x_handle(url: str) -> str | None:
    """The account in x.com/<handle>/status/<id>, so X exports need no --account."""
    match = _X_STATUS.search(url)
    if match is None or match.group(1).lower() in _X_NOT_HANDLES:
        return None
    return match.group(1)


def x_post_id(url: str) -> str | None:
    match = _X_STATUS.search(url)
    return match.group(2) if match else None


def linkedin_post_id(url: str) -> str | None:
    """The post's URN (as LinkedIn's API names it), else a stable hash of the link.

    The page export has no id column; the link carries the URN either verbatim
    (/feed/update/urn:li:activity:NNN) or in a slug (/posts/acme_title-activity-NNN-abcd).
    Hashing the link as a last resort still lets a re-import of the same file recognise its posts.
    """
    text = unquote(url.strip())
    if not text:
        return None
    match = _LINKEDIN_URN.search(text) or _LINKEDIN_SLUG.search(text)
    if match:
        return f"urn:li:{_URN_KINDS[match.group(1).lower()]}:{match.group(2)}"
    digest = hashlib.sha256(text.rstrip("/").encode()).hexdigest()[:20]
    return f"link-{digest}"
