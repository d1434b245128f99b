"""Chinese full-text search of the ledger with character n-grams (no dictionary to keep current).

At write time ``tokens(description, location)`` is stored in ``Hazard.search_tokens``: every
character unigram and bigram of each run of letters/digits, case-folded, each spelled as an
ASCII word (``u6d88u9632`` for 消防), separated by spaces. On PostgreSQL a GIN index over
``string_to_array(search_tokens, ' ')`` (``token_array``) finds the candidates whose token set
contains every n-gram of the query (``@>``); the exact substring test (``icontains``) then
confirms them, so the results are exactly those of a substring search — only faster. Enterprise
names are matched the same way: ``Enterprise.name_tokens`` holds ``tokens(name)`` (written by the
enterprises service and import, GIN-indexed on PostgreSQL), so a search does not scan every
enterprise's name. On SQLite (development, county scale) the substring test runs alone (with every
letter case-folded for a term that has a non-ASCII letter, ``core.lookups``).

Jieba word segmentation was not used: a substring query like “通道” must also find “消防通道”,
which a word index misses when the segmenter keeps “消防通道” as one word; n-grams cannot miss."""

import functools
import re

from django.db import connection
from django.db.models import Func, Q, TextField, Value
from django.db.models.functions import Coalesce

from core.lookups import needs_unicode_fold

MAX_LITERAL_ENTERPRISES = 500
# Characters no other character case-folds into and that UPPER() leaves alone: CJK ideographs
# (basic block, extension A, compatibility) and ASCII digits.
_CASELESS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9]{1,2}")


# A run is a maximal stretch of characters for which ``str.isalnum()`` holds: ``\w`` in a str
# pattern is exactly ``isalnum() or "_"`` (CPython's _PyUnicode_IsAlpha/Decimal/Digit/Numeric, as
# str.isalnum), so ``[^\W_]`` is exactly ``isalnum()`` — one C scan instead of a Python loop per
# character (tests/test_search.py checks every code point against ``isalnum``).
_RUN = re.compile(r"[^\W_]+")


def _runs(text: str) -> list[str]:
    """The runs of letters/digits of ``text``, case-folded, in order."""
    return _RUN.findall(text.casefold())


@functools.lru_cache(maxsize=1 << 16)
def _word(gram: str) -> str:
    return "".join(f"u{ord(c):x}" for c in gram)


def tokens(*texts: str) -> str:
    """The stored token text of a document: unique n-gram words separated by spaces."""
    words: set[str] = set()
    for text in texts:
        for run in _runs(text or ""):
            words |= _run_words(run)
    return " ".join(sorted(words))


@functools.lru_cache(maxsize=1 << 14)
def _run_words(run: str) -> frozenset[str]:
    """The words of one run's unigrams and bigrams (run[i] + run[i + 1]): a ledger repeats its
    phrases (消防通道堵塞, 生产车间) thousands of times."""
    grams = set(run)
    grams.update(map(str.__add__, run, run[1:]))
    return frozenset(map(_word, grams))


def query_tokens(value: str) -> list[str]:
    """The n-grams every document containing ``value`` as a substring must have."""
    grams: set[str] = set()
    for run in _runs(value):
        if len(run) == 1:
            grams.add(run)
        else:
            grams.update(run[i:i + 2] for i in range(len(run) - 1))
    return sorted(_word(g) for g in grams)


def tokens_decide(value: str) -> bool:
    """Whether holding the n-gram of ``value`` is the same as containing ``value``: one or two
    caseless characters (``_CASELESS``) are one run and one n-gram, which a document's tokens hold
    exactly when its text contains them side by side (the most common search, e.g. “消防”). The
    index then answers alone — no substring test over every candidate row, and PostgreSQL's row
    estimate is the index's own (a LIKE on top made it guess ~20 rows and sort every match)."""
    return _CASELESS.fullmatch(value) is not None


def token_array(column: str) -> Func:
    """The token text of ``column`` as an array of words: the expression of the GIN indexes
    (migration hazards.0020 — ``string_to_array(COALESCE(column, ''), ' ')``), so that a filter
    ``…__contains=query_tokens(value)`` (``@>``) is answered by the index. An array of the stored
    words costs the server a split per row where ``to_tsvector`` parsed them (issue 15, B3: the
    index of 5,000 imported rows took 30 ms instead of 100)."""
    from django.contrib.postgres.fields import ArrayField

    return Func(Coalesce(column, Value("", output_field=TextField())), Value(" ", output_field=TextField()),
                function="string_to_array", output_field=ArrayField(TextField()))


