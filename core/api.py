"""API building blocks: the one error shape, the exception handler and the scoped viewset base.

Every error the API answers has the same body (``ErrorSerializer``)::

    {"code": "invalid", "message": "提交的数据有误：…", "errors": {"field": ["中文原因", …]}}

``code`` is an ASCII machine code, ``message`` one Chinese sentence for people, ``errors`` maps
each offending field (``non_field_errors`` for the whole request) to its Chinese reasons.
"""

import copy

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .files import FileMissing
from .middleware import NUL, NUL_REASON
from .querysets import MAX_ID, get_visible_or_404, parse_id  # noqa: F401 - MAX_ID: core.api_schema reads it here
from .services import ServiceError

MESSAGES = {
    "invalid": "提交的数据有误。",
    "parse_error": "请求体无法解析：请发送合法的 JSON（上传接口为 multipart/form-data）。",
    "unsupported_media_type": "不支持的请求体类型：请发送 application/json（上传接口为 multipart/form-data）。",
    "not_authenticated": "未登录或令牌无效、已过期。",
    "authentication_failed": "身份验证失败：令牌无效、已过期或已撤销。",
    "permission_denied": "您无权执行此操作。",
    "not_found": "未找到：对象不存在或不在您的管辖范围内。",
    "method_not_allowed": "不支持该请求方法。",
    "not_acceptable": "无法按请求的格式返回。",
    "conflict": "该记录已被他人处理，请刷新后重试。",
    "already_done": "该操作已经生效，无需重复提交。",
    "precondition_failed": "记录已被修改（If-Match 与当前 ETag 不符），请重新获取后再提交。",
    "precondition_required": "修改须附带 If-Match 请求头（取自详情的 ETag）。",
    "idempotency_conflict": "同一 Idempotency-Key 已用于不同的请求。",
    "throttled": "请求过于频繁，请稍后再试。",
    "gone": "文件已不存在（可能已被清理，或文件存储暂不可用），请联系系统管理员。",
}


class APIError(exceptions.APIException):
    """An API-level refusal with its own status and code (412, 428, 409 …)."""

    def __init__(self, status_code: int, code: str, message: str | None = None, errors: dict | None = None,
                 headers: dict | None = None, data: dict | None = None):
        self.status_code = status_code
        self.code = code
        self.message = message or MESSAGES.get(code, "请求无法处理。")
        self.errors = errors or {}
        self.extra_headers = headers or {}
        self.data = data
        super().__init__(self.message, code)


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    code = serializers.CharField(help_text="机器可读的错误代码（ASCII），如 invalid、not_found、conflict。")
    message = serializers.CharField(help_text="给人看的中文说明。")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="字段 → 中文原因列表；non_field_errors 表示整个请求。")
    current = serializers.DictField(required=False, allow_null=True,
                                    help_text="409 时：对象的当前状态（与详情相同的结构）。")


class PrebuiltFieldsMixin:
    """For a ``ModelSerializer`` answered on every call: its fields are built from the model once per
    class (DRF otherwise introspects the model for every instance, several ms for a wide model) and
    each instance gets its own copies to bind; for a plain ``Serializer`` taking every call's input,
    its declared fields are deep-copied once per class instead of once per instance (~0.4 ms for the
    hazard registration's fourteen). Only for serializers whose fields do not depend on the
    instance, the context or the request (fields may read the context when they run, as
    ``VisibleRecordField`` does).

    The copies are shallow where that is safe (``fresh_field``): DRF's deep copy of a field runs the
    field's ``__init__`` again with deep-copied arguments (~20 µs a field, ~0.5 ms for the hazard
    detail and its nested plan and acceptance, on every action's answer), while ``bind`` and
    serialising only set the copy's own attributes."""

    def get_fields(self):
        cls = type(self)
        prebuilt = cls.__dict__.get("_prebuilt_fields")
        if prebuilt is None:
            prebuilt = super().get_fields()
            cls._prebuilt_fields = prebuilt
        return {name: fresh_field(field) for name, field in prebuilt.items()}


