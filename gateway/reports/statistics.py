"""The six-monthly statistics report (R21: VL Đ24, KH Đ17.7, BG Đ23.3 — the share of forms, types and
methods of exchange and the problems met; produced automatically, QB Đ6.2, TTg Đ11).

`statistics(s, start, end)` counts, for the days `start`..`end` (Vietnam time; documents by their official
time of receipt, letters by their arrival): documents by month, by sending agency, by type, by delivery
decision; refusals by reason; the quarantine; after-hours and urgent documents; and the median time from a
letter's arrival to its acknowledgement leaving. `sheets` and `charts` present it for files and pages.
"""

from __future__ import annotations

import statistics as stats
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.exports import Bar, Chart, Sheet
from gateway.models import Outcome
from gateway.register.official import author
from gateway.register.query import RegisterFilter, vn_day_start, where
from gateway.register.schema import LetterRow, OutboxRow, RegisterEntryRow
from gateway.register.sql import all_reasons
from gateway.urgency import URGENCIES, name_vi
from gateway.vntime import aware, in_vietnam
from gateway.wording import DELIVERY_VI, doc_type_name, reason_label

TOP_AGENCIES = 15


def half_year(today: date) -> tuple[date, date]:
    """The six months R21 reports on: January–June or July–December of `today`'s year."""
    if today.month <= 6:
        return date(today.year, 1, 1), date(today.year, 6, 30)
    return date(today.year, 7, 1), date(today.year, 12, 31)


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    documents: int  # documents that arrived (every outcome)
    registered: int  # of which given an incoming number
    letters: int
    by_month: tuple[Bar, ...]
    by_agency: tuple[Bar, ...]
    by_type: tuple[Bar, ...]
    by_delivery: tuple[Bar, ...]
    refusals: int  # letters refused
    refusals_by_reason: tuple[Bar, ...]
    quarantine: tuple[Bar, ...]  # quarantined in the period, then: still waiting, released, refused, reprocessed
    after_hours: int  # registered documents that arrived outside office hours (R13)
    urgent: tuple[Bar, ...]  # registered documents by urgency (R14)
    acknowledged: int  # letters whose acknowledgement was sent
    median_ack_minutes: float | None  # arrival → acknowledgement sent


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _bars(counter: Counter, *, limit: int | None = None) -> tuple[Bar, ...]:
    return tuple(Bar(label, n) for label, n in counter.most_common(limit))


def statistics(s: Session, start: date, end: date) -> Report:
    entries = list(s.scalars(select(RegisterEntryRow).where(*where(RegisterFilter(date_from=start, date_to=end)))))
    letters = list(
        s.scalars(
            select(LetterRow).where(
                LetterRow.received_at >= vn_day_start(start), LetterRow.received_at < vn_day_start(end + timedelta(1))
            )
        )
    )
    registered = [e for e in entries if e.number is not None]
    months = Counter({f"{m:02d}/{y}": 0 for y, m in _months(start, end)})
    for e in entries:
        t = in_vietnam(e.official_received_at)
        months[f"{t.month:02d}/{t.year}"] += 1
    by_month = tuple(Bar(label, months[label]) for label in months)
    by_agency = _bars(Counter(author(e) or "(không rõ)" for e in registered), limit=TOP_AGENCIES)
    by_type = _bars(Counter(doc_type_name(e.doc_type) or "Khác / không xác định" for e in registered))
    by_delivery = _bars(Counter(DELIVERY_VI.get(e.delivery or "", "không rõ") for e in registered))
    refused = [x for x in letters if x.outcome == Outcome.REFUSED]
    reasons = Counter(reason_label(c) for x in refused for c in {r["code"] for r in all_reasons(x.verdict or {})})
    quarantine = _quarantine(letters)
    urgent = Counter(name_vi(e.urgency) for e in registered if e.urgency in URGENCIES)
    minutes = _ack_minutes(s, letters)
    return Report(
        start=start,
        end=end,
        documents=len(entries),
        registered=len(registered),
        letters=len(letters),
        by_month=by_month,
        by_agency=by_agency,
        by_type=by_type,
        by_delivery=by_delivery,
        refusals=len(refused),
        refusals_by_reason=_bars(reasons),
        quarantine=quarantine,
        after_hours=sum(1 for e in registered if e.after_hours),
        urgent=tuple(Bar(name_vi(u), urgent[name_vi(u)]) for u in URGENCIES),
        acknowledged=len(minutes),
        median_ack_minutes=round(stats.median(minutes), 1) if minutes else None,
    )


