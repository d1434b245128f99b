"""Entry point of the periodic schedules: run one pass as a system job, in this worker."""

from . import registry, services
from .runner import run

TITLES = {"alerts.hazards": "隐患整改期限提醒", "alerts.digests": "隐患整改期限每日汇总", "outbox.deliver": "发送邮件和短信",
          "alerts.certificates": "特种作业操作证到期提醒",
          "alerts.tips": "举报办理期限提醒", "tips.purge_attempts": "清理过期的举报访问记录", "alerts.listings": "挂牌督办逾期提醒",
          "rules.apply": "规则表新版本生效", "tallies.reconcile": "隐患统计计数核对",
          "tallies.fold": "隐患统计逾期周次归并", "jobs.cleanup": "清理过期的任务结果文件",
          "campaigns.board_snapshot": "五色图周快照", "search.merge_pending": "检索索引整理", "campaigns.board_backfill": "回填五色图周快照"}


def run_system(kind: str) -> str:
    if registry.handler_for(kind) is None:
        raise ValueError(kind)
    job = services.submit(None, kind, TITLES.get(kind, kind), queue=False)
    return run(job.pk)
