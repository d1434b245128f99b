"""One way to write a date on a page: 2026-12-16 and 2026-12-16 09:30, as the tables, lists and filters
write them. Django's zh-hans default ("2026年12月16日") was used wherever a template printed a date
without a format, so one detail page showed 发生时间 "2026-11-16 00:11" beside 补报截止 "2026年12月16日".
Official documents (决定书, 通知书) write their own 年月日 (documents.hazard_docs); a template that wants
the long form asks for it (|date:"Y年n月j日"). Everything else is Django's zh_Hans module."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F401,F403 — the rest of the locale unchanged

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"

# A date box shows its value in the first input format: "2026/12/16" (the locale's first) is no value to a
# browser's <input type=date> or type=datetime-local, which then shows the box empty. ISO first; the
# locale's other spellings are still read.
DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in DATE_INPUT_FORMATS if f != "%Y-%m-%d")]  # noqa: F405
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", *DATETIME_INPUT_FORMATS]  # noqa: F405
