"""Ledger text search (hazards.search): the n-gram index returns exactly what a substring search
returns, on a corpus with punctuation, Latin letters, digits and one-character queries."""

import pytest
from django.db import connection
from django.db.models import Q

from accounts.models import Sector
from hazards import services
from hazards.models import Hazard
from hazards.search import query_tokens, text_filter, tokens

CORPUS = ["消防通道被占用，安全出口锁闭", "液化石油气钢瓶未使用减压阀", "配电箱未接地；PE线缺失", "有限空间作业未检测氧含量",
          "LNG储罐区可燃气体报警器失效", "消防栓水压不足0.1MPa", "安全出口指示灯损坏", "通道堆放杂物", "叉车司机无证驾驶",
          "粉尘涉爆车间除尘系统未定期清理", "消防设施未年检", "高处作业未系安全带（3米以上）"]
QUERIES = ["消防", "通道", "安全", "出口", "消防通道", "未", "道", "PE", "pe线", "lng", "0.1MPa", "MPa", "米以上", "（3米",
           "，安全", "被占用，安全出口", "不存在的词", "消防栓水", "除尘", "作业未", "a", "；", "安全带（3"]


def test_every_substring_query_finds_its_ngrams_in_the_document():
    """The superset property the index relies on, over every substring of every document."""
    for text in CORPUS:
        doc = set(tokens(text).split())
        for i in range(len(text)):
            for j in range(i + 1, min(len(text), i + 8) + 1):
                assert set(query_tokens(text[i:j])) <= doc, text[i:j]


def _corpus(world):
    sector = Sector.objects.get(code="commerce")
    for i, text in enumerate(CORPUS):
        services.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=sector, description=text,
                                 grade="general", location="仓库二层" if i % 3 == 0 else "")


@pytest.mark.django_db
def test_search_equals_substring_search(world):
    _corpus(world)
    base = Hazard.objects.all()
    for q in QUERIES + ["仓库", "库二", world.ent_commerce.name[:3]]:
        expected = set(base.filter(Q(description__icontains=q) | Q(location__icontains=q)
                                   | Q(enterprise__name__icontains=q)).values_list("pk", flat=True))
        assert set(text_filter(base, q).values_list("pk", flat=True)) == expected, q


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_uses_the_gin_index_on_postgresql(world):
    _corpus(world)
    qs = text_filter(Hazard.objects.all(), "消防通道").order_by()  # no ORDER BY: no other index helps
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("ANALYZE hazards_hazard")
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "hazard_search_gin" in plan, plan

