"""Pure plotting and data functions behind the chapters' figures and widgets.

Each function returns data or a matplotlib Figure and never calls ``plt.show()``; the notebooks
show them, the widgets in ``gradlab.widgets`` redraw them, the tests call them directly.
Sections follow the chapters that use them.
"""

from __future__ import annotations

__all__: list[str] = []


# ---- Chapter 1: checking gradients numerically --------------------------------------------


# ---- Chapter 2: the dimension-matching trick ----------------------------------------------

__all__ += ["TRICK_PROBLEMS", "TrickReport", "trick_report"]

#: The preset problems of chapter 2's widget: key -> what is differentiated, from what.
TRICK_PROBLEMS = {
    "layer-dW": "S = XW + b, L = ||S - T||^2 / (2N): dL/dW from X and G = dL/dS",
    "layer-db": "S = XW + b, L = ||S - T||^2 / (2N): dL/db from a column of ones and G",
    "layer-dX": "S = XW + b, L = ||S - T||^2 / (2N): dL/dX from G and W",
    "regression": "J = ||X theta - y||^2 / (2N): dJ/dtheta from X and r = X theta - y",
    "quadratic": "f = x^T A x with A not symmetric (size D): df/dx from A and x",
}


def _trick_problem(problem, N, D, K, seed):
    """The shapes, arrays, loss and parameter of one preset problem, at a random point."""
    import numpy as np

    from gradlab.regression import linear_regression_loss

    rng = np.random.default_rng(seed)
    if problem.startswith("layer-"):
        X, W = rng.standard_normal((N, D)), rng.standard_normal((D, K))
        b, T = rng.standard_normal((1, K)), rng.standard_normal((N, K))

        def layer_loss(X_, W_, b_):
            R = X_ @ W_ + b_ - T  # b_ (1, K) is added to every row: the model's bias
            return float(np.sum(R * R)) / (2 * N)

        G = (X @ W + b - T) / N  # dL/dS, (N, K)
        if problem == "layer-dW":
            return dict(
                target=(D, K),
                factors={"X": (N, D), "G": (N, K)},
                coefficient=None,
                arrays={"X": X, "G": G},
                loss=lambda W_: layer_loss(X, W_, b),
                param=W,
                extra=[],
            )
        if problem == "layer-db":
            ones = np.ones((N, 1))
            return dict(
                target=(1, K),
                factors={"ones": (N, 1), "G": (N, K)},
                coefficient=None,
                arrays={"ones": ones, "G": G},
                loss=lambda b_: layer_loss(X, W, b_),
                param=b,
                extra=[],
            )
        return dict(
            target=(N, D),
            factors={"G": (N, K), "W": (D, K)},
            coefficient=None,
            arrays={"G": G, "W": W},
            loss=lambda X_: layer_loss(X_, W, b),
            param=X,
            extra=[],
        )
    if problem == "regression":
        X, y, theta = (
            rng.standard_normal((N, D)),
            rng.standard_normal((N, 1)),
            rng.standard_normal((D, 1)),
        )
        return dict(
            target=(D, 1),
            factors={"X": (N, D), "r": (N, 1)},
            coefficient="1/N",
            arrays={"X": X, "r": X @ theta - y, "N": N},
            loss=lambda t: linear_regression_loss(t, X, y)[0],
            param=theta,
            extra=[],
        )
    A, x = rng.standard_normal((D, D)), rng.standard_normal((D, 1))
    return dict(
        target=(D, 1),
        factors={"A": (D, D), "x": (D, 1)},
        coefficient=2,
        arrays={"A": A, "x": x},
        loss=lambda v: (v.T @ A @ v).item(),
        param=x,
        extra=["(A + A.T) @ x"],
    )


