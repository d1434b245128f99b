"""One label registry: every code a user may see (event verbs, states, channels, keys) in Chinese.

Templates use the filters in ``core.templatetags.labels`` (``{{ ev.verb|verb_label }}``,
``{{ code|state_label }}``); Python uses :func:`verb_label` / :func:`state_label`. Nothing here
ever returns the raw code: an unknown code falls back to a Chinese description of its domain,
and ``tests`` fail when a code reachable from the code base has no explicit label.
"""

from __future__ import annotations

# Event verbs recorded by the services (``core.events.record``), "<domain>.<action>".
VERBS: dict[str, str] = {
    # hazards
    "hazard.registered": "登记隐患",
    "hazard.major_registered": "登记重大事故隐患",
    "hazard.attachment_added": "上传附件",
    "hazard.merged_in": "合并重复隐患",
    "hazard.extension_lapsed": "延期申请失效（隐患已不在整改中）",
    "hazard.relocated": "随单位迁移辖区",
    "hazards.ledger_imported": "导入隐患台账",
    "hazard.source_added": "增加发现来源",
    "hazard.report": "双报告（报告主管部门和职代会）",
    "hazard.report_congress": "补报职工代表大会",
    "hazard.submit_plan": "提交治理方案并开始整改",
    "hazard.close_now": "立即整改完毕并销号",
    "hazard.submit_completion": "提交整改完成材料",
    "hazard.accept": "验收通过并销号",
    "hazard.rejected": "验收不通过（退回整改）",
    "hazard.request_extension": "申请延期",
    "hazard.decide_extension": "审批延期",
    "hazard.listing_deadline": "整改期限改为挂牌督办通知书期限",
    "hazard.merge": "合并到重复隐患",
    "hazard.site_order": "责令采取现场处理措施",
    "hazard.site_order_lifted": "经审查同意，解除现场处理措施",
    "hazard.compulsory_measure": "采取强制措施（停止供电等）",
    "hazard.compulsory_measure_lifted": "解除强制措施",
    "case.compulsory_measure": "采取强制措施（停止供电等）",
    "case.compulsory_measure_lifted": "解除强制措施",
    "hazard.void": "作废",
    "hazard.reopen": "重新打开（再次发现）",
    "hazard.classify": "注明隐患类别",
    "hazard.reclassify": "更正隐患类别",
    "hazard.due": "整改即将到期提醒",
    "hazard.overdue": "整改逾期提醒",
    "hazard.updated": "修改隐患信息",
    "hazard.regraded": "隐患等级变更",
    # 挂牌督办
    "listing.proposed": "提请挂牌督办",
    "listing.approve": "批准挂牌",
    "listing.listed": "挂牌督办",
    "listing.decline": "不予挂牌",
    "listing.report_progress": "报告整改进展",
    "listing.request_delisting": "申请摘牌",
    "listing.accept_delisting": "同意摘牌",
    "listing.refuse_delisting": "不同意摘牌",
    "listing.delisting_decided": "作出摘牌决定",
    "listing.overdue": "挂牌督办逾期提醒",
    "listing.delisting_prompt": "挂牌隐患已销号待摘牌提醒",
    "listing.overdue_escalated": "挂牌督办逾期升级提醒",
    "listing.progress_due": "整改进展报告到期提醒",
    "listing.acceptance_due": "挂牌隐患现场验收即将到期提醒",
    "listing.acceptance_overdue": "挂牌隐患现场验收逾期提醒",
    "listing.extension_requested": "申请延长挂牌整改期限",
    "listing.extension_decided": "审批延长挂牌整改期限",
    # inspections
    "inspection.plan_created": "制定检查计划",
    "inspection.drawn": "双随机抽取",
    "inspection.redraw_requested": "申请重新抽取",
    "inspection.redraw_approved": "批准重新抽取",
    "inspection.redraw_refused": "不予批准重新抽取",
    "inspection.draw_superseded": "重新抽取（原抽取作废）",
    "inspection.record_created": "新建检查记录",
    "inspection.record_updated": "修改检查记录",
    "inspection.item_set": "填写检查事项",
    "inspection.finding_matched": "关联台账中的同一隐患",
    "inspection.items_answered": "确认其余各项均符合",
    "inspection.signed": "签名确认",
    "inspection.locked": "检查记录锁定",
    "inspection.addendum": "补充说明",
    "inspection.conflict_declared": "申报回避",
    "inspection.home_township_set": "登记居住乡镇（回避）",
    "inspection.spot_check": "抽查复核",
    "inspection.visit": "检查走访",
    "inspection.reviewed": "复核结论",
    "inspection.review_imported": "导入复核结论",
    # enforcement
    "case.opened": "立案",
    "case.investigate": "开始调查取证",
    "case.notify": "送达告知",
    "case.decide": "作出决定",
    "case.execute": "进入执行",
    "case.close": "结案",
    "case.party_added": "增加当事人",
    "case.party_identified": "登记当事人身份号码",
    "case.penalty": "作出行政处罚决定",
    "case.no_penalty": "作出不予行政处罚决定",
    "case.suspension": "责令停产停业整顿",
    "case.resumption": "复产复查决定",
    "case.transfer": "移送司法机关",
    "case.transfer_received": "登记移送回执",
    "case.transfer_outcome": "登记公安机关处理结果",
    "case.transfer_reconsideration": "不予立案提请复议",
    "case.daily_fine": "按日连续处罚",
    "case.revoked": "撤销决定",
    "case.corrected": "登记改正",
    "case.published": "公布典型执法案例",
    "case.typical_withdrawn": "撤回典型执法案例",
    "enforcement.accountability": "责任追究",
    "enforcement.exposure": "曝光",
    "enforcement.interview": "约谈",
    "enforcement.joint_punishment": "联合惩戒",
    # 约谈通报街道及部门 (services.record_notice: "enforcement.notice_<OversightNotice.Kind>")
    "enforcement.notice_interview": "约谈街道及部门",
    "enforcement.notice_notice": "通报街道及部门",
    "credit.proposed": "提请列入失信名单",
    "credit.listed": "列入失信名单",
    "credit.ban": "行业禁入",
    "credit.expired": "失信名单期满移出",
    "credit.withdrawn": "列入依据撤销，移出失信名单",
    "credit.repair_applied": "申请信用修复",
    "credit.repair_decided": "信用修复审核",
    "credit.repaired": "完成信用修复",
    # tips
    "tip.submitted": "提交举报",
    "tip.new": "收到新举报",
    "tip.accept": "受理举报",
    "tip.start_verification": "开始核查",
    "tip.verify": "核查完毕",
    "tip.decide_reward": "作出奖励决定",
    "tip.close": "办结",
    "tip.transfer": "移交其他单位",
    "tip.transfer_internal": "转交平台内单位",
    "tip.mark_duplicate": "标记为重复举报",
    "tip.transferred": "已移交",
    "tip.reassigned": "改派承办单位",
    "tip.reward_decided": "作出奖励决定",
    "tip.reward_approved": "审批奖励",
    "tip.reward_paid": "发放奖励",
    "tip.identity_revealed": "查看举报人身份",
    "tips.reveal_identity": "查看举报人身份",
    # enterprises, accounts
    "enterprise.created": "登记生产经营单位",
    "enterprise.updated": "修改单位信息",
    "enterprise.status": "变更经营状态",
    "enterprise.contacts_updated": "更新联系人",
    "enterprise.agency_engaged": "委托第三方服务机构",
    "enterprise.agency_engagement_ended": "结束第三方服务委托",
    "enterprise.organisation_created": "开通单位账号",
    "enterprise.import_started": "上传单位名录导入文件",
    "organisation.created": "新建机构",
    "organisation.updated": "修改机构信息",
    "sector.high_risk_changed": "变更高危行业认定",
    "competence.set": "设置部门监管职责",
    "competence.removed": "取消部门监管职责",
    "user.created": "新建用户",
    "user.role_changed": "变更用户角色",
    "user.inspector_set": "设置执法检查人员",
    "user.revealer_set": "指定可查看举报人身份的人员",
    "user.privileges_changed": "变更后台权限",
    "user.updated": "修改账户信息",
    "user.deactivated": "停用账户",
    "user.reactivated": "启用账户",
    "user.password_reset": "重置密码",
    "user.password_changed": "修改密码",
    # obligations, risks, standards
    "obligations.cost_added": "登记安全生产投入",
    "obligations.drill_added": "登记应急演练",
    "obligations.list_added": "上传清单",
    "obligations.outsourcing_added": "登记外包项目",
    "obligations.permit_added": "登记许可证照",
    "obligations.remark_added": "增加备注",
    "obligations.safety_organisation_set": "设置安全管理机构",
    "obligations.worker_added": "登记从业人员",
    "obligations.certificate": "证照到期提醒",
    "obligations.principal_check": "主要负责人检查",
    "obligations.principal_study": "主要负责人专题研究",
    "obligations.principal_inspection": "主要负责人带队检查",
    "risks.point_created": "新增风险点",
    "risks.assessed": "风险评估",
    "risks.band_table_published": "发布风险分级表",
    "key_list.published": "发布重点检查事项",
    "standard.revised": "修订判定标准",
    # accidents (493号令)
    "accident.reported": "报告事故",
    "accident.report_submitted": "提交事故调查报告",
    "accident.supplemented": "补报伤亡/损失",
    "accident.classified": "补录事故类别",
    "accident.reclassified": "更正事故类别",
    "accident.flags_set": "认定迟报/漏报/谎报/瞒报",
    "accident.escalated": "提级调查",
    "accident.investigation_started": "成立调查组",
    "accident.investigation_extended": "延长调查期限",
    "accident.supervision_listed": "挂牌督办事故调查",
    "accident.approved": "批复调查报告",
    "accident.responsibility_added": "登记责任追究",
    "accident.measure_added": "登记事故暴露问题整改措施",
    "accident.measure_submit": "提交整改完成情况",
    "accident.measure_accept": "整改措施验收通过",
    "accident.measure_reject": "整改措施验收不通过",
    "accident.evaluation_published": "公布整改评估结果",
    "accident.lesson_check_launched": "启动举一反三检查",
    "accident.lesson_target_checked": "完成一家单位的举一反三检查",
    "accident.lesson_check_closed": "举一反三检查完成",
    # assessment
    "assessment.set_created": "制定考评指标体系",
    "assessment.indicator_added": "增加考评指标",
    "assessment.computed": "计算考评得分",
    "assessment.score_adjusted": "调整考评得分",
    "assessment.debrief_added": "登记述职",
    "assessment.finalised": "确定考评结果",
    "assessment.rescored": "不适用指标改为不计分后重算考评结果",  # data migration assessment 0005
    # rule tables, board, jobs, tips handling
    "rule.added": "新增规则",
    "rule.changed": "修改规则",
    "rule.revised": "修订规则（新版本）",
    "rule.applied": "规则新版本生效",
    "campaigns.board_snapshot": "生成五色图周快照",
    "campaigns.board_backfilled": "回填五色图周快照",
    "tip.extension_requested": "报请上一级批准延期办理",
    "tip.extended": "上一级批准延长办理期限",
    "tip.extension_refused": "上一级不批准延期办理",
    "tip.feedback": "向举报人反馈",
    "tip.review_requested": "举报人申请复查",
    "tip.review_decided": "作出复查结论",
    "job.submitted": "提交后台任务",
    "job.started": "后台任务开始",
    "job.done": "后台任务完成",
    "job.failed": "后台任务失败",
    "job.retry": "后台任务重试",
    "job.requeued": "后台任务分段执行，排队继续",
    # campaigns
    "campaign.created": "创建专项行动",
    "campaign.updated": "修改专项行动",
    "campaigns.activity_recorded": "登记工作开展情况",
    "campaigns.dispatch_submitted": "报送调度表",
    "campaigns.enterprise_report": "企业报告",
    "campaigns.reminded": "催报",
    "campaigns.snapshot_taken": "生成五色图快照",
}

