"""Machine authentication for /api/v1/: expiring tokens (django-rest-knox: only a digest is stored,
each token has an expiry), the obtain / refresh / revoke endpoints, revocation on password change
and deactivation, and the throttles (per user, per address, stricter on obtaining a token).

    POST /api/v1/auth/token/          {"username", "password"} → {"token", "expiry"}
    POST /api/v1/auth/token/refresh/  (Authorization: Token …) → a new token; the old one is revoked
    POST /api/v1/auth/token/revoke/   (Authorization: Token …) → 204; ?all=true revokes every token
"""

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db.models.signals import pre_save
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from knox.models import AuthToken
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .api import APIError
from .api_security import TokenAuthentication, TokenObtainThrottle, refuse_pending_password_change

# ---------------------------------------------------------------- endpoints

class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="放在请求头 Authorization: Token <token> 中。")
    expiry = serializers.DateTimeField(help_text="过期时间；过期后须重新获取或在过期前刷新。")


def delete_expired(auth_token, *, sender) -> None:
    """An expired token was presented: it is deleted (and refused by the caller), as knox does."""
    from knox.signals import token_expired

    username = auth_token.user.get_username()
    auth_token.delete()
    token_expired.send(sender=sender, username=username, source="auth_token")


def delete_expired_tokens(user) -> int:
    """The user's expired tokens (refused anyway whenever presented) removed from the table."""
    return AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()[0]


def issue(user) -> dict:
    delete_expired_tokens(user)  # housekeeping knox did on every request (core.api_security)
    instance, key = AuthToken.objects.create(user, settings.REST_KNOX["TOKEN_TTL"])
    return {"token": key, "expiry": instance.expiry}


class TokenObtainView(APIView):
    """Exchange a user name and password for an expiring token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(operation_id="auth_token_obtain", tags=["auth"], request=TokenObtainSerializer,
                   responses={201: TokenSerializer}, auth=[], summary="用用户名和密码换取令牌")
    def post(self, request):
        ser = TokenObtainSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        user = authenticate(request, username=ser.validated_data["username"], password=ser.validated_data["password"])
        if user is None or not user.is_active:
            raise APIError(status.HTTP_400_BAD_REQUEST, "invalid", "用户名或密码不正确，或账户已停用。",
                           {"non_field_errors": ["用户名或密码不正确，或账户已停用。"]})
        refuse_pending_password_change(user)  # no token for a password an administrator reset (403)
        return Response(TokenSerializer(issue(user)).data, status=status.HTTP_201_CREATED)


class TokenRefreshView(APIView):
    """A new token with a fresh expiry; the token used for the call is revoked."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(operation_id="auth_token_refresh", tags=["auth"], request=None,
                   responses={201: TokenSerializer}, summary="刷新令牌（旧令牌随即失效）")
    def post(self, request):
        request.auth.delete()
        return Response(TokenSerializer(issue(request.user)).data, status=status.HTTP_201_CREATED)


class TokenRevokeView(APIView):
    """Revoke the token used for the call (or every token of the user with ``?all=true``)."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(operation_id="auth_token_revoke", tags=["auth"], request=None, responses={204: None},
                   parameters=[OpenApiParameter("all", bool, description="撤销本用户的全部令牌")],
                   summary="撤销令牌")
    def post(self, request):
        if request.query_params.get("all") in ("true", "1"):
            AuthToken.objects.filter(user=request.user).delete()
        else:
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- revocation

def revoke_on_credential_change(sender, instance, raw=False, **kwargs):
    """A changed password or a deactivated account revokes every API token of the user."""
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    if old["password"] != instance.password or (old["is_active"] and not instance.is_active):
        AuthToken.objects.filter(user_id=instance.pk).delete()


def connect_signals():
    pre_save.connect(revoke_on_credential_change, sender=get_user_model(), dispatch_uid="api_token_revocation")