class TrickReport:
    """What the dimension-matching trick offers for one problem, and what the check says.

    Attributes
    ----------
    problem, title : str
        The key of ``TRICK_PROBLEMS`` and its description.
    sizes : dict
        ``{"N": N, "D": D, "K": K}``.
    target : tuple
        The parameter's shape, the shape the gradient must have.
    factors : dict
        ``{name: shape}`` of the factors the scalar derivative gives.
    arrangements : list of str
        Every arrangement of the factors that fits the target (``matching_arrangements``).
    extra : list of str
        Candidates the trick does not produce (the true gradient when it is not among the
        arrangements).
    ranking : gradlab.shapes.CandidateRanking
        All candidates checked numerically (``rank_candidates``).
    """

    def __init__(self, problem, sizes, target, factors, arrangements, extra, ranking):
        self.problem = problem
        self.title = TRICK_PROBLEMS[problem]
        self.sizes = dict(sizes)
        self.target = tuple(target)
        self.factors = dict(factors)
        self.arrangements = list(arrangements)
        self.extra = list(extra)
        self.ranking = ranking

    @property
    def right(self) -> list[str]:
        """The candidates that pass the numeric check."""
        return self.ranking.right

    def headline(self) -> str:
        """One sentence: how many arrangements fit, how many of them are right."""
        fit = len(self.arrangements)
        right = [e for e in self.right if e in self.arrangements]
        text = (
            f"{fit} arrangement{'s' if fit != 1 else ''} fit the shape {self.target}; "
            f"{len(right)} of them pass{'es' if len(right) == 1 else ''} the numeric check"
        )
        others = [e for e in self.right if e not in self.arrangements]
        if others:
            text += f"; the right answer, {', '.join(others)}, is not an arrangement at all"
        return text + "."

    def __str__(self) -> str:
        factors = ", ".join(f"{k} {v}" for k, v in self.factors.items())
        return (
            f"{self.title}\nfactors: {factors}; target {self.target}\n{self.headline()}\n\n"
            f"{self.ranking}"
        )

    def _repr_html_(self) -> str:
        import html

        factors = ", ".join(
            f"<code>{html.escape(k)}</code> {html.escape(str(v))}" for k, v in self.factors.items()
        )
        return (
            f"<div class='gradlab-trick'><p><strong>{html.escape(self.title)}</strong><br>"
            f"factors: {factors}; target shape {html.escape(str(self.target))}<br>"
            f"{html.escape(self.headline())}</p>{self.ranking._repr_html_()}</div>"
        )


def trick_report(problem="layer-dW", N=4, D=3, K=2, seed=0):
    """Run the dimension-matching trick on a preset problem and check every candidate.

    The pure function behind chapter 2's widget: it lists the arrangements of the factors
    that fit the parameter's shape (``gradlab.shapes.matching_arrangements``), adds the true
    gradient when the trick cannot produce it, and ranks all of them by the numeric check
    (``gradlab.shapes.rank_candidates``). With distinct sizes the shapes usually pin down
    one arrangement; when sizes coincide (N = D = K) several fit and only the check tells
    them apart.

    Parameters
    ----------
    problem : str, default "layer-dW"
        A key of ``TRICK_PROBLEMS``.
    N, D, K : int, default 4, 3, 2
        Batch size, input size, output size (the quadratic problem uses D only).
    seed : int, default 0
        Seed of the random arrays.

    Returns
    -------
    TrickReport

    Raises
    ------
    ValueError
        Unknown ``problem``, or a size below 1.
    TypeError
        A size that is not an integer.

    Examples
    --------
    >>> trick_report("layer-dW", N=4, D=3, K=2).arrangements
    ['X.T @ G']
    >>> report = trick_report("layer-dW", N=3, D=3, K=3)
    >>> len(report.arrangements), report.right
    (12, ['X.T @ G'])
    """
    from gradlab._validate import require_positive_int
    from gradlab.shapes import matching_arrangements, rank_candidates

    if problem not in TRICK_PROBLEMS:
        raise ValueError(
            f"problem must be one of {', '.join(repr(k) for k in TRICK_PROBLEMS)}; got {problem!r}"
        )
    sizes = {name: require_positive_int(name, v) for name, v in (("N", N), ("D", D), ("K", K))}
    spec = _trick_problem(problem, sizes["N"], sizes["D"], sizes["K"], seed)
    arrangements = [
        a.expression
        for a in matching_arrangements(
            spec["target"], spec["factors"], coefficient=spec["coefficient"]
        )
    ]
    ranking = rank_candidates(
        arrangements + spec["extra"], spec["arrays"], spec["loss"], spec["param"]
    )
    return TrickReport(
        problem, sizes, spec["target"], spec["factors"], arrangements, spec["extra"], ranking
    )


# ---- Chapter 3: Jacobian rules and layouts ------------------------------------------------

__all__ += ["MAX_PATTERN_ENTRIES", "jacobian_sparsity", "plot_jacobian_sparsity"]

#: The largest Jacobian ``jacobian_sparsity`` builds (it is a teaching picture, not a tool).
MAX_PATTERN_ENTRIES = 1_000_000


