"""Ledger text search (hazards.search): the n-gram index returns exactly what a substring search
returns, on a corpus with punctuation, Latin letters, digits and one-character queries — in the
hazards' text and in their enterprises' names (kept current through renames and imports)."""

import sys

import pytest
from django.db import connection
from django.db.models import Q

from accounts.models import Sector
from enterprises import services as ent_services
from enterprises.models import Enterprise
from hazards import services
from hazards.models import Hazard
from hazards.search import _RUN, _runs, _word, query_tokens, text_filter, tokens

CORPUS = ["消防通道被占用，安全出口锁闭", "液化石油气钢瓶未使用减压阀", "配电箱未接地；PE线缺失", "有限空间作业未检测氧含量",
          "LNG储罐区可燃气体报警器失效", "消防栓水压不足0.1MPa", "安全出口指示灯损坏", "通道堆放杂物", "叉车司机无证驾驶",
          "粉尘涉爆车间除尘系统未定期清理", "消防设施未年检", "高处作业未系安全带（3米以上）"]
QUERIES = ["消防", "通道", "安全", "出口", "消防通道", "未", "道", "PE", "pe线", "lng", "0.1MPa", "MPa", "米以上", "（3米",
           "，安全", "被占用，安全出口", "不存在的词", "消防栓水", "除尘", "作业未", "a", "；", "安全带（3"]


def _runs_by_character(text):
    """The definition of a run, character by character: a maximal stretch of characters for
    which ``str.isalnum()`` holds, after case folding (the oracle of ``_runs``' regex)."""
    runs, run = [], []
    for ch in text.casefold():
        if ch.isalnum():
            run.append(ch)
        elif run:
            runs.append("".join(run))
            run = []
    if run:
        runs.append("".join(run))
    return runs


def _tokens_by_definition(*texts):
    """Every unigram and bigram of every run, each spelled u<hex>..., unique, sorted."""
    grams = set()
    for text in texts:
        for run in _runs_by_character(text or ""):
            grams.update(run[i:i + n] for n in (1, 2) for i in range(len(run) - n + 1))
    return " ".join(sorted("".join(f"u{ord(c):x}" for c in g) for g in grams))


def test_the_run_pattern_matches_exactly_the_characters_isalnum_accepts_over_every_code_point():
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        assert (_RUN.fullmatch(ch) is not None) == ch.isalnum(), hex(cp)
        assert _runs(ch) == _runs_by_character(ch), hex(cp)


def test_runs_and_tokens_equal_their_character_by_character_definition():
    texts = CORPUS + QUERIES + ["ＡＢＣ１２３全角", "Straße STRASSE", "İstanbul ǅ ﬁ", "a_b__c", "①②③ Ⅻ 二〇二六", "x²y³ ٣٤",
                                "", "   ", "_", "消防\u3000通道\t\n出口", "🔥火灾🔥", "e\u0301 café"]
    for text in texts:
        assert _runs(text) == _runs_by_character(text), text
        assert tokens(text) == _tokens_by_definition(text), text
    assert tokens(*CORPUS[:3]) == _tokens_by_definition(*CORPUS[:3])
    assert _word("消防") == "u6d88u9632"


def test_every_substring_query_finds_its_ngrams_in_the_document():
    """The superset property the index relies on, over every substring of every document."""
    for text in CORPUS:
        doc = set(tokens(text).split())
        for i in range(len(text)):
            for j in range(i + 1, min(len(text), i + 8) + 1):
                assert set(query_tokens(text[i:j])) <= doc, text[i:j]


# enterprise names: Latin letters, digits, punctuation; the last is renamed during the test
NAMES = ["天津市消防器材（LNG）有限公司", "河北区通道物流中心", "PE管材厂-3号车间", "安全出口科技", "旧名称仓储公司"]
RENAMED = "新名称0.1MPa阀门厂"
NAME_QUERIES = ["消防器材", "（LNG）", "lng", "物流", "通道物流", "pe管", "-3号", "科技", "旧名称", "新名称", "0.1mpa",
                "阀门", "仓储", "有限公司", "公司", "天津市", "名称"]


def _corpus(world):
    sector = Sector.objects.get(code="commerce")
    for i, text in enumerate(CORPUS):
        services.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=sector, description=text,
                                 grade="general", location="仓库二层" if i % 3 == 0 else "")


def _named_enterprises(world):
    """One enterprise per name (through the enterprises service), each with one hazard."""
    from enterprises.validators import make_credit_code

    sector = Sector.objects.get(code="commerce")
    ents = []
    for i, name in enumerate(NAMES):
        ent = ent_services.create_enterprise(None, name=name, credit_code=make_credit_code(f"91120105MA9{i:05d}X"),
                                             region=world.ent_commerce.region, sectors=[sector])
        services.register_hazard(world.user("commerce"), enterprise=ent, sector=sector, description=f"一般隐患{i}",
                                 grade="general")
        ents.append(ent)
    return ents


def _assert_search_equals_substring(queries):
    base = Hazard.objects.all()
    for q in queries:
        expected = set(base.filter(Q(description__icontains=q) | Q(location__icontains=q)
                                   | Q(enterprise__name__icontains=q)).values_list("pk", flat=True))
        assert set(text_filter(base, q).values_list("pk", flat=True)) == expected, q


