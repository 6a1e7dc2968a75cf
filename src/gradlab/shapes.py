"""Shapes: the error every shape mistake raises, and the dimension-matching trick as a tool.

Chapter 2 ("The dimension-matching trick") explains the trick; this module makes it a
function a reader can call, and gives every shape mistake in gradlab one exception type.
"""

from __future__ import annotations

import ast
import keyword
import numbers
from dataclasses import dataclass

__all__ = [
    "MAX_FACTORS",
    "Arrangement",
    "CandidateRanking",
    "CandidateVerdict",
    "ShapeError",
    "describe_mismatch",
    "elementwise_shape",
    "evaluate_expression",
    "matching_arrangements",
    "matmul_shape",
    "rank_candidates",
]


class ShapeError(ValueError):
    """An array has the wrong shape.

    Raised everywhere in gradlab where a shape does not fit; the message names the argument,
    the expected shape and the given one, and says which dimensions disagree. It subclasses
    ``ValueError`` so code that already catches ``ValueError`` keeps working.

    Examples
    --------
    >>> import numpy as np
    >>> from gradlab.shapes import ShapeError
    >>> try:
    ...     raise ShapeError("grad must have the shape of x (3, 2); got (2, 3)")
    ... except ValueError as err:
    ...     print(type(err).__name__)
    ShapeError
    """


def _dim_text(d) -> str:
    return "any" if d is None else str(d)


def describe_mismatch(expected: tuple, given: tuple) -> str:
    """Say, in words, which dimensions of ``given`` disagree with ``expected``.

    ``expected`` may hold ``None`` for "any size". The text ends with a hint when ``given``
    is ``expected`` transposed, the commonest mistake in this course.

    Examples
    --------
    >>> describe_mismatch((3, 2), (2, 3))
    'dimension 0 is 2, expected 3; dimension 1 is 3, expected 2 (it is the transpose: did you forget a .T?)'
    >>> describe_mismatch((3, None), (3,))
    'it has 1 dimension, expected 2 (a 1-D vector: reshape it to a row (1, n) or a column (n, 1))'
    """
    expected = tuple(expected)
    given = tuple(given)
    if len(expected) != len(given):
        plural = "" if len(given) == 1 else "s"
        text = f"it has {len(given)} dimension{plural}, expected {len(expected)}"
        if len(given) == 1 and len(expected) == 2 and given[0] in expected:
            text += " (a 1-D vector: reshape it to a row (1, n) or a column (n, 1))"
        return text
    parts = [
        f"dimension {i} is {g}, expected {_dim_text(e)}"
        for i, (e, g) in enumerate(zip(expected, given, strict=True))
        if e is not None and e != g
    ]
    text = "; ".join(parts)
    if len(given) == 2 and given[::-1] == expected and given != expected:
        text += " (it is the transpose: did you forget a .T?)"
    return text


# ---- Shapes of products: the two checks every arrangement must pass -----------------------


def _is_dim(d) -> bool:
    if isinstance(d, bool):
        return False
    if isinstance(d, numbers.Integral):
        return int(d) >= 1
    return isinstance(d, str) and d.strip() != ""


def _as_shape(what: str, shape) -> tuple:
    """A 2-D shape as a tuple; dimensions are positive ints or symbols such as ``"N"``."""
    if isinstance(shape, str) or not hasattr(shape, "__iter__"):
        raise TypeError(
            f"{what} must be a shape, a tuple such as (3, 2) or ('N', 'D'); "
            f"got {type(shape).__name__} {shape!r}"
        )
    shape = tuple(
        int(d) if isinstance(d, numbers.Integral) and not isinstance(d, bool) else d for d in shape
    )
    if len(shape) != 2:
        hint = (
            " (a 1-D vector has no orientation: write a column (n, 1) or a row (1, n))"
            if len(shape) == 1
            else ""
        )
        raise ShapeError(
            f"{what} must be a 2-D shape (rows, columns); got {_shape_str(shape)} with "
            f"{len(shape)} dimension(s){hint}"
        )
    for d in shape:
        if not _is_dim(d):
            raise ValueError(
                f"{what} must hold positive integers or symbols such as 'N'; got {d!r} in "
                f"{_shape_str(shape)}"
            )
    return shape


