from pagemill import island
from pagemill.html import h1, p, title


def head(props):
    return title["B"]


def page(props):
    # The same counter with the same props as /a, after other markup: kept across the visit.
    return [
        h1["B"],
        p["Another page"],
        island("counter", props={"start": 1, "label": "</script><b>clicks</b>"}, id="counter")[
            p(class_="fallback")["Counter loading"]
        ],
    ]
