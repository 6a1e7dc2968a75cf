"""Benchmark: MLP.loss_and_grads against its matrix products, PyTorch, and the Kronecker route.

    python benchmarks/bench_mlp.py            # the full run (about a minute)
    python benchmarks/bench_mlp.py --quick    # fewer repeats, smaller sweeps
    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_mlp.py   # one thread for NumPy and PyTorch

Part 1 times ``gradlab.mlp.MLP.loss_and_grads`` (ReLU hidden layers, softmax cross-entropy) for
784-512-256-10 and 3072-100-10 at N = 256, in float32 and float64, against

* the floor: the same matrix products done bare, same shapes and dtype (L forward products,
  L weight-gradient products, L - 1 products that carry G down; nothing else), and
* PyTorch CPU autograd on the same network, when torch is installed (optional).

The targets: within 1.15x of the floor, and faster than PyTorch. Part 2 times the two routes to
a two-layer network's gradients as the batch and the width grow, and prints the fitted growth
exponents. Calls are interleaved and the median of each is reported, so a machine busy with
other work slows every column alike. Nothing is asserted: this prints ratios measured in one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from functools import partial

import numpy as np

from gradlab.mlp import MLP
from gradlab.plots import fit_loglog_slope, measure_route_costs

CONFIGS = [(784, 512, 256, 10), (3072, 100, 10)]
BATCH = 256


def _median_ms(samples):
    return 1e3 * statistics.median(samples)


def make_problem(sizes, dtype, seed=0):
    rng = np.random.default_rng(seed)
    net = MLP(list(sizes), activation="relu", loss="softmax", seed=seed, dtype=dtype)
    for b in net.biases:
        b[...] = 0.1 * rng.standard_normal(b.shape)
    X = rng.standard_normal((BATCH, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], BATCH)
    return net, X, y


def floor_call(sizes, dtype, seed=1):
    """The matrix products of one forward and backward pass, on arrays of the right shapes."""
    rng = np.random.default_rng(seed)
    L = len(sizes) - 1
    acts = [rng.standard_normal((BATCH, n)).astype(dtype) for n in sizes[:-1]]  # A^0..A^{L-1}
    weights = [
        rng.standard_normal((a, b)).astype(dtype)
        for a, b in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    deltas = [rng.standard_normal((BATCH, n)).astype(dtype) for n in sizes[1:]]  # Delta^1..L

    def run():
        for l in range(L):  # forward: S^l = A^{l-1} W^l
            acts[l] @ weights[l]
        for l in range(L - 1, -1, -1):  # backward: dW^l, and G^{l-1} except below layer 1
            acts[l].T @ deltas[l]
            if l > 0:
                deltas[l] @ weights[l].T

    return run


def torch_call(net, X, y):
    """The same network and loss in PyTorch; returns None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    if os.environ.get("OPENBLAS_NUM_THREADS"):  # give PyTorch the threads NumPy's BLAS has
        torch.set_num_threads(int(os.environ["OPENBLAS_NUM_THREADS"]))
    dtype = {np.float32: torch.float32, np.float64: torch.float64}[net.dtype.type]
    Ws = [torch.tensor(W, dtype=dtype, requires_grad=True) for W in net.weights]
    bs = [torch.tensor(b[0], dtype=dtype, requires_grad=True) for b in net.biases]
    Xt = torch.tensor(X, dtype=dtype)
    yt = torch.tensor(y, dtype=torch.long)

    def run():
        for p in Ws + bs:
            p.grad = None
        A = Xt
        for l, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            S = torch.addmm(b, A, W)
            A = S if l == len(Ws) - 1 else torch.relu(S)
        loss = torch.nn.functional.cross_entropy(A, yt)
        loss.backward()
        return loss.item()

    # Same numbers as gradlab's, so the comparison is of the same computation.
    loss = run()
    ours, dWs, _ = net.loss_and_grads(X, y)
    tol = 1e-4 if net.dtype == np.float32 else 1e-10
    assert abs(loss - ours) <= tol * max(1.0, abs(ours)), (loss, ours)
    assert np.allclose(Ws[0].grad.numpy(), dWs[0], rtol=1e-3 if tol > 1e-6 else 1e-8, atol=1e-6)
    return run


