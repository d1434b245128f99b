"""API building blocks: the exception handler and the scoped viewset base."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .services import ServiceError


def exception_handler(exc, context):
    """ServiceError -> 400 (409 for lost races, 403 for refusals) with the field and reason;
    Django ValidationError -> 400 with its message dict."""
    if isinstance(exc, ServiceError):
        code = {"conflict": status.HTTP_409_CONFLICT, "permission_denied": status.HTTP_403_FORBIDDEN}.get(
            exc.code, status.HTTP_400_BAD_REQUEST
        )
        body = {exc.field or "non_field_errors": [exc.message]}
        return Response(body, status=code)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    return drf_exception_handler(exc, context)


class ScopedViewSetMixin:
    """Every object the API shows comes from ``Model.objects.visible_to(request.user)``:
    out-of-scope ids are 404, exactly like the pages."""

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)

    def base_queryset(self):  # pragma: no cover - subclasses override
        raise NotImplementedError


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
