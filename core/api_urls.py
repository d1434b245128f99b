"""API routes of core, included under /api/v1/: the token endpoints."""

from django.urls import path

from .api_auth import TokenObtainView, TokenRefreshView, TokenRevokeView

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token-obtain"),
    path("auth/token/refresh/", TokenRefreshView.as_view(), name="api-token-refresh"),
    path("auth/token/revoke/", TokenRevokeView.as_view(), name="api-token-revoke"),
]
