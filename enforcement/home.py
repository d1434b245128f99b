"""Home cards of enforcement: cases whose 责令停产停业整顿 is in force, and those whose unit lives under
强制措施 (停止供电 etc.) — shown while there are any in the user's scope, each linking to the case list filtered
the same way (counted with the list's own filter: ``CaseFilter.suspended`` / ``compulsion``)."""

from .filters import CaseFilter
from .models import Case


def cards(user) -> list[dict]:
    cases = Case.objects.visible_to(user)
    shown = []
    for query, title, hint in (
            ("suspended", "停产停业整顿中的案件", "责令停产停业整顿决定已生效，尚未经复查同意恢复生产经营"),
            ("compulsion", "停产停业整顿强制措施未解除", "单位拒不执行停产停业整顿决定，已停止供电等；履行决定后应当及时解除")):
        value = cases.filter(pk__in=CaseFilter.base_filters[query].ids()).count()
        if value:
            shown.append({"key": f"enforcement_{query}", "title": title, "value": value,
                          "url": f"/enforcement/?{query}=true", "hint": hint})
    return shown
