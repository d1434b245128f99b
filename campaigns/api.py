"""Dispatch table through the API: GET /api/v1/dispatch/?unit=&as_of=&campaign= (same numbers as the page)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_files import FILE_RENDERERS, document_schema, send_document
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


class BulletinDocumentView(APIView):
    """每季度通报 of the caller's region (government users), the page's 下载 .docx."""

    permission_classes = [IsAuthenticated]
    renderer_classes = FILE_RENDERERS

    @document_schema("每季度通报（docx；本单位所在辖区）", parameters=[
        OpenApiParameter("year", int, description="年份（2000–2100，默认今年）"),
        OpenApiParameter("quarter", int, enum=[1, 2, 3, 4], description="季度（默认本季度）")])
    def get(self, request):
        from django.utils import timezone

        from hazards.models import Hazard

        from .bulletin import bulletin_docx
        from .views_board import _region

        today = timezone.localdate()
        errors = {}
        year = request.query_params.get("year") or str(today.year)
        quarter = request.query_params.get("quarter") or str((today.month - 1) // 3 + 1)
        if not (year.isdigit() and 2000 <= int(year) <= 2100):
            errors["year"] = ["年份须为 2000–2100 的整数。"]
        if not (quarter.isdigit() and 1 <= int(quarter) <= 4):
            errors["quarter"] = ["季度须为 1–4。"]
        if errors:
            raise ValidationError(errors)
        region, issuer = _region(request.user)
        data = bulletin_docx(region, issuer, int(year), int(quarter), hazards=Hazard.objects.visible_to(request.user))
        return send_document(request, data, f"bulletin-{year}Q{quarter}", "quarterly_bulletin", region)