# Domains of verbs, for the fallback of an unknown action.
DOMAINS: dict[str, str] = {
    "hazard": "隐患", "listing": "挂牌督办", "inspection": "监督检查", "case": "执法案件", "enforcement": "执法",
    "credit": "信用", "tip": "举报", "tips": "举报", "enterprise": "生产经营单位", "organisation": "机构",
    "competence": "监管职责", "user": "用户", "obligations": "主体责任", "risks": "风险分级管控",
    "key_list": "重点检查事项", "standard": "判定标准", "campaign": "专项行动", "campaigns": "调度统计",
    "accident": "事故", "assessment": "考评", "rule": "规则", "job": "后台任务",
}

# States across workflows (values of the models' status TextChoices), for places that show bare codes.
STATES: dict[str, str] = {
    "registered": "已登记", "rectifying": "整改中", "pending_acceptance": "待验收", "closed": "已办结",
    "merged": "已合并", "void": "已作废", "overdue": "已逾期",
    "proposed": "提请中", "listed": "挂牌中", "declined": "不予挂牌", "delisting_requested": "申请摘牌中",
    "delisted": "已摘牌",
    "submitted": "已提交", "accepted": "已受理", "verifying": "核查中", "verified": "已核查",
    "reward_decided": "已决定奖励", "transferred": "已移交",
    "filed": "立案", "investigating": "调查取证", "notified": "告知", "decided": "决定", "executing": "执行",
    "effective": "已生效", "revoked": "已撤销", "recorded": "已登记", "pending": "待审批", "approved": "已批准",
    "denied": "未批准", "draft": "草稿", "signed": "已签名", "locked": "已锁定", "open": "未完成",
    "active": "有效", "expired": "已过期", "repaired": "已修复", "withdrawn": "依据撤销移出",
}


