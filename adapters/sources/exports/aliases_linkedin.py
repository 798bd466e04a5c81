"""LinkedIn page content exports: the "All posts" sheet (2021 on) and the older "Update
engagement" sheet, by language. Sources are listed in tests/importing/data/SOURCES.md.

A boosted post is listed on several rows with the same link, its organic part, its sponsored
part and (in the exports that have one) its total, told apart by the post type column
("Organic", "Sponsored"); ``parts`` names the columns that may say so and ``PART_WORDS`` what
they say. "Follows" (and the Spanish "Seguidores" in that place) counts follows earned by the
post, not the page's followers, so it is read as nothing like the rates are.
"""

from __future__ import annotations

from .aliases import Spellings, combine, normalise

_EN = Spellings(
    language="en",
    era="2021-",
    source="COLUMNS.md; public importers of the LinkedIn page content export",
    verified=True,
    fields={
        "url": ("Post link",),
        "text": ("Post title",),
        "published_at": ("Created date",),
        "impressions": ("Impressions",),
        "clicks": ("Clicks",),
        "likes": ("Likes",),
        "comments": ("Comments",),
        "shares": ("Reposts",),
        "video_views": ("Views (excluding off-site video views)", "Views", "Video views"),
    },
    parts=("Post type", "Audience", "Content Type"),
    ignored=(
        "Campaign name", "Posted by", "Campaign start date", "Campaign end date",
        "Off-site views", "Click through rate (CTR)", "Follows", "Engagement rate",
    ),
)  # fmt: skip

# Before 2021 the export was "<page>_updates_<stamp>.xls": sheets "Update metrics (aggregated)"
# (one row per day) and "Update engagement" (one row per post).
_EN_UPDATES = Spellings(
    language="en",
    era="-2021",
    source="COLUMNS.md; public LinkedIn 'updates' export merge script (Update engagement sheet)",
    verified=True,
    fields={
        "url": ("Update link",),
        "text": ("Update title",),
        "published_at": ("Created date",),
        "shares": ("Shares",),
    },
    parts=("Update type",),
)

_ES = Spellings(
    language="es",
    era="2021-",
    source="public TypeScript parser of the Spanish export (sheet 'Todas las publicaciones')",
    verified=True,
    fields={
        "url": ("Enlace de la publicación",),
        "text": ("Título de la publicación",),
        "published_at": ("Fecha de creación",),
        "impressions": ("Impresiones",),
        "clicks": ("Clics",),
        "likes": ("Recomendaciones",),
        "comments": ("Comentarios",),
        "shares": ("Veces compartido",),
        "video_views": ("Visualizaciones",),
    },
    parts=("Tipo de publicación", "Público", "Tipo de contenido"),
    ignored=(
        "Nombre de la campaña", "Anunciado por", "Fecha de inicio de campaña",
        "Fecha de finalización de campaña", "Visualizaciones fuera del sitio",
        "Porcentaje de clics", "Seguidores", "Tasa de interacción",
    ),
)  # fmt: skip


def _guess(
    language: str,
    fields: dict[str, tuple[str, ...]],
    parts: tuple[str, ...],
    ignored: tuple[str, ...],
) -> Spellings:
    return Spellings(
        language=language,
        era="2021-",
        source="unverified: LinkedIn's interface words, laid out like the Spanish export",
        verified=False,
        fields=fields,
        parts=parts,
        ignored=ignored,
    )


