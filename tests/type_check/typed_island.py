"""A page with an island, written with the public types: mypy --strict must accept it."""

from typing import TypedDict

from pagemill import Context, ServerSideResult, island
from pagemill.html import Element, Renderable, button, p


class Props(TypedDict):
    stars: int


async def get_server_side_props(ctx: Context) -> ServerSideResult[Props]:
    return {"props": {"stars": 4}}


def rating(stars: int) -> Element:
    # An island is an element: attributes by keyword, the fallback as its children.
    return island("rating", props={"stars": stars}, tag="span", class_="rating")[
        p[f"{stars} of 5"], button(disabled=True)["Rate"]
    ]


def page(props: Props) -> Renderable:
    return rating(props["stars"])(title="Your rating")
