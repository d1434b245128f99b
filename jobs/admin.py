"""Jobs are read-only in the admin: they are submitted by ``jobs.services.submit`` (``job.submitted``)
and moved on by the worker (``job.started`` / ``.done`` / ``.failed``); their results are removed by
``cleanup`` (``job.result_removed``). A job added here had no kind and no event; one deleted here
left its events naming nothing."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "owner", "status", "attempts", "done", "total", "created_at", "finished_at")
    list_filter = ("kind", "status")
