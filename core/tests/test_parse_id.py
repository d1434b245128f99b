"""``core.querysets.parse_id``: the one reading of "a record id" for the pages' forms
(``core.views.named_or_404``) and the API (``core.api.VisibleRecordField``). A bigint primary key
holds 1 … 2**63 − 1 (9223372036854775807, written out here, not taken from the module): no id at
all is None (the caller's 400 naming the field), above the largest bigint is a 404."""

import pytest
from django import forms
from django.http import Http404
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from core.models import Notification
from core.querysets import parse_id
from core.views import named_or_404

LARGEST_BIGINT = 9223372036854775807  # 2**63 - 1, PostgreSQL's and SQLite's largest integer key


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), (1, 1), (" 42 ", 42), ("007", 7), ("0000000000000000000000000007", 7),
    (str(LARGEST_BIGINT), LARGEST_BIGINT), (LARGEST_BIGINT, LARGEST_BIGINT), ("1000000000000000000", 10**18),
])
def test_an_id_is_its_value(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "  ", "0", "000", 0, "-1", -1, "+1", "1.0", 1.0, "1e3", "abc", "１２",
                                 "²", True, False, [1], {"id": 1}, "1 2"])
def test_what_is_no_id_is_none(raw):
    assert parse_id(raw) is None


@pytest.mark.parametrize("raw", [str(LARGEST_BIGINT + 1), LARGEST_BIGINT + 1, "9" * 19, "1" + "0" * 19, "9" * 5000])
def test_beyond_any_id_is_404(raw):
    with pytest.raises(Http404):
        parse_id(raw)


class _Form(forms.Form):
    notice = forms.IntegerField(required=False)


def _notice(user, pk):
    return Notification.objects.create(pk=pk, recipient=user, kind="test", title="测试", dedupe_key=f"test-{pk}")


@pytest.mark.django_db
def test_the_form_helper_finds_a_19_digit_id(world):
    """The form helper's old bound (18 digits) answered 404 for a record that exists."""
    user = world.user("commerce")
    notice = _notice(user, 10**18)
    assert named_or_404(_Form(data={"notice": str(10**18)}), "notice", Notification.objects, user) == notice
    assert named_or_404(_Form(data={"notice": "000000000000000000001000000000000000000"}), "notice",
                        Notification.objects, user) == notice


@pytest.mark.django_db
def test_the_form_helper_leaves_zero_to_the_form(world):
    """0 is no id (the API's 400): left to the form's own check, not a 404."""
    user = world.user("commerce")
    for raw in ("0", "", "abc", "-5"):
        assert named_or_404(_Form(data={"notice": raw}), "notice", Notification.objects, user) is None


@pytest.mark.django_db
def test_the_form_helper_404s_beyond_any_id_and_out_of_scope(world):
    user = world.user("commerce")
    other = _notice(world.user("housing"), 5000)
    for raw in (str(LARGEST_BIGINT + 1), str(LARGEST_BIGINT), str(other.pk)):
        with pytest.raises(Http404):
            named_or_404(_Form(data={"notice": raw}), "notice", Notification.objects, user)


@pytest.mark.django_db
def test_the_api_field_reads_ids_as_the_form_does(world):
    from core.api import VisibleRecordField

    class Body(serializers.Serializer):
        notice = VisibleRecordField(Notification, "消息")

    user = world.user("commerce")
    notice = _notice(user, 10**18)
    request = APIRequestFactory().post("/")
    request.user = user
    for raw in (10**18, str(10**18), "00" + str(10**18)):
        body = Body(data={"notice": raw}, context={"request": request})
        assert body.is_valid(), body.errors
        assert body.validated_data["notice"] == notice
    body = Body(data={"notice": "0"}, context={"request": request})
    assert not body.is_valid() and list(body.errors) == ["notice"]
    with pytest.raises(Http404):
        Body(data={"notice": "00" + str(LARGEST_BIGINT + 1)}, context={"request": request}).is_valid()
