"""Shapes: the error every shape mistake raises, and the dimension-matching trick as a tool.

Chapter 2 ("The dimension-matching trick") explains the trick; this module makes it a
function a reader can call, and gives every shape mistake in gradlab one exception type.
"""

from __future__ import annotations

__all__ = ["ShapeError", "describe_mismatch"]


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
    'it has 1 dimension, expected 2'
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
