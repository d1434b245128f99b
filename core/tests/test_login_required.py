"""Login is required by Django's LoginRequiredMiddleware; only views marked login_not_required
(and DRF, which authenticates itself) are public."""

import pytest
from django.conf import settings
from django.urls import get_resolver

PUBLIC_PAGES = ["/public/tips/new/", "/public/tips/track/", "/healthz", "/accounts/login/"]
PRIVATE_PAGES = ["/", "/inbox/", "/hazards/", "/enterprises/", "/tips/", "/obligations/", "/enforcement/",
                 "/supervision/", "/risks/", "/standards/", "/inspections/", "/campaigns/", "/accounts/organisations/"]


def test_djangos_middleware_is_used_and_no_view_opts_in_by_decorator():
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
    assert not any("core.middleware.LoginRequired" in m for m in settings.MIDDLEWARE)


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_open_without_login(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", PRIVATE_PAGES)
def test_private_pages_send_anonymous_users_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_api_answers_401_or_403_itself(client):
    assert client.get("/api/v1/hazards/").status_code in (401, 403)


def test_only_public_views_are_marked_login_not_required():
    """Every view without a login is named here; a new public view must be added on purpose."""
    allowed = {"new_tip", "track", "captcha_image", "regions", "enterprises", "healthz", "LoginView", "login",
               "login_captcha", "notice_board", "public_list", "public_detail", "review_request", "not_found",
               "APIView", "SpectacularAPIView", "SpectacularSwaggerView", "serve"}
    public = set()

    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns)
                continue
            cb = p.callback
            if getattr(cb, "login_required", True) is False:
                cls = getattr(cb, "cls", None) or getattr(cb, "view_class", None)
                if cls is not None and any(c.__module__.startswith("rest_framework") for c in cls.__mro__):
                    continue  # DRF views authenticate themselves (401/403)
                public.add(cls.__name__ if cls is not None else cb.__name__)

    walk(get_resolver().url_patterns)
    assert public <= allowed, sorted(public - allowed)
