"""One function compiled: the checks that it may be, the rewrite of its returns, the new function.

A function takes the fast path only when its source is certainly what was imported (the code
compiled from it is the loaded code), it is a plain module-level `def` (no decorators, no
closure, no generator), and it does not look at its own frame (`locals()`, `eval`...). The
compiled function is built by a factory whose parameters are the runtime helpers, so the new
function shares the module's globals and adds no name to the module.
"""

from __future__ import annotations
import __future__

import ast
import copy
import inspect
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..html import Element
from ..link import LinkElement
from . import runtime
from .transform import (
    ATTR,
    CHILD,
    ESCAPE,
    FRAGMENT,
    MARKUP,
    OPEN_TAG,
    RENDER,
    RESERVED_PREFIX,
    Helper,
    Rewriter,
)

RUNTIME: Mapping[str, Any] = {
    ESCAPE: runtime.escape,
    RENDER: runtime.render,
    CHILD: runtime.child,
    ATTR: runtime.attr,
    OPEN_TAG: runtime.open_tag,
    FRAGMENT: runtime.Fragment,
    MARKUP: runtime.markup,
}
FACTORY = f"{RESERVED_PREFIX}factory"
VARIANT_PREFIX = f"{RESERVED_PREFIX}r_"
ORIGINAL, FRESH = f"{RESERVED_PREFIX}original", f"{RESERVED_PREFIX}fresh"

_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag

# Globals whose value compiled code builds on (a tag's HTML, a helper's variant).
_RELIED_ON = (Element, LinkElement, types.FunctionType)
_NOT_PLAIN = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
# Names whose use means the function may look at its own frame, which compiled code changes.
_FRAME_NAMES = frozenset({"locals", "vars", "eval", "exec"})


@dataclass(frozen=True, slots=True)
class ModuleSource:
    """A page module's source, parsed and compiled once for all its functions."""

    filename: str
    tree: ast.Module
    code: types.CodeType
    rebound: frozenset[str]  # names some function of the module declares `global`

    @classmethod
    def parse(cls, source: str, filename: str) -> ModuleSource:
        tree = ast.parse(source, filename)
        code = compile(tree, filename, "exec", dont_inherit=True)
        rebound = frozenset(
            name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names
        )
        return cls(filename, tree, code, rebound)


class NotCompiled(Exception):
    """Why a function stays on the general path: one short reason."""


def compile_function(
    func: Callable[..., Any], source: ModuleSource, namespace: Mapping[str, Any]
) -> Callable[..., Any]:
    """The fast version of `func`; raises `NotCompiled` with the reason it cannot be made."""
    module = _ModuleCompiler(source, namespace)
    node = module.checked(func)
    new, rewriter, _ = module.rewrite(node, variant=False)
    if not rewriter.compiled:
        raise NotCompiled("nothing to compile: it returns no element expression")
    new.body = _guarded(new, module.resolved, func, module.constants)
    flags = func.__code__.co_flags & _FUTURE_FLAGS
    return _instantiate(func, new, module.variants, module.constants, source, flags)


def _guarded(
    node: ast.FunctionDef, resolved: Mapping[str, Any], func: Any, constants: dict[str, Any]
) -> list[ast.stmt]:
    """The body, after a check that every global the compiled code took as known is still
    the object it was (someone may have assigned the module's `div` or `helper` since):
    if not, the original function runs instead, from the start."""
    checks: list[ast.expr] = []
    for name, value in resolved.items():
        known = f"{RESERVED_PREFIX}g{len(constants)}"
        constants[known] = value
        checks.append(
            ast.Compare(ast.Name(name, ast.Load()), [ast.Is()], [ast.Name(known, ast.Load())])
        )
    constants[ORIGINAL] = func
    fresh = ast.Name(FRESH, ast.Store())
    guard: list[ast.stmt] = (
        [
            ast.Try(
                body=[
                    ast.Assign(
                        [fresh], ast.BoolOp(ast.And(), checks) if len(checks) > 1 else checks[0]
                    )
                ],
                handlers=[
                    ast.ExceptHandler(
                        ast.Name("NameError", ast.Load()),
                        None,
                        [ast.Assign([ast.Name(FRESH, ast.Store())], ast.Constant(False))],
                    )
                ],
                orelse=[],
                finalbody=[],
            ),
            ast.If(
                ast.UnaryOp(ast.Not(), ast.Name(FRESH, ast.Load())),
                [ast.Return(_forwarded(node.args))],
                [],
            ),
        ]
        if checks
        else []
    )
    body = node.body
    docstring = body[:1] if ast.get_docstring(node, clean=False) is not None else []
    return [*docstring, *guard, *body[len(docstring) :]]


