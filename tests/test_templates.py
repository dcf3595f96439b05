from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from pagemill.errors import AppLoadError
from pagemill.html import div, p
from pagemill.loader import load_app
from pagemill.templates import Templates


@pytest.fixture
def templates(tmp_path: Path) -> Templates:
    (tmp_path / "card.html").write_text("<p>{{ name }}</p>")
    (tmp_path / "note.txt").write_text("note: {{ text }}")
    (tmp_path / "raw.html").write_text("{{ html }}")
    return Templates(tmp_path, filters={"shout": str.upper}, globals={"site": "Mill"})


def test_render_returns_markup(templates: Templates) -> None:
    out = templates.render("card.html", name="Ada")
    assert isinstance(out, Markup)
    assert out == "<p>Ada</p>"


def test_autoescape_is_on(templates: Templates) -> None:
    assert templates.render("card.html", name="<script>") == "<p>&lt;script&gt;</p>"


def test_autoescape_is_on_whatever_the_file_name(templates: Templates) -> None:
    assert templates.render("note.txt", text="<b> & 'q'") == "note: &lt;b&gt; &amp; &#39;q&#39;"


def test_markup_in_the_context_is_not_escaped_twice(templates: Templates) -> None:
    assert templates.render("raw.html", html=p["<x>"]) == "<p>&lt;x&gt;</p>"


def test_output_is_a_child_of_html_elements(templates: Templates) -> None:
    card = templates.render("card.html", name="A & B")
    assert str(div(class_="c")[card]) == '<div class="c"><p>A &amp; B</p></div>'


def test_a_context_variable_may_be_called_name(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text("{{ name }}")
    assert Templates(tmp_path).render("t.html", name="n") == "n"


def test_globals_and_filters(tmp_path: Path, templates: Templates) -> None:
    (tmp_path / "g.html").write_text("{{ site | shout }}")
    assert templates.render("g.html") == "MILL"


def test_without_jinja_the_import_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    monkeypatch.delitem(sys.modules, "pagemill.templates")
    with pytest.raises(ImportError, match=r'pip install "pagemill\[jinja\]"'):
        importlib.import_module("pagemill.templates")


def test_a_relative_folder_is_the_app_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Templates("templates")` in a page finds `<app>/templates` from any working folder."""
    app = tmp_path / "app"
    (app / "templates").mkdir(parents=True)
    (app / "templates" / "hi.html").write_text("<p>hi {{ name }}</p>")
    (app / "pages").mkdir()
    (app / "pages" / "index.py").write_text(
        "from pagemill.templates import Templates\n\n"
        'templates = Templates("templates")\n\n\n'
        "def page(props):\n"
        '    return templates.render("hi.html", name="<you>")\n'
    )
    monkeypatch.chdir(tmp_path)
    loaded = load_app(app)
    (page,) = loaded.pages()
    assert str(page.page({})) == "<p>hi &lt;you&gt;</p>"


def test_a_missing_folder_is_a_load_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "index.py").write_text(
        "from pagemill.templates import Templates\n\n"
        'templates = Templates("templatez")\n\n\n'
        "def page(props):\n    return 'x'\n"
    )
    with pytest.raises(AppLoadError) as info:
        load_app(tmp_path)
    (problem,) = info.value.problems
    assert problem.startswith("pages/index.py:3:")
    assert f"the folder '{tmp_path / 'templatez'}' does not exist" in problem