# Keys of recorded evidence and figures (assessment scores' evidence, statistics), for places that show them.
KEYS: dict[str, str] = {
    "numerator": "分子", "denominator": "分母", "as_of": "截至", "hazards": "隐患", "closed": "已办结",
    "tips": "举报", "cases": "执法案件", "records": "检查记录", "accidents": "事故", "accident_deaths": "事故死亡人数",
    "dispatch_submissions": "调度表报送", "enforcement_cases": "执法案件", "hazards_listed": "挂牌督办隐患",
    "hazards_overdue": "逾期隐患", "inspections": "监督检查", "late_weeks": "迟报周次", "listings": "挂牌督办",
    "major_rectification_rate": "重大隐患整改率", "spot_checks": "抽查", "tips_closed_rate": "举报办结率",
    "weeks": "周次",
}


def key_label(key: str | None) -> str:
    """Chinese for a data key (evidence, figures); never the raw code."""
    if not key:
        return ""
    return KEYS.get(key) or CHANNELS.get(key) or "其他"


# Where a hazard came from: hazards.Hazard.Channel's labels, word for word (the statistics page
# names its rows by these; core/tests/test_labels.py holds them to the model's choices).
CHANNELS: dict[str, str] = {
    "self_check": "企业自查", "enterprise_third_party": "企业委托第三方", "inspection": "部门检查",
    "supervision": "督导检查", "tip": "举报核实", "government_third_party": "政府购买服务第三方",
    "accident": "事故举一反三",
}


