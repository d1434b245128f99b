"""Assessment API (/api/v1/assessment-sets/, /api/v1/assessments/): scoped reads and the steps of
the assessment pages through the same services — create a year's set, add an indicator, compute,
finalise (the reviewer, i.e. the organising committee office), adjust a score with a reason, record
a 述职. A repeat of a step that already took effect is 409 ``already_done`` (core.api_http.settles).

Compute runs as a background job (``services.start_compute``, kind ``assessment.compute``): the
answer is 202 with the job, whose ``url`` is the set's computation
(``/api/v1/assessment-sets/{id}/computation/``: status, units done / total, message), readable by
whoever sees every result of the set — not only who asked — like the page's progress bar; a
second request while it is queued or running answers that same job."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import membership
from core.api import ScopedReadOnlyViewSet
from core.api_files import FILE_RENDERERS, document_schema, send_document
from core.api_http import settles
from core.querysets import MAX_ID
from jobs.api import JobSerializer

from . import services, workflow
from .models import Assessment, Debrief, Indicator, IndicatorSet, Score


class AssessmentScoreSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    final = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True, allow_null=True,
                                     help_text="计入总分的得分（调整后得分，否则计算得分）；null：不适用、不计分（比率为 0/0，如无重大隐患）")

    class Meta:
        model = Score
        fields = ["id", "indicator", "indicator_name", "value", "score", "adjusted_score", "adjust_reason", "final",
                  "evidence"]


class UnitAssessmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    scores = AssessmentScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "indicator_set", "unit", "unit_name", "total", "rating", "veto_note", "rank", "scores"]


class IndicatorSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorSet
        fields = ["id", "year", "name", "organisation", "status", "excellent_min", "good_min", "pass_min"]


class ComputationSerializer(JobSerializer):
    """The set's computation job: ``url`` is the set's computation (readable by whoever sees every
    result of the set), no result file (the results are the set's assessments)."""

    def get_url(self, obj) -> str:
        return f"/api/v1/assessment-sets/{obj.params.get('set')}/computation/"

    def get_download(self, obj) -> str | None:
        return None


def _computation_response(job, code):
    from jobs.views import live

    response = Response(ComputationSerializer(live(job)).data, status=code)
    if code == status.HTTP_202_ACCEPTED:
        response["Location"] = response.data["url"]
    return response


class SetCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="年度（每个安委会办公室每年一套）")
    name = serializers.CharField(max_length=150)
    defaults = serializers.BooleanField(default=True, help_text="是否带上示例指标（可再修改）")


class IndicatorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=2, max_value=IndicatorSet.MAX_TOTAL_WEIGHT,
        help_text=f"分值（大于0；本套指标分值合计不超过{IndicatorSet.MAX_TOTAL_WEIGHT}）",
        error_messages={"max_value": f"分值不能超过{IndicatorSet.MAX_TOTAL_WEIGHT}分。"})
    kind = serializers.ChoiceField(choices=[("computed", "系统计算"), ("manual", "人工评分")])
    source = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="数据来源（系统计算的指标必填，见 Indicator.Source）")
    direction = serializers.ChoiceField(choices=[("higher", "越高越好"), ("lower", "越低越好")], default="higher")
    bands = serializers.ListField(child=serializers.DictField(), required=False, default=list,
                                  help_text="评分档次：[{\"limit\": 界值, \"score\": 得分百分比}, …]，按顺序匹配")

    def validate_bands(self, bands):
        out = []
        for n, band in enumerate(bands, start=1):
            if "limit" not in band or "score" not in band:
                raise serializers.ValidationError(f"第{n}档格式不正确：须为数字界值 limit 和 0–100 的得分百分比 score。")
            try:
                out.append(Indicator.clean_band(band["limit"], band["score"]))  # finite, bounded (service too)
            except ValueError as exc:
                raise serializers.ValidationError(f"第{n}档{exc}。") from None
        return out


class IndicatorOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    kind = serializers.CharField()
    source = serializers.CharField()
    direction = serializers.CharField()
    bands = serializers.ListField(child=serializers.DictField())


class AdjustSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="本考评表中的得分项编号（scores[].id）")
    new_score = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="调整后得分（0至该项分值）")
    reason = serializers.CharField(max_length=1000, help_text="调整理由（必填）")


class DebriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Debrief
        fields = ["id", "leader_name", "position", "held_on", "content"]
        read_only_fields = ["id"]


def _body(request) -> dict:
    return request.data if isinstance(request.data, dict) else {}


def _same_indicator(s, request) -> bool:
    name = str(_body(request).get("name") or "").strip()
    return bool(name) and services.is_reviewer(request.user, s) and s.indicators.filter(name=name[:100]).exists()


