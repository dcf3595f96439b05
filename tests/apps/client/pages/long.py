from pagemill import Link
from pagemill.html import div, h1, title


def head(props):
    return title["Long"]


def page(props):
    return [
        h1["Long"],
        div(style="height: 3000px")["Far above the target"],
        div(id="target", style="height: 200px")[
            "The target ", Link(href="/counter", id="long-to-counter")["to the counter"]
        ],
        div(style="height: 3000px")["Below the target"],
    ]
