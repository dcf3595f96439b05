"""Loading an app: every page-contract and route error reported together, naming files."""

from pathlib import Path

import pytest

from pagemill.errors import AppLoadError
from pagemill.loader import load_app

PAGE = "def page(props):\n    return 'x'\n"
GSSP = "async def get_server_side_props(ctx):\n    return {'props': {}}\n"


def make_app(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def problems(root: Path, files: dict[str, str]) -> list[str]:
    with pytest.raises(AppLoadError) as info:
        load_app(make_app(root, files))
    return info.value.problems


def test_a_valid_app_loads_with_its_routes(tmp_path: Path) -> None:
    app = load_app(
        make_app(
            tmp_path,
            {
                "pages/index.py": PAGE + GSSP,
                "pages/about.py": PAGE,
                "pages/blog/[slug].py": PAGE + GSSP,
                "pages/_helpers.py": "raise RuntimeError('private modules are not pages')",
                "pages/api/hello.py": "def handler(req, res):\n    return {'hello': 1}\n",
                "pages/404.py": PAGE,
            },
        )
    )
    assert [r.pattern for r in app.routes.routes] == ["/", "/about", "/api/hello", "/blog/[slug]"]
    assert [p.pattern for p in app.pages()] == ["/", "/about", "/blog/[slug]"]
    assert app.not_found_page is not None
    assert app.pages()[1].get_server_side_props is None


def test_no_pages_folder(tmp_path: Path) -> None:
    assert "no `pages/` folder" in problems(tmp_path, {"README": ""})[0]


def test_gssp_with_get_static_props(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pages/a.py": PAGE + GSSP + "def get_static_props(ctx): ...\n"})
    assert found == [
        "pages/a.py:5: `get_static_props` is a Next.js name that pagemill does not use: "
        "pagemill renders every page per request: fetch the data in "
        "`def get_server_side_props(ctx)` and let the response cache keep it (`Cache-Control` "
        "from `ctx.res`)."
    ]


@pytest.mark.parametrize(
    ("defined", "advice"),
    [
        ("getServerSideProps", "name it `get_server_side_props`"),
        ("getStaticProps", "renders every page per request"),
        ("get_static_props", "renders every page per request"),
        ("getStaticPaths", "renders every page per request"),
        ("getInitialProps", "fetch the page's data in `def get_server_side_props(ctx)`"),
    ],
)
def test_nextjs_names_are_load_errors(tmp_path: Path, defined: str, advice: str) -> None:
    """A page ported from Next.js would otherwise build as a static page with empty props."""
    (found,) = problems(tmp_path, {"pages/a.py": f"{PAGE}\n\ndef {defined}(ctx):\n    ...\n"})
    assert found.startswith(f"pages/a.py:5: `{defined}` is a Next.js name")
    assert advice in found


def test_get_initial_props_in_app_is_spelled_the_python_way(tmp_path: Path) -> None:
    files = {"pages/index.py": PAGE, "pages/_app.py": "def getInitialProps(ctx):\n    ...\n"}
    (found,) = problems(tmp_path, files)
    assert found == (
        "pages/_app.py:1: `getInitialProps` is a Next.js name that pagemill does not use: "
        "name it `get_initial_props` (pagemill's spelling)."
    )


def test_gssp_attached_to_the_component(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pages/a.py": PAGE + "page.get_server_side_props = lambda c: {}\n"})
    assert len(found) == 1
    assert found[0].startswith("pages/a.py: `get_server_side_props` is attached to the page")
    assert "module level" in found[0]


@pytest.mark.parametrize("name", ["404", "500", "_error", "_document", "_app"])
def test_gssp_not_allowed_in_special_files(tmp_path: Path, name: str) -> None:
    found = problems(tmp_path, {f"pages/{name}.py": PAGE + GSSP, "pages/index.py": PAGE})
    assert found[0].startswith(f"pages/{name}.py: `{name}.py` cannot have `get_server_side_props`")


def test_page_without_component(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pages/a.py": GSSP, "pages/b.py": "page = 3\n"})
    assert found[0].startswith("pages/a.py: no `page`.")
    assert found[1].startswith("pages/b.py: `page` is a int.")
    assert "def page(props)" in found[0]


def test_gssp_not_callable_or_wrong_arity(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        {
            "pages/a.py": PAGE + "get_server_side_props = {'props': {}}\n",
            "pages/b.py": PAGE + "def get_server_side_props(): ...\n",
            "pages/c.py": PAGE + "def get_server_side_props(ctx, extra): ...\n",
        },
    )
    assert "pages/a.py: `get_server_side_props` is a dict, not a function" in found[0]
    assert found[1].startswith("pages/b.py: `get_server_side_props` must take exactly one")
    assert found[2].startswith("pages/c.py: `get_server_side_props` must take exactly one")


def test_import_errors_name_file_and_line(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        {
            "pages/broken.py": "x = 1\nraise ValueError('boom')\n",
            "pages/syntax.py": "def page(props):\n    return (\n",
        },
    )
    assert found[0] == "pages/broken.py:2: importing the page raised ValueError: boom"
    assert found[1].startswith("pages/syntax.py:2: syntax error:")


def test_route_conflicts_and_page_errors_are_reported_together(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        {
            "pages/blog/[id].py": PAGE,
            "pages/blog/[cid].py": PAGE,
            "pages/a.py": GSSP,
            "pages/shop.py": PAGE,
            "pages/shop/[[...path]].py": PAGE,
        },
    )
    text = "\n".join(found)
    assert "pages/a.py: no `page`" in text
    assert "pages/blog/[cid].py" in text and "pages/blog/[id].py" in text
    assert "different slug names" in text
    assert "pages/shop.py" in text and "optional catch-all" in text


def test_public_file_colliding_with_a_page(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pages/about.py": PAGE, "public/about": "x"})
    assert found == [
        "public/about and pages/about.py: a public file and a page both answer /about. "
        "Rename or remove one of them."
    ]


def test_each_app_imports_its_own_lib(tmp_path: Path) -> None:
    page = "from lib.name import NAME\n\ndef page(props):\n    return NAME\n"
    for name in ("one", "two"):
        app = make_app(
            tmp_path / name,
            {"pages/index.py": page, "lib/__init__.py": "", "lib/name.py": f"NAME = '{name}'\n"},
        )
        loaded = load_app(app)
        assert loaded.routes.routes[0].payload.page({}) == name


def test_app_page_props_must_be_a_dict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    from pagemill.testing import client

    app = make_app(
        tmp_path,
        {
            "pages/_app.py": "def get_initial_props(ctx):\n    return {'page_props': [1]}\n",
            "pages/index.py": PAGE,
        },
    )

    async def fetch() -> int:
        async with client(app) as http:
            return (await http.get("/")).status_code

    assert asyncio.run(fetch()) == 500
    assert "`get_initial_props` returned `page_props` as a list" in capsys.readouterr().err


def test_async_render_functions_are_load_errors(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        {
            "pages/index.py": "async def page(props):\n    return 'x'\n",
            "pages/_app.py": "async def app(page, props, router):\n    return page\n",
        },
    )
    assert found == [
        "pages/_app.py: `app` is `async def`, but rendering is synchronous. Make it a plain "
        "`def app(...)` and fetch data in `get_server_side_props`.",
        "pages/index.py: `page` is `async def`, but rendering is synchronous. Make it a plain "
        "`def page(...)` and fetch data in `get_server_side_props`.",
    ]


def test_an_apps_lib_is_found_after_another_apps_lib_package(tmp_path: Path) -> None:
    """Two apps in one process (tests, `pagemill dev` of another folder): the second app's
    `lib/` (no `__init__.py`) is its own, not the first app's regular package `lib/`."""
    for name, init in (("first", True), ("second", False)):
        lib = tmp_path / name / "lib"
        lib.mkdir(parents=True)
        if init:
            (lib / "__init__.py").write_text("")
        (lib / f"{name}_data.py").write_text(f"WHO = {name!r}\n")
        pages = tmp_path / name / "pages"
        pages.mkdir()
        (pages / "index.py").write_text(
            f"from lib.{name}_data import WHO\n\n\ndef page(props):\n    return WHO\n"
        )
    load_app(tmp_path / "first")
    loaded = load_app(tmp_path / "second")
    assert loaded.routes.match("/") is not None
