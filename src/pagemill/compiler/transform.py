"""The rewrite itself: element expressions whose value is only rendered become string building.

An expression is in *render position* when all that ever happens to its value is being rendered:
what a page function returns (the pipeline only renders it), the children of an element, the
items of a list or tuple in render position, the branches of a conditional, the body of a
comprehension. There an element expression is replaced by the string it would render: static
parts (the tag, constant attributes, constant children, whole constant subtrees) are rendered
once, here, by `pagemill.html` itself; dynamic values are escaped per request by the same
functions `pagemill.html` uses (`runtime.py`). Anything else is left as the user wrote it.

Evaluation order is kept exactly. The general path evaluates an element's attribute values,
then renders them; evaluates all its children, then renders them (a generator child runs only
then). Compiled code renders a value as soon as it is evaluated only when nothing evaluated
after it could observe the difference (only constants follow); otherwise it evaluates
everything first, as the general path does (`open_tag`, or a tuple of the children rendered
by `render`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from .. import html as h
from ..link import LinkElement, _prefetch
from .runtime import Fragment

# Values the generated code reaches as free variables of the factory (see `build.py`).
ESCAPE, RENDER, CHILD, ATTR, OPEN_TAG, FRAGMENT, MARKUP = (
    "_pm_escape",
    "_pm_render",
    "_pm_child",
    "_pm_attr",
    "_pm_open_tag",
    "_pm_fragment",
    "_pm_markup",
)
RESERVED_PREFIX = "_pm_"

# Attribute values an element defined at module level may hold that render the same every
# time (a custom object's __str__ might not).
_STABLE = (str, int, float, bool, type(None), Markup)

# Methods of a constant str that always return an exact str.
_STR_METHODS = frozenset({"join", "format", "upper", "lower", "strip", "replace", "title"})


@dataclass
class Chunk:
    """Code rendering one expression: static text and str-valued expressions, in order."""

    pieces: list[str | ast.expr]
    # False when rendering does work the general path does later than evaluation (a
    # generator consumed, an unknown value rendered): then only constants may follow it.
    pure: bool = True
    static: bool = False  # only text: evaluating it does nothing and cannot fail
    # Evaluating it (up to its own rendering) does nothing and cannot fail: text, or a
    # parameter that is never rebound. What is rendered before it cannot tell.
    inert: bool = False

    def expr(self) -> ast.expr:
        """One expression of type str for the whole chunk."""
        merged: list[str | ast.expr] = []
        for piece in self.pieces:
            if isinstance(piece, str) and merged and isinstance(merged[-1], str):
                merged[-1] += piece
            elif piece != "":
                merged.append(piece)
        if not merged:
            return ast.Constant("")
        if len(merged) == 1:
            only = merged[0]
            return ast.Constant(only) if isinstance(only, str) else only
        return ast.JoinedStr(
            [
                ast.Constant(p)
                if isinstance(p, str)
                else ast.FormattedValue(value=p, conversion=-1, format_spec=None)
                for p in merged
            ]
        )


@dataclass
class _Attr:
    """One attribute of an element being compiled: a known value, or an expression."""

    value: Any = None
    node: ast.expr | None = None  # set when the value is computed per request
    order: int = -1  # where its expression stands among the call's arguments


def _call(name: str, *args: ast.expr) -> ast.expr:
    return ast.Call(func=ast.Name(name, ast.Load()), args=list(args), keywords=[])


def _join(items: ast.expr) -> ast.expr:
    return ast.Call(
        func=ast.Attribute(ast.Constant(""), "join", ast.Load()), args=[items], keywords=[]
    )


@dataclass(frozen=True, slots=True)
class Helper:
    """A function called in render position that has a render variant: a copy returning the
    HTML of what the function returns (`functions.py` makes them)."""

    variant: str  # the variant's name
    pure: bool  # whether every return renders without work the general path does later


@dataclass
class Rewriter:
    """Rewrites the expressions of one function; `lookup` gives a name's module-level value
    when the name certainly means it (never bound in the function, never rebound), and
    `module_helper` the render variant of a module-level function, when it has one."""

    lookup: Callable[[str], tuple[bool, Any]]
    constants: dict[str, Any] = field(default_factory=dict)
    compiled: int = 0
    module_helper: Callable[[str], Helper | None] = lambda name: None
    # Functions defined in the function being compiled, by name, once their `def` has run.
    local_helpers: dict[str, Helper] = field(default_factory=dict)
    # Parameters the function never rebinds: loading one does nothing and cannot fail.
    inert_names: frozenset[str] = frozenset()

    def helper(self, node: ast.expr) -> Helper | None:
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            return None
        name = node.func.id
        if name in self.local_helpers:
            return self.local_helpers[name]
        found, _ = self.lookup(name)
        return self.module_helper(name) if found else None

    # -- render position ----------------------------------------------------------------

    def render(self, node: ast.expr) -> Chunk:
        """Code for the HTML of `node`, whose value is only ever rendered."""
        found, value = self.static(node)
        if found:
            try:
                text = h.render(value)
            except Exception:  # it fails at run time too: leave it to do so there
                return self.unknown(node)
            return Chunk([text], static=True, inert=True)
        element = self.element(node)
        if element is not None:
            return element
        if isinstance(node, ast.Tuple | ast.List) and isinstance(node.ctx, ast.Load):
            return self.sequence(node, node.elts)
        if isinstance(node, ast.IfExp):
            body, orelse = self.render(node.body), self.render(node.orelse)
            return Chunk(
                [ast.IfExp(node.test, body.expr(), orelse.expr())],
                pure=body.pure and orelse.pure,
            )
        if isinstance(node, ast.GeneratorExp | ast.ListComp):
            before = self.compiled
            elt = self.render(node.elt)
            if self.compiled > before:
                if isinstance(node, ast.GeneratorExp):
                    # Consumed here rather than after the siblings: impure.
                    comp: ast.expr = ast.GeneratorExp(elt.expr(), node.generators)
                    return Chunk([_join(comp)], pure=False)
                if elt.pure:  # the list is built first either way, then only joined
                    comp = ast.ListComp(elt.expr(), node.generators)
                    return Chunk([_join(comp)])
            self.compiled = before
        helper = self.helper(node)
        if helper is not None:
            assert isinstance(node, ast.Call)
            self.compiled += 1
            call = ast.Call(ast.Name(helper.variant, ast.Load()), node.args, node.keywords)
            return Chunk([call], pure=helper.pure)
        if self.is_str(node):
            return Chunk([_call(ESCAPE, node)])
        return self.unknown(node)

    def unknown(self, node: ast.expr) -> Chunk:
        inert = self.is_inert(node)
        return Chunk([_call(CHILD, self.value(node))], pure=False, inert=inert)

    def is_inert(self, node: ast.expr | None) -> bool:
        return isinstance(node, ast.Name) and node.id in self.inert_names

    def sequence(self, node: ast.expr, items: Sequence[ast.expr]) -> Chunk:
        """Children (or list items) rendered in order, each after all are evaluated."""
        if any(isinstance(item, ast.Starred) for item in items):
            return self.unknown(node)
        before, constants = self.compiled, len(self.constants)
        chunks = [self.render(item) for item in items]
        direct = all(
            chunk.pure or all(later.inert for later in chunks[n + 1 :])
            for n, chunk in enumerate(chunks)
        )
        if direct:
            return Chunk(
                [piece for chunk in chunks for piece in chunk.pieces],
                pure=all(chunk.pure for chunk in chunks),
                static=all(chunk.static for chunk in chunks),
                inert=all(chunk.static for chunk in chunks),
            )
        # Evaluate every child first, then render them all: exactly the general path.
        self.compiled = before
        for name in list(self.constants)[constants:]:
            del self.constants[name]
        values = ast.Tuple([self.value(item) for item in items], ast.Load())
        return Chunk([_call(RENDER, values)], pure=False)

    # -- value position: rendered later by `render` --------------------------------------

    def value(self, node: ast.expr) -> ast.expr:
        """`node` with its element expressions made fragments: for values rendered later."""
        before = self.compiled
        found, value = self.static(node)
        if found and isinstance(value, h.Element):
            return self.constant(Fragment(h.render(value)))
        self.compiled = before
        element = self.element(node)
        if element is not None:
            return _call(FRAGMENT, element.expr())
        if isinstance(node, ast.Tuple | ast.List) and isinstance(node.ctx, ast.Load):
            elts = [
                ast.Starred(self.value(e.value), e.ctx)
                if isinstance(e, ast.Starred)
                else self.value(e)
                for e in node.elts
            ]
            return type(node)(elts, ast.Load())
        if isinstance(node, ast.IfExp):
            return ast.IfExp(node.test, self.value(node.body), self.value(node.orelse))
        if isinstance(node, ast.BoolOp):
            # An element is always true, and so is the (never empty) fragment standing for it.
            return ast.BoolOp(node.op, [self.value(v) for v in node.values])
        if isinstance(node, ast.GeneratorExp | ast.ListComp):
            return type(node)(self.value(node.elt), node.generators)
        return node

    def constant(self, value: Any) -> ast.expr:
        name = f"{RESERVED_PREFIX}k{len(self.constants)}"
        self.constants[name] = value
        return ast.Name(name, ast.Load())

    # -- elements -------------------------------------------------------------------------

    def element(self, node: ast.expr) -> Chunk | None:
        """The code of an element expression `tag`, `tag(attrs)`, `…[children]`, if it is one
        this compiler can prove it renders like the general path; else None."""
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            base = self.element_base(node.value)
            if base is None:
                return None
            open_, inner, close, _ = base
            if not close:  # a void element: indexing it raises; let it
                return None
            slice_ = node.slice
            items = slice_.elts if isinstance(slice_, ast.Tuple) else [slice_]
            if isinstance(slice_, ast.Slice):
                return None
            children = self.sequence(slice_, items)
            self.compiled += 1
            return Chunk([*open_.pieces, *inner.pieces, *children.pieces, close])
        base = self.element_base(node)
        if base is None:
            return None
        open_, inner, close, _ = base
        self.compiled += 1
        return Chunk([*open_.pieces, *inner.pieces, close])

    def element_base(self, node: ast.expr) -> tuple[Chunk, Chunk, str, str] | None:
        """(opening tag, children so far, end tag, tag name) of an element expression."""
        if isinstance(node, ast.Subscript):
            inner = self.element(node)
            if inner is None:
                return None
            # `tag[a][b]`: b goes after a, before the end tag the inner chunk ends with.
            pieces = inner.pieces
            close = pieces[-1]
            assert isinstance(close, str)
            return Chunk([]), Chunk(pieces[:-1]), close, ""
        if isinstance(node, ast.Name):
            obj = self.element_object(node.id)
            if obj is None:
                return None
            return Chunk([obj._open]), Chunk([obj._inner]), obj._close, obj._tag
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            obj = self.element_object(node.func.id)
            if obj is None:
                return None
            open_ = self.opening_tag(obj, node)
            if open_ is None:
                # Attributes this compiler cannot prove it renders alike: the element's own
                # call renders the opening tag (and raises what it raises); children compile.
                open_ = Chunk([ast.Attribute(node, "_open", ast.Load())])
            return open_, Chunk([obj._inner]), obj._close, obj._tag
        return None

    def element_object(self, name: str) -> h.Element | None:
        found, obj = self.lookup(name)
        if found and type(obj) in (h.Element, LinkElement):
            return obj  # type: ignore[no-any-return]
        return None

    def opening_tag(self, obj: h.Element, call: ast.Call) -> Chunk | None:
        """The opening tag of `obj(...)`, as `Element.__call__` (and `Link`'s) renders it."""
        if type(obj) is LinkElement and _localized(call):
            return None
        order = 0
        raw: list[tuple[str, _Attr]] = []
        for arg in call.args:  # positional dicts: attributes by their HTML names
            if not isinstance(arg, ast.Dict):
                return None
            for key, value in zip(arg.keys, arg.values, strict=True):
                if not (isinstance(key, ast.Constant) and type(key.value) is str):
                    return None
                raw.append((key.value, self.attr_source(value, order)))
                order += 1
        keywords: list[tuple[str, _Attr]] = []
        for keyword in call.keywords:
            if keyword.arg is None:  # **attrs: names not known here
                return None
            keywords.append((keyword.arg, self.attr_source(keyword.value, order)))
            order += 1
        if type(obj) is LinkElement and any(key == "prefetch" for key, _ in keywords):
            found = dict(keywords)
            prefetch = found["prefetch"]
            if prefetch.node is not None or "data_pagemill_prefetch" in found:
                return None
            try:
                prefetch.value = _prefetch(prefetch.value)
            except ValueError:
                return None
            keywords = [(k, v) for k, v in keywords if k != "prefetch"]
            keywords.append(("data_pagemill_prefetch", prefetch))
        try:
            attrs = self.attribute_list(obj, raw, keywords)
        except ValueError:  # an invalid name: the general path raises it, at run time
            return None
        if attrs is None:
            return None
        return self.attribute_code(obj._tag, attrs)

    def attr_source(self, node: ast.expr, order: int) -> _Attr:
        if isinstance(node, ast.Constant):
            return _Attr(value=node.value)
        return _Attr(node=node, order=order)

    def attribute_list(
        self, obj: h.Element, raw: list[tuple[str, _Attr]], keywords: list[tuple[str, _Attr]]
    ) -> list[tuple[str, _Attr]] | None:
        """(HTML name, value) in the order the opening tag lists them."""
        if not raw and not obj._attrs:
            return [(h._KEYWORD_NAMES[key], source) for key, source in keywords]
        merged: dict[str, _Attr] = {}
        raw_base = isinstance(obj._attrs, h._RawAttrs)
        for key, value in obj._attrs.items():
            if type(value) not in _STABLE:
                return None
            merged[key if raw_base else h._KEYWORD_NAMES[key]] = _Attr(value=value)
        for name, source in [
            *((h._RAW_NAMES[key], source) for key, source in raw),
            *((h._KEYWORD_NAMES[key], source) for key, source in keywords),
        ]:
            replaced = merged.get(name)
            if replaced is not None and replaced.node is not None:
                return None  # its expression would still be evaluated, its value dropped
            merged[name] = source
        return list(merged.items())

    def attribute_code(self, tag: str, attrs: list[tuple[str, _Attr]]) -> Chunk | None:
        dynamic = [source for _, source in attrs if source.node is not None]
        if [s.order for s in dynamic] != sorted(s.order for s in dynamic):
            return None  # rendered in another order than evaluated
        # An unknown value renders right away only if what is evaluated after it is inert.
        deferred = any(
            not self.is_str(source.node)
            and not all(self.is_inert(later.node) for later in dynamic[n + 1 :])
            for n, source in enumerate(dynamic)
        )
        pieces: list[str | ast.expr] = ["<" + tag]
        spec: list[ast.expr] = []
        values: list[ast.expr] = []
        before = ""
        for name, source in attrs:
            if source.node is None:
                try:
                    text = h.Element("x")({name: source.value})._open[2:-1]
                except Exception:
                    return None
                if deferred:
                    before += text
                else:
                    pieces.append(text)
            elif deferred:
                spec.append(ast.Tuple([ast.Constant(before), ast.Constant(" " + name)], ast.Load()))
                values.append(source.node)
                before = ""
            elif self.is_str(source.node):
                pieces += [f' {name}="', _call(ESCAPE, source.node), '"']
            else:
                pieces.append(_call(ATTR, ast.Constant(" " + name), source.node))
        if deferred:
            specs = ast.Tuple(spec, ast.Load())
            call = _call(OPEN_TAG, specs, ast.Constant(before + ">"), *values)
            return Chunk([*pieces, call])
        return Chunk([*pieces, ">"])

    # -- what is known without running the code -----------------------------------------

    def static(self, node: ast.expr) -> tuple[bool, Any]:
        """(True, value) when `node` is built of constants and elements only: its value is
        computed here, once, by `pagemill.html` itself."""
        names: dict[str, Any] = {}
        if not self._static_shape(node, names):
            return False, None
        code = compile(ast.fix_missing_locations(ast.Expression(node)), "<static>", "eval")
        try:
            value = eval(code, {"__builtins__": {}}, names)
        except Exception:
            return False, None
        self.compiled += any(obj is not Markup for obj in names.values())
        return True, value

    def _static_shape(self, node: ast.expr, names: dict[str, Any]) -> bool:
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            found, obj = self.lookup(node.id)
            if found and (type(obj) in (h.Element, LinkElement) or obj is Markup):
                names[node.id] = obj
                return True
            return False
        if isinstance(node, ast.Tuple | ast.List):
            return isinstance(node.ctx, ast.Load) and all(
                not isinstance(e, ast.Starred) and self._static_shape(e, names) for e in node.elts
            )
        if isinstance(node, ast.Subscript):
            return (
                isinstance(node.ctx, ast.Load)
                and not isinstance(node.slice, ast.Slice)
                and self._static_shape(node.value, names)
                and self._static_shape(node.slice, names)
            )
        if isinstance(node, ast.Dict):
            return all(
                k is not None and self._static_shape(k, names) and self._static_shape(v, names)
                for k, v in zip(node.keys, node.values, strict=True)
            )
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and _localized(node):
                found, obj = self.lookup(node.func.id)
                if found and type(obj) is LinkElement:
                    return False
            return (
                isinstance(node.func, ast.Name | ast.Subscript | ast.Call)
                and self._static_shape(node.func, names)
                and all(not isinstance(a, ast.Starred) for a in node.args)
                and all(self._static_shape(a, names) for a in node.args)
                and all(k.arg is not None for k in node.keywords)
                and all(self._static_shape(k.value, names) for k in node.keywords)
            )
        return False

    def is_str(self, node: ast.expr | None) -> bool:
        """Whether `node` always evaluates to an exact `str` (or raises)."""
        if isinstance(node, ast.JoinedStr):
            return True
        if isinstance(node, ast.Constant):
            return type(node.value) is str
        if isinstance(node, ast.IfExp):
            return self.is_str(node.body) and self.is_str(node.orelse)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.is_str(node.left) and self.is_str(node.right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            return (
                isinstance(receiver, ast.Constant)
                and type(receiver.value) is str
                and node.func.attr in _STR_METHODS
            )
        return False


def _localized(call: ast.Call) -> bool:
    """Whether a `Link(...)` call's href may take the locale of the page being rendered: a
    path of the app, or a `locale=`. Its opening tag is then rendered per request, by
    `Link` itself (it reads the router the pipeline sets around rendering)."""
    for keyword in call.keywords:
        if keyword.arg == "locale":
            return True
        if keyword.arg == "href":
            value = keyword.value
            if not (isinstance(value, ast.Constant) and type(value.value) is str):
                return True
            return value.value.startswith("/")
    return False