@pytest.mark.django_db
def test_search_equals_substring_search(world):
    _corpus(world)
    ents = _named_enterprises(world)
    _assert_search_equals_substring(QUERIES + NAME_QUERIES + ["仓库", "库二", world.ent_commerce.name[:3]])
    assert all(set(query_tokens(q)) <= set(e.name_tokens.split()) for e in ents for q in NAME_QUERIES
               if q.casefold() in e.name.casefold())
    # a rename through the enterprises service is found by its new name, no longer by its old one
    ent_services.update_enterprise(None, ents[-1], name=RENAMED)
    assert Enterprise.objects.get(pk=ents[-1].pk).name_tokens == tokens(RENAMED)
    _assert_search_equals_substring(NAME_QUERIES)
    assert not text_filter(Hazard.objects.all(), "旧名称").exists()
    assert text_filter(Hazard.objects.all(), "阀门").filter(enterprise=ents[-1]).exists()


@pytest.mark.django_db
def test_enterprises_created_and_edited_through_the_service_carry_the_tokens_of_their_names(world):
    """The demo world (create_enterprise) and a profile edit (edit_enterprise): tokens(name)."""
    ent_services.edit_enterprise(None, world.ent_commerce2, name="海河之星（PE）超市")
    assert Enterprise.objects.count() > 10
    for name, stored in Enterprise.objects.values_list("name", "name_tokens"):
        assert stored == tokens(name), name


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



@pytest.mark.postgres
@pytest.mark.django_db
def test_enterprise_names_are_searched_through_their_gin_index_on_postgresql(world):
    from hazards.search import names_matching

    _named_enterprises(world)
    qs = names_matching("物流股份").values("pk").order_by()
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("ANALYZE enterprises_enterprise")
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "enterprise_name_tokens_gin" in plan, plan


def test_the_index_decides_alone_only_for_one_or_two_caseless_characters():
    from hazards.search import tokens_decide

    assert all(tokens_decide(q) for q in ("消防", "道", "12", "0", "未1"))
    # longer terms (several n-grams), letters (case folding differs from UPPER), punctuation, spaces
    assert not any(tokens_decide(q) for q in ("消防通道", "消防栓", "pe", "a", "PE", "；", "消 防", "（3", "ß", "ｋ", "K"))


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_two_character_search_is_answered_by_the_index_alone_and_still_equals_substring_search(world):
    _corpus(world)
    _named_enterprises(world)
    short = str(text_filter(Hazard.objects.all(), "消防").query)
    longer = str(text_filter(Hazard.objects.all(), "消防通道").query)
    assert "LIKE" not in short and "LIKE" in longer
    _assert_search_equals_substring(["消防", "通道", "未", "道", "一般", "隐患", "公司", "物流", "0", "1"])


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_finds_rows_still_in_the_index_pending_list_and_after_the_merge(world):
    """The token index keeps an import's entries in its pending list (migration hazards.0018 raises
    gin_pending_list_limit) until merge_pending folds them in: a search answers the same before and
    after the merge, and the merge empties the list."""
    from hazards.search import PENDING_LIST_KB, merge_pending

    with connection.cursor() as cur:
        cur.execute("SELECT reloptions FROM pg_class WHERE relname = 'hazard_search_gin'")
        assert f"gin_pending_list_limit={PENDING_LIST_KB}" in cur.fetchone()[0]
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'pgstattuple'")
        has_pgstattuple = cur.fetchone() is not None
    merge_pending()
    _corpus(world)

    def pending_pages():
        with connection.cursor() as cur:
            cur.execute("SELECT pending_pages FROM pgstatginindex('hazard_search_gin')")
            return cur.fetchone()[0]

    if has_pgstattuple:
        assert pending_pages() > 0
    before = {q: sorted(text_filter(Hazard.objects.all(), q).values_list("pk", flat=True)) for q in QUERIES}
    merged = merge_pending()
    assert merged["hazard_search_gin"] > 0  # the corpus's entries were pending, and are now merged
    assert merge_pending()["hazard_search_gin"] == 0  # nothing left
    if has_pgstattuple:
        assert pending_pages() == 0
    after = {q: sorted(text_filter(Hazard.objects.all(), q).values_list("pk", flat=True)) for q in QUERIES}
    assert after == before
    _assert_search_equals_substring(QUERIES)


def test_merging_the_pending_lists_is_a_periodic_job():
    from jobs import registry
    from jobs.schedules import PERIODIC

    assert registry.handler_for("search.merge_pending") is not None
    assert any(p.name == "search.merge_pending" and p.args == "'search.merge_pending'" for p in PERIODIC)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_ledger_filters_by_item_and_merged_duplicates_through_their_partial_indexes(world):
    """Migration hazards.0018 keeps these two lookups indexed (only rows having the value)."""
    from standards.models import Item

    item = Item.objects.first()
    for qs, index in ((Hazard.objects.filter(basis_item__code=item.code).order_by(), "hazard_basis_item_idx"),
                      (Hazard.objects.get(pk=services.register_hazard(
                          world.user("commerce"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                          description="合并目标", grade="general").pk).merged_hazards.order_by(), "hazard_merged_into_idx")):
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("EXPLAIN " + sql, params)
            plan = "\n".join(r[0] for r in cur.fetchall())
        assert index in plan, plan
