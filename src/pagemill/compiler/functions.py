"""One function compiled: the checks that it may be, the rewrite of its returns and helpers.

A function takes the fast path only when its source is certainly what was imported
(`source.py`), it is a plain module-level `def` (no decorators, no closure, no generator),
and it does not look at its own frame (`locals()`, `eval`...). Helpers it calls where their
result is only rendered get render variants; `factory.py` makes the new function.
"""

from __future__ import annotations
import __future__

import ast
import copy
import inspect
import types
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup

from ..html import Element
from ..link import LinkElement
from .factory import guarded, instantiate
from .source import (
    ModuleSource,
    arguments,
    binding_count,
    bound_names,
    code_of,
    definition,
    same_code,
)
from .transform import (
    MARKUP,
    RESERVED_PREFIX,
    Helper,
    Rewriter,
)

VARIANT_PREFIX = f"{RESERVED_PREFIX}r_"

_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag

# Globals whose value compiled code builds on (a tag's HTML, a helper's variant).
_RELIED_ON = (Element, LinkElement, types.FunctionType)
_NOT_PLAIN = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
# Names whose use means the function may look at its own frame, which compiled code changes.
_FRAME_NAMES = frozenset({"locals", "vars", "eval", "exec"})


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
    new.body = guarded(new, module.resolved, func, module.constants)
    flags = func.__code__.co_flags & _FUTURE_FLAGS
    return instantiate(func, new, module.variants, module.constants, source, flags)


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
        node = definition(self.source.tree, code)
        if node is None or not same_code(code_of(self.source.code, code), code):
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
        bound = bound_names(node) | self.source.rebound
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
    return binding_count(function, node.name) == 1


def _parameters(node: ast.FunctionDef, function: ast.FunctionDef) -> frozenset[str]:
    """The parameters of `node` that nothing in `function` (which holds it) binds again."""
    names = [arg.arg for arg in arguments(node.args)]
    return frozenset(name for name in names if binding_count(function, name) == 1)


def _strip_annotations(node: ast.FunctionDef) -> None:
    node.returns = None
    for arg in arguments(node.args):
        arg.annotation = None


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
