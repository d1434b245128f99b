"""HTTP semantics every scoped API viewset shares (mixed into core.api.ScopedViewSetMixin):

* ``Idempotency-Key`` on POST: the first answer (2xx) is stored for 24 h per (user, key) and
  replayed for the same request (header ``Idempotent-Replayed: true``); the same key with a
  different request is 409 ``idempotency_conflict``; while the first is still running, 409 too.
* ``ETag`` on detail answers; ``If-Match`` required on PATCH/PUT: missing → 428, stale → 412.
* ``already_done``: a repeated workflow action whose effect is already there → 409 with the
  current state (``current``), so a retry can be told from an invalid request.
"""

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .api import APIError
from .api_store import KEEP, IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def as_sent(data):
    """An answer as the client read it — rendered to JSON and read back (a date or a decimal becomes the text
    the client got) — so that it can be stored and replayed; a JSONField refuses a date (a 500 before)."""
    return None if data is None else json.loads(JSONRenderer().render(data))


def etag_of(data) -> str:
    return f'"{_digest(data)[:32]}"'


def already_done(current: dict, message: str | None = None):
    """Raise the 409 of a repeated action whose effect already took place."""
    raise APIError(status.HTTP_409_CONFLICT, "already_done", message, data=current)


def settles(done, current=None):
    """Mark a detail action whose effect, once there, makes a repeat meaningless: ``done(obj,
    request)`` is true when the effect is already in place (the status is the action's target, the
    caller has signed, the extension is granted …). Before the action runs, and again when it
    loses a race (``StaleState``), a done object answers 409 ``already_done`` with ``current``
    (``current(view, obj)``, default: the detail body). Use *below* ``@action``. Actions that may
    legitimately be repeated (a progress report, an upload) are not marked; they are listed with
    their reason in ``REPEATABLE`` (core.api_http) and checked by core/tests/test_api_repeats.py."""
    from .services import StaleState

    def wrap(fn):
        def answer(view, request):
            obj = view.get_object()
            if done(obj, request):
                already_done(current(view, obj) if current else view.detail_data(obj))

        @functools.wraps(fn)
        def inner(view, request, *args, **kwargs):
            answer(view, request)
            try:
                return fn(view, request, *args, **kwargs)
            except StaleState:
                answer(view, request)  # someone else did the same thing first: that is "already done" too
                raise

        inner.settles = True
        return inner
    return wrap


#: Action operations (operationId) that may legitimately be repeated, with the reason; every other
#: action operation answers 409 ``already_done`` when repeated (core/tests/test_api_repeats.py).
REPEATABLE = {
    "v1_hazards_attachments_create": "每次上传新增一份照片或证据；同一文件重复上传只保存一份（按 SHA-256 去重）",
    "v1_listings_progress_create": "挂牌督办期间按期多次报告整改进展，每次都是新的进展报告",
    "v1_assessment_sets_compute_create": "重新计算按最新业务数据刷新系统计算的得分（人工评分和调整保留），数据变化后须再次计算；"
                                         "计算是后台任务（202），正在计算时重复请求返回正在进行的任务，不重复提交",
    "v1_campaigns_remind_create": "催报每单位每周只发送一次站内消息（按周去重）；重复调用不再发送，只返回各单位的提醒情况",
    "v1_tips_reveal_create": "查看举报人身份是只读操作，每次查看都记入安全日志",
    "v1_inspections_records_findings_create": "每次添加一条清单外隐患（检查中可发现多处隐患）；签名锁定后不能再添加",
    "v1_decisions_transfer_receipt_create": "登记或更正公安机关签收移送书回执的情况；同样的内容再次提交不重复记录，返回该决定",
    "v1_decisions_transfer_outcome_create": "登记或更正公安机关书面通知的处理结果；同样的内容再次提交不重复记录，返回该决定",
    "v1_decisions_transfer_reconsideration_create": "登记提请复议，复议结果知悉后以同一日期再次登记；同样的内容再次提交不重复记录，返回该决定",
}


class Replay(Exception):
    def __init__(self, record):
        self.record = record


class HttpSemanticsMixin:
    """See the module docstring. Views call ``self.detail_data(obj)`` for the body whose ETag counts."""

    _idem_record = None

    # ------------------------------------------------------------ idempotency

    def _idempotency_key(self, request):
        key = request.META.get(HEADER, "").strip()
        if not key or request.method != "POST" or not request.user.is_authenticated:
            return None
        if len(key) > 200:
            raise APIError(400, "invalid", "Idempotency-Key 过长（最多 200 个字符）。",
                           {"Idempotency-Key": ["最多 200 个字符。"]})
        return key

    def _fingerprint(self, request) -> str:
        body = request.data
        body = body.dict() if hasattr(body, "dict") else body
        files = sorted((k, f.name, f.size) for k, f in request.FILES.items())
        return _digest([request.method, request.path, body, files])

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("POST", "PUT", "PATCH"):
            request.data  # noqa: B018 — parse now: a garbled body is 400 before any lookup or guard runs
        key = self._idempotency_key(request)
        if key is None:
            return
        fingerprint = self._fingerprint(request)
        IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
        try:
            with transaction.atomic():
                self._idem_record = IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            record = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
            if record is None or record.fingerprint != fingerprint:
                raise APIError(status.HTTP_409_CONFLICT, "idempotency_conflict") from None
            if record.status_code is None:
                raise APIError(status.HTTP_409_CONFLICT, "conflict", "同一 Idempotency-Key 的请求仍在处理中。") from None
            raise Replay(record) from None

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            response = Response(exc.record.body, status=exc.record.status_code)
            response["Idempotent-Replayed"] = "true"
            return response
        try:
            return super().handle_exception(exc)
        except Exception:
            self._forget()
            raise

    def _forget(self):
        if self._idem_record is not None:
            IdempotencyRecord.objects.filter(pk=self._idem_record.pk).delete()
            self._idem_record = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._idem_record is not None:
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.filter(pk=self._idem_record.pk).update(
                    status_code=response.status_code, body=as_sent(getattr(response, "data", None)))
            else:  # a refused request may be corrected and retried with the same key
                self._forget()
            self._idem_record = None
        if request.method == "GET" and getattr(self, "action", None) == "retrieve" and response.status_code == 200:
            response["ETag"] = etag_of(response.data)
        return response

    # ------------------------------------------------------------ ETag / If-Match

    def detail_data(self, obj) -> dict:
        """The detail body of ``obj`` exactly as GET answers it (override when retrieve differs)."""
        action = self.action
        self.action = "retrieve"
        try:
            return self.get_serializer(obj).data
        finally:
            self.action = action

    def perform_update(self, serializer):
        self.require_if_match(serializer.instance)
        super().perform_update(serializer)

    def require_if_match(self, obj):
        """Call after scope (404), input (400) and permission (403) checks, before writing."""
        expected = self.request.META.get("HTTP_IF_MATCH", "").strip()
        if not expected:
            raise APIError(status.HTTP_428_PRECONDITION_REQUIRED, "precondition_required",
                           errors={"If-Match": ["修改须附带 If-Match 请求头（取自详情的 ETag）。"]})
        current = etag_of(self.detail_data(obj))
        candidates = {t.strip().removeprefix("W/") for t in expected.split(",")}
        if "*" not in candidates and current not in candidates:
            raise APIError(status.HTTP_412_PRECONDITION_FAILED, "precondition_failed",
                           errors={"If-Match": ["与当前 ETag 不符，请重新获取详情。"]}, headers={"ETag": current})
