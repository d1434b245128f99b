"""Dispatch table through the API: GET /api/v1/dispatch/?unit=&as_of=&campaign= (same numbers as the page)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from hazards.asof import instant as parse_as_of

from .models import Campaign
from .querysets import dispatch_unit_or_404
from .tables import unit_table


class DispatchTableView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("unit", str), OpenApiParameter("as_of", str), OpenApiParameter("campaign", int)],
                   responses={200: dict}, summary="调度表（按单位、截止时间）")
    def get(self, request):
        unit = dispatch_unit_or_404(request.user, request.query_params.get("unit"))
        as_of = parse_as_of(request.query_params.get("as_of"))
        campaign = None
        raw = request.query_params.get("campaign", "")
        if raw:
            if not raw.isdigit():
                raise ValidationError({"campaign": ["无效的专项行动编号。"]})
            campaign = Campaign.objects.visible_to(request.user).filter(pk=int(raw)).first()
            if campaign is None:
                raise ValidationError({"campaign": ["专项行动不存在。"]})
        return Response(unit_table(unit, as_of, campaign).as_json())