def _forwarded(args: ast.arguments) -> ast.expr:
    """`original(...)` passing on every parameter as it was received."""
    positional: list[ast.expr] = [
        ast.Name(a.arg, ast.Load()) for a in [*args.posonlyargs, *args.args]
    ]
    if args.vararg:
        positional.append(ast.Starred(ast.Name(args.vararg.arg, ast.Load()), ast.Load()))
    keywords = [ast.keyword(a.arg, ast.Name(a.arg, ast.Load())) for a in args.kwonlyargs]
    if args.kwarg:
        keywords.append(ast.keyword(None, ast.Name(args.kwarg.arg, ast.Load())))
    return ast.Call(ast.Name(ORIGINAL, ast.Load()), positional, keywords)


class _ModuleCompiler:
    """A page function compiled with the render variants of the helpers it calls: functions
    of the same module (made once each) and functions defined in its own body."""

    def __init__(self, source: ModuleSource, namespace: Mapping[str, Any]) -> None:
        self.source = source
        self.namespace = namespace
        self.constants: dict[str, Any] = {}
        self.helpers: dict[str, Helper | None] = {}  # None: no variant (or being made)
        self.variants: list[tuple[ast.FunctionDef, Callable[..., Any]]] = []
        # Module globals the compiled code took as known (tags, helpers): checked per call.
        self.resolved: dict[str, Any] = {}

    def checked(self, func: Any) -> ast.FunctionDef:
        """The `def` of a module-level function that may be compiled, else `NotCompiled`."""
        if type(func) is not types.FunctionType:
            raise NotCompiled(f"not a plain function (a {type(func).__name__})")
        code = func.__code__
        if func.__closure__:
            raise NotCompiled("it is a closure")
        if code.co_flags & _NOT_PLAIN:
            raise NotCompiled("it is a generator or async function")
        if code.co_name == "<lambda>":
            raise NotCompiled("it is a lambda")
        if func.__globals__ is not self.namespace:
            raise NotCompiled("it is defined in another module")
        if func.__qualname__ != func.__name__:
            raise NotCompiled("it is not defined at module level")
        node = _definition(self.source.tree, code)
        if node is None or not _same_code(_code_of(self.source.code, code), code):
            raise NotCompiled("its source does not match the loaded code")
        if node.decorator_list:
            raise NotCompiled("it is decorated")
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
            a.arg for a in ast.walk(node) if isinstance(a, ast.arg)
        }
        if any(name.startswith(RESERVED_PREFIX) for name in names):
            raise NotCompiled(f"it uses a name starting with {RESERVED_PREFIX}")
        if names & _FRAME_NAMES:
            raise NotCompiled(f"it calls {sorted(names & _FRAME_NAMES)[0]}()")
        return node

    def module_helper(self, name: str) -> Helper | None:
        """The render variant of the module's function `name`, made on first use."""
        if name in self.helpers:
            return self.helpers[name]
        self.helpers[name] = None  # a recursive call stays as written
        func = self.namespace[name]
        try:
            node = self.checked(func)
            new, rewriter, pure = self.rewrite(node, variant=True)
        except NotCompiled:
            return None
        if not rewriter.compiled:
            return None
        new.name = f"{VARIANT_PREFIX}{name}"
        self.variants.append((new, func))
        helper = self.helpers[name] = Helper(new.name, pure)
        return helper

    def rewrite(
        self, node: ast.FunctionDef, *, variant: bool
    ) -> tuple[ast.FunctionDef, Rewriter, bool]:
        """A copy of a module-level `def` with its returns rendered; a variant returns the
        HTML from every return (else `NotCompiled`). Also: whether all of them are pure."""
        bound = _bound_names(node) | self.source.rebound
        namespace = self.namespace

        resolved = self.resolved

        def lookup(name: str) -> tuple[bool, Any]:
            if name in bound or name not in namespace:
                return False, None
            value = namespace[name]
            if type(value) in _RELIED_ON or value is Markup:
                resolved[name] = value
            return True, value

        rewriter = Rewriter(
            lookup,
            self.constants,
            module_helper=self.module_helper,
            inert_names=_parameters(node, node),
        )
        new = copy.deepcopy(node)
        # Defaults and annotations were evaluated when the module ran: the new function gets
        # the same objects (`_instantiate`), not a second evaluation.
        new.decorator_list = []
        _strip_annotations(new)
        new.args.defaults = [ast.Constant(None) for _ in new.args.defaults]
        new.args.kw_defaults = [
            None if d is None else ast.Constant(None) for d in new.args.kw_defaults
        ]
        returns = _Returns(rewriter, variant=variant)
        new.body = self.statements(new.body, node, rewriter, returns)
        if returns.failed:
            raise NotCompiled(returns.failed)
        return new, rewriter, returns.pure

    def statements(
        self,
        body: list[ast.stmt],
        function: ast.FunctionDef,
        rewriter: Rewriter,
        returns: _Returns,
    ) -> list[ast.stmt]:
        """The body with its returns rewritten; each helper it defines gets its variant,
        defined right after it (so it closes over the same variables)."""
        out: list[ast.stmt] = []
        for statement in body:
            if not isinstance(statement, ast.FunctionDef):
                out.append(returns.visit(statement))
                continue
            out.append(statement)
            if not _nested_helper(statement, function):
                continue
            inner = Rewriter(
                rewriter.lookup,
                self.constants,
                module_helper=self.module_helper,
                local_helpers=dict(rewriter.local_helpers),
                inert_names=_parameters(statement, function),
            )
            variant = copy.deepcopy(statement)
            _strip_annotations(variant)
            inner_returns = _Returns(inner, variant=True)
            variant.body = self.statements(variant.body, function, inner, inner_returns)
            if inner_returns.failed or not inner.compiled:
                continue
            variant.name = f"{VARIANT_PREFIX}{statement.name}"
            out.append(variant)
            rewriter.local_helpers[statement.name] = Helper(variant.name, inner_returns.pure)
        if returns.variant:
            out.append(ast.Return(ast.Constant("")))  # falling off the end renders None: ""
        return out


