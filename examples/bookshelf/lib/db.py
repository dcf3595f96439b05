"""The bookshelf's data: a SQLite database, created and seeded the first time it is used.

Every function opens its own connection and closes it before returning. That is the simple,
correct way to use `sqlite3` from pagemill: a sync `get_server_side_props` runs in a worker
thread, and a sqlite3 connection may not be shared between threads. Opening a SQLite file is
cheap (tens of microseconds), so there is no pool.

Everything returned is plain dicts, lists, str and numbers, so a page can put it straight into
its props: props travel to the browser as JSON, and pagemill rejects anything JSON cannot carry
(a `sqlite3.Row`, a `datetime`...) with an error naming the offending key. Dates are ISO
strings for that reason.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, TypedDict

# `data/bookshelf.sqlite3` next to `lib/`, unless BOOKSHELF_DB points elsewhere (tests do).
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "bookshelf.sqlite3"

PER_PAGE = 8

Sort = Literal["title", "newest", "rating"]

# User input picks a key; the SQL comes from this table. Never format request data into SQL:
# values go through `?` placeholders, and the ORDER BY clause is one of these strings.
SORTS: dict[Sort, str] = {
    "title": "b.title COLLATE NOCASE",
    "newest": "b.year DESC, b.title COLLATE NOCASE",
    "rating": "rating IS NULL, rating DESC, b.title COLLATE NOCASE",
}


class BookSummary(TypedDict):
    slug: str
    title: str
    author: str
    year: int
    rating: float | None  # average of the reviews, None when there are none
    review_count: int


class Review(TypedDict):
    reader: str
    rating: int
    body: str
    created: str  # ISO date


class Crumb(TypedDict):
    name: str
    href: str


class BookDetail(BookSummary):
    pages: int
    blurb: str
    shelf: list[Crumb]  # the shelf path, outermost first: Fiction, Mystery, Cozy
    reviews: list[Review]


class Shelf(TypedDict):
    name: str
    description: str
    crumbs: list[Crumb]  # this shelf and its parents, outermost first
    children: list[Crumb]
    books: list[BookSummary]  # on this shelf or any shelf under it


# --- queries ------------------------------------------------------------------------------

# One row per book with its author and review statistics; the queries below add WHERE/ORDER.
_SUMMARY = """
    SELECT b.id, b.slug, b.title, a.name AS author, b.year, b.pages, b.blurb, b.shelf_id,
           round(avg(r.rating), 1) AS rating, count(r.id) AS review_count
    FROM books b
    JOIN authors a ON a.id = b.author_id
    LEFT JOIN reviews r ON r.book_id = b.id
