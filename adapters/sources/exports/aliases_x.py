"""X (Twitter) per-post exports: the analytics content export (2023 on) and the tweet activity
export (2014-2023), by language. Sources are listed in tests/importing/data/SOURCES.md.

X's "Shares" counts private sends (DM, copy link) while "Reposts" is the public amplification
every other platform calls shares: adding them would count one audience twice, so shares =
Reposts and "Shares" is read as nothing. "Engagements" is a sum of the other counts, "New
follows" and "Profile visits" belong to the account, not the post.
"""

from __future__ import annotations

from .aliases import Spellings, combine

_CONTENT_EN = Spellings(
    language="en",
    era="2023-",
    source="COLUMNS.md; public importers of account_analytics_content_*.csv",
    verified=True,
    fields={
        "post_id": ("Post id",),
        "published_at": ("Date",),
        "text": ("Post text",),
        "url": ("Post Link",),
        "impressions": ("Impressions",),
        "likes": ("Likes",),
        "comments": ("Replies",),
        "shares": ("Reposts",),
        # Quotes and video views were read by the first version of this importer; they are not
        # in the column lists seen since, and stay for files that have them.
        "quotes": ("Quotes", "Quote posts"),
        "saves": ("Bookmarks",),
        "clicks": ("URL Clicks",),
        "video_views": ("Video views",),
    },
    ignored=(
        "Engagements", "Shares", "New follows", "Profile visits", "Detail Expands",
        "Hashtag Clicks", "Permalink Clicks", "Media views", "Media Engagements",
    ),
)  # fmt: skip

_CONTENT_JA = Spellings(
    language="ja",
    era="2023-",
    source="public TypeScript test and Go/Python importers of the Japanese content export",
    verified=True,
    fields={
        "post_id": ("ポストID",),
        "published_at": ("日付",),
        "text": ("ポスト本文",),
        "url": ("ポストのリンク",),
        "impressions": ("インプレッション数",),
        "likes": ("いいね",),
        "comments": ("返信",),
        "shares": ("リポスト",),
        "saves": ("ブックマーク",),
        "clicks": ("URLのクリック数",),
    },
    # "共有された回数\" with a stray backslash is how the header arrives in some files (two
    # importers strip it): it is the same column.
    ignored=(
        "エンゲージメント", "共有された回数", "共有された回数\\", "新しいフォロー",
        "プロフィールへのアクセス数", "詳細のクリック数", "ハッシュタグのクリック数",
        "パーマリンクのクリック数",
    ),
)  # fmt: skip


def _guess(
    language: str, fields: dict[str, tuple[str, ...]], ignored: tuple[str, ...]
) -> Spellings:
    return Spellings(
        language=language,
        era="2023-",
        source="unverified: X's interface words for these counts; no export seen",
        verified=False,
        fields=fields,
        ignored=ignored,
    )


# No export or importer showing these languages' headers was found: the words are X's own
# interface words for the same counts. A file whose headers differ is refused with the list
# of known columns (nothing is misread), and the real headers can be added here.
_CONTENT_GUESSES = (
    _guess(
        "es",
        {
            "post_id": ("ID del post", "Id. del post"),
            "published_at": ("Fecha",),
            "text": ("Texto del post",),
            "url": ("Enlace del post",),
            "impressions": ("Impresiones",),
            "likes": ("Me gusta",),
            "comments": ("Respuestas",),
            "shares": ("Reposts",),
            "saves": ("Elementos guardados", "Guardados"),
            "clicks": ("Clics en URL",),
        },
        ("Interacciones", "Veces compartido", "Nuevos seguidores", "Visitas al perfil"),
    ),
    _guess(
        "fr",
        {
            "post_id": ("ID du post",),
            "published_at": ("Date",),
            "text": ("Texte du post",),
            "url": ("Lien du post",),
            "impressions": ("Impressions",),
            "likes": ("J'aime", "J’aime"),
            "comments": ("Réponses",),
            "shares": ("Reposts",),
            "saves": ("Signets",),
            "clicks": ("Clics sur l'URL", "Clics sur l’URL"),
        },
        ("Engagements", "Partages", "Nouveaux abonnements", "Visites du profil"),
    ),
    _guess(
        "de",
        {
            "post_id": ("Post-ID",),
            "published_at": ("Datum",),
            "text": ("Post-Text",),
            "url": ("Post-Link",),
            "impressions": ("Impressionen",),
            "likes": ("Gefällt mir", "Likes"),
            "comments": ("Antworten",),
            "shares": ("Reposts",),
            "saves": ("Lesezeichen",),
            "clicks": ("URL-Klicks",),
        },
        ("Interaktionen", "Geteilt", "Neue Follower", "Profilbesuche"),
    ),
    _guess(
        "pt",
        {
            "post_id": ("ID do post",),
            "published_at": ("Data",),
            "text": ("Texto do post",),
            "url": ("Link do post",),
            "impressions": ("Impressões",),
            "likes": ("Curtidas",),
            "comments": ("Respostas",),
            "shares": ("Reposts",),
            "saves": ("Itens salvos",),
            "clicks": ("Cliques no URL",),
        },
        ("Engajamentos", "Compartilhamentos", "Novos seguidores", "Visitas ao perfil"),
    ),
    _guess(
        "it",
        {
            "post_id": ("ID del post",),
            "published_at": ("Data",),
            "text": ("Testo del post",),
            "url": ("Link del post",),
            "impressions": ("Impression",),
            "likes": ("Mi piace",),
            "comments": ("Risposte",),
            "shares": ("Repost",),
            "saves": ("Segnalibri",),
            "clicks": ("Clic sull'URL", "Clic sull’URL"),
        },
        ("Interazioni", "Condivisioni", "Nuovi follower", "Visite al profilo"),
    ),
    _guess(
        "nl",
        {
            "post_id": ("Post-ID",),
            "published_at": ("Datum",),
            "text": ("Posttekst",),
            "url": ("Postlink",),
            "impressions": ("Weergaven",),
            "likes": ("Vind-ik-leuks",),
            "comments": ("Antwoorden",),
            "shares": ("Reposts",),
            "saves": ("Bladwijzers",),
            "clicks": ("URL-klikken",),
        },
        ("Interacties", "Gedeeld", "Nieuwe volgers", "Profielbezoeken"),
    ),
)

