"""OpenAPI schema quality: one tag per app, the one error schema on every operation with its real
status codes, the Idempotency-Key / If-Match / ETag headers, and the schema version.

``API_VERSION`` follows semantic versioning: the major number is the /api/vN/ in the path (a
breaking change gets a new path), the minor number grows with additions (see docs/api.md).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

API_VERSION = "1.1.0"

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
    "campaigns": "专项整治调度", "documents": "文书", "accidents": "生产安全事故调查与整改评估",
    "assessment": "安全生产考评", "jobs": "后台任务",
}

ERRORS = {
    "400": "请求有误：字段错误、请求体无法解析（非 JSON）或业务规则拒绝",
    "401": "未登录或令牌无效、已过期、已撤销（附 WWW-Authenticate）",
    "403": "无权执行此操作",
    "404": "不存在或不在您的管辖范围内",
    "409": "冲突：已被他人处理、操作已生效（附当前状态 current）或 Idempotency-Key 被用于不同请求",
    "412": "If-Match 与当前 ETag 不符",
    "428": "修改须附带 If-Match",
    "429": "请求过于频繁（附 Retry-After）",
}


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api_security.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Authorization: Token <令牌>（POST /api/v1/auth/token/ 获取，有效期见 expiry）"}


class SchemaWithAppTags(AutoSchema):
    """Tag every operation with the app that serves it (one tag per app)."""

    def get_tags(self):  # extend_schema(tags=…) on a view still wins
        module = type(self.view).__module__.split(".")[0]
        return [APP_TAGS[module]] if module in APP_TAGS else super().get_tags()


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
                              "precondition_failed", "precondition_required", "throttled", "error"]},
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
