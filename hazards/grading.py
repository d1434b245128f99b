"""Grading and channel rules of a hazard registration — pure Python, no ORM.

* An item of a 判定标准 (重大事故隐患判定标准) describes a 重大事故隐患 by definition
  (安全生产法 art. 118 ¶2; 两高解释（二）: "whether something is a major hazard is decided by … the
  sector standards"), so a hazard naming one is 重大.
* A 重大 hazard states its item or a written reason whatever its channel (16号令 art. 2 grades;
  DOMAIN.md §3.2). Nothing fills the reason automatically (no "举报核实").
* The channel follows who records the hazard (CHANNELS_BY_ACTOR, our own default: tag R in
  docs/rules.md): a third party cannot record 部门检查, a township office cannot record 企业自查;
  section 一 of the dispatch table counts by it.
"""

SELF_CHECK, ENTERPRISE_THIRD_PARTY, INSPECTION, SUPERVISION, TIP, GOVERNMENT_THIRD_PARTY, ACCIDENT = (
    "self_check", "enterprise_third_party", "inspection", "supervision", "tip", "government_third_party", "accident")
GOVERNMENT_CHANNELS = (INSPECTION, SUPERVISION, TIP, GOVERNMENT_THIRD_PARTY, ACCIDENT)

#: actor kind → channels it may record. Agencies are narrowed further to the channel of their
#: engagement (engaged by the enterprise → 企业委托第三方, by the government → 政府购买服务第三方).
CHANNELS_BY_ACTOR: dict[str, tuple[str, ...]] = {
    "enterprise": (SELF_CHECK, ENTERPRISE_THIRD_PARTY, ACCIDENT),
    "agency": (ENTERPRISE_THIRD_PARTY, GOVERNMENT_THIRD_PARTY),
    "department": GOVERNMENT_CHANNELS,
    "committee": GOVERNMENT_CHANNELS,
    "township": GOVERNMENT_CHANNELS,
}

ACTOR_LABELS = {"enterprise": "生产经营单位", "agency": "第三方服务机构", "department": "负有安全监管职责的部门",
                "committee": "安委会办公室", "township": "乡镇（街道）"}
CHANNEL_LABELS = {SELF_CHECK: "企业自查", ENTERPRISE_THIRD_PARTY: "企业委托第三方", INSPECTION: "部门检查",
                  SUPERVISION: "督导检查", TIP: "举报核实", GOVERNMENT_THIRD_PARTY: "政府购买服务第三方",
                  ACCIDENT: "事故举一反三"}


def channel_refusal(actor_kind: str | None, channel: str, engagement_channel: str | None = None) -> str | None:
    """Why ``actor_kind`` may not record a hazard with ``channel`` (None when it may)."""
    if actor_kind in (None, "superuser"):
        return None
    allowed = CHANNELS_BY_ACTOR.get(actor_kind, ())
    if actor_kind == "agency" and engagement_channel:
        allowed = (engagement_channel,)
    if channel in allowed:
        return None
    names = "、".join(CHANNEL_LABELS[c] for c in allowed)
    return f"{ACTOR_LABELS.get(actor_kind, actor_kind)}登记的隐患，发现渠道只能是{names}。"


def grade_refusal(grade: str, has_item: bool, reason: str) -> tuple[str, str] | None:
    """(field, message) when the grade contradicts its basis, else None."""
    if has_item and grade != "major":
        return ("grade", "所选判定依据条款属于重大事故隐患判定标准，依该标准认定的隐患即为重大事故隐患，等级须为“重大”"
                         "（《中华人民共和国安全生产法》第一百一十八条）。")
    if grade == "major" and not has_item and not (reason or "").strip():
        return ("basis_item", "重大隐患须选择判定依据条款，或书面说明无对应条款时的判定理由（无论发现渠道）。")
    return None