class VisibleRecordField(serializers.PrimaryKeyRelatedField):
    """The id of a record in the caller's scope (``Model.objects.visible_to(request.user)``), given
    to the serializer as that record; ``to_field="code"`` names it by its code instead (a region).
    One out of scope — another region, sector or enterprise — or of nothing answers 404, as opening
    it would (``core.views.get_visible_or_404``; never DRF's 400 "invalid pk" that tells it exists).
    Not an id at all (text, a number below 1), blank, or null where none is allowed, is a 400 naming
    the field. ``many=True`` takes a list of them. Its schema: ``core.api_schema.VisibleRecordSchema``."""

    def __init__(self, model, noun: str, *, to_field: str = "pk", scope=None, **kwargs):
        # scope(user) → the records the caller may name, for a model with no visible_to of its own
        # (accounts: people, through the units they belong to); by default Model.objects.visible_to
        self.model, self.noun, self.to_field, self.scope = model, noun, to_field, scope
        label = f"{noun} id" if to_field == "pk" else f"{noun}代码"
        given = kwargs.get("help_text")
        kwargs["help_text"] = f"{given or label}；不在管辖范围内（或不存在）的{noun}为 404"
        super().__init__(**kwargs)
        self.error_messages.update(
            required=f"须填写{label}。", null=f"须填写{label}。",
            incorrect_type=f"须为{noun}的编号（正整数 id）。" if to_field == "pk" else f"须为{noun}的代码（数字）。")

    def get_queryset(self):
        user = self.context["request"].user
        return self.scope(user) if self.scope else self.model.objects.visible_to(user)

    def use_pk_only_optimization(self):
        return self.to_field == "pk"

    def to_representation(self, value):
        return getattr(value, self.to_field)

    def to_internal_value(self, data):
        text = str(data).strip() if isinstance(data, str | int) and not isinstance(data, bool) else ""
        if not (text.isascii() and text.isdigit()):
            self.fail("incorrect_type")
        value = text
        if self.to_field == "pk":
            value = parse_id(text)  # beyond any id: 404 (core.querysets.parse_id, as the pages)
            if value is None:
                self.fail("incorrect_type")
        if self.scope:
            found = self.get_queryset().filter(**{self.to_field: value}).first()
            if found is None:
                raise Http404("不存在或无权查看")
            return found
        return get_visible_or_404(self.model.objects, self.context["request"].user, **{self.to_field: value})


