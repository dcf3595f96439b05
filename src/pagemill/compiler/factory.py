"""The compiled function made: a factory around the rewritten `def`, and its per-call guard.

The factory's parameters are the runtime helpers and constants, so the new function reaches
them as free variables, shares the module's globals, and adds no name to the module.
"""

from __future__ import annotations

import ast
import types
from collections.abc import Callable, Mapping
from typing import Any

from . import runtime
from .source import ModuleSource
from .transform import (
    ATTR,
    CHILD,
    ESCAPE,
    FRAGMENT,
    MARKUP,
    OPEN_TAG,
    RENDER,
    RESERVED_PREFIX,
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
ORIGINAL, FRESH = f"{RESERVED_PREFIX}original", f"{RESERVED_PREFIX}fresh"


def guarded(
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


def instantiate(
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
