"""`/books/<slug>` — one book and its reviews, and the form that adds a review.

Shows a dynamic route (`ctx.params["slug"]`), `{"not_found": True}`, and a form handled by
the page itself on POST: store the review, then redirect with 303 See Other so that a reload
does not post it twice (Post/Redirect/Get). An invalid form is shown again with its errors
and status 422. The rating is an island (`islands/rating.js`, plain JavaScript): five stars
to click, setting the form's `<select>`, which is all there is without JavaScript.
"""

import asyncio
from typing import TypedDict, cast
from urllib.parse import quote

from pagemill import Context, Link, RouterState, ServerSideResult, island
from pagemill.html import (
    Renderable,
    article,
    blockquote,
    button,
    div,
    footer,
    form,
    h1,
    h2,
    input,
    label,
    li,
    option,
    p,
    section,
    select,
    span,
    textarea,
    ul,
)

from lib.db import BookDetail, add_review, get_book
from lib.i18n import t
from lib.ui import breadcrumbs, page_head, stars


class ReviewForm(TypedDict):
    reader: str
    rating: str
    body: str


class Props(TypedDict):
    book: BookDetail
    form: ReviewForm  # what the reader typed, to fill the form in again after an error
    errors: dict[str, str]  # field name → message
    thanks: bool


EMPTY_FORM: ReviewForm = {"reader": "", "rating": "5", "body": ""}


async def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    slug = cast(str, ctx.params["slug"])  # a [slug] segment is always one str
    # An async gSSP runs on the event loop: hand blocking calls (sqlite3) to a thread.
    book = await asyncio.to_thread(get_book, slug)
    if book is None:
        return {"not_found": True}  # renders pages/404.py, status 404

    values, errors = EMPTY_FORM, {}
    if ctx.req.method == "POST":
        fields = await ctx.req.form()
        values = {
            "reader": str(fields.get("reader", "")).strip(),
            "rating": str(fields.get("rating", "")),
            "body": str(fields.get("body", "")).strip(),
        }
        errors = validate(values)
        if not errors:
            await asyncio.to_thread(
                add_review, slug, values["reader"], int(values["rating"]), values["body"]
            )
            # 303: the browser follows with a GET, so Back and Reload don't post it again.
            destination = f"/books/{slug}?reviewed=1#reviews"
            return {"redirect": {"destination": destination, "status_code": 303}}
        ctx.res.status_code = 422  # fall through: render the page again, with the errors

    thanks = not errors and ctx.query.get("reviewed") == "1"
    return {"props": {"book": book, "form": values, "errors": errors, "thanks": thanks}}


def validate(values: ReviewForm) -> dict[str, str]:
    errors = {}
    if not 1 <= len(values["reader"]) <= 40:
        errors["reader"] = "Please give a name (up to 40 characters)."
    if values["rating"] not in {"1", "2", "3", "4", "5"}:
        errors["rating"] = "Pick a rating from 1 to 5."
    if not 3 <= len(values["body"]) <= 2000:
        errors["body"] = "Write a few words (3 to 2000 characters)."
    return errors


def head(props: Props, router: RouterState) -> Renderable:
    book = props["book"]
    description = t(router, "{title} by {author}. {blurb}", **book)
    return page_head(router, book["title"], description)


def page(props: Props, router: RouterState) -> Renderable:
    book = props["book"]
    thanks = t(router, "Thanks! Your review is below.")
    return article(class_="book")[
        breadcrumbs(book["shelf"], router),
        h1[book["title"]],
        p(class_="byline")[
            t(router, "by "),
            Link(href=f"/search/{quote(book['author'])}")[book["author"]],
            t(router, " · {year} · {pages} pages · ", year=book["year"], pages=book["pages"]),
            stars(book["rating"], router),
        ],
        p(class_="blurb")[book["blurb"]],
        section(id="reviews")[
            h2[t(router, "Reviews ({count})", count=book["review_count"])],
            p(class_="notice")[thanks] if props["thanks"] else None,
            ul(class_="reviews")[
                (
                    li[
                        blockquote[review["body"]],
                        footer[
                            f"— {review['reader']}, {review['created']} ",
                            stars(review["rating"], router),
                        ],
                    ]
                    for review in book["reviews"]
                )
            ],
        ],
        review_form(props["form"], props["errors"], router),
    ]


def review_form(values: ReviewForm, errors: dict[str, str], router: RouterState) -> Renderable:
    def field(name: str, text: str, control: Renderable) -> Renderable:
        error = errors.get(name)  # the English message: shown in the page's locale
        return div(class_="field")[
            label(for_=name)[t(router, text)],
            control,
            span(class_="error")[t(router, error)] if error else None,
        ]

    ratings = (
        option(value=str(n), selected=values["rating"] == str(n))["★" * n] for n in range(5, 0, -1)
    )
    stars_props = {
        "label": t(router, "Rating"),
        "labels": [t(router, "{rating} out of 5", rating=n) for n in range(1, 6)],
    }
    # No `action`: the form posts to this page's own URL, and get_server_side_props handles it.
    return form(method="post", class_="review-form")[
        h2[t(router, "Add your review")],
        field(
            "reader",
            "Your name",
            input(id="reader", name="reader", value=values["reader"], maxlength=40, required=True),
        ),
        field(
            "rating",
            "Rating",
            island("rating", props=stars_props, class_="rating-input")[
                select(id="rating", name="rating")[ratings]
            ],
        ),
        field(
            "body",
            "Review",
            textarea(id="body", name="body", rows=4, required=True)[values["body"]],
        ),
        button(type="submit")[t(router, "Post review")],
    ]
