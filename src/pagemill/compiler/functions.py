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

_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag

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
    if type(func) is not types.FunctionType:
        raise NotCompiled(f"not a plain function (a {type(func).__name__})")
    code = func.__code__
    if func.__closure__:
        raise NotCompiled("it is a closure")
    if code.co_flags & _NOT_PLAIN:
        raise NotCompiled("it is a generator or async function")
    if code.co_name == "<lambda>":
        raise NotCompiled("it is a lambda")
    if func.__globals__ is not namespace:
        raise NotCompiled("it is defined in another module")
    if func.__qualname__ != func.__name__:
        raise NotCompiled("it is not defined at module level")
    node = _definition(source.tree, code)
    if node is None or not _same_code(_code_of(source.code, code), code):
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

    bound = _bound_names(node) | source.rebound

    def lookup(name: str) -> tuple[bool, Any]:
        if name in bound or name not in namespace:
            return False, None
        return True, namespace[name]

    rewriter = Rewriter(lookup)
    new = _rewritten(node, rewriter)
    if not rewriter.compiled:
        raise NotCompiled("nothing to compile: it returns no element expression")
    return _instantiate(func, new, rewriter.constants, source, code.co_flags & _FUTURE_FLAGS)


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
    """Rewrites the function's own `return` statements (not those of nested functions)."""

    def __init__(self, rewriter: Rewriter) -> None:
        self.rewriter = rewriter

    def visit_Return(self, node: ast.Return) -> ast.Return:
        if node.value is None:
            return node
        before = self.rewriter.compiled
        chunk = self.rewriter.render(node.value)
        if self.rewriter.compiled == before:
            return node
        if chunk.static:
            from markupsafe import Markup

            value = self.rewriter.constant(Markup(chunk.expr().value))  # type: ignore[attr-defined]
        else:
            value = ast.Call(ast.Name(MARKUP, ast.Load()), [chunk.expr()], [])
        return ast.copy_location(ast.Return(value), node)

    def _nested(self, node: ast.AST) -> ast.AST:
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = _nested


def _rewritten(node: ast.FunctionDef, rewriter: Rewriter) -> ast.FunctionDef:
    new = copy.deepcopy(node)
    # Defaults and annotations were evaluated when the module ran: the new function gets the
    # same objects (below), not a second evaluation.
    new.decorator_list = []
    new.returns = None
    for arg in _arguments(new.args):
        arg.annotation = None
    new.args.defaults = [ast.Constant(None) for _ in new.args.defaults]
    new.args.kw_defaults = [None if d is None else ast.Constant(None) for d in new.args.kw_defaults]
    returns = _Returns(rewriter)
    new.body = [returns.visit(statement) for statement in new.body]
    return new


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
    constants: Mapping[str, Any],
    source: ModuleSource,
    flags: int,
) -> Callable[..., Any]:
    """Run the factory around the rewritten `def` to get the function, with the original's
    globals, defaults, annotations and name."""
    parameters = [*RUNTIME, *constants]
    factory = ast.FunctionDef(
        name=FACTORY,
        args=ast.arguments(
            posonlyargs=[],
            args=[ast.arg(name) for name in parameters],
            kwonlyargs=[],
            kw_defaults=[],
            defaults=[],
        ),
        body=[node, ast.Return(ast.Name(node.name, ast.Load()))],
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
    new: Any = make(*RUNTIME.values(), *constants.values())
    new.__defaults__ = func.__defaults__
    new.__kwdefaults__ = func.__kwdefaults__
    new.__annotations__ = func.__annotations__
    new.__qualname__ = func.__qualname__
    new.__doc__ = func.__doc__
    new.__dict__.update(func.__dict__)
    return new  # type: ignore[no-any-return]
