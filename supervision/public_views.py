"""The public, anonymous 公示 page: hazards under 挂牌督办 whose notice the listing body chose to
publish (deadline and 摘牌 date), the published typical enforcement cases and the public entries
of the 严重失信主体名单 in force. Nothing else of a hazard or an enterprise is shown."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import workflow
from .models import Listing

PUBLIC_LISTING_STATES = (workflow.LISTED, workflow.DELISTING_REQUESTED, workflow.DELISTED)


def public_listings():
    """Listings whose notice was published (public_notice and published_at)."""
    return (Listing.objects.filter(public_notice=True, published_at__isnull=False, status__in=PUBLIC_LISTING_STATES)
            .select_related("hazard__enterprise", "listing_body").order_by("-published_at", "-id"))


def public_credit_list(today):
    """The public entries of the 严重失信主体名单 in force on ``today`` (listed, last day not passed),
    newest first — a queryset: the board reads one page of it."""
    from enforcement.models import CreditListing

    return (CreditListing.objects.filter(public=True, status=CreditListing.Status.LISTED, ends_on__gte=today)
            .select_related("enterprise", "organisation").order_by("-start", "-id"))


@login_not_required
@require_GET
def notice_board(request):
    from enforcement.models import TypicalCase

    today = timezone.localdate()
    page = Paginator(public_listings(), 50).get_page(request.GET.get("page"))
    for item in page:
        # the 摘牌 date is public only once the delisting was published
        item.public_delisted_on = (timezone.localtime(item.delisted_at).date()
                                   if item.status == workflow.DELISTED and item.delisting_published_at else None)
    return render(request, "supervision/public_board.html", {
        "page": page, "today": today,
        # every published typical case not withdrawn, 20 a page with its own pager (?typical_page=), newest first
        "typical": Paginator(TypicalCase.objects.filter(withdrawn_on__isnull=True).select_related("organisation")
                             .order_by("-published_on", "-id"), 20)
        .get_page(request.GET.get("typical_page")),
        # the 严重失信主体名单 in force, 50 a page with its own pager (?credit_page=)
        "credit": Paginator(public_credit_list(today), 50).get_page(request.GET.get("credit_page")),
    })
