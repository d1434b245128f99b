"""``core.views.submit_form``, the one POST flow of the form pages, as its docstring promises it: the
service is called only with a valid POST, a refusal lands under the field it names (renamed where the form
calls it otherwise) or is the 403 page, a page may answer a refusal itself, the message and the target may
depend on the result. ``core.views.press``, the flow of a button without a form: done, a message and a
redirect; refused, the page again with the refusal's status (never a redirect) or the 403 page."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from core.services import NotPermitted, ServiceError
from core.views import press, submit_form


class PlaceForm(forms.Form):
    township = forms.CharField()
    note = forms.CharField(required=False)


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _posted(data=None):
    request = _request(data={"township": "120105001", "note": "n"} if data is None else data)
    return request, PlaceForm(request.POST)


def test_a_get_or_an_invalid_form_never_reaches_the_service():
    calls = []
    request = _request("get")
    assert submit_form(request, PlaceForm(), calls.append, "好", "/done/") is None
    # a GET never writes, even with a form bound to its query (a link cannot change anything)
    assert submit_form(request, PlaceForm({"township": "120105001"}), lambda **d: calls.append(d), "好", "/done/") is None
    request, form = _posted({"note": "没有街道"})
    assert submit_form(request, form, lambda **d: calls.append(d), "好", "/done/") is None
    assert calls == [] and "township" in form.errors


def test_the_service_gets_the_cleaned_data_and_the_result_names_the_message_and_the_target():
    request, form = _posted()
    seen = {}

    def call(**data):
        seen.update(data)
        return 42

    answer = submit_form(request, form, call, lambda n: f"已保存第{n}号。", lambda n: f"/things/{n}/")
    assert seen == {"township": "120105001", "note": "n"}
    assert (answer.status_code, answer["Location"]) == (302, "/things/42/")
    assert [m.message for m in get_messages(request)] == ["已保存第42号。"]


def test_no_message_when_none_is_given_and_a_target_may_be_a_response():
    request, form = _posted()
    answer = submit_form(request, form, lambda **d: "收据", None, lambda r: HttpResponse(r, status=200))
    assert (answer.status_code, answer.content.decode()) == (200, "收据")
    assert list(get_messages(request)) == []


def test_a_refusal_lands_under_its_field_renamed_to_the_form_s_name():
    request, form = _posted()

    def refuse(**d):
        raise ServiceError("该街道不在本区。", "region")

    assert submit_form(request, form, refuse, "好", "/done/", rename={"region": "township"}) is None
    assert form.errors["township"] == ["该街道不在本区。"]
    request, form = _posted()
    assert submit_form(request, form, refuse, "好", "/done/") is None  # a field the form lacks: at the top
    assert form.non_field_errors() == ["该街道不在本区。"] and list(get_messages(request)) == []


def test_a_refused_permission_is_the_403_page_unless_the_page_shows_it_on_the_form():
    def refuse(**d):
        raise NotPermitted("只有本部门可以办理。")

    request, form = _posted()
    with pytest.raises(PermissionDenied, match="只有本部门可以办理。"):
        submit_form(request, form, refuse, "好", "/done/")
    request, form = _posted()
    assert submit_form(request, form, refuse, "好", "/done/", forbid=False) is None
    assert form.non_field_errors() == ["只有本部门可以办理。"]


def test_a_page_may_answer_a_refusal_itself_or_let_it_land():
    def refuse(**d):
        raise ServiceError("已被他人处理。", "note")

    request, form = _posted()
    answer = submit_form(request, form, refuse, "好", "/done/", refused=lambda exc: HttpResponse(exc.message, status=409))
    assert (answer.status_code, answer.content.decode()) == (409, "已被他人处理。") and not form.errors
    kept = []
    request, form = _posted()
    assert submit_form(request, form, refuse, "好", "/done/", refused=kept.append) is None
    assert [e.message for e in kept] == ["已被他人处理。"] and form.errors["note"] == ["已被他人处理。"]


class DatedForm(forms.Form):
    effective_from = forms.DateField()


def test_a_page_of_two_forms_posts_only_when_both_are_valid_and_a_refusal_lands_on_the_one_it_names():
    calls = []
    request = _request(data={"note": "n", "effective_from": "不是日期"})
    form, dated = PlaceForm(request.POST), DatedForm(request.POST)
    assert submit_form(request, form, lambda **d: calls.append(d), "好", "/done/", also=(dated,)) is None
    # each form shows its own errors, the second one too, and nothing was called
    assert calls == [] and "township" in form.errors and "effective_from" in dated.errors
    request = _request(data={"township": "120105001", "effective_from": "不是日期"})
    form, dated = PlaceForm(request.POST), DatedForm(request.POST)
    assert submit_form(request, form, lambda **d: calls.append(d), "好", "/done/", also=(dated,)) is None
    assert calls == [] and not form.errors and "effective_from" in dated.errors

    def refuse(field):
        def call(**d):
            calls.append(d)
            raise ServiceError("生效日期早于该行的设立日期。", field)
        return call

    request = _request(data={"township": "120105001", "effective_from": "2026-01-01"})
    form, dated = PlaceForm(request.POST), DatedForm(request.POST)
    assert submit_form(request, form, refuse("effective_from"), "好", "/done/", also=(dated,)) is None
    assert calls == [{"township": "120105001", "note": ""}]  # the first form's data; the page reads the others
    assert dated.errors["effective_from"] == ["生效日期早于该行的设立日期。"] and not form.errors
    form, dated = PlaceForm(request.POST), DatedForm(request.POST)
    assert submit_form(request, form, refuse("township"), "好", "/done/", also=(dated,)) is None
    assert form.errors["township"] == ["生效日期早于该行的设立日期。"] and not dated.errors
    form, dated = PlaceForm(request.POST), DatedForm(request.POST)
    assert submit_form(request, form, refuse("other"), "好", "/done/", also=(dated,)) is None
    assert form.non_field_errors() == ["生效日期早于该行的设立日期。"] and not dated.errors


def _shown(exc, status):
    return HttpResponse(f"页面：{exc.message}", status=status)


def test_a_button_done_says_so_and_redirects():
    request = _request()
    answer = press(request, lambda: 7, lambda n: f"已签名（{n}）。", lambda n: f"/records/{n}/", _shown)
    assert (answer.status_code, answer["Location"]) == (302, "/records/7/")
    assert [m.message for m in get_messages(request)] == ["已签名（7）。"]


def test_a_button_refused_shows_its_page_again_with_the_refusal_s_status_never_a_redirect():
    from core.services import StaleState

    def refuse(exc):
        def call():
            raise exc
        return call

    for exc, status in ((ServiceError("尚有3项未填写检查结论。", "record"), 400), (StaleState("该申请已审批。"), 409)):
        request = _request()
        answer = press(request, refuse(exc), "好", "/done/", _shown)
        assert (answer.status_code, answer.content.decode()) == (status, f"页面：{exc.message}")
        assert list(get_messages(request)) == []  # no "done" message for a refusal
    request = _request()
    with pytest.raises(PermissionDenied, match="只有本记录的检查人员可以签名。"):
        press(request, refuse(NotPermitted("只有本记录的检查人员可以签名。")), "好", "/done/", _shown)
    # a page that shows a refused permission itself: the page again, with 403
    answer = press(request, refuse(NotPermitted("只有本记录的检查人员可以签名。")), "好", "/done/", _shown, forbid=False)
    assert (answer.status_code, answer.content.decode()) == (403, "页面：只有本记录的检查人员可以签名。")
