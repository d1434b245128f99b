"""修改密码 after an administrator's reset (docs/accounts.md "Password reset and the forced change").

An administrator who resets a password knows it, so the holder must choose a new one before doing
anything else: ``services.reset_password`` sets ``Membership.must_change_password`` and
``services.change_own_password`` clears it. Until then

* every page that needs a login leads to the 修改密码 page (``PasswordChangeRequiredMiddleware``);
  the password page itself and 退出 stay open; public pages (tip form, login) are not concerned;
* the API refuses the account: obtaining a token is 403 ``password_change_required`` (the reset
  already revoked its tokens), and a token or session call is 403 with the same code
  (``core.api_security``). Refused rather than allowed: a token obtained with the reset password would
  let whoever knows it (the administrator) act as the holder for the token's lifetime.
"""

from django.shortcuts import redirect
from django.urls import reverse

CODE = "password_change_required"
PAGE_NOTICE = "管理员已重置您的密码。为保护账户安全，请先设置只有您本人知道的新密码，再继续使用。"
API_MESSAGE = "管理员已重置该账户的密码：请先登录网页修改密码，再使用接口。"

#: the views a user with a pending change may still open (URL names, no namespace)
OPEN_VIEWS = frozenset({"password_change", "logout"})


def change_pending(user) -> bool:
    """Whether ``user`` must change a password an administrator reset (False for anonymous users
    and users without a unit)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    membership = getattr(user, "membership", None)
    return bool(membership is not None and membership.must_change_password)


class PasswordChangeRequiredMiddleware:
    """Pages that need a login lead a user with a pending change to 修改密码 (an htmx request is told
    to load that page as a whole). Views marked ``login_not_required`` — public pages, the login, the
    API (DRF checks it in its authentication) — are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or not change_pending(request.user):
            return None
        match = request.resolver_match
        if match is not None and not match.namespace and match.url_name in OPEN_VIEWS:
            return None
        url = reverse("password_change")
        if getattr(request, "htmx", False):
            from django_htmx.http import HttpResponseClientRedirect

            return HttpResponseClientRedirect(url)
        return redirect(url)
