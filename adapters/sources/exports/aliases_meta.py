"""Meta Business Suite per-post exports (Facebook pages and Instagram accounts), by language
(French, with its long Facebook header, in aliases_meta_fr.py). Sources are listed in
tests/importing/data/SOURCES.md.

Meta replaced impressions with views in 2025: Views is the exposure count, older exports'
Impressions stands in where Views is absent. Facebook rows carry likes in Reactions (a superset
of likes), Instagram rows in Likes. "Date" holds "Lifetime" (the period the counts cover), not a
date; "Follows" and the clicks other than on links are not counts winsbot keeps.
"""

from __future__ import annotations

from .aliases import Spellings, combine
from .aliases_meta_fr import FR, INSTAGRAM_HEADERS_FR

_EN = Spellings(
    language="en",
    era="2023-",
    source="COLUMNS.md; public importers of Meta Business Suite content exports",
    verified=True,
    fields={
        "format": ("Post type",),
        "post_id": ("Post ID",),
        "account": ("Account username", "Page name", "Account ID", "Page ID"),
        "text": ("Description", "Title"),
        "published_at": ("Publish time",),
        "url": ("Permalink",),
        "impressions": ("Views", "Impressions"),
        "reach": ("Reach",),
        "likes": ("Reactions", "Likes"),
        "comments": ("Comments",),
        "shares": ("Shares",),
        "saves": ("Saves",),
        "clicks": ("Total clicks", "Link clicks"),
    },
    ignored=(
        "Account name", "Duration (sec)", "Data comment", "Date", "Follows",
        "Other Clicks", "Reactions, comments and shares",
    ),
)  # fmt: skip

# Instagram, two eras: "Identificação da publicação"/"Impressões" before views replaced
# impressions, "Identificação do post"/"Visualizações" after. Dates stay month-first.
_PT = Spellings(
    language="pt",
    era="2023-",
    source="five public importers of Brazilian Meta Business Suite Instagram exports",
    verified=True,
    fields={
        "format": ("Tipo de publicação", "Tipo de post"),
        "post_id": ("Identificação do post", "Identificação da publicação"),
        "account": ("Nome de usuário da conta", "Identificação da conta"),
        "text": ("Descrição",),
        "published_at": ("Horário de publicação",),
        "url": ("Link permanente",),
        "impressions": ("Visualizações", "Impressões"),
        "reach": ("Alcance",),
        "likes": ("Curtidas",),
        "comments": ("Comentários",),
        "shares": ("Compartilhamentos",),
        "saves": ("Salvamentos",),
    },
    ignored=(
        "Nome da conta", "Duração (s)", "Duração (segundos)",
        "Comentário de dados", "Data", "Seguimentos",
    ),
)  # fmt: skip

# The Facebook page columns of the Portuguese export were not found; these follow the
# Instagram ones above and Meta's Portuguese words for pages and reactions.
_PT_PAGES = Spellings(
    language="pt",
    era="2023-",
    source="unverified: Facebook page columns by analogy with the Instagram ones",
    verified=False,
    fields={
        "account": ("Nome da Página", "Identificação da Página"),
        "text": ("Título",),
        "likes": ("Reações",),
        "clicks": ("Total de cliques", "Cliques no link"),
    },
    ignored=("Outros cliques",),
)

_SV = Spellings(
    language="sv",
    era="2023-",
    source="public Swedish importers of Meta Business Suite Facebook and Instagram exports",
    verified=True,
    fields={
        "format": ("Inläggstyp",),
        "post_id": ("Publicerings-id",),
        "account": ("Kontots användarnamn", "Sidnamn", "Konto-id", "Sid-id"),
        "text": ("Beskrivning", "Titel"),
        "published_at": ("Publiceringstid",),
        "url": ("Permalänk",),
        "impressions": ("Visningar",),
        "reach": ("Räckvidd",),
        "likes": ("Reaktioner",),
        "comments": ("Kommentarer",),
        "shares": ("Delningar",),
        "clicks": ("Totalt antal klick", "Länkklick"),
    },
    ignored=(
        "Kontonamn", "Datum", "Reaktioner, kommentarer och delningar",
        "Övriga klick",
    ),
)  # fmt: skip