def _quarantine(letters: list[LetterRow]) -> tuple[Bar, ...]:
    ever = [x for x in letters if x.outcome == Outcome.QUARANTINED or "quarantined_for" in (x.verdict or {})]
    waiting = sum(1 for x in ever if x.outcome == Outcome.QUARANTINED)
    actions = Counter((x.verdict or {}).get("clerk_decision", {}).get("action") for x in ever)
    reprocessed = sum(1 for x in ever if x.outcome != Outcome.QUARANTINED and "clerk_decision" not in (x.verdict or {}))
    return (
        Bar("Chuyển văn thư kiểm tra", len(ever)),
        Bar("Còn chờ kiểm tra", waiting),
        Bar("Văn thư tiếp nhận", actions["release"]),
        Bar("Văn thư từ chối", actions["refuse"]),
        Bar("Kiểm tra lại tự động", reprocessed),
    )


def _ack_minutes(s: Session, letters: list[LetterRow]) -> list[float]:
    arrived = {x.id: aware(x.received_at) for x in letters}
    if not arrived:
        return []
    rows = s.execute(
        select(OutboxRow.letter_id, OutboxRow.sent_at).where(
            OutboxRow.kind == "acknowledgement", OutboxRow.sent_at.is_not(None), OutboxRow.letter_id.in_(arrived)
        )
    ).all()
    return [(aware(sent) - arrived[lid]).total_seconds() / 60 for lid, sent in rows if lid is not None and sent]


def summary(r: Report) -> list[tuple[str, str]]:
    """The headline figures, as label and value."""
    median = f"{r.median_ack_minutes:g} phút" if r.median_ack_minutes is not None else "—"
    return [
        ("Thư đến", str(r.letters)),
        ("Văn bản đến", str(r.documents)),
        ("Văn bản vào sổ", str(r.registered)),
        ("Thư bị từ chối", str(r.refusals)),
        ("Văn bản vào sổ đến ngoài giờ hành chính", str(r.after_hours)),
        ("Văn bản khẩn, thượng khẩn, hỏa tốc", str(sum(int(b.value) for b in r.urgent))),
        ("Thư đã gửi xác nhận", str(r.acknowledged)),
        ("Thời gian từ khi nhận đến khi gửi xác nhận (trung vị)", median),
    ]


def charts(r: Report) -> list[Chart]:
    """The report's breakdowns, each a chart (the web page draws them as SVG, the PDF under its table)."""
    return [
        Chart("Văn bản đến theo tháng", r.by_month),
        Chart("Văn bản vào sổ theo cơ quan gửi", r.by_agency),
        Chart("Văn bản vào sổ theo loại văn bản", r.by_type),
        Chart("Văn bản vào sổ theo hình thức tiếp nhận", r.by_delivery),
        Chart("Thư bị từ chối theo lý do", r.refusals_by_reason),
        Chart("Hàng chờ văn thư kiểm tra", r.quarantine),
        Chart("Văn bản vào sổ theo độ khẩn", r.urgent),
    ]


def title(r: Report) -> tuple[str, str]:
    return (
        "BÁO CÁO THỐNG KÊ TIẾP NHẬN VĂN BẢN ĐIỆN TỬ QUA THƯ ĐIỆN TỬ",
        f"Từ ngày {r.start:%d/%m/%Y} đến ngày {r.end:%d/%m/%Y}",
    )


def sheets(r: Report, agency: str) -> list[Sheet]:
    """The report as sheets: the headline figures, then one table per breakdown with its chart."""
    heading = (*title(r), agency)
    out = [Sheet("Tổng hợp", heading, ("Chỉ tiêu", "Số liệu"), summary(r), (60, 20))]
    for chart in charts(r):
        rows = [(b.label, b.value) for b in chart.bars]
        out.append(Sheet(chart.title[:31], (chart.title,), ("Nội dung", "Số lượng"), rows, (60, 20), chart=chart))
    return out