"""


def page_number(requested: object) -> int | None:
    """A page number from a query value (`"2"`), or None for anything else: a list, words,
    digits of other scripts, or more digits than any shelf has pages."""
    if isinstance(requested, str) and requested.isascii() and requested.isdigit():
        if len(requested) <= 6:
            return max(1, int(requested))
    return None


def list_books(sort: Sort, page: int) -> tuple[list[BookSummary], int]:
    """One page of all books in the given order, and the number of pages."""
    with connect() as db:
        total = db.execute("SELECT count(*) FROM books").fetchone()[0]
        rows = db.execute(
            f"{_SUMMARY} GROUP BY b.id ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
            (PER_PAGE, (page - 1) * PER_PAGE),
        ).fetchall()
    return [_summary(row) for row in rows], max(1, -(-total // PER_PAGE))


def get_book(slug: str) -> BookDetail | None:
    with connect() as db:
        row = db.execute(f"{_SUMMARY} WHERE b.slug = ? GROUP BY b.id", (slug,)).fetchone()
        if row is None:
            return None
        reviews = db.execute(
            "SELECT reader, rating, body, created FROM reviews"
            " WHERE book_id = ? ORDER BY created DESC, id DESC",
            (row["id"],),
        ).fetchall()
        shelf = _shelf_crumbs(db, row["shelf_id"])
    return {
        **_summary(row),
        "pages": row["pages"],
        "blurb": row["blurb"],
        "shelf": shelf,
        "reviews": [
            {
                "reader": r["reader"],
                "rating": r["rating"],
                "body": r["body"],
                "created": r["created"],
            }
            for r in reviews
        ],
    }


def slug_for_id(book_id: int) -> str | None:
    """The slug of a book by its number: what the old `/book/<id>` URLs used."""
    with connect() as db:
        row = db.execute("SELECT slug FROM books WHERE id = ?", (book_id,)).fetchone()
    return None if row is None else str(row["slug"])


def random_slug() -> str:
    with connect() as db:
        return str(db.execute("SELECT slug FROM books ORDER BY random() LIMIT 1").fetchone()[0])


def get_shelf(path: list[str]) -> Shelf | None:
    """The shelf at a path of slugs (`["fiction", "mystery", "cozy"]`), or None."""
    with connect() as db:
        shelf_id: int | None = None
        for slug in path:  # walk down one level per segment
            row = db.execute(
                "SELECT id FROM shelves WHERE slug = ? AND parent_id IS ?", (slug, shelf_id)
            ).fetchone()
            if row is None:
                return None
            shelf_id = row["id"]
        if shelf_id is None:  # an empty path
            return None
        shelf = db.execute(
            "SELECT name, description FROM shelves WHERE id = ?", (shelf_id,)
        ).fetchone()
        crumbs = _shelf_crumbs(db, shelf_id)
        children = db.execute(
            "SELECT name, slug FROM shelves WHERE parent_id = ? ORDER BY name", (shelf_id,)
        ).fetchall()
        # The books on this shelf and on every shelf below it, at any depth.
        books = db.execute(
            f"""
            WITH RECURSIVE below(id) AS (
                SELECT ? UNION ALL SELECT s.id FROM shelves s JOIN below ON s.parent_id = below.id
            )
            {_SUMMARY} WHERE b.shelf_id IN (SELECT id FROM below)
            GROUP BY b.id ORDER BY {SORTS["title"]}
            """,
            (shelf_id,),
        ).fetchall()
    here = crumbs[-1]["href"]
    return {
        "name": shelf["name"],
        "description": shelf["description"],
        "crumbs": crumbs,
        "children": [{"name": c["name"], "href": f"{here}/{c['slug']}"} for c in children],
        "books": [_summary(row) for row in books],
    }


MAX_TERMS = 10
MAX_TERM_LENGTH = 100


def search_terms(text: str) -> list[str] | None:
    """The words of a search, or None past what a visitor may make the database do."""
    terms = text.split()
    if len(terms) > MAX_TERMS or any(len(term) > MAX_TERM_LENGTH for term in terms):
        return None
    return terms


def search(terms: list[str]) -> list[BookSummary]:
    """Books whose title, author or blurb contains every term (LIKE: ASCII case-insensitive)."""
    # Escape LIKE's wildcards so that a search for "100%" means the text "100%".
    patterns = [
        "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for term in terms
    ]
    text = "(b.title || ' ' || a.name || ' ' || b.blurb)"
    where = " AND ".join([f"{text} LIKE ? ESCAPE '\\'"] * len(patterns)) or "1"
    with connect() as db:
        rows = db.execute(
            f"{_SUMMARY} WHERE {where} GROUP BY b.id ORDER BY {SORTS['rating']}", patterns
        ).fetchall()
    return [_summary(row) for row in rows]


def add_review(slug: str, reader: str, rating: int, body: str) -> bool:
    """Store a review of the book; False if there is no such book."""
    with connect() as db:
        cursor = db.execute(
            "INSERT INTO reviews (book_id, reader, rating, body, created)"
            " SELECT id, ?, ?, ?, date('now') FROM books WHERE slug = ?",
            (reader, rating, body, slug),
        )
        return cursor.rowcount == 1


def _summary(row: sqlite3.Row) -> BookSummary:
    return {
        "slug": row["slug"],
        "title": row["title"],
        "author": row["author"],
        "year": row["year"],
        "rating": row["rating"],
        "review_count": row["review_count"],
    }


def _shelf_crumbs(db: sqlite3.Connection, shelf_id: int) -> list[Crumb]:
    rows = db.execute(
        """
        WITH RECURSIVE up(id, name, slug, parent_id, depth) AS (
            SELECT id, name, slug, parent_id, 0 FROM shelves WHERE id = ?
            UNION ALL
            SELECT s.id, s.name, s.slug, s.parent_id, up.depth + 1
            FROM shelves s JOIN up ON s.id = up.parent_id
        )
        SELECT name, slug FROM up ORDER BY depth DESC
        """,
        (shelf_id,),
    ).fetchall()
    crumbs: list[Crumb] = []
    href = "/shelves"
    for row in rows:
        href += "/" + row["slug"]
        crumbs.append({"name": row["name"], "href": href})
    return crumbs


# --- the connection and the database file ------------------------------------------------


@contextmanager
def connect() -> Iterator[sqlite3.Connection]:
    """A fresh connection; commits if the block succeeds, rolls back if it raises."""
    conn = sqlite3.connect(_database_path())
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    try:
        with conn:  # a transaction: commit or roll back (it does not close)
            yield conn
    finally:
        conn.close()


_create_lock = threading.Lock()
_created: set[Path] = set()


def _database_path() -> Path:
    path = Path(os.environ.get("BOOKSHELF_DB", DEFAULT_PATH))
    if path not in _created:
        with _create_lock:  # two first requests at once must not both seed
            if not path.exists():
                _create(path)
            _created.add(path)
    return path


def _create(path: Path) -> None:
    # Build the database under a temporary name and rename it into place, so another process
    # (`pagemill start --workers 4`) never opens a half-seeded file.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        with conn:
            conn.executescript(SCHEMA)
            conn.executemany("INSERT INTO authors VALUES (?, ?)", enumerate(AUTHORS, 1))
            conn.executemany("INSERT INTO shelves VALUES (?, ?, ?, ?, ?)", SHELVES)
            conn.executemany("INSERT INTO books VALUES (?, ?, ?, ?, ?, ?, ?, ?)", BOOKS)
            conn.executemany(
                "INSERT INTO reviews (book_id, reader, rating, body, created)"
                " VALUES (?, ?, ?, ?, ?)",
                REVIEWS,
            )
        # WAL lets readers carry on while a review is being written.
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    os.replace(tmp, path)


SCHEMA = """
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE shelves (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    parent_id INTEGER REFERENCES shelves(id),
    UNIQUE (parent_id, slug)
);
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    shelf_id INTEGER NOT NULL REFERENCES shelves(id),
    year INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    blurb TEXT NOT NULL
);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    book_id INTEGER NOT NULL REFERENCES books(id),
    reader TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX reviews_book ON reviews(book_id);
