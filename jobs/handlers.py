"""The job kinds of the project. Imports of the app modules that ``register`` them, plus the
kinds whose code is a plain function elsewhere (exports, hazard import, alert passes)."""

import os
import tempfile

from django.core.files.storage import default_storage
from django.utils import timezone

import assessment.jobs  # noqa: F401 - registers assessment.compute
import enterprises.jobs  # noqa: F401 - registers enterprises.import

from .registry import Outcome, register, share_until


def _ledger_rows(job):
    """The owner's ledger, filtered as on the page when the job was asked for, scoped to what
    the owner can see now (the list layer's ``bound_list``, as every list export)."""
    from core.lists import bound_list

    return bound_list(job.owner, "hazards.ledger", job.params.get("query"))[3]


@register("lists.export")
def list_export(job, progress) -> Outcome:
    """The export of any list of the list layer (core.lists): the rows the page showed with the
    same filters, scoped to what the owner can see now, streamed to xlsx or CSV."""
    from core.lists import run_export

    ext = job.params.get("format", "xlsx")
    fd, path = tempfile.mkstemp(suffix="." + ("csv" if ext == "csv" else "xlsx"), dir=_tmp_dir())
    os.close(fd)
    try:
        rows, name, content_type, message = run_export(job, progress, path)
    except BaseException:
        os.unlink(path)
        raise
    return Outcome(message=message, path=path, content_type=content_type, name=name, data={"rows": rows})


@register("documents.hazard_reports")
def hazard_reports(job, progress) -> Outcome:
    """A document batch: the 重大事故隐患报告表 (.docx) of every major hazard in the filtered
    ledger, in one zip file written entry by entry."""
    import zipfile

    from core.services import ServiceError
    from documents.hazard_docs import hazard_report_docx
    from hazards.models import Hazard

    qs = (_ledger_rows(job).filter(grade=Hazard.Grade.MAJOR)
          .select_related("enterprise", "sector", "basis_item__standard", "reported_to").order_by("pk"))
    total = qs.count()
    if not total:
        raise ServiceError("筛选结果中没有重大事故隐患。", "query")
    progress(0, total, force=True)
    fd, path = tempfile.mkstemp(suffix=".zip", dir=_tmp_dir())
    os.close(fd)
    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for i, hazard in enumerate(qs.iterator(chunk_size=200), 1):
                zf.writestr(f"重大事故隐患报告表-{hazard.number}.docx", hazard_report_docx(hazard, job.owner))
                progress(i, total)
    except BaseException:
        os.unlink(path)
        raise
    return Outcome(message=f"已生成 {total} 份重大事故隐患报告表。", path=path, content_type="application/zip",
                   name=f"hazard-reports-{timezone.localdate():%Y%m%d}.zip", data={"documents": total})


def _import_follow_up(job):
    from hazards.import_records import follow_up

    return follow_up(job)


def _import_link(job):
    """A committed import's rows are in the ledger (newest first: they lead it)."""
    from django.urls import reverse

    return ("查看隐患台账", reverse("hazards:ledger")) if (job.summary or {}).get("committed") else None


@register("hazards.import", follow_up=_import_follow_up, link=_import_link)
def hazards_import(job, progress) -> Outcome:
    """A ledger import (dry run or real). A real import marks the job in the transaction that
    writes the hazards (``services.record_commit``): an attempt after a worker lost past that
    commit reports what was imported instead of importing the file a second time."""
    from hazards.importing import import_hazards

    from . import services

    earlier = services.committed_summary(job)
    if earlier is not None:
        result = dict(earlier)  # "committed" kept: the job page's link and 正式导入's check read it
        return Outcome(message=f"共 {result['total']} 行，已导入 {result['created']} 条（其中已销号 {result['closed']} 条）。",
                       data=result)
    with default_storage.open(job.params["file"], "rb") as fh:
        data = fh.read()
    result = import_hazards(job.owner, data, dry_run=bool(job.params.get("dry_run", True)), progress=progress,
                            before_commit=lambda outcome: services.record_commit(job, outcome),
                            confirm_duplicate=bool(job.params.get("confirm_duplicate")), job=job,
                            file_name=job.params.get("name", ""))
    if result["committed"]:
        message = f"共 {result['total']} 行，已导入 {result['created']} 条（其中已销号 {result['closed']} 条）。"
    elif result["errors"]:
        message = f"共 {result['total']} 行，发现 {len(result['errors'])} 处错误，未写入任何数据。"
    else:
        message = f"试运行通过：共 {result['total']} 行，可导入 {result['created']} 条。"
    duplicate = result.get("duplicate_of")
    if duplicate and (result["dry_run"] or not job.params.get("confirm_duplicate")):  # not when imported on purpose
        from hazards.import_records import refusal

        message = (f"{message}注意：{refusal(duplicate)}" if result["dry_run"]
                   else f"未写入任何数据：{refusal(duplicate)}")
    content = errors_csv(result["errors"]) if result["errors"] else None
    result["errors"] = result["errors"][:1000]
    return Outcome(message=message, data=result, content=content, name="hazard-import-errors.csv",
                   content_type="text/csv; charset=utf-8")