def jacobian_sparsity(m, n, order="F"):
    """Where the Jacobian of z = Wx with respect to W is non-zero, and what it would cost.

    For W of shape (m, n) the Jacobian is m x (m*n) (``gradlab.jacobians.jacobian_Wx_wrt_W``);
    output z_i depends on row i of W only, so row i of the Jacobian is zero outside the n
    columns that hold row i of W: m*n non-zeros among m*m*n entries, a fraction 1/m.

    Parameters
    ----------
    m, n : int
        W's shape.
    order : {"F", "C"}, default "F"
        How W is flattened (columns stacked, vec; or rows stacked).

    Returns
    -------
    dict
        ``pattern`` (bool ndarray, shape (m, m*n)), ``nonzeros``, ``entries``,
        ``fraction`` (nonzeros / entries), ``jacobian_bytes`` and ``weight_bytes`` (float64
        storage of the full Jacobian and of W itself).

    Raises
    ------
    TypeError, ValueError
        m or n not a positive integer, an unknown order, or a Jacobian of more than
        ``MAX_PATTERN_ENTRIES`` entries (the message gives its counts instead).

    Examples
    --------
    >>> s = jacobian_sparsity(3, 2)
    >>> s["pattern"].shape, s["nonzeros"], s["entries"]
    ((3, 6), 6, 18)
    """
    import numpy as np

    from gradlab._validate import require_positive_int
    from gradlab.jacobians import jacobian_Wx_wrt_W

    m = require_positive_int("m", m)
    n = require_positive_int("n", n)
    if m * m * n > MAX_PATTERN_ENTRIES:
        raise ValueError(
            f"the Jacobian of z = Wx for W of shape ({m}, {n}) has m*m*n = {m * m * n} entries, "
            f"too many to build here (at most {MAX_PATTERN_ENTRIES}); its counts need no "
            f"pattern: m*n = {m * n} non-zeros, {8 * m * m * n} bytes in float64"
        )
    # With x all ones, every structurally non-zero entry (an x_l) is non-zero.
    pattern = jacobian_Wx_wrt_W(np.zeros((m, n)), np.ones(n), order=order) != 0
    entries = m * m * n
    nonzeros = int(np.count_nonzero(pattern))
    return {
        "pattern": pattern,
        "nonzeros": nonzeros,
        "entries": entries,
        "fraction": nonzeros / entries,
        "jacobian_bytes": 8 * entries,
        "weight_bytes": 8 * m * n,
    }


def plot_jacobian_sparsity(m=4, n=3, order="F"):
    """Heatmap of the non-zero pattern of the Jacobian of z = Wx with respect to W.

    Rows are the outputs z_1..z_m, columns the entries of W in the chosen flattening order
    (labelled W[k,l] when there are few). Dark cells are non-zero. Chapter 3 shows it to
    explain why backprop never builds this matrix and uses delta x^T instead.

    Parameters
    ----------
    m, n : int, default 4, 3
        W's shape.
    order : {"F", "C"}, default "F"
        "F" stacks W's columns (vec, a block diagonal of x^T (x) I pattern: diagonal
        stripes); "C" stacks its rows (I (x) x^T: one dense block per output).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_jacobian_sparsity(3, 2)
    >>> fig.axes[0].images[0].get_array().shape
    (3, 6)
    """
    import matplotlib.pyplot as plt
    import numpy as np

    info = jacobian_sparsity(m, n, order)
    pattern = info["pattern"]
    width = min(11.0, 2.0 + 0.35 * m * n)
    height = min(6.0, 1.2 + 0.4 * m)
    fig, ax = plt.subplots(figsize=(width, height))
    ax.imshow(
        pattern.astype(float), cmap="Greys", vmin=0, vmax=1, aspect="equal", interpolation="nearest"
    )
    how = "columns of W stacked, vec(W)" if order == "F" else "rows of W stacked"
    ax.set_xlabel(f"entry of W ({how})")
    ax.set_ylabel("output")
    ax.set_title(
        f"Jacobian of z = Wx with respect to W ({m} x {m * n}): "
        f"{info['nonzeros']} of {info['entries']} entries non-zero"
    )
    ax.set_yticks(range(m), [f"z{i + 1}" for i in range(m)])
    if m * n <= 30:
        cells = np.arange(m * n).reshape((m, n), order=order)
        labels = [""] * (m * n)
        for k in range(m):
            for l in range(n):
                labels[cells[k, l]] = f"W{k + 1}{l + 1}"
        ax.set_xticks(range(m * n), labels, rotation=90)
    else:
        ax.set_xticks([])
    fig.tight_layout()
    return fig


# ---- Chapter 4: indicator-function tricks -------------------------------------------------


# ---- Chapter 5: SVM and softmax gradients -------------------------------------------------


# ---- Chapter 6: matrix-form backprop ------------------------------------------------------
