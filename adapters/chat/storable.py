"""Free text from a chat payload, made storable before it goes anywhere.

Slack and Teams both pass on what people typed: a NUL (PostgreSQL refuses it in text) and lone
surrogates (JSON's ``\\ud800`` escapes carry them; no UTF-8 encoder accepts them) arrive with
it. Typed text is answered, never refused, whatever it holds: those become U+FFFD.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def storable(text: str) -> str:
    """``text`` with NUL and lone surrogates replaced, so a database and UTF-8 accept it."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


StorableText = Annotated[str, AfterValidator(storable)]