def _operand(arg: str, name, shape) -> tuple:
    """Check one operand of ``matmul_shape`` / ``elementwise_shape``: a str name and a shape.

    The shape may have any length (the callers say what they need); each dimension is an
    integer >= 0 (real arrays can be empty) or a symbol such as ``"N"``.
    """
    if not isinstance(name, str):
        raise TypeError(f"{arg}_name must be a string such as 'X'; got {type(name).__name__}")
    if isinstance(shape, str) or not hasattr(shape, "__iter__"):
        raise TypeError(
            f"{arg}_shape must be a shape, a tuple such as (3, 2) or ('N', 'D'); "
            f"got {type(shape).__name__} {shape!r}"
        )
    shape = tuple(
        int(d) if isinstance(d, numbers.Integral) and not isinstance(d, bool) else d for d in shape
    )
    for d in shape:
        ok = (isinstance(d, int) and not isinstance(d, bool) and d >= 0) or (
            isinstance(d, str) and d.strip() != ""
        )
        if not ok:
            raise ValueError(
                f"{arg}_shape must hold integers >= 0 or symbols such as 'N'; got {d!r} in "
                f"{_shape_str(shape)}"
            )
    return shape


def _shape_str(shape) -> str:
    inner = ", ".join(str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _count(d, noun: str) -> str:
    """'3 columns', '1 row', 'N rows'."""
    return f"{d} {noun}" if d == 1 else f"{d} {noun}s"


def _transposed_name(name: str) -> str:
    if name.endswith(".T") and name[:-2].isidentifier():
        return name[:-2]
    return f"{name}.T" if name.isidentifier() else f"({name}).T"


def _require_2d_operand(op: str, name: str, shape: tuple) -> None:
    if len(shape) != 2:
        hint = (
            f"; a 1-D array of length {shape[0]} has no orientation: reshape it to a column "
            f"({shape[0]}, 1) or a row (1, {shape[0]})"
            if len(shape) == 1
            else ""
        )
        raise ShapeError(
            f"{op}: {name} must be a matrix (2-D); got shape {_shape_str(shape)}{hint}"
        )


def matmul_shape(a_name: str, a_shape, b_name: str, b_shape) -> tuple:
    """The shape of ``a @ b``, or a ``ShapeError`` that explains why it has none.

    A product of an (r, c) matrix and a (c', q) matrix exists when ``c == c'`` (the inner
    dimensions) and has shape (r, q). When the inner dimensions disagree the error prints
    both shapes, names the two disagreeing dimensions, and lists the transposed or swapped
    products that would fit (chapter 2, "The dimension-matching trick").

    Parameters
    ----------
    a_name, b_name : str
        What to call the operands in the message (``"X"``, ``"G.T"``...).
    a_shape, b_shape : tuple of 2 dimensions
        Positive ints, or symbols such as ``"N"`` (equal symbols are equal dimensions).

    Returns
    -------
    tuple
        ``(a_shape[0], b_shape[1])``.

    Raises
    ------
    ShapeError
        An operand is not 2-D, or the inner dimensions disagree.
    TypeError, ValueError
        A name that is not a string, a shape that is not a tuple, or a dimension that is
        neither an integer >= 0 nor a symbol.

    Examples
    --------
    >>> matmul_shape("X.T", ("D", "N"), "G", ("N", "K"))
    ('D', 'K')
    >>> try:
    ...     matmul_shape("X", (5, 3), "G", (5, 2))
    ... except ShapeError as err:
    ...     print(err)
    X @ G: inner dimensions disagree: X is (5, 3), so it has 3 columns, but G is (5, 2), so it has 5 rows. Products that fit: X.T @ G -> (3, 2).
    """
    a_shape, b_shape = _operand("a", a_name, a_shape), _operand("b", b_name, b_shape)
    op = f"{a_name} @ {b_name}"
    _require_2d_operand(op, a_name, a_shape)
    _require_2d_operand(op, b_name, b_shape)
    if a_shape[1] == b_shape[0]:
        return (a_shape[0], b_shape[1])
    ta, tb = _transposed_name(a_name), _transposed_name(b_name)
    options = [
        (f"{ta} @ {b_name}", a_shape[::-1], b_shape),
        (f"{a_name} @ {tb}", a_shape, b_shape[::-1]),
        (f"{ta} @ {tb}", a_shape[::-1], b_shape[::-1]),
        (f"{b_name} @ {a_name}", b_shape, a_shape),
    ]
    fits = [f"{text} -> {_shape_str((s[0], t[1]))}" for text, s, t in options if s[1] == t[0]]
    suggestion = (
        f" Products that fit: {', '.join(fits)}." if fits else " No transpose or swap fits either."
    )
    raise ShapeError(
        f"{op}: inner dimensions disagree: {a_name} is {_shape_str(a_shape)}, so it has "
        f"{_count(a_shape[1], 'column')}, but {b_name} is {_shape_str(b_shape)}, so it has "
        f"{_count(b_shape[0], 'row')}.{suggestion}"
    )


def elementwise_shape(a_name: str, a_shape, b_name: str, b_shape, op: str = "*") -> tuple:
    """The shape of an element-wise ``a op b``: both shapes must be equal, nothing broadcasts.

    NumPy would broadcast a (3, 1) column against a (1, 3) row into a (3, 3) matrix without a
    word; a gradient built that way is silently wrong, so gradlab refuses it.

    Parameters
    ----------
    a_name, b_name : str
        What to call the operands in the message.
    a_shape, b_shape : tuple
        The operands' shapes (ints or symbols).
    op : str, default "*"
        The operator to print (``"*"``, ``"+"``, ``"-"``, ``"/"``).

    Returns
    -------
    tuple
        The common shape.

    Raises
    ------
    ShapeError
        The shapes differ; the message says which dimensions, and suggests a transpose when
        one operand is the other's shape transposed.
    TypeError, ValueError
        As ``matmul_shape``.

    Examples
    --------
    >>> elementwise_shape("A", (3, 2), "B", (3, 2))
    (3, 2)
    >>> try:
    ...     elementwise_shape("A", (3, 2), "B", (2, 3))
    ... except ShapeError as err:
    ...     print(err)
    A * B: element-wise operands need equal shapes (gradlab never broadcasts): A is (3, 2), B is (2, 3): dimension 0 is 2, expected 3; dimension 1 is 3, expected 2 (it is the transpose: did you forget a .T?)
    """
    a_shape, b_shape = _operand("a", a_name, a_shape), _operand("b", b_name, b_shape)
    if a_shape == b_shape:
        return a_shape
    raise ShapeError(
        f"{a_name} {op} {b_name}: element-wise operands need equal shapes (gradlab never "
        f"broadcasts): {a_name} is {_shape_str(a_shape)}, {b_name} is {_shape_str(b_shape)}: "
        f"{describe_mismatch(a_shape, b_shape)}"
    )


# ---- The trick as a tool: every arrangement of the factors whose shape fits ---------------

#: More factors than this make the list of arrangements too long to read (it grows factorially).
MAX_FACTORS = 4


@dataclass(frozen=True)
class _Expr:
    kind: str  # "leaf", "matmul" or "mul"
    text: str
    shape: tuple
    parts: tuple = ()
    transposes: int = 0


def _leaf(name: str, shape: tuple, transposed: bool) -> _Expr:
    if transposed:
        return _Expr("leaf", name + ".T", (shape[1], shape[0]), transposes=1)
    return _Expr("leaf", name, shape)


def _matmul(a: _Expr, b: _Expr) -> _Expr:
    # Matrix products associate, so a chain is stored flat and printed without parentheses.
    parts = (a.parts if a.kind == "matmul" else (a,)) + (b.parts if b.kind == "matmul" else (b,))
    text = " @ ".join(f"({p.text})" if p.kind == "mul" else p.text for p in parts)
    return _Expr("matmul", text, (a.shape[0], b.shape[1]), parts, a.transposes + b.transposes)


def _mul(a: _Expr, b: _Expr) -> _Expr:
    # Element-wise products commute and associate: store them flat and sorted, so A * B and
    # B * A are one arrangement.
    parts = (a.parts if a.kind == "mul" else (a,)) + (b.parts if b.kind == "mul" else (b,))
    parts = tuple(sorted(parts, key=lambda p: p.text))
    text = " * ".join(f"({p.text})" if p.kind == "matmul" else p.text for p in parts)
    return _Expr("mul", text, a.shape, parts, a.transposes + b.transposes)


@dataclass(frozen=True)
class Arrangement:
    """One way to multiply the factors that gives the target shape.

    Attributes
    ----------
    expression : str
        A NumPy expression such as ``"X.T @ G"``; evaluate it with ``evaluate_expression``.
    shape : tuple
        Its shape (the target's).
    transposes : int
        How many factors it transposes.
    elementwise : bool
        Whether it uses an element-wise product ``*``.
    """

    expression: str
    shape: tuple
    transposes: int
    elementwise: bool

    def evaluate(self, arrays):
        """The arrangement's value for real arrays (see ``evaluate_expression``)."""
        return evaluate_expression(self.expression, arrays)

    def __str__(self) -> str:
        return self.expression


def _as_factors(factors) -> list[tuple[str, tuple]]:
    if hasattr(factors, "items"):
        pairs = list(factors.items())
    elif isinstance(factors, (list, tuple)):
        pairs = list(factors)
        for p in pairs:
            if not (isinstance(p, (list, tuple)) and len(p) == 2):
                raise TypeError(
                    "factors must be a dict {name: shape} or a list of (name, shape) pairs; "
                    f"got an item {p!r}"
                )
    else:
        raise TypeError(
            "factors must be a dict {name: shape} or a list of (name, shape) pairs; "
            f"got {type(factors).__name__}"
        )
    if not 1 <= len(pairs) <= MAX_FACTORS:
        raise ValueError(
            f"factors must hold 1 to {MAX_FACTORS} factors (the arrangements grow factorially); "
            f"got {len(pairs)}"
        )
    out = []
    for name, shape in pairs:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(
                f"each factor's name must be a Python identifier such as 'X' or 'G'; got {name!r}"
            )
        out.append((name, _as_shape(f"the shape of factor {name}", shape)))
    return out


def matching_arrangements(target, factors, *, coefficient=None, elementwise=True):
    """The dimension-matching trick as a tool: every arrangement whose shape fits the target.

    The trick (chapter 2): differentiate as if every factor were a scalar, which gives a
    product of factors; then reorder and transpose them until the product has the shape the
    gradient must have (the parameter's). This function does the second step exhaustively:
    every factor is used exactly once, in any order, each one transposed or not, joined by
    matrix products ``@`` (inner dimensions equal) or element-wise products ``*`` (shapes
    equal). It lists what *fits*; whether an arrangement is *right* only a numeric check can
    say (``rank_candidates``).

    Parameters
    ----------
    target : tuple of 2 dimensions
        The shape the result must have, e.g. the parameter's ``(D, K)``. Dimensions are
        positive ints or symbols such as ``"D"``; symbols are equal only to themselves, so
        ``("N", "D")`` never matches ``("D", "N")`` by accident, while numbers do when sizes
        happen to coincide (the square case of chapter 2).
    factors : dict {name: shape} or list of (name, shape) pairs
        1 to 4 factors, each a 2-D shape. A list may repeat a name (``X`` twice in
        ``X.T @ C @ X``). A factor of shape (1, 1) is never transposed (it is its own
        transpose).
    coefficient : str or number, optional
        A scalar to put in front of every arrangement, e.g. ``2`` or ``"1/N"``.
    elementwise : bool, default True
        Whether to allow element-wise products of equally shaped factors.

    Returns
    -------
    list of Arrangement
        Sorted: fewest transposes first, matrix products before element-wise ones. Empty
        when nothing fits.

    Raises
    ------
    ShapeError
        ``target`` or a factor's shape is not 2-D.
    TypeError, ValueError
        ``factors`` is not a dict or a list of pairs, holds more than 4 factors, a name that
        is not an identifier, or a dimension that is neither a positive int nor a symbol.

    Examples
    --------
    The weight gradient of S = XW + b, from X (N, D) and G = dL/dS (N, K):

    >>> [a.expression for a in matching_arrangements(("D", "K"), {"X": ("N", "D"), "G": ("N", "K")})]
    ['X.T @ G']

    Linear regression, with the 1/N in front:

    >>> matching_arrangements(("D", 1), {"X": ("N", "D"), "r": ("N", 1)}, coefficient="1/N")[0].expression
    '1/N * X.T @ r'

    When every dimension is 3, shapes stop telling the arrangements apart:

    >>> len(matching_arrangements((3, 3), {"X": (3, 3), "G": (3, 3)}))
    12
    """
    target = _as_shape("target", target)
    items = _as_factors(factors)
    if coefficient is not None and not (
        isinstance(coefficient, str)
        or (isinstance(coefficient, numbers.Real) and not isinstance(coefficient, bool))
    ):
        raise TypeError(
            f"coefficient must be a number or a string such as '1/N'; got {type(coefficient).__name__}"
        )
    n = len(items)
    memo: dict[int, dict[str, _Expr]] = {}

    def build(mask: int) -> dict[str, _Expr]:
        """Every distinct expression that uses exactly the factors in ``mask``."""
        if mask in memo:
            return memo[mask]
        out: dict[str, _Expr] = {}
        members = [i for i in range(n) if mask >> i & 1]
        if len(members) == 1:
            name, shape = items[members[0]]
            for transposed in (False, True) if shape != (1, 1) else (False,):
                e = _leaf(name, shape, transposed)
                out.setdefault(e.text, e)
        else:
            left = (mask - 1) & mask
            while left:  # every ordered split of the factors into a left and a right part
                right = mask ^ left
                for a in build(left).values():
                    for b in build(right).values():
                        if a.shape[1] == b.shape[0]:
                            e = _matmul(a, b)
                            out.setdefault(e.text, e)
                        if elementwise and a.shape == b.shape:
                            e = _mul(a, b)
                            out.setdefault(e.text, e)
                left = (left - 1) & mask
        memo[mask] = out
        return out

    fitting = [e for e in build((1 << n) - 1).values() if e.shape == target]
    fitting.sort(key=lambda e: (e.transposes, "*" in e.text, len(e.text), e.text))
    prefix = "" if coefficient is None else f"{coefficient} * "
    return [Arrangement(prefix + e.text, e.shape, e.transposes, "*" in e.text) for e in fitting]


# ---- Evaluating a candidate on real arrays, with shape checks and no broadcasting ---------


def _describe_node(node) -> str:
    return ast.unparse(node)


_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.MatMult: "@"}