class IndicatorSetViewSet(ScopedReadOnlyViewSet):
    serializer_class = IndicatorSetSerializer

    def base_queryset(self):
        return IndicatorSet.objects.all()

    def _input(self, serializer_class):
        ser = serializer_class(data=self.request.data)
        ser.is_valid(raise_exception=True)
        return ser.validated_data

    def _done(self, s, code=status.HTTP_200_OK):
        return Response(IndicatorSetSerializer(IndicatorSet.objects.get(pk=s.pk)).data, status=code)

    @extend_schema(request=SetCreateSerializer, responses={201: IndicatorSetSerializer},
                   summary="制定年度考评指标（安委会办公室；每年一套，重复年度为 400）")
    def create(self, request, *args, **kwargs):
        d = self._input(SetCreateSerializer)
        return self._done(services.create_set(request.user, **d), status.HTTP_201_CREATED)

    @extend_schema(request=IndicatorInputSerializer, responses={201: IndicatorOutSerializer},
                   summary="增加考评指标（考评组织单位；同名指标已存在时 409）")
    @action(detail=True, methods=["post"])
    @settles(_same_indicator)
    def indicators(self, request, pk=None):
        s = self.get_object()
        d = self._input(IndicatorInputSerializer)
        ind = services.add_indicator(request.user, s, **d)
        return Response(IndicatorOutSerializer(ind).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: OpenApiResponse(
        ComputationSerializer, description="已提交计算任务（或该考评正在计算：返回正在进行的任务，不重复提交）；"
                                           "轮询 url（Location）查看状态和进度（已计算单位数 done / 单位总数 total），"
                                           "完成后考评结果见 /api/v1/assessments/；失败时 status 为 failed，message 为原因")},
        summary="计算（或按最新数据重新计算）考评结果：后台任务，返回 202 和任务（考评组织单位；人工评分和调整保留；已确定的为 400）")
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        job, _ = services.start_compute(request.user, self.get_object())
        return _computation_response(job, status.HTTP_202_ACCEPTED)

    @extend_schema(responses=ComputationSerializer,
                   summary="考评结果的最近一次计算任务（状态、进度、原因；看得到全部考评结果的单位可查看，其他为 404）")
    @action(detail=True, methods=["get"])
    def computation(self, request, pk=None):
        from .jobs import computation_for

        job = computation_for(request.user, self.get_object())
        if job is None:
            raise Http404("该考评尚无计算任务，或无权查看。")
        return _computation_response(job, status.HTTP_200_OK)

    @extend_schema(request=None, responses=IndicatorSetSerializer, summary="确定考评结果（考评组织单位；确定后不能再调整）")
    @action(detail=True, methods=["post"])
    @settles(lambda s, r: s.status == workflow.FINALISED)
    def finalise(self, request, pk=None):
        return self._done(services.finalise(request.user, self.get_object()))


class UnitAssessmentViewSet(ScopedReadOnlyViewSet):
    serializer_class = UnitAssessmentSerializer

    def base_queryset(self):
        return Assessment.objects.select_related("unit").prefetch_related("scores__indicator")

    def _input(self, serializer_class):
        ser = serializer_class(data=self.request.data)
        ser.is_valid(raise_exception=True)
        return ser.validated_data

    @extend_schema(request=AdjustSerializer, responses=UnitAssessmentSerializer,
                   summary="调整得分（考评组织单位；须说明理由；与当前调整完全相同时 409）")
    @action(detail=True, methods=["post"])
    @settles(lambda a, r: _same_adjustment(a, r))
    def adjust(self, request, pk=None):
        from rest_framework.exceptions import ValidationError

        a = self.get_object()
        d = self._input(AdjustSerializer)
        score = a.scores.select_related("assessment__indicator_set", "indicator").filter(pk=d["score"]).first()
        if score is None:
            raise ValidationError({"score": ["不是本考评表的得分项。"]})
        services.adjust(request.user, score, new_score=d["new_score"], reason=d["reason"])
        return Response(self.detail_data(self.base_queryset().get(pk=a.pk)))

    @extend_schema(request=DebriefSerializer, responses={201: DebriefSerializer},
                   summary="登记述职（被考评单位或考评组织单位；同一述职人、日期、内容已登记时 409）")
    @action(detail=True, methods=["post"])
    @settles(lambda a, r: _same_debrief(a, r))
    def debriefs(self, request, pk=None):
        a = self.get_object()
        d = self._input(DebriefSerializer)
        debrief = services.add_debrief(request.user, a, **d)
        return Response(DebriefSerializer(debrief).data, status=status.HTTP_201_CREATED)

    @document_schema("考评报告（docx）")
    @action(detail=True, methods=["get"], url_path="document", renderer_classes=FILE_RENDERERS, pagination_class=None, filter_backends=[])
    def document(self, request, pk=None):
        from . import documents

        a = self.get_object()
        return send_document(request, documents.unit_report(a), f"assessment-{a.indicator_set.year}-{a.pk}",
                             "assessment_report", a)


def _same_adjustment(a, request) -> bool:
    ser = AdjustSerializer(data=_body(request))
    if not ser.is_valid():
        return False
    d = ser.validated_data
    score = a.scores.filter(pk=d["score"]).first()
    return (score is not None and score.adjusted_score is not None and score.adjusted_score == d["new_score"]
            and score.adjust_reason == d["reason"].strip() and services.is_reviewer(request.user, a.indicator_set))


def _same_debrief(a, request) -> bool:
    ser = DebriefSerializer(data=_body(request))
    if not ser.is_valid():
        return False
    d = ser.validated_data
    m = membership(request.user)
    if not (services.is_reviewer(request.user, a.indicator_set) or (m and m.can_write and m.organisation_id == a.unit_id)):
        return False  # a caller who may not record it gets the service's 403
    return a.debriefs.filter(leader_name=d["leader_name"].strip()[:60], held_on=d["held_on"],
                             content=d["content"].strip()).exists()
