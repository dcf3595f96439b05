"""A page module's source matched to the code it loaded, and the names its functions bind.

Compiling from source is only sound when the source is what was imported: a function is
found by name and first line, and the code compiled here from its text must be the loaded
function's code, instruction for instruction.
"""

from __future__ import annotations

import ast
import types
from collections.abc import Iterator
from dataclasses import dataclass


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


def definition(tree: ast.Module, code: types.CodeType) -> ast.FunctionDef | None:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == code.co_name:
            first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            if first == code.co_firstlineno:
                return node
    return None


def code_of(module: types.CodeType, code: types.CodeType) -> types.CodeType | None:
    for const in module.co_consts:
        if (
            isinstance(const, types.CodeType)
            and const.co_name == code.co_name
            and const.co_firstlineno == code.co_firstlineno
        ):
            return const
    return None


def same_code(a: types.CodeType | None, b: types.CodeType) -> bool:
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
            if not same_code(x, y):
                return False
        elif type(x) is not type(y) or x != y:
            return False
    return True


def bound_names(node: ast.AST) -> set[str]:
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


def binding_count(node: ast.AST, name: str) -> int:
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


def arguments(args: ast.arguments) -> Iterator[ast.arg]:
    yield from args.posonlyargs
    yield from args.args
    yield from args.kwonlyargs
    if args.vararg:
        yield args.vararg
    if args.kwarg:
        yield args.kwarg