def part_one(repeats):
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    try:
        import torch

        if os.environ.get("OPENBLAS_NUM_THREADS"):
            torch.set_num_threads(int(os.environ["OPENBLAS_NUM_THREADS"]))
        torch_note = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
    except ImportError:
        torch_note = "torch not installed: its column is empty"
    print(
        f"Part 1: loss_and_grads at N = {BATCH}, ReLU + softmax, median of {repeats} "
        f"(OPENBLAS_NUM_THREADS={blas}; {torch_note})"
    )
    header = f"{'sizes':>18} {'dtype':>8} {'floor ms':>9} {'gradlab ms':>11} {'/floor':>7} {'torch ms':>9} {'torch/gradlab':>14}"
    print(header)
    print("-" * len(header))
    for sizes in CONFIGS:
        for dtype in (np.float32, np.float64):
            net, X, y = make_problem(sizes, dtype)
            calls = {
                "floor": floor_call(sizes, dtype),
                "gradlab": partial(net.loss_and_grads, X, y),
            }
            t = torch_call(net, X, y)
            if t is not None:
                calls["torch"] = t
            samples = {k: [] for k in calls}
            for f in calls.values():  # warm up every path (thread pools, caches)
                f()
            for _ in range(repeats):
                for name, f in calls.items():
                    start = time.perf_counter()
                    f()
                    samples[name].append(time.perf_counter() - start)
            ms = {k: _median_ms(v) for k, v in samples.items()}
            torch_ms = f"{ms['torch']:9.2f}" if "torch" in ms else f"{'':>9}"
            torch_ratio = f"{ms['torch'] / ms['gradlab']:13.2f}x" if "torch" in ms else ""
            print(
                f"{'-'.join(map(str, sizes)):>18} {np.dtype(dtype).name:>8} {ms['floor']:9.2f} "
                f"{ms['gradlab']:11.2f} {ms['gradlab'] / ms['floor']:6.2f}x {torch_ms} {torch_ratio:>14}"
            )


def part_two(quick):
    if quick:
        batches, widths = (8, 16, 32, 64), (2, 4, 8, 16)
    else:
        batches, widths = (16, 32, 64, 128, 256), (4, 8, 16, 32, 64)
    print()
    print("Part 2: gradients of a two-layer sigmoid network (2 inputs, 1 output, mse), both routes")
    costs = measure_route_costs(
        batches=batches,
        widths=widths,
        width_for_batches=8,
        batch_for_widths=32,
        repeats=3,
    )
    for sweep, name in (("batch", "batch N (H = 8)"), ("width", "width H (N = 32)")):
        data = costs[sweep]
        print(f"  growing {name}")
        print(
            f"  {'size':>6} {'Kronecker ms':>13} {'backprop ms':>12} {'Kronecker MiB':>14} {'backprop KiB':>13}"
        )
        for i, x in enumerate(data["x"]):
            print(
                f"  {x:6d} {1e3 * data['kron_seconds'][i]:13.3f} {1e3 * data['backprop_seconds'][i]:12.3f} "
                f"{data['kron_bytes'][i] / 2**20:14.3f} {data['backprop_bytes'][i] / 2**10:13.2f}"
            )
        slopes = {
            q: fit_loglog_slope(data["x"], data[q])
            for q in ("kron_seconds", "backprop_seconds", "kron_bytes", "backprop_bytes")
        }
        print(
            f"  growth exponents: Kronecker time {slopes['kron_seconds']:.2f}, memory "
            f"{slopes['kron_bytes']:.2f}; backprop time {slopes['backprop_seconds']:.2f}, memory "
            f"{slopes['backprop_bytes']:.2f}"
        )
        # Small sizes are call overhead; the last two sizes show the asymptotic growth better.
        last = {q: fit_loglog_slope(data["x"][-2:], data[q][-2:]) for q in slopes}
        print(
            f"  between the two largest sizes: Kronecker time {last['kron_seconds']:.2f}, memory "
            f"{last['kron_bytes']:.2f}; backprop time {last['backprop_seconds']:.2f}, memory "
            f"{last['backprop_bytes']:.2f}"
        )
    # At these sizes backprop's time is call overhead; its own exponent shows at sizes the
    # Kronecker route cannot reach (its Jacobians would need terabytes).
    sizes = (256, 1024, 4096) if quick else (256, 1024, 4096, 16384)
    times = []
    rng = np.random.default_rng(0)
    for n in sizes:
        net = MLP([2, 64, 1], activation="sigmoid", loss="mse")
        X, Y = rng.standard_normal((n, 2)), rng.random((n, 1))
        net.loss_and_grads(X, Y)
        samples = []
        for _ in range(7):
            start = time.perf_counter()
            net.loss_and_grads(X, Y)
            samples.append(time.perf_counter() - start)
        times.append(statistics.median(samples))
    print(
        f"  backprop alone, H = 64, N = {', '.join(map(str, sizes))}: "
        f"{', '.join(f'{1e3 * t:.2f}' for t in times)} ms, growth exponent "
        f"{fit_loglog_slope(sizes, times):.2f}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller sweeps")
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per cell")
    args = parser.parse_args(argv)
    repeats = args.repeats or (5 if args.quick else 30)
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}")
    part_one(repeats)
    part_two(args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
