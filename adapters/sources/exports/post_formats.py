"""A post's format as exports write it ("IG reel", "Photo", "Vídeo", "Links"), read into PostFormat.

Detection compares a post with earlier posts of its own format, so a wrong format would hide a
win; a word not listed here is read as no format (the post is compared with all of the
account's posts, as before formats were known) rather than guessed. The words are Meta Business
Suite's (``IG reel``, ``IG carousel``, ``Photo``, ``Reel`` in public importers' samples), Sprout
Social's post types, and their obvious plurals and translations.
"""

from __future__ import annotations

from bot.domain.models import PostFormat

_WORDS: dict[PostFormat, tuple[str, ...]] = {
    PostFormat.IMAGE: (
        "image", "images", "photo", "photos", "picture", "foto", "fotos", "imagen", "imagem",
        "immagine", "bild", "afbeelding", "写真", "画像",
    ),
    PostFormat.VIDEO: ("video", "videos", "vídeo", "vídeos", "vidéo", "vidéos", "動画"),
    PostFormat.REEL: ("reel", "reels", "リール"),
    PostFormat.CAROUSEL: (
        "carousel", "carousel album", "carousel_album", "album", "carrusel", "carrossel",
        "carrousel", "carosello", "karussell", "カルーセル",
    ),
    PostFormat.LINK: ("link", "links", "enlace", "lien", "collegamento", "リンク"),
    PostFormat.TEXT: ("text", "status", "texto", "texte", "testo", "テキスト"),
}  # fmt: skip
_BY_WORD = {word: fmt for fmt, words in _WORDS.items() for word in words}
# Meta names the network beside Instagram's types: "IG reel" in English, "Reel IG" in French.
_PREFIXES = ("ig ", "fb ", "instagram ", "facebook ")
_SUFFIXES = (" ig", " fb", " instagram", " facebook")


def post_format(cell: str) -> PostFormat | None:
    """The format a cell names, or None for an empty cell or a word we do not know."""
    word = cell.strip().lower()
    if not word:
        return None
    for prefix in _PREFIXES:
        if word.startswith(prefix):
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return _BY_WORD.get(word)
