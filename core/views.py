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


def submit_form(request, form, call, done: str, to):
    """A service's form page on POST: a valid ``form`` goes to ``call(**form.cleaned_data)``; a refusal of
    permission (``NotPermitted``) is the 403 page, any other ``ServiceError`` lands on the form; done: the
    ``done`` message and a redirect to ``to``. Returns that redirect, or None (render the form again)."""
    from django.contrib import messages

    from .services import NotPermitted

    if request.method == "POST" and form.is_valid():
        try:
            call(**form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect(to)
    return None


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