def _nested_helper(node: ast.FunctionDef, function: ast.FunctionDef) -> bool:
    """Whether a `def` in a function's body may get a render variant beside it: undecorated,
    not a generator, constant defaults (they are evaluated again), its name bound only by
    this `def` anywhere in the function."""
    if node.decorator_list:
        return False
    if any(isinstance(n, ast.Yield | ast.YieldFrom | ast.Await) for n in ast.walk(node)):
        return False
    defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
    if not all(isinstance(d, ast.Constant) for d in defaults):
        return False
    return _binding_count(function, node.name) == 1


def _binding_count(node: ast.AST, name: str) -> int:
    count = 0
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
            count += sub.id == name
        elif isinstance(sub, ast.arg):
            count += sub.arg == name
        elif isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            count += sub.name == name
        elif isinstance(sub, ast.Global | ast.Nonlocal | ast.Import | ast.ImportFrom):
            count += 2  # harder to follow than worth it: never a helper
    return count


def _parameters(node: ast.FunctionDef, function: ast.FunctionDef) -> frozenset[str]:
    """The parameters of `node` that nothing in `function` (which holds it) binds again."""
    names = [arg.arg for arg in _arguments(node.args)]
    return frozenset(name for name in names if _binding_count(function, name) == 1)


def _strip_annotations(node: ast.FunctionDef) -> None:
    node.returns = None
    for arg in _arguments(node.args):
        arg.annotation = None


def _definition(tree: ast.Module, code: types.CodeType) -> ast.FunctionDef | None:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == code.co_name:
            first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            if first == code.co_firstlineno:
                return node
    return None


def _code_of(module: types.CodeType, code: types.CodeType) -> types.CodeType | None:
    for const in module.co_consts:
        if (
            isinstance(const, types.CodeType)
            and const.co_name == code.co_name
            and const.co_firstlineno == code.co_firstlineno
        ):
            return const
    return None


def _same_code(a: types.CodeType | None, b: types.CodeType) -> bool:
    if a is None:
        return False
    if (a.co_code, a.co_names, a.co_varnames, a.co_freevars) != (
        b.co_code,
        b.co_names,
        b.co_varnames,
        b.co_freevars,
    ):
        return False
    if len(a.co_consts) != len(b.co_consts):
        return False
    for x, y in zip(a.co_consts, b.co_consts, strict=True):
        if isinstance(x, types.CodeType) and isinstance(y, types.CodeType):
            if not _same_code(x, y):
                return False
        elif type(x) is not type(y) or x != y:
            return False
    return True


