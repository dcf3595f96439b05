"""Loading an app from disk: page modules imported by path, checked, and put in a route table."""

from __future__ import annotations

import importlib.util
import inspect
import sys
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from .api import ApiRoute, api_route_problems, load_api_route
from .bodies import DEFAULT_BODY_LIMIT, parse_size
from .compiler import Renderer, compile_renderers
from .config import CONFIG_FILE, Config, load_config
from .errors import AppLoadError, PagemillError
from .routing import Route, RouteTable, route_pattern
from .rules import Rules, compile_rules

PAGES_DIR = "pages"
PUBLIC_DIR = "public"
SPECIAL_PAGES = ("_app", "_document", "_error", "404", "500")
NO_GSSP = ("404", "500", "_error", "_document", "_app")


@dataclass(frozen=True, slots=True)
class Page:
    """A loaded page module: what the pipeline calls for it."""

    pattern: str
    source: str
    page: Callable[..., Any]
    head: Callable[..., Any] | None
    get_server_side_props: Callable[..., Any] | None
    gssp_is_async: bool
    # Bytes `ctx.req.body()` may read: `config = {"body_size_limit": "5mb"}` or the app's.
    body_limit: int = DEFAULT_BODY_LIMIT
    # `page` and `head` as the pipeline calls them: compiled to the fast path when they can be.
    renderers: tuple[Renderer, ...] = ()
    # Whether `page` and `head` take the router as a second parameter: `page(props, router)`.
    takes_router: tuple[bool, bool] = (False, False)


