"""The API's one pager (``DEFAULT_PAGINATION_CLASS``)."""

from django.core.paginator import Paginator as DjangoPaginator
from rest_framework.pagination import PageNumberPagination


class KnownTotalPagination(PageNumberPagination):
    """DRF's page-number pagination (``?page=``, ``count``/``next``/``previous``/``results``); the
    total comes from the view's ``known_total(request, filterset)`` when it answers (pre-aggregated
    counts, as the list pages' ``ScopedListView.known_total``) for the filterset the filter backend
    bound (``core.api_filters.FilterBackend``: ``view.filterset``, already validated), else from
    ``COUNT(*)``."""

    def paginate_queryset(self, queryset, request, view=None):
        known = getattr(view, "known_total", None)
        filterset = getattr(view, "filterset", None)
        total = known(request, filterset) if known is not None and filterset is not None else None
        if total is None:
            self.django_paginator_class = DjangoPaginator
        else:
            def paginator(object_list, per_page):
                p = DjangoPaginator(object_list, per_page)
                p.__dict__["count"] = total  # Paginator.count is a cached_property
                return p
            self.django_paginator_class = paginator
        return super().paginate_queryset(queryset, request, view)
