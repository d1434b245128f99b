"""Shared view helpers and the home / health / inbox pages."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .filters import NotificationFilter
from .lists import Column, ScopedListView
from .models import Notification
from .notifications import mark_read
from .services import ServiceError


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one object inside the user's scope; anything else is a 404 (never a 403)."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("不存在或无权查看")


def service_error_to_form(form, error: ServiceError, *, forbid: bool = False) -> None:
    """Show a refusal on the form (under its field, else at the top). With ``forbid``, a refusal of
    permission is a 403 page instead (``PermissionDenied`` with the Chinese reason)."""
    if forbid and error.code == "permission_denied":
        raise PermissionDenied(error.message)
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)


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