# LinkedIn's own words for these counts in each language, in the layout of the verified
# Spanish export. Ambiguous words are left out (Dutch "Reacties" names comments in some of
# LinkedIn's screens and reactions in others), so such a column is reported, never misread.
_GUESSES = (
    _guess(
        "fr",
        {
            "url": ("Lien de la publication",),
            "text": ("Titre de la publication",),
            "published_at": ("Date de création",),
            "impressions": ("Impressions",),
            "clicks": ("Clics",),
            "likes": ("J’aime", "J'aime", "Réactions"),
            "comments": ("Commentaires",),
            "shares": ("Republications", "Partages"),
            "video_views": ("Vues",),
        },
        ("Type de publication", "Audience", "Type de contenu"),
        (
            "Nom de la campagne",
            "Publié par",
            "Date de début de la campagne",
            "Date de fin de la campagne",
            "Vues hors site",
            "Taux de clics (CTR)",
            "Abonnements",
            "Taux d’engagement",
            "Taux d'engagement",
        ),
    ),
    _guess(
        "de",
        {
            "url": ("Beitragslink",),
            "text": ("Beitragstitel",),
            "published_at": ("Erstellungsdatum",),
            "impressions": ("Impressionen",),
            "clicks": ("Klicks",),
            "likes": ("Likes", "Reaktionen"),
            "comments": ("Kommentare",),
            "shares": ("Reposts", "Geteilte Inhalte"),
            "video_views": ("Aufrufe",),
        },
        ("Beitragstyp", "Zielgruppe", "Inhaltstyp"),
        (
            "Kampagnenname",
            "Gepostet von",
            "Startdatum der Kampagne",
            "Enddatum der Kampagne",
            "Klickrate (CTR)",
            "Follower",
            "Interaktionsrate",
        ),
    ),
    _guess(
        "pt",
        {
            "url": ("Link do post",),
            "text": ("Título do post",),
            "published_at": ("Data de criação",),
            "impressions": ("Impressões",),
            "clicks": ("Cliques",),
            "likes": ("Reações", "Gostei"),
            "comments": ("Comentários",),
            "shares": ("Compartilhamentos", "Reposts"),
            "video_views": ("Visualizações",),
        },
        ("Tipo de post", "Público", "Tipo de conteúdo"),
        (
            "Nome da campanha",
            "Publicado por",
            "Data de início da campanha",
            "Data de término da campanha",
            "Taxa de cliques (CTR)",
            "Seguidores",
            "Taxa de engajamento",
        ),
    ),
    _guess(
        "it",
        {
            "url": ("Link del post",),
            "text": ("Titolo del post",),
            "published_at": ("Data di creazione",),
            "impressions": ("Impression",),
            "clicks": ("Clic",),
            "likes": ("Reazioni", "Consiglia"),
            "comments": ("Commenti",),
            "shares": ("Diffusioni post", "Condivisioni"),
            "video_views": ("Visualizzazioni",),
        },
        ("Tipo di post", "Pubblico", "Tipo di contenuto"),
        (
            "Nome della campagna",
            "Pubblicato da",
            "Data di inizio della campagna",
            "Data di fine della campagna",
            "Percentuale di clic (CTR)",
            "Follower",
            "Tasso di engagement",
        ),
    ),
    _guess(
        "nl",
        {
            "url": ("Link naar bericht",),
            "text": ("Titel van bericht",),
            "published_at": ("Aanmaakdatum",),
            "impressions": ("Impressies",),
            "clicks": ("Klikken",),
            "likes": ("Vind-ik-leuks",),
            "comments": ("Opmerkingen",),
            "shares": ("Reposts",),
            "video_views": ("Weergaven",),
        },
        ("Type bericht", "Doelgroep", "Type content"),
        (
            "Campagnenaam",
            "Geplaatst door",
            "Startdatum campagne",
            "Einddatum campagne",
            "Klikfrequentie (CTR)",
            "Volgers",
            "Engagementpercentage",
        ),
    ),
    _guess(
        "ja",
        {
            "url": ("投稿リンク",),
            "text": ("投稿タイトル",),
            "published_at": ("作成日",),
            "impressions": ("インプレッション",),
            "clicks": ("クリック",),
            "likes": ("いいね！", "いいね"),
            "comments": ("コメント",),
            "shares": ("再投稿", "シェア"),
            "video_views": ("表示回数",),
        },
        ("投稿タイプ", "オーディエンス", "コンテンツタイプ"),
        (
            "キャンペーン名",
            "投稿者",
            "キャンペーン開始日",
            "キャンペーン終了日",
            "クリック率 (CTR)",
            "フォロー",
            "エンゲージメント率",
        ),
    ),
)

SETS = (_EN, _EN_UPDATES, _ES, *_GUESSES)
LINKEDIN = combine(*SETS)

# What the part columns say, by language (case-folded). The English words are LinkedIn's; the
# Spanish ones follow the export's "(orgánicas)"/"(patrocinadas)"/"(total)" metric names; the
# others are LinkedIn's interface words, unverified.
PART_WORDS: dict[str, frozenset[str]] = {
    "total": frozenset({
        "total", "totals", "total (organic + sponsored)", "gesamt", "insgesamt", "totale",
        "totaal", "合計",
    }),
    "organic": frozenset({
        "organic", "orgánico", "orgánica", "orgánicas", "orgánicos", "organique", "organisch",
        "orgânico", "orgânica", "organico", "organica", "オーガニック",
    }),
    "sponsored": frozenset({
        "sponsored", "patrocinado", "patrocinada", "patrocinadas", "patrocinados",
        "sponsorisé", "sponsorisée", "gesponsert", "sponsorizzato", "sponsorizzata",
        "gesponsord", "スポンサー", "スポンサー付き",
    }),
}  # fmt: skip


def part_kind(label: str) -> str | None:
    """ "total", "organic" or "sponsored" for what a part column says, None if it is unknown."""
    text = normalise(label)
    for kind, words in PART_WORDS.items():
        if text in words:
            return kind
    return None