"""

# --- seed data: made up, every book and author ----------------------------------------------

AUTHORS = [
    "Mara Ellington", "Tobias Renn", "Ines Okafor", "Henrik Solberg", "Priya Raman",
    "Juniper Vale", "Callum Ashdown", "Lucía Ferrer", "Desmond Achterberg", "Nadia Kowalczyk",
]  # fmt: skip

# (id, slug, name, description, parent_id)
SHELVES = [
    (1, "fiction", "Fiction", "Stories, long and short.", None),
    (2, "fantasy", "Fantasy", "Other worlds, old magic.", 1),
    (3, "science-fiction", "Science fiction", "Futures, near and far.", 1),
    (4, "mystery", "Mystery", "Someone did it. Who?", 1),
    (5, "cozy", "Cozy mysteries", "Murder, but with scones.", 4),
    (6, "literary", "Literary fiction", "Quiet books that stay with you.", 1),
    (7, "nonfiction", "Nonfiction", "True stories and how things work.", None),
    (8, "history", "History", "What happened, and why it still matters.", 7),
    (9, "science", "Science", "The world, explained.", 7),
    (10, "memoir", "Memoir", "Lives, told by the people who lived them.", 7),
]

# (id, slug, title, author_id, shelf_id, year, pages, blurb)
BOOKS = [
    (1, "the-salt-crown", "The Salt Crown", 1, 2, 2014, 412,
     "A smuggler's daughter inherits a kingdom made of salt flats and debts."),
    (2, "a-map-of-lesser-winds", "A Map of Lesser Winds", 1, 2, 2017, 388,
     "Two rival cartographers chart the winds that carry ships between floating islands."),
    (3, "the-glasswrights-daughter", "The Glasswright's Daughter", 1, 2, 2021, 455,
     "In a city where every window shows the past, one girl learns to make glass that lies."),
    (4, "the-orbit-of-small-things", "The Orbit of Small Things", 2, 3, 2012, 296,
     "A maintenance drone on a derelict station starts keeping a diary."),
    (5, "last-light-on-kepler-row", "Last Light on Kepler Row", 2, 3, 2019, 341,
     "The last street on a dying colony votes on whether to leave."),
    (6, "the-quiet-engine", "The Quiet Engine", 9, 3, 2016, 502,
     "An engineer discovers the generation ship has been slowing down for a century."),
    (7, "hollow-signal", "Hollow Signal", 9, 3, 2022, 318,
     "A radio astronomer hears her own voice in a transmission from deep space."),
    (8, "murder-at-marrow-lane", "Murder at Marrow Lane", 3, 4, 2013, 287,
     "Detective Ada Nwosu investigates a death in a house with no doors."),
    (9, "the-ninth-key", "The Ninth Key", 3, 4, 2018, 334,
     "Nine keys, eight locks, and one locksmith who knows too much."),
    (10, "the-understudy", "The Understudy", 3, 4, 2023, 301,
     "The lead actress vanishes on opening night; her understudy has an alibi, and a motive."),
    (11, "tea-and-arsenic", "Tea and Arsenic", 7, 5, 2015, 248,
     "A retired librarian runs a tea room and, reluctantly, the village's murder inquiries."),
    (12, "a-scone-to-die-for", "A Scone to Die For", 7, 5, 2017, 256,
     "The baking contest judge collapses face-first into the lemon drizzle."),
    (13, "the-vicars-last-crossword", "The Vicar's Last Crossword", 7, 5, 2020, 272,
     "Fourteen across: the name of the killer."),
    (14, "the-rivers-we-forgot", "The Rivers We Forgot", 6, 6, 2011, 364,
     "Three sisters return to the town their river used to run through."),
    (15, "summer-of-paper-boats", "Summer of Paper Boats", 6, 6, 2016, 228,
     "A boy, a drought, and the summer his grandfather taught him to fold."),
    (16, "the-lighthouse-accounts", "The Lighthouse Accounts", 6, 6, 2022, 310,
     "A keeper's ledgers, read a century later, tell a love story in columns of numbers."),
    (17, "an-orchard-in-winter", "An Orchard in Winter", 8, 6, 2019, 275,
     "An old woman decides which of her apple trees to save, and which of her children."),
    (18, "salt-and-iron", "Salt and Iron: The Baltic Trade 1300-1600", 4, 8, 2010, 480,
     "How herring, salt and iron built the cities of the northern seas."),
    (19, "the-long-winter-of-1709", "The Long Winter of 1709", 4, 8, 2015, 352,
     "The coldest winter in five centuries, and what it did to Europe."),
    (20, "empires-of-paper", "Empires of Paper: A History of the Ledger", 10, 8, 2018, 398,
     "Double-entry bookkeeping, from Venetian merchants to the spreadsheet."),
    (21, "the-cartographers-war", "The Cartographers' War", 10, 8, 2021, 421,
     "When maps were state secrets: surveyors, spies and the borders they drew."),
    (22, "the-patient-atom", "The Patient Atom", 5, 9, 2013, 264,
     "Radioactive decay and the clocks hidden in every rock."),
    (23, "how-forests-talk", "How Forests Talk", 5, 9, 2019, 300,
     "Fungal networks, chemical warnings and the social life of trees."),
    (24, "counting-seconds", "Counting Seconds: The Science of Time", 5, 9, 2023, 288,
     "From sundials to optical lattice clocks, and why time is harder than it looks."),
    (25, "kitchen-table-years", "Kitchen Table Years", 8, 10, 2014, 240,
     "Growing up in a Valencia flat where every decision was made over dinner."),
    (26, "letters-from-the-ferry", "Letters from the Ferry", 4, 10, 2022, 212,
     "A historian's memoir of the island where he grew up, told in letters to his father."),
]  # fmt: skip

# (book_id, reader, rating, body, created)
REVIEWS = [
    (1, "Olive", 5, "The best opening chapter I've read in years.", "2023-02-11"),
    (1, "Sam K.", 4, "Slow middle, glorious ending.", "2023-05-30"),
    (1, "Rafa", 5, "I want to live on the salt flats now.", "2024-01-08"),
    (2, "Olive", 4, "The rivalry is delicious.", "2023-03-02"),
    (2, "Theo", 3, "Beautiful maps, thin characters.", "2023-09-14"),
    (3, "Mina", 5, "Devastating. Read it in one sitting.", "2024-03-21"),
    (4, "Theo", 5, "Who knew a drone could break my heart?", "2022-11-19"),
    (4, "Hannah", 4, "Funny and sad at once.", "2023-07-04"),
    (5, "Sam K.", 4, "A quiet, political book. Stays with you.", "2023-10-12"),
    (6, "Rafa", 5, "Hard science done right.", "2022-08-23"),
    (6, "Mina", 4, "A bit long, but the twist lands.", "2023-01-15"),
    (6, "Jonas", 5, "Couldn't stop thinking about it.", "2024-02-02"),
    (7, "Hannah", 3, "Great premise, rushed ending.", "2024-04-18"),
    (8, "Jonas", 4, "Clever locked-room puzzle.", "2022-12-01"),
    (8, "Olive", 5, "Ada Nwosu is my new favourite detective.", "2023-06-10"),
    (9, "Priyanka", 4, "I did not see the ending coming.", "2023-08-27"),
    (10, "Mina", 4, "Theatre people are terrifying.", "2024-05-05"),
    (11, "Grace", 5, "Cosy, funny, and the tea recipes work.", "2022-10-09"),
    (11, "Sam K.", 4, "Exactly what I needed on a rainy weekend.", "2023-02-25"),
    (12, "Grace", 4, "The pun in the title is the worst thing about it. Good book.", "2023-04-13"),
    (13, "Priyanka", 5, "I solved the crossword before the detective did.", "2024-01-29"),
    (14, "Hannah", 5, "Gorgeous prose.", "2022-09-17"),
    (14, "Theo", 4, "Made me call my sister.", "2023-11-03"),
    (15, "Olive", 4, "Short and perfect.", "2023-07-22"),
    (16, "Jonas", 5, "Who knew bookkeeping could be romantic?", "2024-02-14"),
    (17, "Grace", 4, "Quietly brutal.", "2023-12-06"),
    (18, "Rafa", 4, "Dense but rewarding.", "2022-07-30"),
    (19, "Jonas", 5, "Reads like a thriller.", "2023-01-21"),
    (19, "Priyanka", 4, "The chapter on the frozen lagoon in Venice!", "2023-03-09"),
    (20, "Sam K.", 3, "More about accounting than I bargained for.", "2023-06-18"),
    (21, "Theo", 5, "Spies with theodolites. Wonderful.", "2024-03-03"),
    (22, "Mina", 4, "Finally understood half-lives.", "2022-11-28"),
    (23, "Hannah", 5, "I look at trees differently now.", "2023-05-16"),
    (23, "Grace", 5, "Gave it to everyone I know.", "2023-09-30"),
    (25, "Olive", 4, "Warm and funny; I could smell the paella.", "2023-10-20"),
]
