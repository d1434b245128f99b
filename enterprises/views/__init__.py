"""Pages of the enterprise registry: list / export / detail / create / edit / contacts, and import."""

from .engagements import engagement_create, engagement_end, engagement_export, engagement_list
from .imports import import_job, import_jobs, import_page, import_run, import_template
from .registry import (
    enterprise_close,
    enterprise_contacts,
    enterprise_create,
    enterprise_detail,
    enterprise_edit,
    enterprise_export,
    enterprise_history,
    enterprise_list,
    enterprise_reopen,
)

__all__ = [
    "engagement_create", "engagement_end", "engagement_export", "engagement_list", "enterprise_reopen",
    "enterprise_close", "enterprise_contacts", "enterprise_create", "enterprise_detail", "enterprise_edit", "enterprise_export",
    "enterprise_history", "enterprise_list", "import_job", "import_jobs", "import_page", "import_run", "import_template",
]