def evaluate_expression(expression: str, arrays):
    """Evaluate a gradient candidate such as ``"X.T @ G / N"`` on real arrays, strictly.

    Only names from ``arrays``, numbers, ``.T``, ``@``, ``*``, ``/``, ``+``, ``-`` and
    parentheses are allowed (nothing else is executed). Every ``@`` goes through
    ``matmul_shape`` and every element-wise operation between two arrays through
    ``elementwise_shape``, so a shape mistake raises a ``ShapeError`` that explains it
    instead of being broadcast into a wrong answer.

    Parameters
    ----------
    expression : str
        The candidate.
    arrays : mapping {name: ndarray or number}
        The values of the names the expression uses.

    Returns
    -------
    ndarray or float

    Raises
    ------
    ShapeError
        A product or element-wise operation whose shapes do not fit, or ``.T`` of an array
        that is not 2-D.
    ValueError
        The expression is not valid Python, uses a name not in ``arrays``, or uses syntax
        outside the list above (the message says which part).
    TypeError
        ``expression`` is not a string, ``arrays`` is not a dict, or a value in ``arrays`` is
        not an array or a number.

    Examples
    --------
    >>> import numpy as np
    >>> X, G = np.ones((4, 3)), np.ones((4, 2))
    >>> evaluate_expression("X.T @ G / 4", {"X": X, "G": G}).shape
    (3, 2)
    >>> try:
    ...     evaluate_expression("X @ G", {"X": X, "G": G})
    ... except ShapeError as err:
    ...     print(str(err).split(":")[1].strip())
    inner dimensions disagree
    """
    import numpy as np

    if not isinstance(expression, str):
        raise TypeError(
            f"expression must be a string such as 'X.T @ G'; got {type(expression).__name__}"
        )
    if not hasattr(arrays, "keys") or not hasattr(arrays, "__getitem__"):
        raise TypeError(
            f"arrays must be a dict {{name: array or number}}; got {type(arrays).__name__}"
        )
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as err:
        raise ValueError(f"expression {expression!r} is not valid Python: {err.msg}") from None

    def value_of(node):
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise ValueError(
                    f"expression may only hold numbers as constants; got {node.value!r}"
                )
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in arrays:
                known = ", ".join(sorted(arrays)) or "nothing"
                raise ValueError(
                    f"expression {expression!r} uses {node.id!r}, which arrays does not hold "
                    f"(it holds: {known})"
                )
            v = arrays[node.id]
            if isinstance(v, np.ndarray):
                return v
            if isinstance(v, numbers.Real) and not isinstance(v, bool):
                return float(v)
            raise TypeError(
                f"arrays[{node.id!r}] must be a NumPy array or a number; got {type(v).__name__}"
            )
        if isinstance(node, ast.Attribute) and node.attr == "T":
            v = value_of(node.value)
            name = _describe_node(node.value)
            if not isinstance(v, np.ndarray) or v.ndim != 2:
                shape = v.shape if isinstance(v, np.ndarray) else ()
                if isinstance(v, np.ndarray) and v.ndim == 1:
                    raise ShapeError(
                        f"{name}.T: {name} is 1-D with shape {_shape_str(shape)}, and .T leaves a "
                        f"1-D array unchanged: reshape it to a column ({shape[0]}, 1) or a row "
                        f"(1, {shape[0]}) first"
                    )
                raise ShapeError(
                    f"{name}.T: only a matrix (2-D) can be transposed here; {name} has shape "
                    f"{_shape_str(shape)}"
                )
            return v.T
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = value_of(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            a, b = value_of(node.left), value_of(node.right)
            symbol = _BINOPS[type(node.op)]
            a_name, b_name = _describe_node(node.left), _describe_node(node.right)
            if symbol == "@":
                for v, name in ((a, a_name), (b, b_name)):
                    if not isinstance(v, np.ndarray):
                        raise ShapeError(
                            f"{a_name} @ {b_name}: {name} is a number; use * for a scalar factor"
                        )
                matmul_shape(a_name, a.shape, b_name, b.shape)
                return a @ b
            if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
                elementwise_shape(a_name, a.shape, b_name, b.shape, op=symbol)
            if symbol == "+":
                return a + b
            if symbol == "-":
                return a - b
            if symbol == "*":
                return a * b
            return a / b
        raise ValueError(
            f"expression may use names, numbers, .T, @, *, /, +, - and parentheses only; "
            f"{_describe_node(node)!r} is a {type(node).__name__}"
        )

    return value_of(tree.body)


# ---- "Fits the shapes" is not "is right": rank candidates by the numeric check ------------


@dataclass(frozen=True)
class CandidateVerdict:
    """What ``rank_candidates`` found for one candidate.

    Attributes
    ----------
    expression : str
    shape : tuple or None
        The candidate's shape, None when it could not be evaluated.
    fits : bool
        It evaluates and has the parameter's shape.
    passed : bool
        It fits and passes the gradient check.
    error : float or None
        The normwise relative error against the numeric gradient (None when it does not fit).
    note : str
        Why it does not fit, or the check's one-line summary.
    """

    expression: str
    shape: tuple | None
    fits: bool
    passed: bool
    error: float | None
    note: str

    @property
    def verdict(self) -> str:
        if self.passed:
            return "right"
        return "fits, wrong" if self.fits else "does not fit"


class CandidateRanking:
    """The candidates in order: right ones first, then those that fit (smallest error
    first), then those that do not fit. Prints as a table; shows as HTML in a notebook.

    Attributes
    ----------
    verdicts : list of CandidateVerdict
    target : tuple
        The parameter's shape.
    """

    def __init__(self, verdicts, target):
        self.verdicts = list(verdicts)
        self.target = tuple(target)

    @property
    def right(self) -> list[str]:
        """The expressions that pass the numeric check."""
        return [v.expression for v in self.verdicts if v.passed]

    @property
    def fitting(self) -> list[str]:
        """The expressions whose shape fits (right or not)."""
        return [v.expression for v in self.verdicts if v.fits]

    def __iter__(self):
        return iter(self.verdicts)

    def __len__(self) -> int:
        return len(self.verdicts)

    def __getitem__(self, i):
        return self.verdicts[i]

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(expression, shape, fits the shapes?, numeric check) for each candidate, as text."""
        out = []
        for v in self.verdicts:
            shape = "-" if v.shape is None else _shape_str(v.shape)
            fits = "yes" if v.fits else "no"
            if not v.fits:
                check = "not checked"
            else:
                check = f"{'PASS' if v.passed else 'FAIL'} (error {v.error:.1e})"
            out.append((v.expression, shape, fits, check))
        return out

    def __str__(self) -> str:
        header = ("candidate", "shape", "fits", f"numeric check, target {_shape_str(self.target)}")
        rows = [header, *self.rows()]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [
            f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}" for r in rows
        ]
        lines.insert(1, "-" * len(lines[0]))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"CandidateRanking(right={self.right!r}, fitting={len(self.fitting)} of {len(self)})"

    def _repr_html_(self) -> str:
        import html

        colors = {"right": "#1a7f37", "fits, wrong": "#cf222e", "does not fit": "#6e7781"}
        body = "".join(
            f"<tr><td><code>{html.escape(r[0])}</code></td><td>{html.escape(r[1])}</td>"
            f"<td>{html.escape(r[2])}</td>"
            f"<td style='color:{colors[v.verdict]}'>{html.escape(r[3])}</td></tr>"
            for v, r in zip(self.verdicts, self.rows(), strict=True)
        )
        return (
            "<table class='gradlab-ranking'><thead><tr><th>candidate</th><th>shape</th>"
            f"<th>fits the shapes</th><th>numeric check (target {html.escape(_shape_str(self.target))})"
            f"</th></tr></thead><tbody>{body}</tbody></table>"
        )


def rank_candidates(candidates, arrays, loss, param, *, tol=None):
    """Check gradient candidates against the numeric gradient, and rank them.

    The companion of ``matching_arrangements``: that one lists what fits the shapes, this one
    says what is right. Each candidate is evaluated on real arrays (``evaluate_expression``:
    shape-checked, never broadcast), and the ones with the parameter's shape are compared
    with the numeric gradient of ``loss`` at ``param`` by ``gradlab.check.gradient_check``.

    Parameters
    ----------
    candidates : iterable of str or Arrangement
        The gradient candidates, e.g. ``["X.T @ G", "X @ G"]`` or the output of
        ``matching_arrangements``.
    arrays : mapping {name: ndarray or number}
        The values the candidates use, computed at ``param`` (e.g. ``G = dL/dS`` there).
    loss : callable
        ``loss(param) -> float``; it may read ``param`` from a closure (it is perturbed in
        place and restored).
    param : ndarray of float64
        The parameter, at the point where ``arrays`` were computed.
    tol : float, optional
        The gradient check's tolerance (its default when None).

    Returns
    -------
    CandidateRanking
        ``.right`` (expressions that pass), ``.fitting``, ``.verdicts``; prints as a table.

    Raises
    ------
    TypeError
        ``param`` is not a float64 array, ``loss`` is not callable, ``candidates`` is a single
        string rather than a list, or a candidate is neither a string nor an Arrangement.
    ValueError
        ``candidates`` is empty, or a candidate uses a name ``arrays`` lacks or syntax the
        evaluator refuses (a mistake in the candidate list, not a wrong gradient).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> A, x = rng.normal(size=(3, 3)), rng.normal(size=(3, 1))
    >>> ranking = rank_candidates(["2 * A @ x", "2 * A.T @ x", "(A + A.T) @ x"],
    ...                           {"A": A, "x": x}, lambda v: (v.T @ A @ v).item(), x)
    >>> ranking.right
    ['(A + A.T) @ x']
    """
    import numpy as np

    from gradlab._validate import require_callable, require_finite, require_float64
    from gradlab.check import gradient_check

    require_callable("loss", loss)
    require_float64("param", param)
    require_finite("param", param)
    if isinstance(candidates, (str, Arrangement)) or not hasattr(candidates, "__iter__"):
        raise TypeError(
            "candidates must be a list of expressions such as ['X.T @ G', 'X @ G'] (wrap a "
            f"single one in a list); got {type(candidates).__name__} {candidates!r}"
        )
    candidates = list(candidates)
    if not candidates:
        raise ValueError("candidates must hold at least one expression; got none")
    verdicts = []
    for c in candidates:
        if isinstance(c, Arrangement):
            c = c.expression
        if not isinstance(c, str):
            raise TypeError(
                f"each candidate must be a string or an Arrangement; got {type(c).__name__}"
            )
        try:
            value = evaluate_expression(c, arrays)
        except ShapeError as err:
            verdicts.append(CandidateVerdict(c, None, False, False, None, str(err)))
            continue
        value = np.asarray(value, dtype=np.float64)
        if value.shape != param.shape:
            verdicts.append(
                CandidateVerdict(
                    c,
                    value.shape,
                    False,
                    False,
                    None,
                    f"shape {_shape_str(value.shape)} does not fit the parameter's "
                    f"{_shape_str(param.shape)}: {describe_mismatch(param.shape, value.shape)}",
                )
            )
            continue
        result = gradient_check(loss, param, value, tol=tol, name=c)
        verdicts.append(
            CandidateVerdict(
                c, value.shape, True, result.passed, result.normwise_rel_error, result.summary()
            )
        )
    order = {True: 0, False: 1}
    verdicts.sort(
        key=lambda v: (order[v.passed], order[v.fits], v.error if v.error is not None else 0.0)
    )
    return CandidateRanking(verdicts, param.shape)
