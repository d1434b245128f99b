"""The committee office creates and edits its campaigns (one service call per POST, with events)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.models import Organisation
from accounts.permissions import committee_org_or_404
from core.views import form_status, get_visible_or_404, posted, submit_form

from . import services
from .forms import CampaignForm
from .models import Campaign
from .tables import reporting_units


def _save(request, committee, campaign=None):
    units = Organisation.objects.filter(pk__in=[u.pk for u in reporting_units(committee)]).order_by(
        "kind", "region__code", "name")  # the form wants a queryset
    initial = CampaignForm.initial_for(campaign) if campaign else {}
    form = CampaignForm(posted(request), units=units, initial=initial)

    def save(**d):
        fields = dict(name=d["name"], start=d["start"], end=d["end"], first_report_date=d["first_report_date"],
                      report_weekday=d["report_weekday"], report_time=d["report_time"], phases=d["phases"],
                      targets=d["targets"], units=list(d["units"]))
        if campaign is None:
            return services.create_campaign(request.user, issuer=committee, region=committee.region, **fields)
        return services.update_campaign(request.user, campaign, **fields)

    # a refusal of permission (NotPermitted, the services' only one) is the 403 page: forbid
    answered = submit_form(request, form, save, "已保存。", "campaigns:index")
    if answered is not None:
        return answered
    title = f"编辑专项行动：{campaign.name}" if campaign else "新建专项行动"
    return render(request, "campaigns/campaign_form.html", {"form": form, "title": title}, status=form_status(form))


def campaign_new(request):
    return _save(request, committee_org_or_404(request.user))


def campaign_edit(request, pk: int):
    committee = committee_org_or_404(request.user)
    campaign = get_visible_or_404(Campaign.objects, request.user, pk=pk)
    if campaign.issuer_id != committee.pk and not request.user.is_superuser:
        raise PermissionDenied("只能修改本单位印发的专项行动。")
    return _save(request, committee, campaign)
