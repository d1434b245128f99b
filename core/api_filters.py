"""The API's one filter backend (``DEFAULT_FILTER_BACKENDS``)."""

from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    """django-filter's DRF backend (the view's ``filterset_class``, a 400 naming each bad
    parameter) that also leaves the bound filterset on the view as ``view.filterset``: the pager's
    ``known_total`` then reads the same validated filters instead of building and validating a
    second filterset from the query string."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        view.filterset = filterset
        return filterset
