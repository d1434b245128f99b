"""每季度通报: a generated .docx with figures per sub-region, rankings, listed hazards and slow units."""

import datetime

from core.services import ServiceError
from documents.render import new_document, paragraph, table, to_bytes
from hazards import asof

from .board import board, percent, rate_text, region_totals

#: years a bulletin may be asked for (the platform's records start after 2000)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def current_quarter(now=None) -> tuple[int, int]:
    today = asof.local_day(asof.instant(now))
    return today.year, (today.month - 1) // 3 + 1


def parse_quarter(raw_year, raw_quarter, now=None) -> tuple[int, int]:
    """(year, quarter) of a bulletin request (empty = the current quarter, Asia/Shanghai), or a
    ServiceError on ``year`` / ``quarter``: not an integer, out of range, or a quarter that has not
    begun — a bulletin states facts, never a forecast (DISPATCH_TABLE.md: facts are never in the
    future)."""
    this_year, this_quarter = current_quarter(now)
    year_text, quarter_text = str(raw_year or "").strip(), str(raw_quarter or "").strip()
    year = int(year_text) if year_text.isascii() and year_text.isdigit() and len(year_text) <= 4 else None
    if not year_text:
        year = this_year
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(f"年份须为 {FIRST_YEAR}–{LAST_YEAR} 的整数。", "year")
    quarter = int(quarter_text) if quarter_text in ("1", "2", "3", "4") else None
    if not quarter_text:
        quarter = this_quarter
    if quarter is None:
        raise ServiceError("季度须为 1–4。", "quarter")
    if year > this_year:
        raise ServiceError(f"{year}年尚未到来，不能通报未来的季度（当前为{this_year}年第{this_quarter}季度）。", "year")
    if (year, quarter) > (this_year, this_quarter):
        raise ServiceError(f"{year}年第{quarter}季度尚未开始，不能通报未来的季度（当前为第{this_quarter}季度）。", "quarter")
    return year, quarter


def bulletin_instant(year: int, quarter: int, now=None) -> datetime.datetime:
    """A quarter's bulletin describes the end of its last day (Asia/Shanghai); a quarter not yet
    over is described as of now."""
    now = asof.instant(now)
    return min(now, asof.end_of(quarter_bounds(year, quarter)[1]))


def quarter_over(year: int, quarter: int, now=None) -> bool:
    """Whether the quarter has ended: 24:00 of its last day (Asia/Shanghai) is not after ``now``."""
    return asof.end_of(quarter_bounds(year, quarter)[1]) <= asof.instant(now)


def bulletin_docx(region, issuer_name: str, year: int, quarter: int, today=None, hazards=None,
                  accidents: dict | None = None) -> bytes:
    """The bulletin text: everything as of ``bulletin_instant`` (what was true then, not today);
    with ``accidents`` (``accidents.figures.quarter_counts`` in the reader's scope) the page's
    accident section as its part 四."""
    now = asof.instant(today)
    at = bulletin_instant(year, quarter, now)
    as_of = asof.local_day(at)
    items = board(region, at, hazards=hazards)
    doc = new_document(f"关于{year}年第{quarter}季度重大事故隐患排查整治情况的通报", f"{issuer_name} · {as_of.isoformat()}")
    # the whole region's own figures (not the sum of the rows: a region without sub-regions has no
    # rows, and a hazard not placed in a sub-region still belongs to the region)
    whole = region_totals(region, at, hazards=hazards)
    total, closed = whole["total"], whole["closed"]
    cut = f"{as_of.year}年{as_of.month}月{as_of.day}日" + ("24时" if quarter_over(year, quarter, now) else "（本季度尚未结束，为当前状态）")
    paragraph(doc, f"截至{cut}，{region.name}累计排查重大事故隐患{total}项，"
                   f"已整改销号{closed}项，整改率{percent(rate_text(closed, total))}。"
                   + ("现将各单位情况通报如下。" if items else ""))
    paragraph(doc, "一、各单位重大事故隐患排查整治情况", bold=True)
    rows = [["排名", "单位", "报告隐患", "已整改", "整改率", "按期整改率", "未到期", "逾期", "颜色"]]
    for i in items:
        rows.append([str(i["rank"]), i["name"], str(i["total"]), str(i["closed"]), percent(i["overall_rate"]),
                     percent(i["on_time_rate"]), str(i["not_due"]), str(i["overdue"]),
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
