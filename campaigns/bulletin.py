"""每季度通报: a generated .docx with figures per sub-region, rankings, listed hazards and slow units."""

import datetime

from documents.render import new_document, paragraph, table, to_bytes
from hazards import asof

from .board import board, rate


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def bulletin_instant(year: int, quarter: int, now=None) -> datetime.datetime:
    """A quarter's bulletin describes the end of its last day (Asia/Shanghai); a quarter not yet
    over is described as of now."""
    now = asof.instant(now)
    return min(now, asof.end_of(quarter_bounds(year, quarter)[1]))


def bulletin_docx(region, issuer_name: str, year: int, quarter: int, today=None, hazards=None,
                  accidents: dict | None = None) -> bytes:
    """The bulletin text: everything as of ``bulletin_instant`` (what was true then, not today);
    with ``accidents`` (``accidents.figures.quarter_counts`` in the reader's scope) the page's
    accident section as its part 四."""
    at = bulletin_instant(year, quarter, today)
    as_of = asof.local_day(at)
    items = board(region, at, hazards=hazards)
    doc = new_document(f"关于{year}年第{quarter}季度重大事故隐患排查整治情况的通报", f"{issuer_name} · {as_of.isoformat()}")
    total = sum(i["total"] for i in items)
    closed = sum(i["closed"] for i in items)
    paragraph(doc, f"截至{as_of.year}年{as_of.month}月{as_of.day}日，{region.name}累计排查重大事故隐患{total}项，"
                   f"已整改销号{closed}项，整改率{rate(closed, total)}%。现将各单位情况通报如下。")
    paragraph(doc, "一、各单位重大事故隐患排查整治情况", bold=True)
    rows = [["排名", "单位", "报告隐患", "已整改", "整改率", "按期整改率", "未到期", "逾期", "颜色"]]
    for i in items:
        rows.append([str(i["rank"]), i["name"], str(i["total"]), str(i["closed"]), f"{i['overall_rate']}%",
                     f"{i['on_time_rate']}%" if i["on_time_rate"] != "—" else "—", str(i["not_due"]), str(i["overdue"]),
                     i["colour_label"]])
    table(doc, rows, header=True)
    paragraph(doc, "二、挂牌督办隐患情况", bold=True)
    listed = [i for i in items if i.get("listed")]
    paragraph(doc, "；".join(f"{i['name']}挂牌督办{i['listed']}项（逾期{i['listed_overdue']}项）" for i in listed) or "截至本期末无挂牌督办中的隐患。")
    paragraph(doc, "三、工作进展缓慢的单位", bold=True)
    slow = [i for i in items if i["colour"] in ("red", "orange")]
    paragraph(doc, "、".join(i["name"] for i in slow) + "存在逾期未整改的重大事故隐患，请抓紧整改。" if slow else "本季度无逾期未整改单位。")
    if accidents is not None:
        paragraph(doc, "四、生产安全事故情况", bold=True)
        start, end = accidents["start"], accidents["end"]
        paragraph(doc, f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日，"
                       f"{accidents['sentence']}")
    return to_bytes(doc)
