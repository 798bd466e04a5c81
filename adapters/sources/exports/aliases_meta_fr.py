"""Meta Business Suite per-post exports in French, Facebook pages and Instagram accounts, as
read from real exports (tests/importing/data/SOURCES.md: Skwiz-blip/verification, data/raw).

The Facebook file has up to 227 columns: the counts winsbot keeps, then paid and video
breakdowns listed below as read-as-nothing so a real file imports without a note per column
(the per-country video breakdown, "... par pays (<country>)", is open-ended and still reported).
Dates are month-first (09/16/2025 05:03), as in the other languages; "Date" holds "Global".
"""

from __future__ import annotations

from .aliases import Spellings

_INTERVALS = tuple(
    f"{metric} à un intervalle de {step}"
    for metric in (
        "Pourcentage du nombre total de vues",
        "Pourcentage des vues de 15 secondes",
    )
    for step in range(41)
)

_AUDIENCES = tuple(
    f"Vues de vidéos de 3 secondes par audience principale ({gender}, {ages})"
    for gender in ("F", "M")
    for ages in ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
)

FR = Spellings(
    language="fr",
    era="2025-",
    source="Skwiz-blip/verification data/raw/*.csv: real French Facebook and Instagram exports",
    verified=True,
    fields={
        "format": ("Type de publication",),
        "post_id": ("Identifiant de la publication",),
        "account": ("Nom de profil du compte", "Nom de la page", "ID du compte", "ID de la Page"),
        "text": ("Description", "Titre"),
        "published_at": ("Heure de publication",),
        "url": ("Permalien",),
        "impressions": ("Vues",),
        "reach": ("Couverture",),
        "likes": ("Réactions", "Mentions J’aime"),
        "comments": ("Commentaires",),
        "shares": ("Partages",),
        "saves": ("Enregistrements",),
        "clicks": ("Total des clics", "Clics sur un lien"),
    },
    ignored=(
        # Instagram: the display name beside the username, follows earned by the post.
        "Nom du compte", "Followers en plus",
        # Both files.
        "Durée (s)", "Commentaire des données", "Date",
        # Facebook.
        "Type de légende", "Est un crosspostage", "Est un partage", "Langues",
        "Libellés personnalisés", "Statut du contenu financé",
        "Réactions, commentaires et partages", "Secondes regardé(e)",
        "Secondes moyen(ne) regardé(e)", "Revenus estimés (USD)", "CPM publicitaire (USD)",
        "Impressions publicitaires", "Autres clics",
        "Consommation ciblage d’audience correspondante (Video Click)",
        "Consommation ciblage d’audience correspondante (Photo Click)",
        "Vues de Publications boostées", "Vues de Publications organiques",
        "Couverture de Publications boostées", "Couverture de Publications organiques",
        "Vues de vidéo de 3 secondes", "Vues de vidéo d’une minute", "Spectateurs de 3 secondes",
        "Spectateurs d’1 minute", "Vues de vidéo de 3 secondes de Publications boostées",
        "Vues de vidéo de 3 secondes de Publications organiques",
        "Vues de vidéo d’1 minute de Recommandations", "Vues de vidéo d’1 minute de Partages",
        "Vues de vidéo d’1 minute de Followers",
        "Vues de vidéo d’1 minute de Publications boostées",
        "Secondes regardé(e) depuis Publications boostées",
        "Secondes regardé(e) depuis Recommandations", "Secondes regardé(e) depuis Followers",
        "Secondes regardé(e) depuis Partages",
        "Secondes moyen(ne) regardé(e) depuis Publications boostées",
        "Secondes moyen(ne) regardé(e) depuis Followers",
        "Secondes moyen(ne) regardé(e) depuis Recommandations",
        "Secondes moyen(ne) regardé(e) depuis Partages",
        *_INTERVALS,
        "Commentaires négatifs de la part des utilisateurs",
        "Avis négatifs uniques des utilisateurs",
        *_AUDIENCES,
    ),
)  # fmt: skip

# Columns that only the Instagram file has.
INSTAGRAM_HEADERS_FR = ("ID du compte", "Nom de profil du compte")