class CodeRelatedField(serializers.SlugRelatedField):
    """A reference record named by its code (``"sector": "commerce"``); unknown codes are DRF's 400.
    A code holding a NUL character is a 400 of its own before the lookup: no code has one, and
    PostgreSQL cannot compare text with one (a DataError, i.e. a 500). Every writable code reference
    of the API is one of these (core/tests/test_nul_characters.py)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)
        self.error_messages["nul"] = NUL_REASON

    def to_internal_value(self, data):
        if isinstance(data, str) and NUL in data:
            self.fail("nul")
        return super().to_internal_value(data)


def fresh_field(field):
    """An unbound copy of an unbound serializer field. A field that holds other fields (a nested
    serializer, ``ListField``/``DictField``'s ``child``, a many-related field's ``child_relation``)
    binds them too, so it is deep-copied as DRF does; any other field is copied shallowly: its
    ``bind`` sets attributes of the copy only (name, parent, label, source), and its shared
    attributes (error messages, style, validators, choices, a related field's queryset) are only
    read."""
    if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    assert field.parent is None, "only unbound fields are copied"
    new = object.__new__(type(field))
    new.__dict__.update(field.__dict__)
    return new


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's nested detail → {field: [messages]} (nested keys joined with '.')."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for i, item in enumerate(value):
                    for sub, msgs in _flatten(item).items():
                        out[f"{key}.{i}.{sub}"] = msgs
            else:
                out[str(key)] = [str(v) for v in (value if isinstance(value, list) else [value])]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {"non_field_errors": [str(detail)]}


def error_body(code: str, message: str | None = None, errors: dict | None = None, current=None) -> dict:
    body = {"code": code, "message": message or MESSAGES.get(code, "请求无法处理。"), "errors": errors or {}}
    if current is not None:
        body["current"] = current
    return body


def _with_first_reason(message: str, errors: dict) -> str:
    for field, msgs in errors.items():
        if msgs:
            label = "" if field == "non_field_errors" else f"{field}："
            return f"{message[:-1]}：{label}{msgs[0]}"
    return message


def exception_handler(exc, context):
    """Every exception the API raises → one ``ErrorSerializer`` body with the right status:
    ServiceError → 400 (409 for lost races, 403 for refusals); Django ValidationError → 400;
    unparseable body / wrong media type → 400; 401 carries ``WWW-Authenticate``."""
    if isinstance(exc, APIError):
        response = Response(error_body(exc.code, exc.message, exc.errors, exc.data), status=exc.status_code)
        for key, value in exc.extra_headers.items():
            response[key] = value
        return response
    if isinstance(exc, FileMissing):
        return Response(error_body("gone", exc.message), status=status.HTTP_410_GONE)
    if isinstance(exc, ServiceError):
        code = {"conflict": status.HTTP_409_CONFLICT, "permission_denied": status.HTTP_403_FORBIDDEN}.get(
            exc.code, status.HTTP_400_BAD_REQUEST)
        errors = {exc.field or "non_field_errors": [exc.message]}
        name = {409: "conflict", 403: "permission_denied"}.get(code, "invalid")
        return Response(error_body(name, exc.message, errors), status=code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):  # its Chinese reason, if it gives one, is the message
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        response = Response(error_body("unsupported_media_type"), status=status.HTTP_400_BAD_REQUEST)
        return response
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = {
        exceptions.ValidationError: "invalid", exceptions.ParseError: "parse_error",
        exceptions.NotAuthenticated: "not_authenticated", exceptions.AuthenticationFailed: "authentication_failed",
        exceptions.PermissionDenied: "permission_denied", exceptions.NotFound: "not_found",
        exceptions.MethodNotAllowed: "method_not_allowed", exceptions.NotAcceptable: "not_acceptable",
        exceptions.Throttled: "throttled",
    }.get(type(exc))
    if code is None:
        code = next((c for cls, c in ((exceptions.ValidationError, "invalid"), (exceptions.NotFound, "not_found"),
                                      (exceptions.PermissionDenied, "permission_denied")) if isinstance(exc, cls)),
                    "error")
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        message = _with_first_reason(MESSAGES["invalid"], errors)
    elif isinstance(exc, exceptions.Throttled):
        errors = {}
        wait = int(exc.wait or 1)
        message = f"请求过于频繁，请 {wait} 秒后再试。"
    elif isinstance(exc, exceptions.ParseError):
        errors, message = {}, MESSAGES["parse_error"]
    else:
        detail = str(exc.detail) if isinstance(exc.detail, str) else ""
        # DRF's own default texts are translated; keep a specific Chinese reason when given one.
        message = detail if detail and _has_cjk(detail) else MESSAGES.get(code, "请求无法处理。")
        errors = {}
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = 'Token realm="api"'
    response.data = error_body(code, message, errors)
    return response


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@csrf_exempt
@login_not_required
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/: the same JSON error body, in Chinese (never the HTML 404 page)."""
    return JsonResponse(error_body("not_found", "接口不存在：请检查路径（/api/v1/…）。"), status=404,
                        json_dumps_params={"ensure_ascii": False})


from .api_http import HttpSemanticsMixin  # noqa: E402  (needs APIError above)


class ScopedViewSetMixin(HttpSemanticsMixin):
    """Every object the API shows comes from ``Model.objects.visible_to(request.user)``:
    out-of-scope ids are 404, exactly like the pages. Idempotency-Key, ETag and If-Match come
    with it (core.api_http)."""

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)

    def base_queryset(self):  # pragma: no cover - subclasses override
        raise NotImplementedError


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