# Instagram, two eras, and Facebook. The 2025 file says "Veces que se compartió"/"Veces que se
# guardó"/"Seguimientos"; an earlier one "Veces que se ha compartido"/"Veces guardado" with
# follows in "Seguidores" (and its post id header in lower case). Dates stay month-first.
_ES = Spellings(
    language="es",
    era="2023-",
    source="public importers of Spanish Meta Business Suite Instagram and Facebook exports",
    verified=True,
    fields={
        "format": ("Tipo de publicación",),
        "post_id": ("Identificador de la publicación",),
        "account": ("Nombre de usuario de la cuenta", "Identificador de la cuenta"),
        "text": ("Descripción", "Título"),
        "published_at": ("Hora de publicación",),
        "url": ("Enlace permanente",),
        "impressions": ("Visualizaciones",),
        "reach": ("Alcance",),
        "likes": ("Reacciones", "Me gusta"),
        "comments": ("Comentarios",),
        "shares": ("Veces que se compartió", "Veces que se ha compartido"),
        "saves": ("Veces que se guardó", "Veces guardado"),
        "clicks": ("Total de clics", "Clics en el enlace"),
    },
    ignored=(
        "Nombre de la cuenta", "Duración (segundos)",
        "Comentario sobre los datos", "Fecha", "Seguimientos", "Seguidores",
        "Reacciones, comentarios y veces que se ha compartido",
        "Visualizaciones de vídeo de 3 segundos", "Visualizaciones de vídeo de 1 minuto",
        "Segundos reproducidos", "Segundos reproducidos de media", "Espectadores de 3 segundos",
        "Espectadores de 1 minuto",
    ),
)  # fmt: skip

# The Spanish Facebook file's page columns and the impressions of the years before views were
# not seen; these follow the verified columns and Meta's Spanish words for pages.
_ES_PAGES = Spellings(
    language="es",
    era="2023-",
    source="unverified: Facebook page columns and pre-2025 impressions by analogy",
    verified=False,
    fields={
        "account": ("Nombre de la página", "Identificador de la página"),
        "impressions": ("Impresiones",),
    },
    ignored=("Otros clics",),
)


# Italian: the columns two public readers of real Business Suite exports use (a Python report
# builder reading instagram-contenuti.csv and facebook-contenuti.csv, a TypeScript importer's
# column map). Dates month-first. The post id, page and id columns and the permalink were not
# seen: those stay guesses, in _IT_REST, and a file is refused (never misread) if they differ.
_IT = Spellings(
    language="it",
    era="2025-",
    source="public Python and TypeScript readers of Italian Business Suite content exports",
    verified=True,
    fields={
        "format": ("Tipo di post",),
        "account": ("Nome utente dell'account",),
        "text": ("Descrizione", "Titolo"),
        "published_at": ("Orario di pubblicazione",),
        "impressions": ("Visualizzazioni",),
        "reach": ("Copertura",),
        "likes": ("Reazioni", "Mi piace"),
        "comments": ("Commenti",),
        "shares": ("Condivisioni",),
        "saves": ("Salvataggi",),
    },
    ignored=("Durata (s)", "Reazioni, commenti e condivisioni"),
)

_IT_REST = Spellings(
    language="it",
    era="2025-",
    source="unverified: Italian post id, page, id, link and click columns by analogy",
    verified=False,
    fields={
        "post_id": ("ID del post",),
        "account": ("Nome della Pagina", "ID dell'account", "ID della Pagina"),
        "url": ("Permalink",),
        "impressions": ("Impression",),
        "clicks": ("Clic totali", "Clic sul link"),
    },
    ignored=("Nome dell'account", "Commento sui dati", "Data", "Follow", "Altri clic"),
)