CONTENT_SETS = (_CONTENT_EN, _CONTENT_JA, *_CONTENT_GUESSES)
X_CONTENT = combine(*CONTENT_SETS)

# The tweet activity export's own counts are organic; a promoted tweet's paid counts come in
# "promoted ..." columns ("-" when the tweet was not promoted). The stored count is the sum.
_PROMOTED_IGNORED = tuple(
    f"promoted {name}"
    for name in (
        "engagements", "engagement rate", "user profile clicks", "hashtag clicks",
        "detail expands", "permalink clicks", "app opens", "app installs", "follows",
        "email tweet", "dial phone", "media views", "media engagements",
    )
)  # fmt: skip

_ACTIVITY_EN = Spellings(
    language="en",
    era="2014-2023",
    # 2015: likes were "favorites" (and "promoted favorites"); from late 2015 "likes".
    source="scctsi/trial-promoter spec (2015 header); COLUMNS.md; public JA->EN header map",
    verified=True,
    fields={
        "post_id": ("Tweet id",),
        "url": ("Tweet permalink",),
        "text": ("Tweet text",),
        "published_at": ("time",),
        "impressions": ("impressions",),
        "likes": ("likes", "favorites"),
        "comments": ("replies",),
        "shares": ("retweets",),
        "quotes": ("quote tweets", "quotes"),
        "clicks": ("url clicks",),
        "video_views": ("video views",),
    },
    added={
        "impressions": ("promoted impressions",),
        "likes": ("promoted likes", "promoted favorites"),
        "comments": ("promoted replies",),
        "shares": ("promoted retweets",),
        "clicks": ("promoted url clicks",),
    },
    ignored=(
        "engagements", "engagement rate", "user profile clicks", "hashtag clicks",
        "detail expands", "permalink clicks", "app opens", "app installs", "follows",
        "email tweet", "dial phone", "media views", "media engagements", *_PROMOTED_IGNORED,
    ),
)  # fmt: skip

_ACTIVITY_JA = Spellings(
    language="ja",
    era="2014-2023",
    source="public JA->EN header map and Python/Go importers of the Japanese activity export",
    verified=True,
    fields={
        "post_id": ("ツイートID",),
        "url": ("ツイートの固定リンク",),
        "text": ("ツイート本文",),
        "published_at": ("時間",),
        "impressions": ("インプレッション",),
        "likes": ("いいね",),
        "comments": ("返信",),
        "shares": ("リツイート",),
        "clicks": ("URLクリック数",),
    },
    added={
        "impressions": ("プロモのインプレッション",),
        "likes": ("プロモのいいね",),
        "comments": ("プロモの返信",),
        "shares": ("プロモのリツイート",),
        "clicks": ("プロモのURLクリック数",),
    },
    ignored=tuple(
        prefix + name
        for prefix in ("", "プロモの")
        for name in (
            "エンゲージメント", "エンゲージメント率", "ユーザープロフィールクリック",
            "ハッシュタグクリック", "詳細クリック", "固定リンクのクリック数", "アプリ表示",
            "アプリインストール", "フォローしている", "ツイートをメール送信", "ダイアル式電話",
            "メディアの再生数", "メディアのエンゲージメント数",
        )
    ),
)  # fmt: skip

ACTIVITY_SETS = (_ACTIVITY_EN, _ACTIVITY_JA)
X_ACTIVITY = combine(*ACTIVITY_SETS)
