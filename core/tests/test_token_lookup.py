"""``core.token_lookup``: the token read with its user and scope by a statement written once equals,
instance by instance and relation cache by relation cache, what the ORM's ``select_related``
reads — the oracle — for a department officer, a committee office, an enterprise's staff, an
account without a unit and a token nobody holds; and it takes one query with no further query
when the scope is read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from core.token_lookup import USER_RELATED, tokens_with_key

pytestmark = pytest.mark.django_db

#: each relation as (path of attribute names from the token)
PATHS = sorted({tuple(p.split("__")[:d]) for p in USER_RELATED for d in range(1, len(p.split("__")) + 1)}, key=len)


def field_values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def walk(token, path):
    """The object at ``path`` as cached (no query: asserted by the callers), or None."""
    obj = token
    for name in path:
        if obj is None:
            return None
        field = obj._meta.get_field(name)
        if not field.is_cached(obj):
            return "not read"
        obj = field.get_cached_value(obj)
    return obj


def assert_same(found, expected) -> None:
    assert field_values(found) == field_values(expected)
    assert found._state.db == expected._state.db and found._state.adding is False
    for path in PATHS:
        a, b = walk(found, path), walk(expected, path)
        if b is None or b == "not read":
            assert a == b, path
            continue
        assert type(a) is type(b) and field_values(a) == field_values(b), path


@pytest.mark.parametrize("persona", ["commerce", "committee", "township", "enterprise", "agency", "nobody", "admin"])
def test_the_token_and_its_scope_are_read_as_the_orm_reads_them(world, persona):
    user = world.user(persona)
    token, key = AuthToken.objects.create(user)
    prefix = token.token_key
    expected = list(AuthToken.objects.filter(token_key=prefix).select_related(*USER_RELATED))
    with CaptureQueriesContext(connection) as queries:
        found = tokens_with_key(prefix)
        for t in found:  # the scope's reads: no further query, a missing row included
            for path in PATHS:
                obj = t
                for name in path:
                    obj = getattr(obj, name, None)
                    if obj is None:
                        break
    assert len(queries) == 1
    assert len(found) == len(expected) == 1
    assert_same(found[0], expected[0])
    assert key  # the full key is the client's; the lookup is by its prefix


def test_the_one_to_ones_read_from_their_reverse_side_are_cached_both_ways_as_the_orm_does(world):
    user = world.user("enterprise")
    token, _ = AuthToken.objects.create(user)
    found = tokens_with_key(token.token_key)[0]
    membership = found.user.membership
    with CaptureQueriesContext(connection) as queries:
        assert membership.user is found.user
        assert membership.organisation.enterprise.organisation is membership.organisation
        assert membership.organisation.region.code == user.membership.organisation.region.code
    assert len(queries) == 0


def test_an_unknown_key_finds_nothing_and_two_tokens_with_one_prefix_are_both_found(world):
    assert tokens_with_key("00000000") == []
    a, _ = AuthToken.objects.create(world.user("commerce"))
    b, _ = AuthToken.objects.create(world.user("enterprise"))
    AuthToken.objects.filter(pk=b.pk).update(token_key=a.token_key)  # a prefix collision: knox compares digests
    found = tokens_with_key(a.token_key)
    assert sorted(t.digest for t in found) == sorted([a.digest, b.digest])
    assert {t.user.username for t in found} == {world.user("commerce").username, world.user("enterprise").username}


def test_values_pass_through_the_orm_s_converters(world):
    """Dates and times come back as the ORM gives them (SQLite stores text: converted)."""
    token, _ = AuthToken.objects.create(world.user("commerce"))
    found = tokens_with_key(token.token_key)[0]
    expected = AuthToken.objects.get(pk=token.pk)
    assert found.created == expected.created and found.expiry == expected.expiry
    assert type(found.created) is type(expected.created) and found.created.tzinfo is not None
    assert found.user.is_active is True and type(found.user.date_joined) is type(expected.user.date_joined)