def verb_label(verb: str | None) -> str:
    """Chinese for an event verb; never the raw code."""
    if not verb:
        return ""
    if verb in VERBS:
        return VERBS[verb]
    domain = verb.split(".", 1)[0]
    return f"{DOMAINS.get(domain, '系统')}操作"


# Where one code means different things in different workflows.
STATES_BY_DOMAIN: dict[str, dict[str, str]] = {
    "hazard": {"closed": "已销号"},
    "tip": {"closed": "已办结", "submitted": "待受理"},
    "case": {"closed": "结案"},
    # accounts: roles (accounts.Membership.Role, word for word — core/tests/test_labels.py), the
    # account's state, the inspector flag
    "user": {"viewer": "查看", "officer": "经办人", "leader": "负责人（审批）", "admin": "单位管理员",
             "principal": "主要负责人", "safety_manager": "安全管理人员", "staff": "从业人员", "expert": "专家",
             "active": "启用", "inactive": "停用", "True": "是", "False": "否"},
    "accident": {"reported": "已报告", "investigating": "调查中", "report_submitted": "调查报告已提交",
                 "closed": "已批复结案", "evaluated": "评估已公开"},
}


def state_label(state: str | None, verb: str | None = None) -> str:
    """Chinese for a state code; ``verb`` (an event verb) picks the workflow where codes differ."""
    if not state:
        return ""
    domain = (verb or "").split(".", 1)[0]
    return STATES_BY_DOMAIN.get(domain, {}).get(state) or STATES.get(state, "其他状态")


