"""The official register form (Phụ lục IV) and the statistics report (R21), as pages and as files."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from markupsafe import Markup
from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import Response

from gateway.exports.charts import svg
from gateway.exports.pdf import write_pdf
from gateway.exports.xlsx import write_xlsx
from gateway.register import official
from gateway.reports import statistics as st
from gateway.vntime import VN_TZ, parse_day
from gateway.web.app import problem, render, workplace
from gateway.web.documents import _disposition
from gateway.web.users import User

XLSX = official.MEDIA_TYPES["xlsx"]


def _period(params: QueryParams, default: tuple[date, date]) -> tuple[date, date, list[str]]:
    errors = []
    start, end = default
    for name in ("from", "to"):
        value = params.get(name, "").strip()
        if not value:
            continue
        try:
            day = parse_day(value)
        except ValueError:
            errors.append(f"Ngày không hợp lệ: {value} (viết dd/mm/yyyy).")
            continue
        if name == "from":
            start = day
        else:
            end = day
    if start > end:
        errors.append("Ngày bắt đầu sau ngày kết thúc.")
        start, end = default
    return start, end, errors


def _this_month() -> tuple[date, date]:
    """The whole calendar month, not up to today: what came in tonight after hours is officially received on
    the next office day (R13) and belongs to this month's register page as well."""
    first = datetime.now(VN_TZ).date().replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _form(request: Request) -> tuple[official.RegisterForm, list[str]]:
    wp = workplace(request)
    start, end, errors = _period(request.query_params, _this_month())
    with wp.readers() as s:
        form = official.official_register(
            s, start, end, agency=wp.settings.agency.name, parent_agency=wp.settings.agency.parent
        )
    return form, errors


def official_register(request: Request, _user: User, _form_data: FormData | None) -> Response:
    form, errors = _form(request)
    return render(request, "official_register.html", form=form, columns=official.COLUMNS, errors=errors)


def official_register_file(request: Request, _user: User, _form_data: FormData | None) -> Response:
    fmt = request.path_params["fmt"]
    if fmt not in official.MEDIA_TYPES:
        return problem(request, 404, "Định dạng không hỗ trợ (xlsx, pdf, csv).")
    form, errors = _form(request)
    if errors:
        return problem(request, 400, " ".join(errors))
    headers = {"Content-Disposition": _disposition("attachment", official.filename(form, fmt))}
    return Response(official.render(form, fmt), media_type=official.MEDIA_TYPES[fmt], headers=headers)


def _report(request: Request) -> tuple[st.Report, list[str]]:
    start, end, errors = _period(request.query_params, st.half_year(datetime.now(VN_TZ).date()))
    with workplace(request).readers() as s:
        return st.statistics(s, start, end), errors


def report(request: Request, _user: User, _form_data: FormData | None) -> Response:
    r, errors = _report(request)
    charts = [(c, Markup(svg(c))) for c in st.charts(r)]
    return render(request, "report.html", r=r, title=st.title(r), summary=st.summary(r), charts=charts, errors=errors)


def report_file(request: Request, _user: User, _form_data: FormData | None) -> Response:
    fmt = request.path_params["fmt"]
    if fmt not in ("xlsx", "pdf"):
        return problem(request, 404, "Định dạng không hỗ trợ (xlsx, pdf).")
    r, errors = _report(request)
    if errors:
        return problem(request, 400, " ".join(errors))
    sheets = st.sheets(r, workplace(request).settings.agency.name)
    name = f"bao-cao_{r.start:%Y%m%d}-{r.end:%Y%m%d}.{fmt}"
    headers = {"Content-Disposition": _disposition("attachment", name)}
    if fmt == "xlsx":
        return Response(write_xlsx(sheets), media_type=XLSX, headers=headers)
    return Response(write_pdf(sheets, title=st.title(r)[0]), media_type="application/pdf", headers=headers)
