"""The per-request path every page pays (issue 15, B1 fixed cost): the session read, the user with
its membership/organisation/region/department type, and the unread count are each one hand-written
or pre-compiled statement — with the answers Django's own ORM reads give (the oracle here)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import USER_RELATIONS, ThrottledModelBackend
from core.models import Notification
from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _orm_user(pk):
    return get_user_model().objects.select_related(*USER_RELATIONS).get(pk=pk)


@pytest.mark.parametrize("persona", ["committee", "commerce", "township", "enterprise"])
def test_backend_user_is_the_orm_user_with_its_relations_in_one_statement(world, persona):
    expected = _orm_user(world.user(persona).pk)
    with CaptureQueriesContext(connection) as ctx:
        user = ThrottledModelBackend().get_user(expected.pk)
        org = user.membership.organisation
        facts = (user.username, user.is_active, user.membership.role, org.pk, org.name, org.kind,
                 org.region.code, org.region.level, org.department_type_id and org.department_type.code)
    assert len(ctx.captured_queries) == 1
    org = expected.membership.organisation
    assert facts == (expected.username, expected.is_active, expected.membership.role, org.pk, org.name, org.kind,
                     org.region.code, org.region.level, org.department_type_id and org.department_type.code)
    assert {k: v for k, v in user.__dict__.items() if k != "_state"} == \
        {k: v for k, v in expected.__dict__.items() if k != "_state"}


def test_backend_user_without_membership_has_none_and_no_second_query(world, django_user_model):
    admin = django_user_model.objects.create_superuser("fc_admin", "a@example.com", "x-Pass-2026-long")
    with CaptureQueriesContext(connection) as ctx:
        user = ThrottledModelBackend().get_user(admin.pk)
        assert user.is_superuser and getattr(user, "membership", None) is None
    assert len(ctx.captured_queries) == 1


def test_backend_refuses_a_missing_or_inactive_user(world, django_user_model):
    backend = ThrottledModelBackend()
    assert backend.get_user(10**9) is None
    user = world.user("commerce")
    django_user_model.objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None


def test_session_store_reads_what_django_store_reads(world):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    assert SessionStore(store.session_key).load() == DjangoSessionStore(store.session_key).load() == {"answer": 42}


def test_an_expired_or_unknown_session_loads_empty_and_forgets_its_key(world):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    for key in (store.session_key, "x" * 32):
        mine, django = SessionStore(key), DjangoSessionStore(key)
        assert mine.load() == django.load() == {}
        assert mine.session_key is None and django.session_key is None


def test_the_page_shows_the_unread_count_as_the_orm_counts_it(client, world):
    user = world.user("commerce")
    for i in range(3):
        Notification.objects.create(recipient=user, kind="test", title=f"通知{i}", body="", dedupe_key=f"fixed-cost-{i}")
    Notification.objects.filter(recipient=user, title="通知0").update(read_at=timezone.now())
    client.force_login(user)
    response = client.get("/inbox/")
    expected = user.notifications.filter(read_at__isnull=True).count()
    assert expected == 2
    assert response.context["unread_count"] == expected
    assert f'data-testid="unread">{expected}<' in response.content.decode()
