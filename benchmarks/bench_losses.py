"""Time the vectorised losses against the floor of their two matrix products, in one run.

    python benchmarks/bench_losses.py            # every size, float64 and float32
    python benchmarks/bench_losses.py --quick    # fewer repeats

For each size and dtype, the NumPy contenders (the floor and gradlab's losses) are timed
``--repeats`` times, round-robin (so a background load hits all of them alike), and the median
is reported with its ratio to the floor. PyTorch and JAX are timed in their own rounds after
a pause: their thread pools spin for a while after each call and would steal the cores of
whatever runs next. The floor is the two matrix products a linear-classifier gradient cannot avoid, on the
same arrays, dtype and BLAS: ``S = X @ W`` and ``dW = X.T @ dS``. A ratio near 1 means the
loss adds almost nothing to them; PyTorch CPU autograd and JAX are timed when installed (both
optional). A second table times the naive loops against the vectorised versions at a small
size. Timing is never asserted anywhere: this script only prints what it measured.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np

from gradlab.losses import softmax_loss, softmax_loss_naive, svm_loss, svm_loss_naive

SIZES = [(500, 3073, 10), (4096, 1024, 1000)]
NAIVE_SIZE = (200, 100, 10)
REG = 1e-4


def problem(N, D, K, dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D)).astype(dtype)
    W = (0.001 * rng.standard_normal((D, K))).astype(dtype)
    y = rng.integers(0, K, N)
    return W, X, y


def numpy_contenders(W, X, y):
    dS = np.random.default_rng(1).standard_normal((X.shape[0], W.shape[1])).astype(W.dtype)

    def floor():
        S = X @ W
        dW = X.T @ dS
        return S, dW

    return {
        "floor: X@W + X.T@dS": floor,
        "svm_loss": lambda: svm_loss(W, X, y, REG),
        "softmax_loss": lambda: softmax_loss(W, X, y, REG),
    }


def torch_contenders(W, X, y):
    try:
        import torch
    except ImportError:
        return {}
    Wt = torch.from_numpy(W.copy()).requires_grad_(True)
    Xt = torch.from_numpy(X)
    yt = torch.from_numpy(y)
    rows = torch.arange(X.shape[0])

    def svm():
        Wt.grad = None
        S = Xt @ Wt
        margins = torch.clamp(S - S[rows, yt][:, None] + 1.0, min=0.0)
        margins[rows, yt] = 0.0
        loss = margins.sum() / X.shape[0] + REG * (Wt * Wt).sum()
        loss.backward()
        return float(loss.detach()), Wt.grad

    def softmax():
        Wt.grad = None
        loss = torch.nn.functional.cross_entropy(Xt @ Wt, yt) + REG * (Wt * Wt).sum()
        loss.backward()
        return float(loss.detach()), Wt.grad

    # The same numbers as gradlab's, or the comparison means nothing.
    for ours, theirs in ((svm_loss, svm), (softmax_loss, softmax)):
        l1, g1 = ours(W, X, y, REG)
        l2, g2 = theirs()
        tol = 1e-4 if W.dtype == np.float32 else 1e-10
        assert abs(l1 - l2) <= tol * max(1.0, abs(l1)), (ours.__name__, l1, l2)
        assert np.allclose(g1, g2.numpy(), rtol=tol * 10, atol=tol * float(np.abs(g1).max()))
    return {"torch autograd svm": svm, "torch autograd softmax": softmax}


def jax_contenders(W, X, y):
    try:
        import jax
    except ImportError:
        return {}
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    Wj, Xj, yj = jnp.asarray(W), jnp.asarray(X), jnp.asarray(y)
    rows = jnp.arange(X.shape[0])

    def svm(w):
        S = Xj @ w
        margins = jnp.maximum(S - S[rows, yj][:, None] + 1.0, 0.0).at[rows, yj].set(0.0)
        return margins.sum() / X.shape[0] + REG * jnp.sum(w * w)

    def softmax(w):
        S = Xj @ w
        logp = jax.nn.log_softmax(S, axis=1)
        return -jnp.mean(logp[rows, yj]) + REG * jnp.sum(w * w)

    out = {}
    for name, f in (("jax jit svm", svm), ("jax jit softmax", softmax)):
        g = jax.jit(jax.value_and_grad(f))
        jax.block_until_ready(g(Wj))  # compile once, outside the timing
        out[name] = lambda g=g: jax.block_until_ready(g(Wj))
    return out


def time_round_robin(contenders, repeats):
    """(median, best) seconds per contender; one warm-up call each, then round-robin repeats."""
    for f in contenders.values():
        f()
    samples = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, f in contenders.items():
            start = time.perf_counter()
            f()
            samples[name].append(time.perf_counter() - start)
    return {name: (statistics.median(t), min(t)) for name, t in samples.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--quick", action="store_true", help="3 repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else args.repeats

    print(f"numpy {np.__version__}, python {platform.python_version()}, {os.cpu_count()} CPUs")
    try:
        import torch

        print(f"torch {torch.__version__} ({torch.get_num_threads()} threads)")
    except ImportError:
        print("torch not installed: skipped")
    try:
        import jax

        print(f"jax {jax.__version__}")
    except ImportError:
        print("jax not installed: skipped")
    print(
        f"median and best of {repeats} round-robin runs; x floor = time / the floor's time "
        "(two matrix products)\nthe best times are the steadier on a loaded machine\n"
    )

    header = (
        f"{'N x D x K':>18} {'dtype':>8}  {'contender':<24} {'median ms':>10} {'x floor':>8}"
        f" {'best ms':>9} {'x floor':>8}"
    )
    print(header)
    print("-" * len(header))
    for dtype in (np.float64, np.float32):
        for N, D, K in SIZES:
            W, X, y = problem(N, D, K, dtype)
            medians = time_round_robin(numpy_contenders(W, X, y), repeats)
            for others in (torch_contenders(W, X, y), jax_contenders(W, X, y)):
                if others:
                    time.sleep(0.5)
                    medians.update(time_round_robin(others, repeats))
                    time.sleep(0.5)
            floor, floor_best = medians["floor: X@W + X.T@dS"]
            for name, (t, best) in medians.items():
                size = f"{N} x {D} x {K}"
                print(
                    f"{size:>18} {np.dtype(dtype).name:>8}  {name:<24} {1e3 * t:>10.2f} "
                    f"{t / floor:>8.2f} {1e3 * best:>9.2f} {best / floor_best:>8.2f}"
                )
            print()

    N, D, K = NAIVE_SIZE
    W, X, y = problem(N, D, K, np.float64)
    medians = time_round_robin(
        {
            "svm_loss_naive": lambda: svm_loss_naive(W, X, y, REG),
            "svm_loss": lambda: svm_loss(W, X, y, REG),
            "softmax_loss_naive": lambda: softmax_loss_naive(W, X, y, REG),
            "softmax_loss": lambda: softmax_loss(W, X, y, REG),
        },
        max(3, repeats // 2),
    )
    print(f"naive loops against vectorised, N x D x K = {N} x {D} x {K}, float64")
    print(f"{'loss':<10} {'naive ms':>10} {'vectorised ms':>14} {'speed-up':>9}")
    for loss in ("svm", "softmax"):
        naive, fast = medians[f"{loss}_loss_naive"][0], medians[f"{loss}_loss"][0]
        print(f"{loss:<10} {1e3 * naive:>10.2f} {1e3 * fast:>14.3f} {naive / fast:>8.0f}x")


if __name__ == "__main__":
    main()
