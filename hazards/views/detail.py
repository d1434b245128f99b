"""Hazard detail, the action forms posting to the services, evidence upload and download."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import labels
from core.events import events_for
from core.files import open_stored
from core.models import SecurityLog
from core.security import log_security
from core.services import ServiceError
from core.views import form_status, get_visible_or_404, press, submit_form

from .. import review, services, site_orders, thumbnails, workflow
from ..actions import available_for, make_form
from ..evidence import check_upload
from ..filters import listing_model
from ..models import Attachment, Hazard

EVIDENCE_ACTIONS = ("close_now", "submit_completion")
STATE_LABELS = dict(Hazard.Status.choices)


def _hazard(request, pk):
    return get_visible_or_404(
        Hazard.objects.select_related("enterprise", "sector", "basis_item__standard", "reported_to", "merged_into",
                                      "created_by_org"), request.user, pk=pk)


def _class_change(ev) -> str:
    """The 隐患类别 an event gave (注明) or changed (更正: old → new), as the timeline shows it."""
    if ev.verb not in ("hazard.classify", "hazard.reclassify"):
        return ""
    names = dict(Hazard.Category.choices)
    new = names.get((ev.data or {}).get("category"), "")
    if ev.verb == "hazard.classify":
        return new
    return f"{names.get(ev.data.get('category_before'), '未注明')} → {new}"


def _context(request, hazard, forms=None):
    actions = available_for(request.user, hazard)
    forms = forms or {}
    action_forms = [(a, workflow.TRANSITIONS[a].label, forms.get(a) or make_form(a, hazard, request.user))
                    for a in actions]
    attachments = list(review.attachments_for(hazard))
    by_event = {}
    for att in attachments:
        by_event.setdefault(att.pk, att)
    timeline = []
    for ev in events_for(hazard).select_related("actor_org"):
        att = by_event.get((ev.data or {}).get("attachment")) if ev.verb == "hazard.attachment_added" else None
        timeline.append((ev, att, labels.verb_label(ev.verb),
                         STATE_LABELS.get(ev.to_state) or labels.state_label(ev.to_state, ev.verb), _class_change(ev)))
    listings = []
    if listing_model() is not None:
        try:
            listings = list(hazard.listings.all())
        except Exception:  # noqa: BLE001 - the supervision app's shape is not ours
            listings = []
    orders = list(hazard.site_orders.select_related("ordered_by_org").prefetch_related("compulsory_measures"))
    can_order_site = site_orders.can_order(request.user, hazard)
    may_compel = can_order_site and site_orders.may_approve_compulsion(request.user, hazard)
    for o in orders:  # 强制措施 (第七十条) offered to the 主要负责人 for a defied 停产停业 / 停止使用 in force
        o.compulsion_offered = may_compel and site_orders.enforceable(o)
    return {
        "site_orders": orders, "can_order_site": can_order_site,
        # the 停产停业整改 the registration said, beside the 暂时停产停业 a 现场处理措施 in force orders
        "halting_order": next((o for o in orders if o.lifted_on is None and o.halt), None),
        # 现场处理措施 are offered for a major hazard not yet eliminated with none in force
        "site_order_offered": can_order_site and site_orders.orderable(hazard) and not any(o.lifted_on is None for o in orders),
        "hazard": hazard, "action_forms": action_forms, "attachments": review.shown(attachments, request.user, hazard),
        "comparison": review.comparison(hazard, request.user, attachments), "timeline": timeline,
        "sources": hazard.sources.select_related("organisation"), "plan": getattr(hazard, "plan", None),
        "acceptances": hazard.acceptances.select_related("submitted_by", "decided_by", "decided_by_org"),
        "extensions": hazard.extensions.select_related("requested_by", "decided_by"),
        "merged_hazards": hazard.merged_hazards.all(), "listings": listings,
        "can_upload": services.can_attach(request.user, hazard),
        "overdue": hazard.is_overdue(),
    }


def detail(request, pk: int):
    hazard = _hazard(request, pk)
    return render(request, "hazards/detail.html", _context(request, hazard))


@require_POST
def act(request, pk: int, action: str):
    hazard = _hazard(request, pk)
    if action not in workflow.TRANSITIONS:
        raise Http404("未知操作")
    form = make_form(action, hazard, request.user, request.POST, request.FILES)

    def run(**data):
        upload = data.get("evidence") if action in EVIDENCE_ACTIONS else None
        checked = check_upload(upload) if upload else None  # its refusal lands on the form too
        return services.run_action(request.user, hazard, action, data, evidence=checked,
                                   evidence_name=upload.name if checked else "")

    refusals = []  # the refusal shown on the form also gives the page its status (403, 409, else 400)
    answered = submit_form(request, form, run, f"已完成：{workflow.TRANSITIONS[action].label}。",
                           f"/hazards/{hazard.pk}/", forbid=False, refused=refusals.append)
    if answered is not None:
        return answered
    hazard.refresh_from_db()
    ctx = _context(request, hazard, {action: form})
    ctx["failed_action"] = action
    if action not in [a for a, _, _ in ctx["action_forms"]]:
        ctx["action_forms"].append((action, workflow.TRANSITIONS[action].label, form))
    return render(request, "hazards/detail.html", ctx, status=form_status(form, refusal=next(iter(refusals), None)))


@require_POST
def upload(request, pk: int):
    hazard = _hazard(request, pk)
    if not services.can_attach(request.user, hazard):
        raise PermissionDenied("您不能为该隐患上传附件。")
    f = request.FILES.get("evidence")
    kind = request.POST.get("kind") or Attachment.Kind.PHOTO

    def attach():
        if f is None:
            raise ServiceError("请选择文件。", "evidence")
        return services.add_attachment(request.user, hazard, check_upload(f), original_name=f.name, kind=kind)

    def shown(exc, status):  # under the upload's file field, where the refusal belongs
        return render(request, "hazards/detail.html", {**_context(request, hazard), "upload_error": exc.message}, status=status)

    return press(request, attach, "附件已上传。", reverse("hazards:detail", args=[hazard.pk]), shown, forbid=False)


def download(request, pk: int, att_pk: int):
    hazard = _hazard(request, pk)
    att = hazard.attachments.filter(pk=att_pk).first()
    if att is None:
        raise Http404("附件不存在")
    handle = open_stored(att.file)
    log_security(SecurityLog.Kind.DOWNLOAD, request=request, user=request.user, what="hazards.attachment",
                 hazard=hazard.pk, attachment=att.pk, sha256=att.sha256)
    ext = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(att.content_type, "bin")
    response = FileResponse(handle, content_type=att.content_type, as_attachment=att.content_type == "application/pdf",
                            filename=f"hazard-{hazard.pk}-{att.pk}.{ext}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def thumbnail(request, pk: int, att_pk: int):
    """A small JPEG of an image attachment: the download's scope (out of scope → 404), widths
    from ``thumbnails.SIZES`` only (?w=…), 404 for a PDF or an unreadable file."""
    hazard = _hazard(request, pk)
    att = hazard.attachments.filter(pk=att_pk).first()
    if att is None:
        raise Http404("附件不存在")
    raw = request.GET.get("w", str(thumbnails.DEFAULT_SIZE))
    if not (raw.isascii() and raw.isdigit()) or int(raw) not in thumbnails.SIZES:  # "²": isdigit, and no int
        sizes = "、".join(str(s) for s in thumbnails.SIZES)
        return HttpResponseBadRequest(f"w：缩略图宽度只能是 {sizes}。", content_type="text/plain; charset=utf-8")
    try:
        jpeg = thumbnails.thumbnail(att, int(raw))
    except thumbnails.NoThumbnail:
        raise Http404("该附件没有缩略图")
    response = HttpResponse(jpeg, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