def _guess(
    language: str, fields: dict[str, tuple[str, ...]], ignored: tuple[str, ...]
) -> Spellings:
    return Spellings(
        language=language,
        era="2023-",
        source="unverified: Meta's interface words in this language; no export seen",
        verified=False,
        fields=fields,
        ignored=ignored,
    )


# Meta's own words for these counts in each language, laid out like the verified exports.
# Where a word is ambiguous in a language (Dutch "Reacties" is comments on Facebook but could
# be reactions), it is left out, so the column is reported as not understood, never misread.
_GUESSES = (
    _guess(
        "de",
        {
            "format": ("Beitragstyp",),
            "post_id": ("Beitrags-ID",),
            "account": ("Benutzername des Kontos", "Seitenname", "Konto-ID", "Seiten-ID"),
            "text": ("Beschreibung", "Titel"),
            "published_at": ("Veröffentlichungszeitpunkt", "Veröffentlichungszeit"),
            "url": ("Permalink",),
            "impressions": ("Aufrufe", "Impressionen"),
            "reach": ("Reichweite",),
            "likes": ("Reaktionen", "„Gefällt mir“-Angaben"),
            "comments": ("Kommentare",),
            "shares": ("Geteilte Inhalte",),
            "saves": ("Speicherungen",),
            "clicks": ("Klicks insgesamt", "Link-Klicks"),
        },
        (
            "Kontoname",
            "Dauer (Sek.)",
            "Datenkommentar",
            "Datum",
            "Follows",
            "Sonstige Klicks",
        ),
    ),
    _guess(
        "nl",
        {
            "format": ("Berichttype",),
            "post_id": ("Bericht-ID",),
            "account": ("Gebruikersnaam van account", "Paginanaam", "Account-ID", "Pagina-ID"),
            "text": ("Beschrijving", "Titel"),
            "published_at": ("Publicatietijd",),
            "url": ("Permalink",),
            "impressions": ("Weergaven", "Impressies"),
            "reach": ("Bereik",),
            "comments": ("Opmerkingen",),
            "shares": ("Gedeeld",),
            "saves": ("Opgeslagen",),
            "clicks": ("Totaal aantal klikken", "Linkklikken"),
        },
        ("Accountnaam", "Duur (sec)", "Opmerking over gegevens", "Datum"),
    ),
    _guess(
        "ja",
        {
            "format": ("投稿タイプ",),
            "post_id": ("投稿ID",),
            "account": ("アカウントのユーザーネーム", "ページ名", "アカウントID", "ページID"),
            "text": ("説明", "タイトル"),
            "published_at": ("公開時間", "公開日時"),
            "url": ("パーマリンク",),
            "impressions": ("閲覧数", "インプレッション数"),
            "reach": ("リーチ",),
            "likes": ("リアクション", "いいね！"),
            "comments": ("コメント",),
            "shares": ("シェア",),
            "saves": ("保存",),
            "clicks": ("合計クリック数", "リンクのクリック"),
        },
        ("アカウント名", "データに関するコメント", "日付", "フォロー"),
    ),
)

SETS = (_EN, _PT, _PT_PAGES, _ES, _ES_PAGES, _SV, FR, _IT, _IT_REST, *_GUESSES)
META = combine(*SETS)

# Columns that only Instagram's export has: a file with one of them is Instagram's.
INSTAGRAM_HEADERS = (
    "Account username", "Account ID", "Nome de usuário da conta", "Identificação da conta",
    "Kontots användarnamn", "Konto-id", "Nombre de usuario de la cuenta",
    "Identificador de la cuenta", *INSTAGRAM_HEADERS_FR, "Benutzername des Kontos", "Konto-ID",
    "Nome utente dell'account", "ID dell'account", "Gebruikersnaam van account", "Account-ID",
    "アカウントのユーザーネーム", "アカウントID",
)  # fmt: skip