def text_filter(queryset, value: str, matched_names=None):
    """Hazards whose description, location or enterprise name contains ``value``
    (``matched_names``: ``enterprise_ids(value)`` when the caller has it already)."""
    value = value.strip()
    if not value:
        return queryset
    from enterprises.models import Enterprise

    exact = Q(description__icontains=value) | Q(location__icontains=value)
    terms = query_tokens(value)
    if connection.vendor != "postgresql" or not terms:
        # SQLite's LIKE folds ASCII letters only: a term with another letter (ｌｎｇ, é) is
        # compared case-folded (core.lookups), as PostgreSQL's UPPER compares it
        lookup = "ucontains" if needs_unicode_fold(value) else "icontains"
        return queryset.filter(Q(**{f"description__{lookup}": value}) | Q(**{f"location__{lookup}": value})
                               | Q(enterprise_id__in=Enterprise.objects.filter(**{f"name__{lookup}": value}).values("pk")))
    ids = enterprise_ids(value) if matched_names is None else matched_names
    by_name = Q(enterprise_id__in=ids)
    has_terms = Q(_tokens__contains=terms)
    queryset = queryset.alias(_tokens=token_array("search_tokens"))
    return queryset.filter((has_terms if tokens_decide(value) else has_terms & exact) | by_name)


def enterprise_ids(value: str):
    """The enterprises whose name contains ``value`` (PostgreSQL): a short literal list of ids, or
    the subquery when there are more than ``MAX_LITERAL_ENTERPRISES``. Found by the same n-gram
    test on Enterprise.name_tokens (GIN), confirmed by the substring test, instead of a substring
    scan over every enterprise's name."""
    names = names_matching(value).values("pk")
    # A short literal list of enterprises lets PostgreSQL OR two index scans (GIN + enterprise);
    # a subquery there would force a filter over every row in scope.
    ids = list(names[:MAX_LITERAL_ENTERPRISES + 1].values_list("pk", flat=True))
    return ids if len(ids) <= MAX_LITERAL_ENTERPRISES else names


def names_matching(value: str):
    """PostgreSQL: the enterprises whose name contains ``value`` — the n-gram test on
    ``Enterprise.name_tokens`` (GIN), confirmed by the substring test unless the n-gram decides."""
    from enterprises.models import Enterprise

    value = value.strip()
    names = Enterprise.objects.alias(_tokens=token_array("name_tokens")).filter(_tokens__contains=query_tokens(value))
    return names if tokens_decide(value) else names.filter(name__icontains=value)


def substring_test(value: str, matched_names) -> Q:
    """The search as a test of one row — the substring test itself (description, location, or an
    enterprise of ``matched_names`` = ``enterprise_ids(value)``): selects exactly the rows
    ``text_filter`` selects, without the index (a pager walking the newest rows tests them so)."""
    value = value.strip()
    test = Q(description__icontains=value) | Q(location__icontains=value)
    if not isinstance(matched_names, list) or matched_names:
        test |= Q(enterprise_id__in=matched_names)
    return test


# The GIN indexes of the n-gram tokens. A row's ~40 tokens go first to the index's pending list
# (fastupdate); the list is merged into the index by whoever finds it over its limit — with the 4 MB
# default, the backend of every 5,000-row import, inside its commit (issue 15, B3: ~0.1 s a file).
# Migration hazards.0018 raises the limit to PENDING_LIST_KB, so an import appends and commits;
# ``merge_pending`` folds the list in afterwards. A search reads the pending entries too: results
# are the same before the merge, but every search scans the whole list (a province-wide count of
# “消防” took ~1.7 s with 33 MB pending, 0.24 s merged). So the import merges right after its commit
# (``importing._run``, outside its transaction: ~3 ms per 1,000 rows with the array index), and the
# periodic job ``search.merge_pending`` (and autovacuum) merges what other writers leave.
GIN_INDEXES = ("hazard_search_gin", "enterprise_name_tokens_gin")
PENDING_LIST_KB = 65536


def merge_pending() -> dict:
    """PostgreSQL: merge each token index's pending list into the index (``gin_clean_pending_list``);
    returns the pages merged per index. Elsewhere nothing to do."""
    if connection.vendor != "postgresql":
        return {}
    merged = {}
    with connection.cursor() as cur:
        for name in GIN_INDEXES:
            cur.execute("SELECT gin_clean_pending_list(to_regclass(%s)) WHERE to_regclass(%s) IS NOT NULL", [name, name])
            row = cur.fetchone()
            merged[name] = row[0] if row else None
    return merged
