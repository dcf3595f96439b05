"""Every code sample in docs/ (and the README) runs, and the site builds with no warning.

How a Markdown page's fenced blocks are run (docs/contributing.md says the same for authors):

- A block whose first line names a file of an app (`# pages/blog/[slug].py`, `# lib/db.py`,
  `# pagemill.toml`, `{# templates/book.html #}`, `// islands/rating.js`) is that file of the
  page's example app (a JavaScript one passes `node --check` too).
  The files of one page form one app, written to `<tmp>/myapp`; `<!-- app: NAME -->` starts
  another app (in `<tmp>/NAME`) for the blocks after it.
- The app is served in-process (`pagemill.create_app` + httpx) and checked by every ```http
  block (a request, then the response expected: status, the headers listed, the body; `...`
  matches anything, `BUILD_ID` is the app's build id) and every `<!-- expect: ... -->` line:
  `GET /path [-H "name: value"] [-d BODY] -> STATUS [contains TEXT] [lacks TEXT]
  [header "name: value"] [json JSON] [logs TEXT]`, or `load-error TEXT` for an app that
  must not load.
- Python blocks without a file name run (doctest when they hold `>>>`), in `<tmp>`, so that
  `client("myapp")` finds the app; the `test_*` functions they define are called too.
- `toml` blocks are checked with `pagemill.config.parse_config` (`<!-- config-error: TEXT -->`
  for one that must be refused); `json` blocks parse; `js` blocks pass `node --check`.
- Shell blocks (`sh`, `console`) run their `pagemill ...` commands in `<tmp>` through the CLI
  in-process (`console`: lines after a `$ ` command are expected in its output, spaces
  collapsed); `<!-- exit-code: 1 -->` before one that must fail.
- Anything else, or a block that cannot run offline, carries `<!-- not-run: why -->`; a block
  that is neither run nor marked fails the test of its page.
"""

from __future__ import annotations

import contextlib
import dataclasses
import doctest
import inspect
import json
import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from click.testing import CliRunner

