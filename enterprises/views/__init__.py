"""Pages of the enterprise registry: list / export / detail / create / edit / contacts, and import."""

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
)

__all__ = [
    "enterprise_close", "enterprise_contacts", "enterprise_create", "enterprise_detail", "enterprise_edit", "enterprise_export",
    "enterprise_history", "enterprise_list", "import_job", "import_jobs", "import_page", "import_run", "import_template",
]
