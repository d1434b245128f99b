"""OpenAPI schema quality: one tag per app, the one error schema on every operation with its real
status codes, the Idempotency-Key / If-Match / ETag headers, and the schema version.

``API_VERSION`` follows semantic versioning: the major number is the /api/vN/ in the path (a
breaking change gets a new path), the minor number grows with additions (see docs/api.md).
"""

import re

from drf_spectacular.authentication import SessionScheme as DRFSessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema

from .api import MAX_ID

API_VERSION = "1.24.0"

APP_TAGS = {
    "core": "auth", "regions": "regions", "accounts": "accounts", "enterprises": "enterprises",
    "standards": "standards", "hazards": "hazards", "supervision": "supervision", "inspections": "inspections",
    "enforcement": "enforcement", "tips": "tips", "obligations": "obligations", "risks": "risks",
    "campaigns": "campaigns", "documents": "documents", "accidents": "accidents", "assessment": "assessment",
    "jobs": "jobs",
}

TAG_DESCRIPTIONS = {
    "auth": "令牌：获取、刷新、撤销", "regions": "行政区划", "accounts": "用户、单位、行业领域",
    "enterprises": "生产经营单位", "standards": "判定标准与检查表", "hazards": "隐患台账与闭环办理",
    "supervision": "挂牌督办", "inspections": "检查、抽查、帮扶", "enforcement": "执法案件与处罚",
    "tips": "举报办理", "obligations": "企业安全生产义务", "risks": "双重预防：风险点与评价",
    "campaigns": "专项整治：专项行动、调度表查看与报送（更正为新版本）、催报、季度通报", "documents": "文书", "accidents": "生产安全事故调查与整改评估",
    "assessment": "安全生产考评：指标、计算、调整得分（须说明理由）、述职、确定结果、考评报告", "jobs": "后台任务",
}

ERRORS = {
    "400": "请求有误：字段错误、请求体无法解析（非 JSON）或业务规则拒绝",
    "401": "未登录或令牌无效、已过期、已撤销（附 WWW-Authenticate）",
    "403": "无权执行此操作",
    "404": "不存在或不在您的管辖范围内",
    "409": "冲突：已被他人处理、操作已生效（附当前状态 current）或 Idempotency-Key 被用于不同请求",
    "410": "文件已不存在（已被清理或文件存储暂不可用）",
    "412": "If-Match 与当前 ETag 不符",
    "428": "修改须附带 If-Match",
    "429": "请求过于频繁（附 Retry-After）",
    "503": "暂时无法生成 PDF（服务器缺少 LibreOffice 或转换失败），请下载 Word 版本",
}

ERROR_CODES = {
    "invalid": "提交的数据有误或业务规则拒绝", "parse_error": "请求体无法解析", "unsupported_media_type": "不支持的请求体类型",
    "not_authenticated": "未登录或令牌无效", "authentication_failed": "令牌无效、已过期或已撤销",
    "permission_denied": "无权执行此操作", "not_found": "不存在或不在管辖范围内", "method_not_allowed": "不支持该请求方法",
    "not_acceptable": "无法按请求的格式返回", "conflict": "已被他人处理", "already_done": "操作已经生效（附当前状态）",
    "idempotency_conflict": "Idempotency-Key 已用于不同请求", "precondition_failed": "If-Match 与当前 ETag 不符",
    "precondition_required": "修改须附带 If-Match", "throttled": "请求过于频繁", "unavailable": "暂时无法提供（如 PDF 生成）",
    "gone": "文件已不存在（已被清理或文件存储暂不可用）",
    "error": "其他错误",
}

#: Chinese names of enum values that are not model choices (parameters, the error codes …).
EXTRA_LABELS = {"docx": "Word 文书（.docx）", "pdf": "PDF 文书", "": "空（未填写）", "file": "文件",
                "json": "JSON（出错时的错误信息）", **ERROR_CODES}


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api_security.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Authorization: Token <令牌>（POST /api/v1/auth/token/ 获取，有效期见 expiry）"}


