"""Grades of 493号令 art. 3 ("以上"包括本数, "以下"不包括本数). The expected grades are written
out from the article, independently of the rule rows and of workflow.compute_grade."""

from decimal import Decimal

import pytest

from accidents import rules, workflow

G, L, M, E = "general", "larger", "major", "especially_major"

# (deaths, injuries, loss 万元) -> grade, read off art. 3
CASES = [
    # deaths: 3 / 10 / 30 are the lower bounds of 较大 / 重大 / 特别重大
    ((0, 0, 0), G), ((2, 0, 0), G), ((3, 0, 0), L), ((9, 0, 0), L), ((10, 0, 0), M), ((29, 0, 0), M),
    ((30, 0, 0), E), ((31, 0, 0), E),
    # serious injuries: 10 / 50 / 100
    ((0, 9, 0), G), ((0, 10, 0), L), ((0, 49, 0), L), ((0, 50, 0), M), ((0, 99, 0), M), ((0, 100, 0), E),
    # direct loss: 1000万 / 5000万 / 1亿
    ((0, 0, "999.99"), G), ((0, 0, "1000"), L), ((0, 0, "4999.99"), L), ((0, 0, "5000"), M),
    ((0, 0, "9999.99"), M), ((0, 0, "10000"), E),
    # the highest figure decides
    ((2, 49, "999"), L), ((9, 50, "0"), M), ((1, 1, "10000"), E),
]


@pytest.mark.django_db
@pytest.mark.parametrize("figures,grade", CASES)
def test_grade_from_rule_rows(figures, grade):
    deaths, injuries, loss = figures
    assert rules.grade_of(deaths, injuries, Decimal(str(loss))) == grade


def test_grade_is_computed_from_thresholds_given_as_data():
    # a jurisdiction's made-up table: the function follows the data, not constants
    table = [workflow.Threshold(L, 1, 1, Decimal("1")), workflow.Threshold(M, 5, 5, Decimal("5"))]
    assert workflow.compute_grade(0, 0, Decimal("0.5"), table) == G
    assert workflow.compute_grade(1, 0, Decimal("0"), table) == L
    assert workflow.compute_grade(0, 0, Decimal("5"), table) == M


@pytest.mark.django_db
def test_authority_by_grade_and_escalation():
    # art. 19: 一般 county, 较大 设区的市, 重大 province, 特别重大 国务院
    assert [rules.authority_level(g) for g in (G, L, M, E)] == ["county", "city", "province", "state"]
    assert rules.authority_level(G, escalated=True) == "city"
    assert rules.authority_level(E, escalated=True) == "state"