def errors_csv(errors: list[dict]) -> bytes:
    """Every row error of an import as a CSV the user can download (行号, 列, 原因)."""
    import csv
    import io

    from hazards.exports import _csv_cell

    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["行号", "列", "原因"])
    for e in errors:
        out.writerow([_csv_cell(e.get("row")), _csv_cell(e.get("column")), _csv_cell(e.get("reason"))])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _tmp_dir() -> str:
    path = os.path.join(str(default_storage.location), "jobs", "tmp")
    os.makedirs(path, exist_ok=True)
    return path


# ---------------------------------------------------------------- periodic passes (owner: system)

@register("jobs.cleanup")
def jobs_cleanup(job, progress) -> Outcome:
    from . import services

    counts = services.cleanup()
    return Outcome(message=f"清理过期结果文件 {counts['results']} 个，临时文件 {counts['temporary']} 个。", data=counts)


@register("alerts.hazards")
def alerts_hazards(job, progress) -> Outcome:
    from hazards.alerts import send_deadline_alerts

    sent = send_deadline_alerts()
    return Outcome(message=f"隐患整改期限提醒 {sent} 条。", data={"sent": sent})


@register("alerts.digests")
def alerts_digests(job, progress) -> Outcome:
    from hazards.alerts import send_daily_digests

    sent = send_daily_digests()
    return Outcome(message=f"每日汇总 {sent} 条。", data={"sent": sent})


@register("outbox.deliver")
def outbox_deliver(job, progress) -> Outcome:
    """Send the pending e-mails/SMS of the outbox (queued by core.notifications.notify_bulk on commit,
    and every few minutes by jobs.schedules). A mail-server failure raises: the job is retried with
    back-off, the chunks already sent are not sent again; on its last attempt the failure is recorded
    on the messages instead."""
    from core.notifications import deliver_pending

    counts = deliver_pending(progress=progress, final=job.attempts >= job.max_attempts)
    return Outcome(message=f"已发送邮件和短信 {counts['sent']} 条，发送失败 {counts['failed']} 条。", data=counts)


@register("alerts.certificates")
def alerts_certificates(job, progress) -> Outcome:
    from obligations.management.commands.send_certificate_alerts import send_alerts

    sent = send_alerts(timezone.localdate())
    return Outcome(message=f"证书到期提醒 {sent} 条。", data={"sent": sent})


@register("alerts.tips")
def alerts_tips(job, progress) -> Outcome:
    from tips.alerts import send_alerts, send_handling_alerts

    sent = send_alerts()
    handling = send_handling_alerts()
    return Outcome(message=f"举报办理期限提醒 {sent} 条，延期、反馈、复查期限提醒 {handling} 条。",
                   data={"sent": sent, "handling": handling})


@register("tips.purge_attempts")
def tips_purge_attempts(job, progress) -> Outcome:
    """Every 15 minutes (schedules.PERIODIC): the public tip rate-limit trail older than its window."""
    from tips.services import purge_attempts

    deleted = purge_attempts()
    return Outcome(message=f"清理过期的举报访问记录 {deleted} 条。", data={"deleted": deleted})


@register("rules.apply")
def rules_apply(job, progress) -> Outcome:
    from core.ruletables import apply_due

    applied = apply_due()
    return Outcome(message=f"规则表新版本生效 {applied} 条。", data={"applied": applied})


@register("alerts.listings")
def alerts_listings(job, progress) -> Outcome:
    from supervision.alerts import send_listing_alerts

    counts = send_listing_alerts()
    return Outcome(message=f"挂牌督办提醒：{counts}", data=dict(counts))


