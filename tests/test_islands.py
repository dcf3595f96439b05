"""Islands on the server: the `island()` element and its props, the `islands/` folder checked
at load (unknown names, modules without `mount`), served by path, the head tags a page with
islands gets (and one without does not), the build summary, and dev's island reloads."""

from __future__ import annotations

import datetime
import gzip
import html.parser
import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from watchfiles import Change

import pagemill
from pagemill import island
from pagemill.cli import main
from pagemill.dev import change_kind, changed_islands
from pagemill.errors import AppLoadError, PageError
from pagemill.html import p

APP = Path(__file__).parent / "apps" / "islands"
pytestmark = pytest.mark.anyio


class _Props(html.parser.HTMLParser):
    """The text of each island props script, as a browser's parser reads it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = tag == "script" and ("data-island-props", None) in attrs
        if self._in:
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.found[-1] += data


def props_in(markup: str) -> list[Any]:
    parser = _Props()
    parser.feed(markup)
    parser.close()
    return [json.loads(text) for text in parser.found]


# -- The element ------------------------------------------------------------------------------


def test_an_island_renders_its_container_props_and_fallback() -> None:
    element = island("rating", props={"stars": 4}, class_="stars", aria_label="Rating")[p["4 of 5"]]
    rendered = str(element)
    assert rendered.startswith('<div data-island="rating" data-pm-keep="rating:')
    assert 'class="stars" aria-label="Rating">' in rendered
    assert rendered.endswith(
        '<script type="application/json" data-island-props>{"stars":4}</script><p>4 of 5</p></div>'
    )
    assert props_in(rendered) == [{"stars": 4}]


def keep(element: Any) -> str:
    return str(element).split('data-pm-keep="')[1].split('"')[0]


def test_the_keep_value_changes_with_anything_the_island_renders() -> None:
    # The morph keeps a mounted island only when the new page renders it the same.
    same = keep(island("rating", props={"a": 1}, id="r")[p["fallback"]])
    assert same.startswith("rating:")
    assert keep(island("rating", props={"a": 1}, id="r")[p["fallback"]]) == same
    assert keep(island("rating", props={"a": 1}, id="r")(title="x")[p["fallback"]]) != same
    assert keep(island("rating", props={"a": 2}, id="r")[p["fallback"]]) != same
    assert keep(island("rating", props={"a": 1}, id="r")[p["other fallback"]]) != same
    assert keep(island("rating", props={"a": 1}, id="q")[p["fallback"]]) != same
    assert keep(island("other", props={"a": 1}, id="r")[p["fallback"]]) != same
    built = island("rating", props={"a": 1})["x"](class_="c")["y"]
    assert str(built).count("data-pm-keep") == 1


def test_an_island_can_be_another_element_and_has_empty_props_by_default() -> None:
    rendered = str(island("toggle", tag="span")["more"])
    assert rendered.startswith('<span data-island="toggle"')
    assert rendered.endswith("{}</script>more</span>")


@pytest.mark.parametrize("name", ["", "a b", "../x", "x.js", "-x"])
def test_an_island_name_must_be_a_module_file_name(name: str) -> None:
    with pytest.raises(ValueError, match=r"islands/rating\.js is island"):
        island(name)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(), json_values, max_size=5))
def test_props_round_trip_through_the_markup_whatever_their_text(props: dict[str, Any]) -> None:
    rendered = str(island("any", props=props)[p["fallback"]])
    # Read back as a browser's HTML parser reads the script: nothing in the props closes it.
    assert props_in(rendered) == [props]
    script = rendered.split("data-island-props>", 1)[1].split("</script>", 1)[0]
    assert "<" not in script and "\u2028" not in script and "\u2029" not in script


def test_props_that_are_not_json_name_the_key_path_the_island_and_the_line() -> None:
    when = datetime.date(2024, 1, 2)
    with pytest.raises(PageError) as caught:
        island("review", props={"review": {"dates": [when]}})
    message = str(caught.value)
    assert message.startswith('Error serializing `props.review.dates[0]` of island "review" in')
    assert "tests/test_islands.py, line " in message
    assert "Return a str (e.g. value.isoformat())" in message


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({1: "x"}, "`props` of island"),
        ({"n": float("nan")}, "`props.n`"),
        ({"odd key": {1}}, '`props["odd key"]`'),
    ],
)
def test_each_serialization_problem_is_named(props: dict[Any, Any], expected: str) -> None:
    with pytest.raises(PageError, match="Error serializing") as caught:
        island("x", props=props)
    assert expected in str(caught.value)


def test_props_must_be_a_dict() -> None:
    with pytest.raises(PageError, match="props must be a dict, got list"):
        island("x", props=[1, 2])  # type: ignore[arg-type]


# -- Load-time checks -------------------------------------------------------------------------


def copy_app(tmp_path: Path) -> Path:
    return Path(shutil.copytree(APP, tmp_path / "app", ignore=shutil.ignore_patterns(".pagemill")))


def test_an_unknown_island_name_is_a_load_error_naming_the_file_line_and_the_islands(
    tmp_path: Path,
) -> None:
    app = copy_app(tmp_path)
    page = app / "pages" / "typo.py"
    page.write_text(
        "from pagemill import island\n\n\ndef page(props):\n"
        "    return island('countre', props={})['fallback']\n"
        "    # island('a comment') is not a use\n"
    )
    with pytest.raises(AppLoadError) as caught:
        pagemill.create_app(app)
    assert caught.value.problems == [
        'pages/typo.py, line 5: there is no island "countre" (no islands/countre.js). '
        "The islands in islands/ are: badge, boom, counter."
    ]


def test_a_module_without_mount_is_a_load_error_naming_it(tmp_path: Path) -> None:
    app = copy_app(tmp_path)
    (app / "islands" / "broken.js").write_text("export function mont(element) {}\n")
    (app / "islands" / "_helper.js").write_text("export const shared = 1;\n")  # not an island
    with pytest.raises(AppLoadError) as caught:
        pagemill.create_app(app)
    [problem] = caught.value.problems
    assert problem.startswith("islands/broken.js: an island module must export `mount`:")


@pytest.mark.parametrize(
    "source",
    [
        "export function mount(el) {}",
        "export async function mount(el) {}",
        "export const mount = (el) => {};",
        "function start(el) {}\nexport { start as mount };",
        "const mount = () => {};\nexport { update, mount };",
    ],
)
def test_every_way_of_exporting_mount_counts(tmp_path: Path, source: str) -> None:
    app = copy_app(tmp_path)
    (app / "islands" / "other.js").write_text(source)
    pagemill.create_app(app)


def test_the_app_without_islands_named_when_a_page_uses_one(tmp_path: Path) -> None:
    app = tmp_path / "app"
    (app / "pages").mkdir(parents=True)
    (app / "pages" / "index.py").write_text(
        'import pagemill\n\ndef page(props):\n    return pagemill.island(name="search")\n'
    )
    with pytest.raises(AppLoadError, match=r"The app has no islands: add islands/<name>\.js"):
        pagemill.create_app(app)


COMPUTED = (
    "from pagemill import island\n\nNAME = 'nope'\n\n\ndef page(props):\n    return island(NAME)\n"
)


def test_a_computed_unknown_name_on_a_static_page_fails_the_load(tmp_path: Path) -> None:
    # Static pages are rendered when the app loads (and at `pagemill build`).
    app = copy_app(tmp_path)
    (app / "pages" / "computed.py").write_text(COMPUTED)
    with pytest.raises(PageError) as caught:
        pagemill.create_app(app)
    assert str(caught.value) == (
        '"pages/computed.py" renders the island "nope", but there is no islands/nope.js. '
        "The islands in islands/ are: badge, boom, counter."
    )


async def test_a_computed_unknown_name_fails_the_render_naming_the_page(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = copy_app(tmp_path)
    gssp = "async def get_server_side_props(ctx):\n    return {'props': {}}\n\n\n"
    (app / "pages" / "computed.py").write_text(gssp + COMPUTED)
    served = pagemill.create_app(app)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=served), base_url="http://t"
    ) as client:
        response = await client.get("/computed")
    assert response.status_code == 500
    assert 'pages/computed.py" renders the island "nope", but there is no islands/nope.js' in (
        caplog.text
    )


def test_the_render_error_names_the_page_file(tmp_path: Path) -> None:
    from pagemill.islands import Islands

    islands = Islands(APP, "", "/_next/static/chunks/islands-x.js")

    def page(props: object) -> object:
        return None

    with pytest.raises(PageError) as caught:
        islands.head_tags('<div data-island="nope"></div>', page)
    assert str(caught.value).startswith('"/')
    assert 'tests/test_islands.py" renders the island "nope"' in str(caught.value)
    assert "The islands in islands/ are: badge, boom, counter." in str(caught.value)


# -- Serving ----------------------------------------------------------------------------------


@pytest.fixture
async def client() -> Any:
    app = pagemill.create_app(APP)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        yield client


def head_of(document: str) -> str:
    return document.split("<!--pagemill-head-->")[1].split("<!--/pagemill-head-->")[0]


async def test_a_page_with_islands_preloads_them_and_loads_the_runtime(
    client: httpx.AsyncClient,
) -> None:
    head = head_of((await client.get("/a")).text)
    prefix = head.split('href="')[1].rsplit("/", 1)[0]
    assert prefix.startswith("/_next/static/islands/")
    assert (
        f'<link rel="modulepreload" href="{prefix}/counter.js" data-island-module="counter">'
        in head
    )
    assert f'<link rel="modulepreload" href="{prefix}/vendor/format.js">' in head
    assert '<script type="module" src="/_next/static/chunks/islands-' in head


async def test_a_page_without_islands_gets_no_island_tags(client: httpx.AsyncClient) -> None:
    document = (await client.get("/")).text
    assert "island" not in document


async def test_the_data_route_carries_the_island_tags_for_in_app_navigations(
    client: httpx.AsyncClient,
) -> None:
    build = json.loads(
        (await client.get("/a"))
        .text.split('"__NEXT_DATA__" type="application/json">')[1]
        .split("</script>")[0]
    )["buildId"]
    headers = {"x-nextjs-data": "1", "x-pagemill-render": "1"}
    answer = (await client.get(f"/_next/data/{build}/badge/3.json", headers=headers)).json()
    assert "badge.js" in answer["__pagemill"]["head"]
    assert '<script type="module"' in answer["__pagemill"]["head"]
    assert 'data-island="badge"' in answer["__pagemill"]["body"]


async def test_island_files_are_served_by_path_for_good(client: httpx.AsyncClient) -> None:
    head = head_of((await client.get("/a")).text)
    prefix = head.split('href="')[1].rsplit("/", 1)[0]
    for path, text in [("counter.js", "export function mount"), ("vendor/format.js", "format")]:
        response = await client.get(f"{prefix}/{path}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/javascript; charset=utf-8"
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert text in response.text
    assert (await client.get("/_next/static/islands/000000000000/counter.js")).status_code == 404
    assert (await client.get(f"{prefix}/nope.js")).status_code == 404


def test_an_edit_under_islands_changes_the_prefix_and_the_build_id(tmp_path: Path) -> None:
    from pagemill.assets import ClientAssets
    from pagemill.buildid import content_build_id
    from pagemill.islands import Islands

    app = copy_app(tmp_path)
    before = Islands(app, "", "/x.js").prefix, content_build_id(app, "")
    (app / "islands" / "vendor" / "format.js").write_text("export const format = () => '';\n")
    after = Islands(app, "", "/x.js").prefix, content_build_id(app, "")
    assert before[0] != after[0] and before[1] != after[1]
    assert "islands.js" in ClientAssets().url_of


def test_the_island_runtime_stays_under_2_kb_gzipped() -> None:
    runtime = Path(pagemill.__file__).parent / "client" / "islands.js"
    assert len(gzip.compress(runtime.read_bytes(), 9)) < 2048


# -- The build summary and dev ----------------------------------------------------------------


def test_the_build_summary_lists_each_page_s_islands_and_their_sizes(tmp_path: Path) -> None:
    app = copy_app(tmp_path)
    result = CliRunner().invoke(main, ["build", str(app)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Islands: islands/ served"))
    summary = [line.split() for line in lines[start + 1 : start + 10]]
    assert summary[2][0] == "counter" and summary[2][-2:] == ["+", "vendor/format.js"]
    counter_gzipped = " ".join(summary[2][3:5])
    assert summary[3] == [
        "Islands",
        "by",
        "page",
        "(their",
        "JavaScript",
        "gzipped,",
        "shared",
        "imports",
        "once):",
    ]
    by_page = {row[0]: (" ".join(row[1:3]), row[3:]) for row in summary[4:9]}
    assert by_page["/a"] == (counter_gzipped, ["counter"])
    assert by_page["/badge/[n]"][1] == ["badge"]
    assert (app / ".pagemill" / "static" / "islands").is_dir()


def test_the_build_fails_on_an_unknown_island(tmp_path: Path) -> None:
    app = copy_app(tmp_path)
    (app / "pages" / "typo.py").write_text(
        "from pagemill import island\n\ndef page(props):\n    return island('countre')\n"
    )
    result = CliRunner().invoke(main, ["build", str(app)])
    assert result.exit_code == 1
    assert 'pages/typo.py, line 4: there is no island "countre"' in result.output


def test_dev_tells_the_browser_which_islands_changed(tmp_path: Path) -> None:
    island_file = str(tmp_path / "islands" / "counter.js")
    shared = str(tmp_path / "islands" / "vendor" / "format.js")
    page = str(tmp_path / "pages" / "a.py")
    assert change_kind([(Change.modified, island_file)], tmp_path) == "islands"
    assert changed_islands([(Change.modified, island_file)], tmp_path) == ["counter"]
    assert changed_islands([(Change.modified, shared)], tmp_path) is None  # all of them
    assert change_kind([(Change.modified, island_file), (Change.modified, page)], tmp_path) == (
        "reload"
    )
