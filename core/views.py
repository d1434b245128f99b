"""Shared view helpers and the home / health / inbox pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .notifications import mark_read
from .services import ServiceError


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one object inside the user's scope; anything else is a 404 (never a 403)."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("不存在或无权查看")


def service_error_to_form(form, error: ServiceError) -> None:
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)


def healthz(request):
    return JsonResponse({"status": "ok"})


@login_required
def home(request):
    from .home import home_context

    return render(request, "core/home.html", home_context(request.user))


@login_required
def inbox(request):
    items = request.user.notifications.all()[:200]
    return render(request, "core/inbox.html", {"items": items})


@login_required
@require_POST
def inbox_read(request, pk: int):
    mark_read(request.user, pk)
    if request.htmx:
        return HttpResponse("")
    return redirect("inbox")