def _bound_names(node: ast.AST) -> set[str]:
    """Every name the function (or anything nested in it) binds: those may not be globals."""
    bound: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
            bound.add(sub.id)
        elif isinstance(sub, ast.arg):
            bound.add(sub.arg)
        elif isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(sub.name)
        elif isinstance(sub, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).partition(".")[0] for a in sub.names)
        elif isinstance(sub, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and sub.name:
            bound.add(sub.name)
        elif isinstance(sub, ast.MatchMapping) and sub.rest:
            bound.add(sub.rest)
        elif isinstance(sub, ast.Global | ast.Nonlocal):
            bound.update(sub.names)
    return bound


class _Returns(ast.NodeTransformer):
    """Rewrites a function's own `return` statements (not those of nested functions).

    A top-level function returns `Markup` of its HTML where something compiled, else what it
    returned. A render variant returns the HTML from every return. HTML whose rendering does
    work the general path does after the function has returned (a generator, an unknown
    value) is not rendered inside a `try` or `with`, whose exits run in between.
    """

    def __init__(self, rewriter: Rewriter, *, variant: bool) -> None:
        self.rewriter = rewriter
        self.variant = variant
        self.pure = True
        self.failed: str | None = None
        self._guarded = 0

    def visit_Return(self, node: ast.Return) -> ast.Return:
        if node.value is None:
            return ast.copy_location(ast.Return(ast.Constant("")), node) if self.variant else node
        before = self.rewriter.compiled
        chunk = self.rewriter.render(node.value)
        if not chunk.pure and self._guarded:
            self.failed = "it returns a value to render later from inside try/with"
            return node
        self.pure = self.pure and chunk.pure
        if self.variant:
            return ast.copy_location(ast.Return(chunk.expr()), node)
        if self.rewriter.compiled == before:
            return node
        if chunk.static:
            value = self.rewriter.constant(Markup(chunk.expr().value))  # type: ignore[attr-defined]
        else:
            value = ast.Call(ast.Name(MARKUP, ast.Load()), [chunk.expr()], [])
        return ast.copy_location(ast.Return(value), node)

    def _guard(self, node: ast.AST) -> ast.AST:
        self._guarded += 1
        try:
            return self.generic_visit(node)
        finally:
            self._guarded -= 1

    def _nested(self, node: ast.AST) -> ast.AST:
        return node

    visit_Try = visit_TryStar = visit_With = visit_AsyncWith = _guard
    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = _nested


def _arguments(args: ast.arguments) -> Iterator[ast.arg]:
    yield from args.posonlyargs
    yield from args.args
    yield from args.kwonlyargs
    if args.vararg:
        yield args.vararg
    if args.kwarg:
        yield args.kwarg


def _instantiate(
    func: Callable[..., Any],
    node: ast.FunctionDef,
    variants: list[tuple[ast.FunctionDef, Callable[..., Any]]],
    constants: Mapping[str, Any],
    source: ModuleSource,
    flags: int,
) -> Callable[..., Any]:
    """Run the factory around the rewritten `def` (and the module-level variants it calls)
    to get the function, with the original's globals, defaults, annotations and name."""
    parameters = [*RUNTIME, *constants]
    made = [node, *(variant for variant, _ in variants)]
    factory = ast.FunctionDef(
        name=FACTORY,
        args=ast.arguments(
            posonlyargs=[],
            args=[ast.arg(name) for name in parameters],
            kwonlyargs=[],
            kw_defaults=[],
            defaults=[],
        ),
        body=[
            *made,
            ast.Return(ast.Tuple([ast.Name(d.name, ast.Load()) for d in made], ast.Load())),
        ],
        decorator_list=[],
        lineno=node.lineno,
        col_offset=0,
        end_lineno=node.end_lineno,
        end_col_offset=0,
    )
    module = ast.fix_missing_locations(ast.Module([factory], type_ignores=[]))
    code = compile(module, source.filename, "exec", flags=flags, dont_inherit=True)
    factory_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    make = types.FunctionType(factory_code, func.__globals__, FACTORY)
    new, *made_variants = make(*RUNTIME.values(), *constants.values())
    originals = [func, *(original for _, original in variants)]
    for made_function, original in zip([new, *made_variants], originals, strict=True):
        made_function.__defaults__ = original.__defaults__
        made_function.__kwdefaults__ = original.__kwdefaults__
    new.__annotations__ = func.__annotations__
    new.__qualname__ = func.__qualname__
    new.__doc__ = func.__doc__
    new.__dict__.update(func.__dict__)
    return new  # type: ignore[no-any-return]
