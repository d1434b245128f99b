"""Shared view helpers and the home / health / inbox pages."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .filters import NotificationFilter
from .forms import form_status, posted, posted_text  # noqa: F401 - the views import them from here, as get_visible_or_404
from .lists import Column, ScopedListView
from .models import Notification
from .notifications import mark_read
from .querysets import get_visible_or_404, parse_id  # get_visible_or_404 is imported from here by the views
from .services import ServiceError


def named_or_404(form, field: str, queryset, user):
    """The object a bound form's ``field`` names by id (a choice, or an id typed in), looked up in
    ``user``'s scope before the form validates it: an id out of scope — another region, sector or
    enterprise — or of nothing is a 404, as opening that object would be (never the form's 400
    "invalid choice", PRODUCT.md: out of scope is 404). Blank or not an id: None, left to the form
    (its 400 names the field). A form whose choices are narrower than the scope (e.g. only some
    kinds) still refuses the rest with its 400. What is an id: ``core.querysets.parse_id``, as in
    the API (``core.api.VisibleRecordField``)."""
    raw = form.data.get(form.add_prefix(field)) if form.is_bound else None
    pk = parse_id(raw)  # beyond any id: 404
    if pk is None:
        return None
    return get_visible_or_404(queryset, user, pk=pk)


def service_error_to_form(form, error: ServiceError, *, forbid: bool = False) -> None:
    """Show a refusal on the form (under its field, else at the top). With ``forbid``, a refusal of
    permission is a 403 page instead (``PermissionDenied`` with the Chinese reason)."""
    if forbid and error.code == "permission_denied":
        raise PermissionDenied(error.message)
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)


def submit_form(request, form, call, done, to, *, forbid: bool = True, rename=None, refused=None, also=()):
    """The one POST flow of a service's form (every HTML form page that calls a service goes through it).

    On POST with a valid ``form``: ``result = call(**form.cleaned_data)``. Done: the ``done`` message (a
    string, a callable of the result, or None for no message) and a redirect to ``to`` (a URL, a view
    name, or a callable of the result giving one of those or a response). Returns that response.

    A refusal (``ServiceError``) lands on the form (``service_error_to_form``: under its field, else at
    the top), its field first renamed by ``rename`` ({service field: form field}); with ``forbid`` (the
    default) a refusal of permission is the 403 page instead. ``refused(exc)``, if given, sees the refusal
    first and may answer it itself (a page shown again with the refusal's status). Returns None when the
    form must be shown again — the caller renders it with ``form_status(form)``.

    ``also``: further forms of the same page (a row and the revision that dates it). Every one must be
    valid (each shows its own errors) before the service is called — still with ``form``'s cleaned data;
    the call reads the others' itself. A refusal lands on the first of them that has its field, else at
    the top of ``form``."""
    if request.method != "POST" or not all([f.is_valid() for f in (form, *also)]):  # a list: every form validated
        return None
    try:
        result = call(**form.cleaned_data)
    except ServiceError as exc:
        if rename and exc.field in rename:
            exc.field = rename[exc.field]
        if refused is not None and (answer := refused(exc)) is not None:
            return answer
        named = next((f for f in also if exc.field in f.fields), form)
        service_error_to_form(named, exc, forbid=forbid)
        return None
    return _done(request, result, done, to)


def _done(request, result, done, to):
    """A service's action done: the ``done`` message (a string, a callable of the result, or None) and the
    answer ``to`` names (a URL, a view name, or a callable of the result giving one of those or a response)."""
    from django.contrib import messages
    from django.http import HttpResponseBase

    message = done(result) if callable(done) else done
    if message:
        messages.success(request, message)
    target = to(result) if callable(to) else to
    return target if isinstance(target, HttpResponseBase) else redirect(target)


def press(request, call, done, to, shown, *, forbid: bool = True):
    """The one flow of a button without a form (sign, 计算, a credit action): ``result = call()``, then
    the ``done`` message and the redirect to ``to`` as in :func:`submit_form`.

    A refusal (``ServiceError``) is never a redirect: with ``forbid`` (the default) a refused permission
    is the 403 page; any other refusal answers ``shown(exc, status)`` — the button's page shown again
    saying why (``templates/_refusal.html``), with ``status`` = ``form_status(refusal=exc)`` (400, 403,
    409)."""
    try:
        result = call()
    except ServiceError as exc:
        if forbid and exc.code == "permission_denied":
            raise PermissionDenied(exc.message)
        return shown(exc, form_status(refusal=exc))
    return _done(request, result, done, to)


@login_not_required
def healthz(request):
    return JsonResponse({"status": "ok"})


def home(request):
    from .home import home_context

    return render(request, "core/home.html", home_context(request.user))


class Inbox(ScopedListView):
    """The user's own notifications (Notification.objects.visible_to(user) = the recipient's)."""

    name = "core.inbox"
    url_name = "inbox"
    title = "站内消息"
    model = Notification
    filterset_class = NotificationFilter
    template_name = "core/inbox.html"
    row_template = "core/_inbox_row.html"
    columns = (Column("时间", "created_at"), Column("标题", "title"), Column("内容", "body"), Column(""))
    empty_text = "暂无消息"


inbox = Inbox.as_view()


@require_POST
def inbox_read(request, pk: int):
    mark_read(request.user, pk)
    if request.htmx:
        return HttpResponse("")
    return redirect("inbox")
