from pagemill import island
from pagemill.html import h1, p, title


def head(props):
    return title["A"]


def page(props):
    return [
        h1["A"],
        island("counter", props={"start": 1, "label": "</script><b>clicks</b>"}, id="counter")[
            p(class_="fallback")["Counter loading"]
        ],
    ]