# Irreversible actions: the confirmation each asks for, stating its consequence.
CONFIRMATIONS: dict[str, str] = {
    "hazard.accept": "验收通过后该隐患即销号，销号记录不能撤回；如再次发现须重新打开。确认验收通过并销号吗？",
    "hazard.close_now": "确认该一般隐患已立即整改完毕并销号吗？销号记录不能撤回。",
    "hazard.void": "作废后该隐患不再计入任何统计，且不能恢复。确认作废吗？",
    "hazard.merge": "合并后本条隐患并入所选隐患，不再单独整改和统计，且不能拆分。确认合并吗？",
    "listing.approve": "批准后该隐患即列入挂牌督办并通知企业主要负责人和实际控制人。确认批准挂牌吗？",
    "listing.decline": "不予挂牌后本次提请即办结。确认不予挂牌吗？",
    "listing.accept_delisting": "同意摘牌后挂牌督办即解除，不能撤回。确认同意摘牌吗？",
    "inspection.sign": "签名后检查记录即锁定，不能再修改，只能添加补正。确认签名吗？",
    "competence.remove": "删除后该部门将不再能查看和监管这一行业的企业和隐患。确认删除这项监管职责吗？",
    "campaigns.submit": "报送后本周调度表即冻结，以后登记的事项只显示在实时数据中，不改变已报送的版本。确认报送吗？",
    "campaigns.remind": "将向所有未报送单位的账号发送站内提醒（有手机号的同时发送短信）。确认发送催报提醒吗？",
    "case.close": "结案后案件不能再作出决定。确认结案吗？",
    "case.decide": "作出决定后将进入执行阶段。确认作出决定吗？",
    "credit.confirm": "确认后该单位即列入失信名单并按规定公开。确认列入吗？",
    "credit.expire": "移出后该单位不再列于失信名单，也不再公开。确认期满移出吗？",
    "credit.deny": "不予修复后本次修复申请即办结，该单位仍列于失信名单。确认不予修复吗？",
    "tip.close": "办结后举报不能再办理。确认办结吗？",
    "tip.mark_duplicate": "标记为重复举报后本举报即办结。确认标记为重复举报吗？",
    "tip.transfer": "移交平台外单位后本平台不再办理该举报。确认移交吗？",
    "tip.reveal_identity": "查看举报人身份将被永久记录（查看人、时间、理由）。确认查看吗？",
}


def confirmation(key: str | None) -> str:
    """The confirmation text for an irreversible action, or "" when none is needed."""
    return CONFIRMATIONS.get(key or "", "")
