"""Jobs through the API: ``/api/v1/jobs/`` (the caller's own jobs), ``/api/v1/jobs/{id}/`` (status,
progress, download link) and ``/api/v1/jobs/{id}/download/`` (the result file).

A job belongs to whoever asked for it: anyone else — another region, another sector, an
enterprise, even a superuser — gets 404, exactly like the job pages (``jobs.views.own_job``)."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer

from core.api_files import FileRenderer
from core.api_http import HttpSemanticsMixin
from core.files import open_stored
from core.models import SecurityLog
from core.security import log_security

from .models import RESULT_MISSING, Job
from .views import live

#: Content types of job results (the kinds in jobs.handlers): the download answers the job's result_type.
RESULT_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "导出的台账（xlsx）",
    "text/csv": "导出的台账或导入错误清单（CSV，UTF-8）",
    "application/zip": "批量生成的文书（zip）",
    "application/octet-stream": "其他结果文件（见任务的 result_type）",
}


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True, help_text="进度（0–100）")
    finished = serializers.BooleanField(read_only=True, help_text="已结束（完成或失败）")
    download = serializers.SerializerMethodField(help_text="结果文件的下载地址（完成且有结果文件时；否则为 null）")
    url = serializers.SerializerMethodField(help_text="本任务的地址（轮询进度）")

    class Meta:
        model = Job
        fields = ["id", "kind", "title", "status", "done", "total", "percent", "finished", "message", "summary",
                  "result_name", "result_type", "download", "url", "created_at", "first_started_at", "started_at",
                  "finished_at"]
        read_only_fields = fields
        extra_kwargs = {
            "first_started_at": {"help_text": "首次开始时间（任务第一次开始执行；页面上的“开始时间”）"},
            "started_at": {"help_text": "本次开始时间（长任务分段继续或重试时，为最近一段或一次的开始）"},
        }

    def get_download(self, obj) -> str | None:
        if obj.status == Job.Status.DONE and obj.result:
            return f"/api/v1/jobs/{obj.pk}/download/"
        return None

    def get_url(self, obj) -> str:
        return f"/api/v1/jobs/{obj.pk}/"


class JobViewSet(HttpSemanticsMixin, viewsets.ReadOnlyModelViewSet):
    """后台任务：只有发起人能看到自己的任务（其他人一律 404）。"""

    serializer_class = JobSerializer
    queryset = Job.objects.none()  # for the schema; get_queryset scopes to the owner
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not self.request.user.is_authenticated:
            return Job.objects.none()
        return Job.objects.filter(owner=self.request.user)

    def get_object(self):
        return live(super().get_object())

    @extend_schema(summary="我的后台任务（状态、进度、下载地址）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(responses={(200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
                              for content_type, description in RESULT_TYPES.items()},
        summary="下载任务结果（仅发起人；未完成为 404；记入安全日志）")
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, FileRenderer], pagination_class=None)
    def download(self, request, pk=None):
        job = self.get_object()
        if job.status != Job.Status.DONE or not job.result:
            raise Http404("任务尚未完成或没有结果文件。")
        handle = open_stored(job.result, RESULT_MISSING)
        log_security(SecurityLog.Kind.DOWNLOAD, request=request, user=request.user, what=f"jobs.result:{job.kind}",
                     job=job.pk, via="api")
        return FileResponse(handle, as_attachment=True, filename=job.result_name or job.result.name,
                            content_type=job.result_type or "application/octet-stream")
