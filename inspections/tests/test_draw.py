"""The pure 双随机 draw: reproducible, and recusal is never violated."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.services import ServiceError
from inspections.draw import draw


def test_same_seed_same_draw_and_different_seed_differs():
    ents, ins = list(range(1, 51)), [101, 102, 103, 104, 105]
    a = draw(42, ents, ins, 10, 2, [])
    assert a == draw(42, ents, ins, 10, 2, [])
    assert any(draw(s, ents, ins, 10, 2, []) != a for s in range(43, 48))
    assert all(len(r["inspectors"]) == 2 and len(set(r["inspectors"])) == 2 for r in a)
    assert len({r["enterprise"] for r in a}) == 10


def test_recusal_makes_assignment_impossible():
    with pytest.raises(ServiceError, match="回避") as exc:
        draw(1, [7], [1, 2], 1, 2, [(1, 7)])
    assert exc.value.field == "per_enterprise"


def test_pool_too_small():
    with pytest.raises(ServiceError, match="不足"):
        draw(1, [1, 2], [1, 2], 3, 2, [])
    with pytest.raises(ServiceError):
        draw(1, [1, 2], [1], 1, 2, [])


@st.composite
def pools(draw_):
    ents = draw_(st.lists(st.integers(1, 500), min_size=1, max_size=30, unique=True))
    ins = draw_(st.lists(st.integers(1000, 1100), min_size=2, max_size=10, unique=True))
    conflicts = draw_(st.lists(st.tuples(st.sampled_from(ins), st.sampled_from(ents)), max_size=40))
    n = draw_(st.integers(1, len(ents)))
    per = draw_(st.integers(1, min(3, len(ins))))
    seed = draw_(st.integers(0, 2**48))
    return seed, ents, ins, n, per, conflicts


@settings(max_examples=200, deadline=None)
@given(pools())
def test_recusal_is_never_violated(args):
    seed, ents, ins, n, per, conflicts = args
    blocked = set(conflicts)
    try:
        result = draw(seed, ents, ins, n, per, conflicts)
    except ServiceError as exc:
        assert exc.code == "recusal"
        return
    assert result == draw(seed, ents, ins, n, per, conflicts)
    assert len(result) == n and len({r["enterprise"] for r in result}) == n
    for row in result:
        assert len(set(row["inspectors"])) == per
        assert all((i, row["enterprise"]) not in blocked for i in row["inspectors"])
        assert set(row["inspectors"]) <= set(ins)
