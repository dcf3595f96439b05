from markupsafe import Markup

from pagemill.html import h1, p, script, title

RUN = """
window.scriptRan = (window.scriptRan || 0) + 1;
document.getElementById("script-out").textContent = "ran " + window.scriptRan;
"""


def head(props):
    return title["Script"]


def page(props):
    return [h1["Script"], p(id="script-out")["not run"], script[Markup(RUN)]]
