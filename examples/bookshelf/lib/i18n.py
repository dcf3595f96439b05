"""The bookshelf's words in French: `t(router, "All books")` is the text in the page's locale.

English is the default locale (pagemill.toml's [i18n]); a string without a French entry shows
in English. Books, authors and reviews are the readers' own words and are not translated;
everything the site itself says is, shelf names too.
"""

from __future__ import annotations

from pagemill import RouterState

FRENCH = {
    # the layout
    "Bookshelf": "Étagère",
    "📚 Bookshelf": "📚 Étagère",
    "All books": "Tous les livres",
    "Fiction": "Romans",
    "Nonfiction": "Essais",
    "Search": "Recherche",
    "About": "À propos",
    "Slow report": "Rapport lent",
    "🎲 Surprise me": "🎲 Au hasard",
    "Take me to a random book": "Un livre au hasard",
    "A pagemill example app. Every book and review here is made up. ": (
        "Une application d'exemple de pagemill. Tous les livres et avis sont inventés. "
    ),
    "A book that is not here": "Un livre qui n'est pas là",
    "Site": "Site",
    "Breadcrumb": "Fil d'Ariane",
    "Home": "Accueil",
    # lists of books
    "no reviews yet": "pas encore d'avis",
    "{rating} out of 5": "{rating} sur 5",
    "No books here.": "Aucun livre ici.",
    " by {author}, {year} ": " de {author}, {year} ",
    # the home page
    "A small reading list: novels, histories and memoirs, with reviews.": (
        "Une petite liste de lecture : romans, histoire et mémoires, avec des avis."
    ),
    "Title": "Titre",
    "Newest": "Les plus récents",
    "Top rated": "Les mieux notés",
    "Sort by: ": "Trier par : ",
    "Pages": "Pages",
    "Draft mode is on. ": "Le mode brouillon est actif. ",
    "Leave it": "En sortir",
    # a book
    "{title} by {author}. {blurb}": "{title} de {author}. {blurb}",
    "by ": "de ",
    " · {year} · {pages} pages · ": " · {year} · {pages} pages · ",
    "Reviews ({count})": "Avis ({count})",
    "Thanks! Your review is below.": "Merci ! Votre avis est ci-dessous.",
    "Add your review": "Donnez votre avis",
    "Your name": "Votre nom",
    "Rating": "Note",
    "Review": "Avis",
    "Post review": "Publier l'avis",
    "Please give a name (up to 40 characters).": "Indiquez un nom (40 caractères au plus).",
    "Pick a rating from 1 to 5.": "Choisissez une note de 1 à 5.",
    "Write a few words (3 to 2000 characters).": "Écrivez quelques mots (3 à 2000 caractères).",
    # shelves
    "Shelves": "Rayons",
    "{count} books": "{count} livres",
    "Fantasy": "Fantasy",
    "Science fiction": "Science-fiction",
    "Mystery": "Policier",
    "Cozy mysteries": "Policiers douillets",
    "Literary fiction": "Littérature",
    "History": "Histoire",
    "Science": "Sciences",
    "Memoir": "Mémoires",
    "Stories, long and short.": "Des histoires, longues et courtes.",
    "Other worlds, old magic.": "D'autres mondes, une magie ancienne.",
    "Futures, near and far.": "Des avenirs, proches et lointains.",
    "Someone did it. Who?": "Quelqu'un l'a fait. Qui ?",
    "Murder, but with scones.": "Des meurtres, mais avec des scones.",
    "Quiet books that stay with you.": "Des livres discrets qui vous restent.",
    "True stories and how things work.": "Des histoires vraies, et comment marchent les choses.",
    "What happened, and why it still matters.": "Ce qui s'est passé, et pourquoi ça compte encore.",
    "The world, explained.": "Le monde, expliqué.",
    "Lives, told by the people who lived them.": "Des vies, racontées par ceux qui les ont vécues.",
    "{name}: {description}": "{name} : {description}",
    # search
    "Search: {what}": "Recherche : {what}",
    "Find a book on the shelf.": "Trouver un livre sur l'étagère.",
    "Search terms": "Termes de recherche",
    "title, author or a word from the blurb": "titre, auteur ou un mot du résumé",
    "Search for at most {terms} words of up to {letters} letters each.": (
        "Cherchez au plus {terms} mots de {letters} lettres au plus chacun."
    ),
    "Try ": "Essayez ",
    " or ": " ou ",
    "{count} found for ": "{count} trouvés pour ",
    # about
    "What this bookshelf is, and how it is built with pagemill.": (
        "Ce qu'est cette étagère, et comment elle est faite avec pagemill."
    ),
    "About this bookshelf": "À propos de cette étagère",
    "A made-up reading list: every book, author and review is invented. It is the ": (
        "Une liste de lecture inventée : chaque livre, auteur et avis est imaginaire. C'est "
    ),
    "example app of pagemill, a Python take on the Next.js Pages Router.": (
        "l'application d'exemple de pagemill, le Pages Router de Next.js en Python."
    ),
    "Pages are Python modules under ": "Les pages sont des modules Python sous ",
    "; the file path is the URL.": " ; le chemin du fichier est l'URL.",
    "Data comes from a SQLite database, read in ": (
        "Les données viennent d'une base SQLite, lue dans "
    ),
    "This page has no data, so it was rendered once, at build time.": (
        "Cette page n'a pas de données : elle a été rendue une fois, à la compilation."
    ),
    "Browse the books": "Parcourir les livres",
    "pick one at random": "en choisir un au hasard",
    # the slow report
    "A slow report": "Un rapport lent",
    "Books on the first page of the list, by initial.": (
        "Les livres de la première page de la liste, par initiale."
    ),
    "This page waits 0.8 s for its data: navigate here in-app to see the progress bar.": (
        "Cette page attend ses données 0,8 s : venez-y par un lien du site pour voir la "
        "barre de progression."
    ),
    # errors
    "Not found": "Introuvable",
    "There is no such page on the bookshelf.": "Cette page n'existe pas sur l'étagère.",
    "This book isn't on the shelf": "Ce livre n'est pas sur l'étagère",
    "Nothing lives at this address. It may have been lent out, or never existed.": (
        "Rien à cette adresse. Il a peut-être été prêté, ou n'a jamais existé."
    ),
    "Back to all books": "Retour à tous les livres",
    "Something went wrong": "Une erreur est survenue",
    "The bookshelf could not show this page. Please try again in a moment.": (
        "L'étagère n'a pas pu afficher cette page. Réessayez dans un instant."
    ),
}


def t(router: RouterState, text: str, **values: object) -> str:
    """`text` in the router's locale, with `{name}` filled from `values`."""
    if router.locale == "fr":
        text = FRENCH.get(text, text)
    return text.format(**values) if values else text