@register("campaigns.board_snapshot")
def board_snapshot(job, progress) -> Outcome:
    """Weekly (schedules.PERIODIC): this week's snapshot of every region with a committee office (and
    of the level its cockpit shows, e.g. the districts of a municipality below its single 市辖区),
    then any week still missing since the start of each running campaign (idempotent per week)."""
    from accounts.models import Organisation
    from campaigns.cockpit import board_region
    from campaigns.models import Campaign
    from campaigns.services import Share, backfill_campaign, backfill_queued, queue_backfill, snapshot_boards
    from regions.models import Region

    regions = list(Region.objects.filter(organisations__kind=Organisation.Kind.COMMITTEE).distinct())
    targets = {r.pk: r for r in regions}
    for r in regions:
        shown = board_region(r)
        targets.setdefault(shown.pk, shown)
    today = timezone.localdate()
    running = list(Campaign.objects.filter(start__lte=today, end__gte=today))
    steps = 1 + len(running)
    total, written = snapshot_boards(None, list(targets.values()))  # every region in one statement
    progress(1, steps)
    filled, queued = 0, 0
    for j, campaign in enumerate(running, 2):
        if backfill_queued(campaign):  # its own job is at it: computing the same weeks beside it would collide
            queued += 1
        else:
            rows, complete = backfill_campaign(None, campaign, Share(until=share_until()))
            filled += rows
            if not complete:  # many weeks missing (e.g. its own backfill job failed): a job of its own, in shares
                queue_backfill(None, campaign)
                queued += 1
        progress(j, steps)
    more = f"；{queued} 个专项行动的其余周次由其回填任务补写" if queued else ""
    return Outcome(message=f"本周五色图快照共 {total} 条（本次写入 {written} 条）；补写以往周快照 {filled} 条{more}。",
                   data={"rows": total, "written": written, "backfilled": filled, "queued": queued})


@register("campaigns.board_backfill")
def board_backfill(job, progress) -> Outcome:
    """Campaign start: weekly snapshots from the event trail since the campaign's start — a province's
    two years (106 cockpit regions) take about two minutes — a share at a time
    (``registry.share_until``): between shares the job waits at the end of the queue, so the imports
    and exports submitted meanwhile do not wait for the whole backfill. Each share goes on with the
    weeks not written yet."""
    from campaigns.models import Campaign
    from campaigns.services import Share, backfill_campaign
    from core.services import ServiceError

    campaign = Campaign.objects.filter(pk=job.params.get("campaign")).first()
    if campaign is None:
        raise ServiceError("专项行动不存在。", "campaign")
    share = Share(until=share_until(), progress=progress)
    rows, complete = backfill_campaign(job.owner, campaign, share)
    rows += (job.summary or {}).get("rows", 0)  # written by the earlier shares
    progress(share.done, share.total, force=True)
    if not complete:
        return Outcome(message=f"已回填 {rows} 条五色图周快照（进度 {share.done}/{share.total}），排队继续处理。",
                       data={"rows": rows}, resume=True)
    return Outcome(message=f"已回填 {rows} 条五色图周快照。", data={"rows": rows})


@register("tallies.reconcile")
def tallies_reconcile(job, progress) -> Outcome:
    """Compare the hazard tallies with a GROUP BY over the hazards; rebuild when they differ."""
    from hazards.tallies import reconcile

    result = reconcile()
    progress(1, 1, force=True)
    state = "一致" if not result["differences"] and not result["reinstalled"] else f"已修复 {result['differences']} 个分组"
    return Outcome(message=f"隐患统计计数核对：{state}。", data=result)


@register("tallies.fold")
def tallies_fold(job, progress) -> Outcome:
    """Fold the deadline weeks that are now past into the tallies' single past key (hazards.tallies.fold)."""
    from hazards.tallies import fold

    result = fold()
    progress(1, 1, force=True)
    return Outcome(message=f"隐患统计逾期周次归并：截至 {result['cutoff'].isoformat()}，归并 {result['folded']} 行。",
                   data={"cutoff": result["cutoff"].isoformat(), "folded": result["folded"]})


@register("search.merge_pending")
def search_merge_pending(job, progress) -> Outcome:
    """Merge the token indexes' pending lists (hazards.search.merge_pending): what an import appended."""
    from hazards.search import merge_pending

    merged = merge_pending()
    progress(1, 1, force=True)
    pages = sum(v or 0 for v in merged.values())
    return Outcome(message=f"检索索引整理：合并 {pages} 页待合并条目。", data={"merged": merged})


@register("jobs.selftest")
def selftest(job, progress) -> Outcome:
    """A worker check (operations.md): ``steps`` steps of ``delay`` seconds each, with progress;
    ``fail_first`` attempts raise a transient error (to see the back-off)."""
    import time

    steps, delay = int(job.params.get("steps", 5)), float(job.params.get("delay", 0.2))
    if job.attempts <= int(job.params.get("fail_first", 0)):
        raise RuntimeError("selftest transient failure")
    for i in range(steps):
        time.sleep(delay)
        progress(i + 1, steps, force=True)
    return Outcome(message=f"自检完成：{steps} 步。", content=b"ok\n", name="selftest.txt",
                   content_type="text/plain; charset=utf-8", data={"steps": steps})