import pagemill
from pagemill.cli import main as cli_main
from pagemill.config import ConfigError, parse_config
from pagemill.errors import AppLoadError
from pagemill.loader import put_app_on_path
from pagemill.rules import compile_rules

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<info>[^`]*)$")
FILE_HEADER = re.compile(
    r"^(?:#|\{#|<!--|//)\s*(?P<path>(?:pages|lib|public|templates|islands)/\S+|pagemill\.toml)"
    r"\s*(?:#\}|-->)?\s*$"
)
SHELL = {"sh", "bash", "shell", "console"}
PYTHON = {"python", "py", "pycon"}
DEFAULT_APP = "myapp"


@dataclasses.dataclass
class Block:
    page: Path
    line: int
    lang: str
    code: str
    app: str
    not_run: str | None = None
    config_error: str | None = None
    exit_code: int = 0

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def file(self) -> str | None:
        first = self.code.split("\n", 1)[0]
        found = FILE_HEADER.match(first)
        return found.group("path") if found else None


@dataclasses.dataclass
class Check:
    where: str
    app: str
    kind: str  # "expect" (one DSL line) or "http" (a block)
    text: str


@dataclasses.dataclass
class Page:
    blocks: list[Block]
    checks: list[Check]


def parse_page(path: Path) -> Page:
    """The fenced blocks and checks of one Markdown page, with their marks and apps."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    checks: list[Check] = []
    app = DEFAULT_APP
    not_run: str | None = None
    config_error: str | None = None
    exit_code = 0
    n = 0
    while n < len(lines):
        line = lines[n]
        stripped = line.strip()
        where = f"{path.relative_to(ROOT)}:{n + 1}"
        if stripped.startswith("<!--"):
            comment = [stripped]
            while not comment[-1].endswith("-->") and n + 1 < len(lines):
                n += 1
                comment.append(lines[n].strip())
            body = " \n".join(comment)[4:-3].strip()
            name, _, rest = body.partition(":") if ":" in body.split()[0] else (body, "", "")
            name = name.strip().split()[0] if name.strip() else ""
            if name == "not-run":
                not_run = rest.strip() or "unmarked reason"
            elif name == "config-error":
                config_error = rest.strip()
            elif name == "exit-code":
                exit_code = int(rest)
            elif name == "app":
                app = rest.strip()
            elif name == "expect":
                text = body[len("expect") :].lstrip(":").strip()
                for item in text.split("\n"):
                    if item.strip():
                        checks.append(Check(where, app, "expect", item.strip()))
            n += 1
            continue
        fence = FENCE.match(line)
        if fence is None:
            n += 1
            continue
        indent, marker = fence.group("indent"), fence.group("fence")
        lang = fence.group("info").strip().split(" ")[0].lower()
        start = n + 1
        body_lines = []
        n += 1
        while n < len(lines) and not lines[n].strip().startswith(marker):
            body_lines.append(lines[n][len(indent) :] if lines[n].startswith(indent) else lines[n])
            n += 1
        n += 1
        code = "\n".join(body_lines) + "\n"
        block = Block(path, start, lang, code, app, not_run, config_error, exit_code)
        not_run = config_error = None
        exit_code = 0
        if lang == "http" and block.not_run is None:
            checks.append(Check(block.where, app, "http", code))
        blocks.append(block)
    return Page(blocks, checks)


# --- serving an app and checking requests ------------------------------------------------


class Served:
    """A page's example app, loaded in-process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.error: AppLoadError | None = None
        self.app: Any = None
        try:
            self.app = pagemill.create_app(folder)
        except AppLoadError as exc:
            self.error = exc

    async def request(
        self, method: str, target: str, headers: dict[str, str], body: bytes | None
    ) -> httpx.Response:
        if self.error is not None:
            raise AssertionError(f"the app in {self.folder.name} did not load: {self.error}")
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
            return await http.request(method, target, headers=headers, content=body)

    async def build_id(self) -> str:
        for path in ("/", "/about", "/blog"):
            response = await self.request("GET", path, {}, None)
            found = re.search(r'"buildId":"([^"]+)"', response.text)
            if found:
                return found.group(1)
        from pagemill.app import load_pagemill

        return load_pagemill(self.folder).build_id


@contextlib.contextmanager
def captured_log() -> Iterator[list[str]]:
    """What the `pagemill` logger says meanwhile, tracebacks included."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(logging.Formatter().format(record))

    handler = Keep()
    logger = logging.getLogger("pagemill")
    logger.addHandler(handler)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


def wildcard(pattern: str) -> re.Pattern[str]:
    """`...` (or `…`) matches anything; the rest literally."""
    parts = re.split(r"\.\.\.|…", pattern)
    return re.compile(".*?".join(re.escape(p) for p in parts), re.S)


async def run_expect(served: Served, check: Check) -> None:
    text = check.text
    if text.startswith("load-error"):
        wanted = shlex.split(text)[1]
        assert served.error is not None, f"{check.where}: the app loaded, expected {wanted!r}"
        assert wanted in str(served.error), f"{check.where}: {served.error}"
        return
    request, arrow, response = re.split(r"\s(->|→)\s", text, maxsplit=1)
    del arrow
    words = shlex.split(request)
    method, target, options = words[0], words[1], words[2:]
    headers: dict[str, str] = {}
    body: bytes | None = None
    while options:
        flag, value = options[0], options[1]
        options = options[2:]
        if flag == "-H":
            name, _, header_value = value.partition(":")
            headers[name.strip()] = header_value.strip()
        elif flag == "-d":
            body = value.encode()
        else:
            raise AssertionError(f"{check.where}: unknown option {flag}")
    build_id = await served.build_id() if "BUILD_ID" in text else ""
    target = target.replace("BUILD_ID", build_id)
    with captured_log() as log:
        got = await served.request(method, target, headers, body)
    said = f"{check.where}: {method} {target} answered {got.status_code}"
    expected = shlex.split(response.replace("BUILD_ID", build_id))
    assert got.status_code == int(expected[0]), f"{said}:\n{got.text[:2000]}"
    rest = expected[1:]
    while rest:
        kind, value = rest[0], rest[1]
        rest = rest[2:]
        if kind == "contains":
            assert value in got.text, f"{said}, without {value!r}:\n{got.text[:3000]}"
        elif kind == "lacks":
            assert value not in got.text, f"{said}, with {value!r}"
        elif kind == "header":
            name, _, header_value = value.partition(":")
            actual = got.headers.get(name.strip())
            if header_value.strip():
                pattern = wildcard(header_value.strip())
                assert actual is not None and pattern.fullmatch(actual), (
                    f"{said}, header {name.strip()}: {actual!r}, expected {header_value.strip()!r}"
                )
            else:
                assert actual is not None, f"{said}, without header {name.strip()}"
        elif kind == "no-header":
            assert value not in got.headers, f"{said}, with header {value}"
        elif kind == "json":
            assert got.json() == json.loads(value), f"{said}: {got.text}"
        elif kind == "logs":
            assert value in "\n".join(log), f"{said}, logging no {value!r}:\n{log}"
        else:
            raise AssertionError(f"{check.where}: unknown expectation {kind}")


async def run_http(served: Served, check: Check) -> None:
    request_text, _, response_text = check.text.partition("\nHTTP/1.1 ")
    assert response_text, f"{check.where}: an http block needs a request and a response"
    build_id = await served.build_id() if "BUILD_ID" in check.text else ""
    request_text = request_text.replace("BUILD_ID", build_id)
    response_text = response_text.replace("BUILD_ID", build_id)
    head, _, req_body = request_text.strip("\n").partition("\n\n")
    request_line, *header_lines = head.split("\n")
    method, target, _ = request_line.split(" ")
    headers = dict(_header(line) for line in header_lines)
    body = req_body.strip("\n").encode() if req_body.strip() else None
    got = await served.request(method, target, headers, body)
    said = f"{check.where}: {method} {target} answered {got.status_code}"
    head, _, expected_body = response_text.strip("\n").partition("\n\n")
    status_line, *expected_headers = head.split("\n")
    assert got.status_code == int(status_line.split(" ")[0]), f"{said}:\n{got.text[:2000]}"
    for line in expected_headers:
        name, value = _header(line)
        actual = got.headers.get(name)
        assert actual is not None and wildcard(value).fullmatch(actual), (
            f"{said}, header {name}: {actual!r}, expected {value!r}"
        )
    expected_body = expected_body.strip("\n")
    if not expected_body:
        return
    if "..." not in expected_body and "…" not in expected_body:
        try:
            assert got.json() == json.loads(expected_body), f"{said}: {got.text}"
            return
        except json.JSONDecodeError:
            pass
    assert wildcard(expected_body).fullmatch(got.text.strip("\n")), (
        f"{said}, body:\n{got.text[:3000]}\nexpected:\n{expected_body}"
    )


def _header(line: str) -> tuple[str, str]:
    name, _, value = line.partition(":")
    return name.strip(), value.strip()


# --- running blocks ----------------------------------------------------------------------


def run_python(block: Block, cwd: Path) -> None:
    if ">>>" in block.code:
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.code, {"__name__": "__docs__"}, block.where, None, 0)
        flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        runner = doctest.DocTestRunner(optionflags=flags)
        output: list[str] = []
        runner.run(test, out=output.append)
        assert runner.failures == 0, f"{block.where}:\n{''.join(output)}"
        return
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    exec(compile(block.code, block.where, "exec"), namespace)
    for name, value in list(namespace.items()):
        if name.startswith("test_") and inspect.isfunction(value):
            if inspect.iscoroutinefunction(value):
                anyio.run(value)
            else:
                value()


def run_shell(block: Block, cwd: Path, env: dict[str, str]) -> None:
    commands: list[tuple[str, list[str]]] = []
    if block.lang == "console":
        for line in block.code.split("\n"):
            if line.startswith("$ "):
                commands.append((line[2:], []))
            elif commands and line.strip():
                commands[-1][1].append(line.rstrip())
    else:
        commands = [(line, []) for line in block.code.split("\n")]
    for command, expected in commands:
        words = shlex.split(command, comments=True)
        if not words:
            continue
        output = run_command(words, cwd, env, block.where, block.exit_code)
        lines = [" ".join(line.split()) for line in output.split("\n")]
        for wanted in expected:
            pattern = wildcard(" ".join(wanted.split()))
            assert any(pattern.fullmatch(line) for line in lines), (
                f"{block.where}: `{command}` printed no line like {wanted!r}:\n{output}"
            )


def run_command(
    words: list[str], cwd: Path, env: dict[str, str], where: str, exit_code: int = 0
) -> str:
    extra = {}
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        extra[name] = value
    if words[:1] == ["export"]:
        for assignment in words[1:]:
            name, _, value = assignment.partition("=")
            env[name] = value
        return ""
    if words[:3] == ["python", "-m", "pagemill"]:
        words = ["pagemill", *words[3:]]
    assert words and words[0] == "pagemill", (
        f"{where}: only `pagemill ...` commands run offline here; mark the block "
        f"<!-- not-run: why --> (it runs {words[0]!r})"
    )
    args = words[1:]
    serves = args[:1] in (["dev"], ["start"]) and "--help" not in args
    assert not serves, f"{where}: `pagemill {args[0]}` serves forever; mark it not-run"
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli_main, args, env={**env, **extra}, prog_name="pagemill")
    finally:
        os.chdir(previous)
    assert result.exit_code == exit_code, (
        f"{where}: `pagemill {' '.join(args)}` exited {result.exit_code}:\n{result.output}"
    )
    return result.output


def run_toml(block: Block) -> None:
    try:
        raw = tomllib.loads(block.code)
    except tomllib.TOMLDecodeError as exc:
        raise AssertionError(f"{block.where}: not TOML: {exc}") from None
    try:
        config = parse_config(raw, block.where)
        _, problems = compile_rules(config)
        if problems:
            raise ConfigError("\n".join(problems))
    except ConfigError as exc:
        if block.config_error is None:
            raise AssertionError(f"{block.where}: refused: {exc}") from None
        assert block.config_error in str(exc), f"{block.where}: {exc}"
        return
    assert block.config_error is None, f"{block.where}: accepted, expected an error"


def run_js(block: Block, tmp: Path) -> None:
    node = shutil.which("node")
    assert node is not None, f"{block.where}: checking JavaScript samples needs node"
    # An ES module (an island) is checked as one.
    module = re.search(r"^(?:import|export)\b", block.code, re.M) is not None
    script = tmp / f"sample-{block.line}.{'mjs' if module else 'js'}"
    script.write_text(block.code)
    done = subprocess.run([node, "--check", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, f"{block.where}:\n{done.stderr}"


def materialize(blocks: list[Block], tmp: Path) -> set[str]:
    """Write each app's files under `tmp/<app>`; the names of the apps written."""
    apps: set[str] = set()
    seen: dict[tuple[str, str], str] = {}
    for block in blocks:
        file = block.file
        if file is None or block.not_run is not None:
            continue
        key = (block.app, file)
        assert key not in seen, f"{block.where}: {file} already given at {seen[key]}"
        seen[key] = block.where
        target = tmp / block.app / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.code, encoding="utf-8")
        apps.add(block.app)
    for app in apps:
        (tmp / app / "pages").mkdir(exist_ok=True)
    return apps


def run_page(path: Path, tmp: Path) -> Counter[str]:
    """Run every block and check of one page; how many of each kind ran."""
    page = parse_page(path)
    counts: Counter[str] = Counter()
    apps = materialize(page.blocks, tmp)
    for block in page.blocks:
        if block.file is not None and block.not_run is None:
            counts["app file"] += 1

    async def check_all() -> None:
        served: dict[str, Served] = {}
        for check in page.checks:
            assert check.app in apps, f"{check.where}: no file of app {check.app!r} before it"
            if check.app not in served:
                served[check.app] = Served(tmp / check.app)
            if check.kind == "http":
                await run_http(served[check.app], check)
            else:
                await run_expect(served[check.app], check)
            counts[f"{check.kind} check"] += 1

    anyio.run(check_all)
    env: dict[str, str] = {"PAGEMILL_CACHE_DIR": str(tmp / ".cache")}
    previous = Path.cwd()
    os.chdir(tmp)
    try:
        for block in page.blocks:
            if block.not_run is not None:
                counts["not-run"] += 1
                continue
            if block.file is not None:
                if block.lang == "toml":
                    run_toml(block)
                elif block.lang in ("js", "javascript"):
                    run_js(block, tmp)
                continue
            if block.lang in PYTHON:
                if block.app in apps:  # its `import lib...` means that app's modules
                    put_app_on_path(tmp / block.app)
                run_python(block, tmp)
                counts["python"] += 1
            elif block.lang == "toml":
                run_toml(block)
                counts["toml"] += 1
            elif block.lang in SHELL:
                run_shell(block, tmp, env)
                counts["shell"] += 1
            elif block.lang == "json":
                json.loads(block.code)
                counts["json"] += 1
            elif block.lang in ("js", "javascript"):
                run_js(block, tmp)
                counts["js"] += 1
            elif block.lang == "http":
                continue  # checked above
            else:
                raise AssertionError(
                    f"{block.where}: a ```{block.lang or '(no language)'} block cannot be run; "
                    "mark it <!-- not-run: why -->"
                )
    finally:
        os.chdir(previous)
        for module in [m for m in sys.modules if m == "lib" or m.startswith("lib.")]:
            del sys.modules[module]
    return counts


@pytest.mark.parametrize("path", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_sample_runs(path: Path, tmp_path: Path) -> None:
    run_page(path, tmp_path)


def test_no_page_links_the_internal_contract() -> None:
    for path in PAGES:
        assert "SPEC" not in path.read_text(encoding="utf-8"), f"{path} mentions the spec"


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    """`mkdocs build --strict`: a warning (a broken link, a page left out of the nav) fails."""
    mkdocs = Path(sys.executable).parent / "mkdocs"
    command = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    done = subprocess.run(
        [*command, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr + done.stdout


def block_counts(tmp: Path) -> Iterator[tuple[str, Counter[str]]]:
    """Per page, what ran (`python tests/test_docs.py` prints it)."""
    for path in PAGES:
        folder = tmp / path.stem
        folder.mkdir()
        yield str(path.relative_to(ROOT)), run_page(path, folder)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("PAGEMILL_CACHE_DIR", str(Path(tmp) / "cache"))
        total: Counter[str] = Counter()
        for name, counts in block_counts(Path(tmp)):
            total += counts
            print(f"{name}: {dict(counts)}")
        print(f"total: {dict(total)}")
