"""The originals: a document as the sender attached it (viewable in the browser, or downloaded) and the
whole e-mail it came in. Served from the spool, byte for byte (R20: never changed)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from gateway.intake.spool import read_raw
from gateway.letter import parse_letter
from gateway.register.schema import LetterRow
from gateway.web.app import problem, workplace
from gateway.web.users import User


def _disposition(kind: str, filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def document(request: Request, _user: User, _form: FormData | None) -> Response:
    """`?download=1` to save it; otherwise a PDF opens in the browser's own viewer."""
    with workplace(request).readers() as s:
        row = s.get(LetterRow, request.path_params["letter_id"])
        if row is None:
            return problem(request, 404, "Không có thư này.")
        try:
            raw = read_raw(row)
        except OSError:
            return problem(request, 410, "Không tìm thấy bản gốc của thư trong kho lưu trữ.")
    wanted = request.path_params["sha256"]
    att = next((a for a in parse_letter(raw).attachments if a.sha256 == wanted), None)
    if att is None:
        return problem(request, 404, "Thư không có tệp đính kèm này.")
    inline = att.kind == "pdf" and request.query_params.get("download") != "1"
    media_type = "application/pdf" if att.kind == "pdf" else "application/octet-stream"
    headers = {"Content-Disposition": _disposition("inline" if inline else "attachment", att.filename)}
    return Response(att.data, media_type=media_type, headers=headers)


def raw_letter(request: Request, _user: User, _form: FormData | None) -> Response:
    with workplace(request).readers() as s:
        row = s.get(LetterRow, request.path_params["letter_id"])
        if row is None:
            return problem(request, 404, "Không có thư này.")
        try:
            raw = read_raw(row)
        except OSError:
            return problem(request, 410, "Không tìm thấy bản gốc của thư trong kho lưu trữ.")
    name = f"thu-{row.id}-{row.sha256[:12]}.eml"
    return Response(raw, media_type="message/rfc822", headers={"Content-Disposition": _disposition("attachment", name)})