class VisibleRecordSchema(OpenApiSerializerFieldExtension):
    """``core.api.VisibleRecordField``: an id (a positive bigint) or, with ``to_field="code"``, a code;
    the description (its help text) says that one out of scope is a 404."""

    target_class = "core.api.VisibleRecordField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if self.target.to_field == "pk":
            return {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
        return {"type": "string", "maxLength": self.target.model._meta.get_field(self.target.to_field).max_length}


class CodeRelatedSchema(OpenApiSerializerFieldExtension):
    """``core.api.CodeRelatedField``: a reference record's code, no longer than the code column (a
    longer one names nothing: DRF's 400 "不存在")."""

    target_class = "core.api.CodeRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        if self.target.queryset is None:  # a read-only one (none today): no column to bound it by
            return {"type": "string"}
        model = self.target.queryset.model
        return {"type": "string", "maxLength": model._meta.get_field(self.target.slug_field).max_length}


class RecordIdSchema(OpenApiSerializerFieldExtension):
    """A plain ``PrimaryKeyRelatedField`` (reference data: a 处罚条款, a department, an agency; or a model
    serializer's foreign key) is a positive bigint like ``VisibleRecordField``'s, so a generated client
    knows its bounds (it answered ``{"type": "integer"}``: any integer, 0 and −1 included)."""

    target_class = "rest_framework.relations.PrimaryKeyRelatedField"
    match_subclasses = True  # enterprises' ActiveAgency …
    priority = -1  # VisibleRecordSchema, a subclass's, describes its own (scope, 404)

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


class SessionScheme(DRFSessionScheme):
    """The pages' session (``core.api_security.SessionAuthentication``), described as DRF's."""

    target_class = "core.api_security.SessionAuthentication"


class SchemaWithAppTags(AutoSchema):
    """Tag every operation with the app that serves it (one tag per app)."""

    def get_tags(self):  # extend_schema(tags=…) on a view still wins
        module = type(self.view).__module__.split(".")[0]
        return [APP_TAGS[module]] if module in APP_TAGS else super().get_tags()

    def _map_basic_serializer(self, serializer, direction):
        """A text field bounded by the default alone (``core.text.TEXT_MAX``) says ``maxLength`` where
        a request carries it, not in an answer: what an answer shows was stored by a service whose
        bound may be longer (a report's chapter) or older than the default, and a generated client
        validating answers would refuse that record."""
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            for name, field in serializer.fields.items():
                for part in (field, getattr(field, "child", None)):
                    if getattr(part, "default_text_bound", False):
                        prop = schema.get("properties", {}).get(name, {})
                        (prop.get("items", {}) if part is not field else prop).pop("maxLength", None)
        return schema


def _error_ref():
    return {"$ref": "#/components/schemas/Error"}


def postprocess(result, generator, request, public):
    """Add the error responses, the HTTP-semantics headers and the tag list to the whole schema."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "description": "所有 4xx 应答的统一结构。",
        "properties": {
            "code": {"type": "string", "description": "机器可读的错误代码（ASCII）",
                     "enum": ["invalid", "parse_error", "unsupported_media_type", "not_authenticated",
                              "authentication_failed", "permission_denied", "not_found", "method_not_allowed",
                              "not_acceptable", "conflict", "already_done", "idempotency_conflict",
                              "precondition_failed", "precondition_required", "throttled", "unavailable",
                              "error"]},
            "message": {"type": "string", "description": "中文说明"},
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                       "description": "字段 → 中文原因；non_field_errors 表示整个请求"},
            "current": {"type": "object", "nullable": True, "additionalProperties": True,
                        "description": "409 already_done 时：对象的当前状态"},
        },
        "required": ["code", "message", "errors"],
    }
    headers = result.setdefault("components", {}).setdefault("headers", {})
    headers["ETag"] = {"description": "详情的版本标记；修改时放入 If-Match", "schema": {"type": "string"}}
    headers["Retry-After"] = {"description": "多少秒后可重试", "schema": {"type": "integer"}}
    headers["WWW-Authenticate"] = {"description": "认证方式：Token", "schema": {"type": "string"}}
    for path, ops in result.get("paths", {}).items():
        for method, op in ops.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = op.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "429"]
            if method == "post":
                codes.append("409")
                op.setdefault("parameters", []).append({
                    "in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string",
                                                                                         "maxLength": 200},
                    "description": "同一键（24 小时内、同一用户）重复提交时返回第一次的结果，不会重复办理"})
            if method in ("put", "patch"):
                codes += ["409", "412", "428"]
                op.setdefault("parameters", []).append({
                    "in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
                    "description": "详情应答中的 ETag；不符时 412"})
            if method == "delete":
                codes.append("409")
            if any(p.get("name") == "doc_format" for p in op.get("parameters", [])):
                codes.append("503")
            if method == "get" and path.endswith("/download/"):  # a stored file (core.files.open_stored)
                codes.append("410")
            for code in codes:
                entry = {"description": ERRORS[code], "content": {"application/json": {"schema": _error_ref()}}}
                if code == "401":
                    entry["headers"] = {"WWW-Authenticate": {"$ref": "#/components/headers/WWW-Authenticate"}}
                if code == "429":
                    entry["headers"] = {"Retry-After": {"$ref": "#/components/headers/Retry-After"}}
                responses[code] = entry
            if method == "get" and "{" in path and "200" in responses and "application/json" in \
                    responses["200"].get("content", {}):
                responses["200"].setdefault("headers", {})["ETag"] = {"$ref": "#/components/headers/ETag"}
    add_links(result.get("paths", {}))
    describe_enums(result)
    result["tags"] = [{"name": t, "description": d} for t, d in TAG_DESCRIPTIONS.items()]
    return result


def add_links(paths: dict) -> None:
    """OpenAPI links from a create (201 with ``id``) to the operations on the created object, so
    stateful testers and generated clients can follow create → detail → actions."""
    for path, ops in paths.items():
        created = ops.get("post", {}).get("responses", {}).get("201")
        if not created or not path.endswith("/"):
            continue
        links = {}
        for other, other_ops in paths.items():
            if not other.startswith(path + "{id}/") or other.count("{") != 1:
                continue
            for method, op in other_ops.items():
                if method in ("get", "post", "patch", "put") and op.get("operationId"):
                    links[op["operationId"]] = {"operationId": op["operationId"],
                                                "parameters": {"id": "$response.body#/id"}}
        if links:
            created["links"] = links


# ---------------------------------------------------------------- enums: ASCII names, Chinese descriptions

def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text or "")


def enum_varname(value) -> str:
    """An ASCII identifier for an enum value (``x-enum-varnames``): generated clients use it as the
    member name, so a value such as "" or "1" still gets a readable, stable name."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return f"VALUE_{value}" if value >= 0 else f"VALUE_NEGATIVE_{-value}"
    name = re.sub(r"[^0-9A-Za-z]+", "_", str(value)).strip("_").upper()
    if not name:
        return "BLANK" if value == "" else "VALUE"
    if str(value).startswith("-"):  # an ordering value: "-deadline" → DEADLINE_DESC
        name += "_DESC"
    return f"VALUE_{name}" if name[0].isdigit() else name


def _choice_labels() -> dict:
    """value → Chinese label, from every model field's choices, the workflow action labels and the
    parameter values above. The first Chinese label met for a value wins."""
    from django.apps import apps

    labels: dict = {}

    def add(value, label):
        if _has_cjk(str(label)) and value not in labels:
            labels[value] = str(label)

    for model in apps.get_models():
        for f in model._meta.get_fields():
            for value, label in getattr(f, "flatchoices", None) or []:
                add(value, label)
    try:
        from hazards.workflow import WORKFLOW

        for t in WORKFLOW.transitions:
            add(t.action, t.label)
    except ImportError:  # pragma: no cover
        pass
    for value, label in EXTRA_LABELS.items():
        add(value, label)
    for model in apps.get_models():  # ordering values: "-field" / "field"
        for f in model._meta.get_fields():
            name = getattr(f, "verbose_name", None)
            if name and _has_cjk(str(name)):
                labels.setdefault(("order", f.name), str(name))
    for q, label in enumerate(("第一季度", "第二季度", "第三季度", "第四季度"), start=1):
        add(q, label)
    return labels


def _filter_labels() -> dict:
    """parameter name → {value: label} from every FilterSet's choice filters (the pages' labels)."""
    import django_filters

    out: dict = {}
    stack = list(django_filters.FilterSet.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        for name, flt in getattr(cls, "base_filters", {}).items():
            choices = flt.extra.get("choices")
            if choices and not callable(choices):
                for value, label in choices:
                    if _has_cjk(str(label)):
                        out.setdefault(name, {}).setdefault(value, str(label))
    return out


def _parsed_description(description: str) -> dict:
    """drf-spectacular's "* `value` - label" lines → {value: label}."""
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\* `([^`]*)` - (.*)$", description or "", re.M)}


def describe_enums(result: dict) -> None:
    """Every enum of the schema gets ``x-enum-varnames`` (ASCII member names for generated clients)
    and a Chinese description naming each value ("* `value` - 中文")."""
    labels = _choice_labels()
    by_param = _filter_labels()

    def visit(node):
        if isinstance(node, dict):
            if isinstance(node.get("schema"), dict) and "name" in node:
                schema = node["schema"].get("items", node["schema"])
                if isinstance(schema.get("enum"), list) and schema["enum"]:
                    own = _parsed_description(node.get("description", ""))  # the parameter's own labels first
                    _describe(schema, {**labels, **by_param.get(node["name"], {}), **own})
                    node["description"] = node.get("description", "").replace(" (descending)", "（降序）")
            if isinstance(node.get("enum"), list) and node["enum"] and "x-enum-varnames" not in node:
                _describe(node, labels)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result.get("components", {}).get("schemas", {}))
    visit(result.get("paths", {}))


def _describe(node: dict, labels: dict) -> None:
    values = node["enum"]
    names, seen = [], set()
    for value in values:
        name = enum_varname(value)
        while name in seen:
            name += "_"
        seen.add(name)
        names.append(name)
    node["x-enum-varnames"] = names
    known = _parsed_description(node.get("description", ""))
    lines = []
    for value in values:
        if value is None:
            continue
        label = labels.get(value) if value in labels and _has_cjk(str(labels.get(value))) and not known else None
        label = label or known.get(str(value))
        if not _has_cjk(label or ""):
            label = labels.get(value) or labels.get(str(value)) or label
        if label:
            label = label.replace(" (descending)", "（降序）")
        if not _has_cjk(label or "") and isinstance(value, str) and re.fullmatch(r"-?[a-z_]+", value):
            base = value.lstrip("-")  # an ordering value
            label = f"按“{labels.get(('order', base), base)}”{'降序' if value.startswith('-') else '升序'}排列"
        label = label or "（无说明）"
        lines.append(f"* `{value}` - {label}")
    head = node.get("description", "")
    head = head.split("\n* `")[0] if not head.startswith("* `") else ""
    title = node.get("title")
    if title and not str(title).isascii():  # generated clients name the enum class after its title: keep it ASCII
        node.pop("title")
        head = head if title in head else f"{title}{head}"
    node["description"] = (head.strip() + "\n\n" if head.strip() else "") + "\n".join(lines)
