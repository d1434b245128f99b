"""Public pages (no login): the tip form with its cascading region / enterprise lookups, the
captcha image, the receipt and the tracking page. Rate-limited per (hashed) address."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import captcha
from core.security import client_ip
from core.services import ServiceError
from core.views import form_status, posted, submit_form
from enterprises.models import Enterprise
from regions.models import Region

from . import services
from .forms import PublicTipForm, ReviewRequestForm, TrackForm
from .models import Reward


@login_not_required
@require_GET
def regions(request):
    """Children of a region: ?parent=<code> (empty: provinces). [{code, name, level}]."""
    parent = request.GET.get("parent", "").strip()
    if parent and not parent.isdigit():
        return JsonResponse({"parent": ["区划代码无效。"]}, status=400)
    qs = Region.objects.filter(parent__code=parent) if parent else Region.objects.filter(parent__isnull=True)
    return JsonResponse({"results": [{"code": r.code, "name": r.name, "level": r.level} for r in qs.order_by("code")]})


@login_not_required
@require_GET
def enterprises(request):
    """Operating enterprises of a township by name: ?township=<code>&q=<name>; ids and names only.
    A picker, not a list: the first PICKER_SIZE by name, and ``more`` says that others match too
    (the form then asks for more of the name)."""
    code = request.GET.get("township", "").strip()
    q = request.GET.get("q", "").strip()
    if not (code.isdigit() and len(code) == 9):
        return JsonResponse({"township": ["请先选择乡镇（街道）。"]}, status=400)
    if len(q) > NAME_MAX:
        return JsonResponse({"q": [f"单位名称不超过{NAME_MAX}个字。"]}, status=400)
    qs = Enterprise.objects.filter(region__code=code, status=Enterprise.Status.OPERATING)
    if q:
        qs = qs.filter(name__icontains=q)
    found = list(qs.order_by("name", "pk").values("pk", "name")[:PICKER_SIZE + 1])
    return JsonResponse({"results": [{"id": e["pk"], "name": e["name"]} for e in found[:PICKER_SIZE]],
                         "more": len(found) > PICKER_SIZE})


PICKER_SIZE = 20
NAME_MAX = Enterprise._meta.get_field("name").max_length


@login_not_required
@never_cache
def captcha_image(request):
    question = captcha.new_challenge(request.session)
    return HttpResponse(captcha.render_png(question), content_type="image/png")


@login_not_required
@never_cache
def new_tip(request):
    form = PublicTipForm(posted(request))
    if request.method == "POST":
        # The captcha first: requests without a solved captcha never reach the rate counter, so
        # nobody can use up the counter of an address (or of everyone behind a proxy) for free.
        if captcha.check(request.session, request.POST.get("captcha", "")):
            try:
                services.check_rate("submit", client_ip(request))
            except ServiceError as exc:
                form.is_valid()
                form.add_error(None, exc.message)
                return render(request, "tips/public_form.html", {"form": form}, status=429)
            answered = submit_form(request, form, lambda **data: _submit(request, **data), None,
                                   lambda sent: render(request, "tips/public_receipt.html",
                                                       {"tip": sent[0], "code": sent[1]}),
                                   forbid=False, rename={"region": "township"})
            if answered is not None:
                return answered
        elif form.is_valid():
            form.add_error("captcha", "验证码错误或已失效，请重新计算图中算式。")
    return render(request, "tips/public_form.html", {"form": form}, status=form_status(form))


def _tip_kwargs(request, d: dict) -> dict:
    """submit_tip keyword arguments (without region) from a valid form's data; an enterprise that is
    not in the registry is refused under its field."""
    enterprise = Enterprise.objects.filter(pk=d["enterprise"]).first() if d.get("enterprise") else None
    if d.get("enterprise") and enterprise is None:
        raise ServiceError("所选单位不存在。", "enterprise")
    return dict(sector=d["sector"], address=d["address"], content=d["content"], enterprise=enterprise,
                enterprise_name=d.get("enterprise_name", ""), longitude=d.get("longitude"), latitude=d.get("latitude"),
                anonymous=d.get("anonymous", False), name=d.get("name", ""), phone=d.get("phone", ""),
                contact=d.get("contact", ""), internal_whistleblower=d.get("internal_whistleblower", False),
                files=request.FILES.getlist("files"))


def _submit(request, **d):
    """submit_tip from a valid form's data: (tip, tracking code); a refusal lands on the form."""
    kwargs = _tip_kwargs(request, d)
    return services.submit_tip(None, region=Region.objects.filter(code=d["township"]).first(), **kwargs)


@login_not_required
@never_cache
def track(request):
    form = TrackForm(posted(request))
    tip, unknown = None, False
    if request.method == "POST" and form.is_valid():
        try:
            services.check_rate("track", client_ip(request))
        except ServiceError as exc:
            form.add_error(None, exc.message)
            return render(request, "tips/public_track.html", {"form": form}, status=429)
        tip = services.find_by_code(form.cleaned_data["code"])
        if tip is None:
            form.add_error("code", "查询码不正确，请核对后重新输入。")
            unknown = True  # no tip has this code: 404, with the reason under the field
    rewards = list(tip.rewards.filter(line=Reward.Line.REPORTER)) if tip else []
    review_form = None
    if tip is not None and tip.feedback_at and tip.review_requested_at is None:
        review_form = ReviewRequestForm(initial={"code": form.cleaned_data["code"]})
    return render(request, "tips/public_track.html", {"form": form, "tip": tip, "rewards": rewards,
                                                      "review_form": review_form},
                  status=404 if unknown else form_status(form))


@login_not_required
def review_request(request):
    """The reporter disputes the result and asks for 复查 (应急〔2023〕106号), with the tracking code."""
    from . import handling

    if request.method != "POST":
        return HttpResponse(status=405)
    form = ReviewRequestForm(request.POST)
    track_form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "tips/public_track.html", {"form": track_form, "review_form": form}, status=form_status(form))
    try:
        services.check_rate("track", client_ip(request))
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return render(request, "tips/public_track.html", {"form": track_form, "review_form": form}, status=429)
    tip = services.find_by_code(form.cleaned_data["code"])
    if tip is None:
        track_form.is_valid()
        track_form.add_error("code", "查询码不正确，请核对后重新输入。")
        return render(request, "tips/public_track.html", {"form": track_form}, status=404)

    def sent(reviewed):  # the request sent: the tracking page says so
        return render(request, "tips/public_track.html", {
            "form": track_form, "tip": reviewed, "review_sent": True,
            "rewards": list(reviewed.rewards.filter(line=Reward.Line.REPORTER))}, status=form_status(form))

    answered = submit_form(request, form, lambda **data: handling.request_review(tip, reason=data["reason"]), None,
                           sent, forbid=False)
    if answered is not None:
        return answered
    return render(request, "tips/public_track.html", {"form": track_form, "tip": tip, "review_form": form},
                  status=form_status(form))
