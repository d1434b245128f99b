"""Catalogue pages: browse standards (by sector, status, search in item summaries), standard and item
detail, key inspection lists and publishing a new list version (competent departments)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import render

from core.forms import StyledForm
from core.lists import Column, ScopedListView
from core.views import form_status, posted, submit_form

from . import permissions as perms
from . import services
from .filters import ItemFilter, StandardFilter
from .models import Item, KeyInspectionList, Standard

SEARCH_LIMIT = 200


def _get(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("不存在")


class StandardList(ScopedListView):
    """The catalogue (reference data: every logged-in user sees all of it) and the item search."""

    name = "standards.list"
    url_name = "standards:list"
    title = "重大事故隐患判定标准"
    model = Standard
    filterset_class = StandardFilter
    template_name = "standards/standard_list.html"
    row_template = "standards/_standard_row.html"
    prefetch_related = ("sectors",)
    ordering = ("code", "-version")
    columns = (Column("标准", "short_title"), Column("文号", "doc_number"), Column("适用行业", "sectors"),
               Column("状态", "get_status_display"), Column("条目数", "n_items"), Column("版本", "version"),
               Column("核实", "get_verified_display"))
    testid = "standard-table"
    empty_text = "没有符合条件的标准。"
    page_size = 100

    @classmethod
    def scoped_queryset(cls, user):
        return super().scoped_queryset(user).annotate(n_items=Count("items", filter=Q(items__counts=True)))

    def extra_context(self, request):
        q = (request.GET.get("q") or "").strip()
        items = []
        if q:
            item_fs = ItemFilter({"q": q, "status": request.GET.get("status", ""),
                                  "sector": request.GET.get("sector", ""), "current": "true"},
                                 queryset=Item.objects.select_related("standard", "article"))
            if item_fs.is_valid():
                items = list(item_fs.qs.order_by("standard__code", "sort_order")[:SEARCH_LIMIT + 1])
        return {"items": items[:SEARCH_LIMIT], "more_items": len(items) > SEARCH_LIMIT, "q": q,
                "search_limit": SEARCH_LIMIT,
                "key_lists": KeyInspectionList.objects.current().select_related("sector")}


standard_list = StandardList.as_view()


def standard_detail(request, pk: int):
    std = _get(Standard.objects.select_related("supersedes").prefetch_related("sectors", "superseded_by"), pk=pk)
    articles = std.articles.select_related("sector").prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("sort_order", "id")))
    versions = Standard.objects.filter(code=std.code).order_by("-version")
    return render(request, "standards/standard_detail.html", {
        "std": std, "articles": articles, "versions": versions,
        "counted": std.items.filter(counts=True).count(),
    })


def item_detail(request, pk: int):
    item = _get(Item.objects.select_related("standard", "article"), pk=pk)
    other_versions = Item.objects.filter(code=item.code).exclude(pk=item.pk).select_related("standard")
    return render(request, "standards/item_detail.html", {"item": item, "other_versions": other_versions})


def key_list_list(request):
    lists = KeyInspectionList.objects.select_related("sector").annotate(n_items=Count("items")).order_by(
        "sector__sort_order", "-version")
    return render(request, "standards/key_list_list.html", {"lists": lists})


def key_list_detail(request, pk: int):
    key_list = _get(KeyInspectionList.objects.select_related("sector", "organisation"), pk=pk)
    return render(request, "standards/key_list_detail.html", {
        "key_list": key_list, "items": key_list.items.all(),
        "versions": KeyInspectionList.objects.filter(sector=key_list.sector).order_by("-version"),
        "can_edit": key_list.is_current and perms.can_edit_key_list(request.user, key_list.sector),
    })


#: A key list's text: a line per item (≤ 200 characters each, ``services.publish_key_list``) for
#: a few hundred items — longer than a note's ``core.text.TEXT_MAX``.
KEY_LIST_MAX = 50_000


class KeyListForm(StyledForm):
    title = forms.CharField(label="标题", max_length=200)
    items = forms.CharField(label="检查事项（每行一项；可用“|”分隔中文摘要与英文摘要）", max_length=KEY_LIST_MAX,
                            widget=forms.Textarea(attrs={"rows": 12}))
    note = forms.CharField(label="修订说明", max_length=200, required=False)

    def clean_items(self):
        parsed = []
        for line in self.cleaned_data["items"].splitlines():
            if not line.strip():
                continue
            zh, _, en = line.partition("|")
            if len(zh.strip()) > 200:
                raise forms.ValidationError("每项摘要不能超过200个字符。")
            parsed.append({"summary_zh": zh.strip(), "summary_en": en.strip()})
        if not parsed:
            raise forms.ValidationError("至少需要一项检查事项。")
        return parsed


def key_list_revise(request, pk: int):
    key_list = _get(KeyInspectionList.objects.select_related("sector"), pk=pk)
    if not key_list.is_current:
        raise Http404("只能修订当前版本")
    if not perms.can_edit_key_list(request.user, key_list.sector):
        raise PermissionDenied("只有对该行业负有监管职责的部门经办人员可以修订重点检查事项清单。")
    initial = {"title": key_list.title, "items": "\n".join(
        f"{i.summary_zh} | {i.summary_en}" if i.summary_en else i.summary_zh for i in key_list.items.all())}
    form = KeyListForm(posted(request), initial=initial)
    answered = submit_form(
        request, form,
        lambda **d: services.publish_key_list(request.user, key_list.sector, title=d["title"], items=d["items"], note=d["note"]),
        lambda new: f"已发布第{new.version}版。", lambda new: f"/standards/key-lists/{new.pk}/", forbid=False)
    if answered is not None:
        return answered
    return render(request, "standards/key_list_form.html", {"form": form, "key_list": key_list},
                  status=form_status(form))
