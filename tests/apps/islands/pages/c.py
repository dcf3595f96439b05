from pagemill import island
from pagemill.html import h1, p, title


def head(props):
    return title["C"]


def page(props):
    return [
        h1["C"],
        island("counter", props={"start": 5, "label": "clicks"}, id="counter")[
            p(class_="fallback")["Counter loading"]
        ],
    ]
