"""gradlab.shapes: the dimension-matching trick as a tool, and errors that explain shapes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradlab.shapes import (
    MAX_FACTORS,
    Arrangement,
    ShapeError,
    elementwise_shape,
    evaluate_expression,
    matching_arrangements,
    matmul_shape,
    rank_candidates,
)

RNG = np.random.default_rng(7)
SMALL = st.integers(min_value=1, max_value=4)


def exprs(arrangements):
    return [a.expression for a in arrangements]


def random_arrays(factors, rng=RNG):
    return {name: rng.standard_normal(shape) for name, shape in dict(factors).items()}


class TestMatmulShape:
    def test_result_shape_with_numbers_and_symbols(self):
        assert matmul_shape("A", (2, 3), "B", (3, 5)) == (2, 5)
        assert matmul_shape("X.T", ("D", "N"), "G", ("N", "K")) == ("D", "K")

    def test_inner_mismatch_names_both_shapes_the_dimensions_and_a_fix(self):
        with pytest.raises(ShapeError) as err:
            matmul_shape("X", (5, 3), "G", (5, 2))
        msg = str(err.value)
        assert "X @ G: inner dimensions disagree" in msg
        assert "X is (5, 3), so it has 3 columns" in msg
        assert "G is (5, 2), so it has 5 rows" in msg
        assert "X.T @ G -> (3, 2)" in msg

    def test_lists_every_fitting_transpose_or_swap(self):
        with pytest.raises(ShapeError) as err:
            matmul_shape("A", (2, 3), "B", (4, 2))
        msg = str(err.value)
        assert "A.T @ B.T -> (3, 4)" in msg and "B @ A -> (4, 3)" in msg
        assert "A.T @ B ->" not in msg  # (3, 2) @ (4, 2) does not fit

    def test_transposing_a_transposed_name_drops_the_T(self):
        with pytest.raises(ShapeError, match=r"Products that fit: X @ G -> \(5, 2\)"):
            matmul_shape("X.T", (3, 5), "G", (3, 2))

    def test_counts_read_as_english(self):
        with pytest.raises(ShapeError, match=r"x is \(6, 1\), so it has 1 column, but r is"):
            matmul_shape("x", (6, 1), "r", (6, 1))
        with pytest.raises(ShapeError, match=r"r is \(1, 6\), so it has 1 row\."):
            matmul_shape("A", (2, 3), "r", (1, 6))

    def test_says_when_nothing_fits(self):
        with pytest.raises(ShapeError, match="No transpose or swap fits either"):
            matmul_shape("A", (2, 3), "B", (4, 5))

    def test_a_vector_operand_is_refused_with_a_reshape_hint(self):
        with pytest.raises(
            ShapeError, match=r"x must be a matrix \(2-D\); got shape \(3,\).*column \(3, 1\)"
        ):
            matmul_shape("A", (2, 3), "x", (3,))


class TestElementwiseShape:
    def test_equal_shapes_pass(self):
        assert elementwise_shape("A", (3, 2), "B", (3, 2)) == (3, 2)

    def test_a_broadcastable_pair_is_refused_and_explained(self):
        with pytest.raises(ShapeError) as err:
            elementwise_shape("u", (3, 1), "v", (1, 3), op="+")
        msg = str(err.value)
        assert msg.startswith(
            "u + v: element-wise operands need equal shapes (gradlab never broadcasts)"
        )
        assert "u is (3, 1), v is (1, 3)" in msg
        assert "did you forget a .T?" in msg

    def test_names_the_disagreeing_dimension(self):
        with pytest.raises(ShapeError, match="dimension 1 is 4, expected 2"):
            elementwise_shape("A", (3, 2), "B", (3, 4))


class TestMatchingArrangements:
    def test_weight_gradient_of_a_layer(self):
        out = matching_arrangements(("D", "K"), {"X": ("N", "D"), "G": ("N", "K")})
        assert exprs(out) == ["X.T @ G"]
        assert out[0].shape == ("D", "K") and out[0].transposes == 1 and not out[0].elementwise

    def test_bias_and_input_gradients(self):
        assert exprs(matching_arrangements((1, "K"), {"ones": ("N", 1), "G": ("N", "K")})) == [
            "ones.T @ G"
        ]
        assert exprs(matching_arrangements(("N", "D"), {"G": ("N", "K"), "W": ("D", "K")})) == [
            "G @ W.T"
        ]

    def test_coefficient_is_put_in_front(self):
        out = matching_arrangements(("D", 1), {"X": ("N", "D"), "r": ("N", 1)}, coefficient="1/N")
        assert exprs(out) == ["1/N * X.T @ r"]
        assert exprs(matching_arrangements((3, 1), {"A": (3, 3), "x": (3, 1)}, coefficient=2)) == [
            "2 * A @ x",
            "2 * A.T @ x",
        ]

    def test_square_case_lists_every_order_transpose_and_product_once(self):
        out = exprs(matching_arrangements((3, 3), {"X": (3, 3), "G": (3, 3)}))
        matmuls = {f"{a} @ {b}" for a, b in itertools.product(["X", "X.T"], ["G", "G.T"])}
        matmuls |= {f"{b} @ {a}" for a, b in itertools.product(["X", "X.T"], ["G", "G.T"])}
        products = {f"{g} * {x}" for g in ["G", "G.T"] for x in ["X", "X.T"]}
        assert len(out) == len(set(out)) == 12
        assert set(out) == matmuls | products
        assert "X * G" not in out  # an element-wise product is listed once, sorted

    def test_elementwise_false_leaves_only_matrix_products(self):
        out = exprs(matching_arrangements((3, 3), {"X": (3, 3), "G": (3, 3)}, elementwise=False))
        assert len(out) == 8 and all("*" not in e for e in out)

    def test_symbols_never_coincide_numbers_do(self):
        symbolic = matching_arrangements(("D", "K"), {"X": ("N", "D"), "G": ("N", "K")})
        numeric = matching_arrangements((3, 3), {"X": (3, 3), "G": (3, 3)})
        assert len(symbolic) == 1 and len(numeric) > 1

    def test_a_repeated_factor_and_a_three_factor_chain(self):
        out = exprs(
            matching_arrangements(
                ("D", "D"), [("X", ("N", "D")), ("C", ("N", "N")), ("X", ("N", "D"))]
            )
        )
        assert out == ["X.T @ C @ X", "X.T @ C.T @ X"]

    def test_a_one_by_one_factor_is_never_transposed(self):
        out = exprs(matching_arrangements(("D", 1), {"x": ("D", 1), "r": (1, 1)}))
        assert out == ["x @ r"]

    def test_nothing_fits_gives_an_empty_list(self):
        assert matching_arrangements((2, 2), {"A": (3, 5)}) == []

    def test_mixed_products_are_parenthesised_and_evaluate(self):
        out = exprs(matching_arrangements((2, 2), {"A": (2, 3), "B": (3, 2), "C": (2, 2)}))
        assert "(A @ B) * C" in out or "C * (A @ B)" in out
        arrays = random_arrays({"A": (2, 3), "B": (3, 2), "C": (2, 2)})
        expected = (arrays["A"] @ arrays["B"]) * arrays["C"]
        values = [evaluate_expression(e, arrays) for e in out]
        assert any(np.allclose(v, expected) for v in values)

    @settings(max_examples=25, deadline=None)
    @given(
        dims=st.lists(SMALL, min_size=3, max_size=3),
        target_dims=st.tuples(SMALL, SMALL),
        n_factors=st.integers(min_value=1, max_value=3),
        data=st.data(),
    )
    def test_every_listed_arrangement_evaluates_to_the_target_and_none_repeats(
        self, dims, target_dims, n_factors, data
    ):
        factors = [
            (f"F{i}", (data.draw(st.sampled_from(dims)), data.draw(st.sampled_from(dims))))
            for i in range(n_factors)
        ]
        out = matching_arrangements(target_dims, factors)
        arrays = random_arrays(factors)
        assert len(exprs(out)) == len(set(exprs(out)))
        for a in out:
            assert a.shape == target_dims
            assert a.evaluate(arrays).shape == target_dims
            for name, _ in factors:
                assert name in a.expression

    @settings(max_examples=25, deadline=None)
    @given(a=st.tuples(SMALL, SMALL), b=st.tuples(SMALL, SMALL), target=st.tuples(SMALL, SMALL))
    def test_two_factor_products_agree_with_brute_force(self, a, b, target):
        found = set(exprs(matching_arrangements(target, {"A": a, "B": b}, elementwise=False)))
        brute = set()
        variants = {"A": [("A", a)], "B": [("B", b)]}
        if a != (1, 1):
            variants["A"].append(("A.T", a[::-1]))
        if b != (1, 1):
            variants["B"].append(("B.T", b[::-1]))
        for (n1, s1), (n2, s2) in itertools.product(variants["A"], variants["B"]):
            for (p, ps), (q, qs) in (((n1, s1), (n2, s2)), ((n2, s2), (n1, s1))):
                if ps[1] == qs[0] and (ps[0], qs[1]) == target:
                    brute.add(f"{p} @ {q}")
        assert found == brute

    @settings(max_examples=25, deadline=None)
    @given(N=SMALL, D=SMALL, K=SMALL)
    def test_the_true_weight_gradient_is_always_listed_and_passes(self, N, D, K):
        rng = np.random.default_rng(N * 100 + D * 10 + K)
        X, W, C = (
            rng.standard_normal((N, D)),
            rng.standard_normal((D, K)),
            rng.standard_normal((N, K)),
        )
        out = matching_arrangements((D, K), {"X": (N, D), "G": (N, K)})
        truth = "X @ G" if X.shape == (1, 1) else "X.T @ G"  # a 1 x 1 factor is not transposed
        assert truth in exprs(out)
        ranking = rank_candidates(out, {"X": X, "G": C}, lambda W_: float(np.sum(C * (X @ W_))), W)
        assert truth in ranking.right
        if len({N, D, K}) == 3:
            assert exprs(out) == ["X.T @ G"]

    def test_target_must_be_2d(self):
        with pytest.raises(
            ShapeError, match=r"target must be a 2-D shape.*got \(3,\).*column \(n, 1\)"
        ):
            matching_arrangements((3,), {"A": (3, 3)})

    def test_factor_shape_must_be_2d(self):
        with pytest.raises(ShapeError, match=r"the shape of factor x must be a 2-D shape"):
            matching_arrangements((3, 1), {"x": (3,)})

    @pytest.mark.parametrize("bad", [0, -2, 1.5, True, ""])
    def test_dimensions_are_positive_ints_or_symbols(self, bad):
        with pytest.raises(ValueError, match="positive integers or symbols"):
            matching_arrangements((bad, 2), {"A": (2, 2)})

    def test_a_shape_must_be_a_tuple(self):
        with pytest.raises(TypeError, match=r"must be a shape.*got str"):
            matching_arrangements("DK", {"A": (2, 2)})

    def test_factors_must_be_a_dict_or_pairs(self):
        with pytest.raises(TypeError, match="dict {name: shape} or a list of"):
            matching_arrangements((2, 2), "A")
        with pytest.raises(TypeError, match=r"got an item \('A',\)"):
            matching_arrangements((2, 2), [("A",)])

    def test_at_most_max_factors(self):
        factors = {f"F{i}": (2, 2) for i in range(MAX_FACTORS + 1)}
        with pytest.raises(ValueError, match=f"1 to {MAX_FACTORS} factors.*got {MAX_FACTORS + 1}"):
            matching_arrangements((2, 2), factors)
        with pytest.raises(ValueError, match="got 0"):
            matching_arrangements((2, 2), {})

    @pytest.mark.parametrize("name", ["1X", "x y", "lambda", 3])
    def test_names_must_be_identifiers(self, name):
        with pytest.raises(ValueError, match="must be a Python identifier"):
            matching_arrangements((2, 2), {name: (2, 2)})

    def test_coefficient_type(self):
        with pytest.raises(TypeError, match="coefficient must be a number or a string"):
            matching_arrangements((2, 2), {"A": (2, 2)}, coefficient=[2])


class TestEvaluateExpression:
    def test_matches_numpy(self):
        A, B, x = (
            RNG.standard_normal((3, 2)),
            RNG.standard_normal((3, 2)),
            RNG.standard_normal((3, 1)),
        )
        arrays = {"A": A, "B": B, "x": x, "N": 4}
        value = evaluate_expression("-(A.T @ x) / N + 2 * (A - B).T @ x", arrays)
        assert np.allclose(value, -(A.T @ x) / 4 + 2 * (A - B).T @ x)
        assert np.allclose(evaluate_expression("A * B + A", arrays), A * B + A)

    def test_refuses_to_broadcast(self):
        arrays = {"u": np.ones((3, 1)), "v": np.ones((1, 3))}
        with pytest.raises(ShapeError, match="u - v: element-wise operands need equal shapes"):
            evaluate_expression("u - v", arrays)

    def test_a_matmul_mismatch_is_explained(self):
        arrays = {"X": np.ones((5, 3)), "G": np.ones((5, 2))}
        with pytest.raises(
            ShapeError, match=r"X @ G: inner dimensions disagree.*X.T @ G -> \(3, 2\)"
        ):
            evaluate_expression("X @ G", arrays)

    def test_transposing_a_1d_array_is_an_error(self):
        with pytest.raises(ShapeError, match=r"x.T: x is 1-D with shape \(3,\).*column \(3, 1\)"):
            evaluate_expression("x.T", {"x": np.ones(3)})

    def test_a_number_in_a_matmul_is_an_error(self):
        with pytest.raises(ShapeError, match="N is a number; use \\* for a scalar factor"):
            evaluate_expression("N @ X", {"N": 3, "X": np.ones((2, 2))})

    @pytest.mark.parametrize(
        "expression, what",
        [
            ("np.sum(X)", "Call"),
            ("X[0]", "Subscript"),
            ("X.shape", "Attribute"),
            ("X ** 2", "BinOp"),
            ("__import__('os')", "Call"),
        ],
    )
    def test_only_the_listed_syntax_runs(self, expression, what):
        with pytest.raises(ValueError, match=f"names, numbers, .T, @.*is a {what}"):
            evaluate_expression(expression, {"X": np.ones((2, 2)), "np": np})

    def test_unknown_name(self):
        with pytest.raises(
            ValueError, match=r"uses 'Q', which arrays does not hold \(it holds: G, X\)"
        ):
            evaluate_expression("Q @ X", {"X": np.ones((2, 2)), "G": np.ones((2, 2))})

    def test_syntax_error(self):
        with pytest.raises(ValueError, match="is not valid Python"):
            evaluate_expression("X @", {"X": np.ones((2, 2))})

    def test_types(self):
        with pytest.raises(TypeError, match="expression must be a string"):
            evaluate_expression(3, {})
        with pytest.raises(
            TypeError, match=r"arrays\['X'\] must be a NumPy array or a number; got list"
        ):
            evaluate_expression("X", {"X": [[1.0]]})
        with pytest.raises(ValueError, match="only hold numbers as constants"):
            evaluate_expression("'a'", {})


def quadratic(A, x):
    return lambda v: (v.T @ A @ v).item()


class TestRankCandidates:
    def test_the_trick_misleads_on_a_non_symmetric_quadratic(self):
        A, x = RNG.standard_normal((4, 4)), RNG.standard_normal((4, 1))
        trick = matching_arrangements((4, 1), {"A": (4, 4), "x": (4, 1)}, coefficient=2)
        ranking = rank_candidates([*trick, "(A + A.T) @ x"], {"A": A, "x": x}, quadratic(A, x), x)
        assert ranking.right == ["(A + A.T) @ x"]
        assert ranking[0].expression == "(A + A.T) @ x" and ranking[0].verdict == "right"
        assert {v.verdict for v in ranking.verdicts[1:]} == {"fits, wrong"}
        assert all(v.error > 1e-3 for v in ranking.verdicts[1:])

    def test_with_a_symmetric_matrix_the_trick_is_right(self):
        M = RNG.standard_normal((4, 4))
        A, x = M + M.T, RNG.standard_normal((4, 1))
        ranking = rank_candidates(
            ["2 * A @ x", "2 * A.T @ x"], {"A": A, "x": x}, quadratic(A, x), x
        )
        assert sorted(ranking.right) == ["2 * A @ x", "2 * A.T @ x"]

    def test_candidates_that_do_not_fit_are_listed_last_with_the_reason(self):
        X, G = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 2))
        W = RNG.standard_normal((3, 2))
        ranking = rank_candidates(
            ["G.T @ X", "X @ G", "X.T @ G"],
            {"X": X, "G": G},
            lambda W_: float(np.sum(G * (X @ W_))),
            W,
        )
        assert [v.expression for v in ranking] == ["X.T @ G", "G.T @ X", "X @ G"]
        assert ranking.fitting == ["X.T @ G"]
        wrong_shape, no_product = ranking[1], ranking[2]
        assert not wrong_shape.fits and wrong_shape.shape == (2, 3)
        assert "does not fit the parameter's (3, 2)" in wrong_shape.note
        assert "did you forget a .T?" in wrong_shape.note
        assert no_product.shape is None and "inner dimensions disagree" in no_product.note
        text = str(ranking)
        assert "X.T @ G" in text and "PASS" in text and "not checked" in text
        assert "<table" in ranking._repr_html_() and "right=['X.T @ G']" in repr(ranking)

    def test_right_first_then_by_error_then_misfits(self):
        X, W, G = (RNG.standard_normal((3, 3)) for _ in range(3))
        candidates = [*exprs(matching_arrangements((3, 3), {"X": (3, 3), "G": (3, 3)})), "R"]
        candidates.append("G @ G.T @ X @ X.T @ G @ X")  # fits, and is far off
        ranking = rank_candidates(
            sorted(candidates),
            {"X": X, "G": G, "R": np.ones((3, 2))},
            lambda W_: float(np.sum(G * (X @ W_))),
            W,
        )
        assert ranking[0].expression == "X.T @ G" and ranking[0].passed
        wrong = [v.error for v in ranking if v.fits and not v.passed]
        assert len(wrong) == 12 and wrong == sorted(wrong)
        assert ranking[-1].expression == "R" and not ranking[-1].fits

    def test_a_wrong_factor_fails(self):
        X, r = RNG.standard_normal((5, 3)), RNG.standard_normal((5, 1))
        theta = RNG.standard_normal((3, 1))
        y = X @ theta - r
        loss = lambda t: float(np.sum((X @ t - y) ** 2)) / 10  # noqa: E731
        ranking = rank_candidates(["X.T @ r", "X.T @ r / 5"], {"X": X, "r": r}, loss, theta)
        assert ranking.right == ["X.T @ r / 5"]

    def test_bad_arguments(self):
        x = np.ones((2, 1))
        with pytest.raises(ValueError, match="at least one expression"):
            rank_candidates([], {"x": x}, lambda v: 0.0, x)
        with pytest.raises(
            TypeError, match="each candidate must be a string or an Arrangement; got int"
        ):
            rank_candidates([3], {"x": x}, lambda v: 0.0, x)
        with pytest.raises(TypeError, match="param must be a float64 array"):
            rank_candidates(["x"], {"x": x}, lambda v: 0.0, x.astype(np.float32))
        with pytest.raises(TypeError, match="loss must be a callable"):
            rank_candidates(["x"], {"x": x}, 3.0, x)
        with pytest.raises(ValueError, match="which arrays does not hold"):
            rank_candidates(["y"], {"x": x}, lambda v: 0.0, x)

    def test_accepts_arrangements(self):
        x = RNG.standard_normal((2, 1))
        arrangement = Arrangement("2 * x", (2, 1), 0, False)
        ranking = rank_candidates([arrangement], {"x": x}, lambda v: float(np.sum(v * v)), x)
        assert ranking.right == ["2 * x"]