@dataclass(frozen=True, slots=True)
class AppModule:
    """`pages/_app.py`: the layout and `get_initial_props`, both optional."""

    source: str | None = None
    layout: Callable[..., Any] | None = None
    get_initial_props: Callable[..., Any] | None = None
    gip_is_async: bool = False
    renderers: tuple[Renderer, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentModule:
    """`pages/_document.py`: the document shell's attributes and extra content."""

    html_attrs: Mapping[str, Any]
    body_attrs: Mapping[str, Any]
    head: Any
    body_end: Any


@dataclass(frozen=True, slots=True)
class LoadedApp:
    app_dir: Path
    config: Config
    routes: RouteTable[Page | ApiRoute]
    app: AppModule
    document: DocumentModule
    not_found_page: Page | None
    server_error_page: Page | None
    error_page: Page | None
    public_files: Mapping[str, Path]
    rules: Rules

    def pages(self) -> list[Page]:
        """The routed pages (not API routes), in match order."""
        return [r.payload for r in self.routes.routes if isinstance(r.payload, Page)]


def load_app(app_dir: str | Path) -> LoadedApp:
    """Import every page under `app_dir/pages`, check it, and build the route table.

    Every problem found (import errors, page-contract errors, route conflicts, public files
    that collide with pages) is raised together in one `AppLoadError`.
    """
    app_dir = Path(app_dir).resolve()
    pages_dir = app_dir / PAGES_DIR
    if not pages_dir.is_dir():
        raise AppLoadError([f"{app_dir}: no `{PAGES_DIR}/` folder. Create {pages_dir}/index.py."])
    config = load_config(app_dir)
    put_app_on_path(app_dir)

    body_limit = parse_size(config.server.body_size_limit) or DEFAULT_BODY_LIMIT
    problems: list[str] = []
    routes: list[Route[Page | ApiRoute]] = []
    specials: dict[str, ModuleType] = {}
    renderers: dict[str, dict[str, Renderer]] = {}
    for path in page_files(pages_dir):
        rel = path.relative_to(pages_dir).as_posix()
        source = f"{PAGES_DIR}/{rel}"
        name = rel[: -len(".py")]
        try:
            module = import_page(path, source)
        except PagemillError as exc:
            problems.append(str(exc))
            continue
        problems.extend(contract_problems(module, source, name))
        renderers[name] = _renderers(module, path, name)
        if name in SPECIAL_PAGES:
            specials[name] = module
            continue
        page = _page_from_module(module, route_pattern(rel), source, renderers[name], body_limit)
        if page is not None:
            routes.append(Route(pattern=page.pattern, source=source, payload=page))

    for path in api_files(pages_dir):
        rel = path.relative_to(pages_dir).as_posix()
        source = f"{PAGES_DIR}/{rel}"
        try:
            module = import_page(path, source)
        except PagemillError as exc:
            problems.append(str(exc))
            continue
        found = api_route_problems(module, source)
        problems.extend(found)
        if not found:
            api = load_api_route(module, source, body_limit)
            routes.append(Route(pattern=route_pattern(rel), source=source, payload=api))

    rules, rule_problems = compile_rules(config)
    problems.extend(f"{app_dir / CONFIG_FILE}: {problem}" for problem in rule_problems)

    table: RouteTable[Page | ApiRoute] | None = None
    try:
        table = RouteTable.build(routes)
    except AppLoadError as exc:
        problems.extend(exc.problems)
    public_files = find_public_files(app_dir / PUBLIC_DIR)
    if table is not None:
        problems.extend(_public_collisions(public_files, table))
    if problems or table is None:
        raise AppLoadError(problems)

    def special_page(name: str) -> Page | None:
        module = specials.get(name)
        if module is None:
            return None
        return _page_from_module(module, f"/{name}", f"pages/{name}.py", renderers[name])

    return LoadedApp(
        app_dir=app_dir,
        config=config,
        routes=table,
        app=_app_module(specials.get("_app"), renderers.get("_app", {})),
        document=_document_module(specials.get("_document")),
        not_found_page=special_page("404"),
        server_error_page=special_page("500"),
        error_page=special_page("_error"),
        public_files=public_files,
        rules=rules,
    )


# App folders this process put on sys.path: one at a time, or an earlier app's regular
# package `lib/` would win over this app's namespace package `lib/`.
_APP_PATHS: list[str] = []


def put_app_on_path(app_dir: Path) -> None:
    """Make `import lib...` in pages find this app's modules, not another app's cached ones."""
    for earlier in [*_APP_PATHS, str(app_dir)]:
        while earlier in sys.path:
            sys.path.remove(earlier)
    _APP_PATHS[:] = [str(app_dir)]
    sys.path.insert(0, str(app_dir))
    own = {p.stem for p in app_dir.glob("*.py")} | {p.name for p in app_dir.iterdir() if p.is_dir()}
    for name in list(sys.modules):
        top = name.partition(".")[0]
        if top in own and not _defined_in(sys.modules[name], app_dir):
            del sys.modules[name]


def forget_app_modules(app_dir: Path) -> None:
    """Drop every module loaded from the app (pages, `lib/`…), so the next load reads the files."""
    for name, module in list(sys.modules.items()):
        if name.startswith("pagemill.app.") or _defined_in(module, app_dir):
            del sys.modules[name]


def _defined_in(module: ModuleType, app_dir: Path) -> bool:
    locations = [getattr(module, "__file__", None), *getattr(module, "__path__", [])]
    return any(loc is not None and Path(loc).is_relative_to(app_dir) for loc in locations)


def page_files(pages_dir: Path) -> list[Path]:
    """Page modules under `pages/`: API routes and private `_helpers.py` are not pages."""
    return [
        path
        for path in _modules_under(pages_dir, pages_dir)
        if path.relative_to(pages_dir).parts[0] != "api"
    ]


def api_files(pages_dir: Path) -> list[Path]:
    """API route modules: everything under `pages/api/` but private `_helpers.py`."""
    return _modules_under(pages_dir / "api", pages_dir)


def _modules_under(folder: Path, pages_dir: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(pages_dir)
        if "__pycache__" in rel.parts:
            continue
        private = [part for part in rel.parts if part.startswith(("_", "."))]
        if private and not (len(rel.parts) == 1 and path.stem in SPECIAL_PAGES):
            continue
        found.append(path)
    return found


def import_page(path: Path, source: str) -> ModuleType:
    """Import a page file as its own module (its name may hold brackets, so by path)."""
    module_name = f"pagemill.app.{source}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        del sys.modules[module_name]
        raise PagemillError(f"{source}:{exc.lineno}: syntax error: {exc.msg}") from exc
    except Exception as exc:
        del sys.modules[module_name]
        line = _line_in(exc, path)
        where = f"{source}:{line}" if line else source
        raise PagemillError(
            f"{where}: importing the page raised {type(exc).__name__}: {exc}"
        ) from exc
    return module


def contract_problems(module: ModuleType, source: str, name: str) -> list[str]:
    """The load-time rules for one page module, each naming the file."""
    problems = []
    gssp = getattr(module, "get_server_side_props", None)
    component = getattr(module, "page", None)
    if gssp is not None and name in NO_GSSP:
        allowed = " (`_app.py` may define `get_initial_props` instead)" if name == "_app" else ""
        problems.append(
            f"{source}: `{name}.py` cannot have `get_server_side_props`{allowed}. Remove it."
        )
    elif gssp is not None:
        problems.extend(_gssp_signature_problems(gssp, source))
    problems.extend(_foreign_name_problems(module, source, name))
    if component is not None and hasattr(component, "get_server_side_props"):
        problems.append(
            f"{source}: `get_server_side_props` is attached to the page component "
            "(`page.get_server_side_props = ...`); it must be a function defined at module "
            "level: `def get_server_side_props(ctx): ...`."
        )
    if name not in ("_app", "_document") and not callable(component):
        what = "no `page`" if component is None else f"`page` is a {type(component).__name__}"
        problems.append(
            f"{source}: {what}. A page module must define the component "
            "`def page(props): ...` returning what to render."
        )
    problems.extend(_page_config_problems(getattr(module, "config", {}), source))
    head = getattr(module, "head", None)
    if head is not None and name != "_document" and not callable(head):
        problems.append(f"{source}: `head` must be a function `def head(props): ...`.")
    if name not in ("_app", "_document"):
        for renderer in (component, head):
            if callable(renderer) and takes_router(renderer) is None:
                kind = "page" if renderer is component else "head"
                problems.append(
                    f"{source}: `{kind}` must take the props, and may take the router "
                    f"second: `def {kind}(props): ...` or `def {kind}(props, router): ...`."
                )
    renderers = ("app",) if name == "_app" else ("page", "head")
    for renderer in renderers:
        if inspect.iscoroutinefunction(getattr(module, renderer, None)):
            problems.append(
                f"{source}: `{renderer}` is `async def`, but rendering is synchronous. Make it "
                f"a plain `def {renderer}(...)` and fetch data in `get_server_side_props`."
            )
    return problems


# Names a page ported from Next.js (or written from its docs) may define, which pagemill
# would otherwise ignore without a word: what to write instead.
_STATIC_GENERATION = (
    "pagemill renders every page per request: fetch the data in "
    "`def get_server_side_props(ctx)` and let the response cache keep it (`Cache-Control` "
    "from `ctx.res`)"
)
_FOREIGN_NAMES = {
    "getServerSideProps": "name it `get_server_side_props` (pagemill's spelling)",
    "getStaticProps": _STATIC_GENERATION,
    "get_static_props": _STATIC_GENERATION,
    "getStaticPaths": _STATIC_GENERATION,
    "get_static_paths": _STATIC_GENERATION,
    "getInitialProps": "fetch the page's data in `def get_server_side_props(ctx)`",
}


def _foreign_name_problems(module: ModuleType, source: str, name: str) -> list[str]:
    """Next.js names in a page module, each an error naming the file, line and what to use."""
    problems = []
    for foreign, advice in _FOREIGN_NAMES.items():
        value = getattr(module, foreign, None)
        if value is None:
            continue
        if name == "_app" and foreign == "getInitialProps":
            advice = "name it `get_initial_props` (pagemill's spelling)"
        code = getattr(value, "__code__", None)
        where = f"{source}:{code.co_firstlineno}" if code is not None else source
        problems.append(
            f"{where}: `{foreign}` is a Next.js name that pagemill does not use: {advice}."
        )
    return problems


def _page_config_problems(config: object, source: str) -> list[str]:
    example = '`config = {"body_size_limit": "5mb"}`'
    if not isinstance(config, dict):
        return [f"{source}: `config` must be a dict like {example}; got {config!r}."]
    problems = [
        f"{source}: `config` has an unknown key {key!r}: a page's `config` takes only "
        f"`body_size_limit`, like {example}."
        for key in config
        if key != "body_size_limit"
    ]
    if "body_size_limit" in config and parse_size(config["body_size_limit"]) is None:
        problems.append(
            f'{source}: `config["body_size_limit"]` is {config["body_size_limit"]!r}: use a '
            'size like "1mb", "500kb" or "1gb", or a number of bytes.'
        )
    return problems


def takes_router(function: Callable[..., Any]) -> bool | None:
    """Whether a page's `page` or `head` takes the router as a second positional parameter
    (`def page(props, router)`); None when it can be called neither with the props alone
    nor with the props and the router."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return False  # a builtin or C callable: called with the props, as before
    for arguments in ((object(), object()), (object(),)):
        try:
            signature.bind(*arguments)
        except TypeError:
            continue
        return len(arguments) == 2
    return None


def _gssp_signature_problems(gssp: object, source: str) -> list[str]:
    if not callable(gssp):
        return [
            f"{source}: `get_server_side_props` is a {type(gssp).__name__}, not a function. "
            "Define it as `async def get_server_side_props(ctx): ...`."
        ]
    try:
        inspect.signature(gssp).bind(object())
    except TypeError:
        return [
            f"{source}: `get_server_side_props` must take exactly one argument, the context: "
            "`def get_server_side_props(ctx): ...`."
        ]
    except ValueError:
        return []
    return []


def _renderers(module: ModuleType, path: Path, name: str) -> dict[str, Renderer]:
    """The module's rendering functions, compiled to the fast path where they can be."""
    names = {"_app": ("app",), "_document": ()}.get(name, ("page", "head"))
    try:
        source = importlib.util.decode_source(path.read_bytes())
    except (OSError, SyntaxError, UnicodeDecodeError):
        source = None
    return compile_renderers(module, source, names)


def _page_from_module(
    module: ModuleType,
    pattern: str,
    source: str,
    renderers: Mapping[str, Renderer],
    body_limit: int = DEFAULT_BODY_LIMIT,
) -> Page | None:
    component = getattr(module, "page", None)
    if not callable(component):
        return None
    gssp = getattr(module, "get_server_side_props", None)
    head = getattr(module, "head", None)
    return Page(
        pattern=pattern,
        source=source,
        page=renderers["page"].function if "page" in renderers else component,
        head=renderers["head"].function if "head" in renderers else head,
        get_server_side_props=gssp if callable(gssp) else None,
        gssp_is_async=inspect.iscoroutinefunction(gssp),
        body_limit=parse_size(getattr(module, "config", {}).get("body_size_limit", body_limit))
        or 0,
        renderers=tuple(renderers.values()),
        takes_router=(
            takes_router(component) is True,
            callable(head) and takes_router(head) is True,
        ),
    )


def _app_module(module: ModuleType | None, renderers: Mapping[str, Renderer]) -> AppModule:
    if module is None:
        return AppModule()
    gip = getattr(module, "get_initial_props", None)
    layout = renderers["app"].function if "app" in renderers else getattr(module, "app", None)
    return AppModule(
        source="pages/_app.py",
        layout=layout,
        get_initial_props=gip,
        gip_is_async=inspect.iscoroutinefunction(gip),
        renderers=tuple(renderers.values()),
    )


def _document_module(module: ModuleType | None) -> DocumentModule:
    def value(name: str, default: Any) -> Any:
        found = getattr(module, name, default)
        # An element is callable too (to set attributes); only plain functions are called.
        return found() if inspect.isfunction(found) else found

    return DocumentModule(
        html_attrs=value("html_attrs", {}),
        body_attrs=value("body_attrs", {}),
        head=value("head", None),
        body_end=value("body_end", None),
    )


def find_public_files(public_dir: Path) -> dict[str, Path]:
    """URL path → file for everything under `public/` (dotfiles excepted)."""
    if not public_dir.is_dir():
        return {}
    files = {}
    for path in sorted(public_dir.rglob("*")):
        rel = path.relative_to(public_dir)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            files["/" + rel.as_posix()] = path
    return files


def _public_collisions(
    public_files: Mapping[str, Path], table: RouteTable[Page | ApiRoute]
) -> list[str]:
    problems = []
    for url in public_files:
        route = table.get(url)
        if route is not None:
            problems.append(
                f"public{url} and {route.source}: a public file and a page both answer {url}. "
                "Rename or remove one of them."
            )
    return problems


def _line_in(exc: BaseException, path: Path) -> int | None:
    """The last line of `path` the exception's traceback passed through."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename) == path:
            line = frame.lineno
    return line


def route_kind(payload: Page | ApiRoute) -> str:
    """How a route answers: `server` (gSSP), `static` (prerendered) or `API`."""
    if isinstance(payload, ApiRoute):
        return "API"
    return "server" if payload.get_server_side_props is not None else "static"
