"""One place decides a letter's whole fate (`gateway.disposition`): real letters evaluated by the real
pipeline, then disposed of — state, register status, folder, reply kind, template and recipient (or why
none), alerts, DMS hand-off — for every branch of the verdict."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from gateway.config import load_settings
from gateway.disposition import OUTCOMES, REPLY_KINDS, Folder, dispose
from gateway.models import LetterState, Outcome, Source, Status
from gateway.pipeline import Stages, build_stages, evaluate_letter
from gateway.replies import letter_messages
from gateway.samples.pki import dkim_sign, make_dkim_key
from gateway.samples.render import SampleDoc, render_document
from tests import conftest_pki
from tests.hostile_samples import SENDER, auto_reply_letter, editable_letter, good_letter, not_a_pdf_letter

ICT = timezone(timedelta(hours=7))
TUESDAY_MORNING = datetime(2026, 3, 3, 9, 0, tzinfo=ICT)
SUNDAY_NIGHT = datetime(2026, 3, 8, 22, 0, tzinfo=ICT)
DUTY = "truc.ban@ubnd.example.gov.vn"
ENGINE = "gateway.disposition"


@pytest.fixture(scope="module")
def stages(tmp_path_factory) -> Stages:
    work = tmp_path_factory.mktemp("disposition")
    (work / "agencies.toml").write_text(
        f'[[agency]]\nname = "Sở Thông tin và Truyền thông thành phố Hà Nội"\nmailboxes = ["{SENDER}"]\n'
        'domains = ["sotttt.hanoi.gov.vn"]\n',
        encoding="utf-8",
    )
    make_dkim_key(work / "dkim", "sotttt.hanoi.gov.vn")
    (work / "rules").mkdir()
    (work / "rules" / "mine.toml").write_text(
        '[profile]\ntitle = "Thử: mẫu thư riêng"\nextends = "national"\n\n'
        '[[rule]]\nid = "invitation"\nbasis = "TTg Đ5.3"\ndescription = "Giấy mời họp"\n'
        'action = "electronic_only"\nwhen = { field = "metadata.doc_type", equals = "giay_moi" }\n'
        'template = "acknowledgement_invitation"\nbefore = "reference-only"\n',
        encoding="utf-8",
    )
    (work / "templates").mkdir()
    (work / "templates" / "acknowledgement_invitation.txt.j2").write_text(
        "{% block subject %}Đã nhận giấy mời{% endblock %}{% block body %}Số đến: {{ first.number }}{% endblock %}",
        encoding="utf-8",
    )
    cfg = work / "config.toml"
    cfg.write_text(
        f"""
[gateway]
templates_dir = "templates"
[signatures]
trust_dir = "{conftest_pki.pki().trust_dir}"
[directory]
file = "agencies.toml"
[authenticity]
dkim_keys_dir = "dkim"
use_dns = false
[rules]
profile = "mine"
[alerts]
on_duty = ["{DUTY}"]
""",
        encoding="utf-8",
    )
    return build_stages(load_settings(cfg))


def _dispose(stages, raw, *, received=TUESDAY_MORNING, source=Source.IMAP):
    ev = evaluate_letter(raw, received_at=received, stages=stages)
    return ev, dispose(ev, alerts=stages.alerts, source=source)


def _messages(stages, ev, d, env=None):
    """The messages the processor would queue for this disposition (no register numbers)."""
    settings = stages.settings
    return letter_messages(env or stages.templates, settings.outgoing, settings.agency, ev, d, [], "ab" * 32)


def _pdf(**fields) -> bytes:
    return render_document(SampleDoc(**{"number": "41/STTTT-VP", "title": "", "subject": "V/v rà soát", **fields}))


def test_the_outcome_table_covers_every_outcome_and_every_reply_kind_has_a_template():
    assert set(OUTCOMES) == set(Outcome)
    for outcome in Outcome:
        assert any(k.answers == outcome for k in REPLY_KINDS), outcome  # every outcome has a reply
    from gateway.replies import SHIPPED_TEMPLATES

    for kind in REPLY_KINDS:
        assert (SHIPPED_TEMPLATES / f"{kind.template}.txt.j2").is_file(), kind.name


def test_accepted_from_a_mailbox(stages):
    ev, d = _dispose(stages, good_letter([_pdf()]))
    assert ev.verdict.outcome == Outcome.ACCEPTED
    assert (d.letter_state, d.register_status, d.folder) == (LetterState.REPLIED, Status.ACCEPTED, Folder.PROCESSED)
    assert d.reply is not None and (d.reply.kind, d.reply.template, d.reply.to) == ("acknowledgement",) * 2 + (SENDER,)
    assert d.dms_handoff is True and d.alerts == () and d.numbering_year == 2026


def test_accepted_over_smtp_has_nothing_to_file(stages):
    _, d = _dispose(stages, good_letter([_pdf()]), source=Source.SMTP)
    assert d.letter_state == LetterState.FILED and d.folder is None and d.reply.to == SENDER


def test_a_secret_document_is_refused_with_the_paper_channel_reply(stages):
    ev, d = _dispose(stages, good_letter([_pdf(secrecy="MẬT")]))
    assert ev.verdict.outcome == Outcome.REFUSED
    assert (d.letter_state, d.register_status, d.folder) == (LetterState.REFUSED, Status.REFUSED, Folder.REFUSED)
    assert d.reply.kind == "refusal_secret" and d.dms_handoff is False
    assert d.destroy_original  # R6: only the short record stays
    assert not _dispose(stages, good_letter([_pdf()]))[1].destroy_original
    [(_kind, message, _to)] = _messages(stages, ev, d)
    body = message.get_payload(decode=True).decode()
    assert "bí mật nhà nước" in body and "gửi lại" in body and "không gửi lại văn bản này qua thư điện tử" in body
    assert "khắc phục" not in body  # nothing to fix: it must travel on paper (R6)


def test_a_letter_without_a_pdf_is_refused_with_the_ordinary_refusal(stages):
    ev, d = _dispose(stages, not_a_pdf_letter())
    assert ev.verdict.outcome == Outcome.REFUSED and d.reply.kind == "refusal"


def test_only_editable_files_are_refused(stages):
    ev, d = _dispose(stages, editable_letter())
    assert [r.code for r in ev.verdict.reasons] == ["only_editable"]
    assert d.reply.kind == "refusal" and d.folder == Folder.REFUSED


def test_a_tampered_signature_is_refused_in_words_not_codes(stages):
    raw = conftest_pki.letter(
        attachment=conftest_pki.pdf("byte_flipped"), extra_headers=(("Return-Path", f"<{conftest_pki.REGISTRY}>"),)
    )
    ev, d = _dispose(stages, raw)
    [doc] = ev.verdict.documents
    [reason] = [r for r in doc.reasons if r.code == "signature_failed"]
    assert "nội dung văn bản đã bị thay đổi sau khi ký" in reason.message
    assert "HASH_FAILURE" not in reason.message  # the ETSI code stays in the JSON, not in the sender's words
    assert doc.signatures[0].sub_indication == "HASH_FAILURE"
    assert ev.verdict.outcome == Outcome.REFUSED and d.reply.kind == "refusal"


def test_a_forged_sender_is_quarantined_and_never_answered(stages):
    raw = dkim_sign(good_letter([_pdf()]), make_dkim_key(stages.settings.base_dir / "dkim", "sotttt.hanoi.gov.vn"))
    forged = raw.replace(b"\nSubject: ", b"\nSubject: FW ", 1)
    ev, d = _dispose(stages, forged)
    assert ev.verdict.outcome == Outcome.QUARANTINED and ev.sender_forged
    assert d.folder == Folder.QUARANTINE and d.register_status == Status.ARRIVED
    assert d.reply.kind == "quarantine" and d.reply.to is None and d.reply.withheld.code == "sender_forged"
    assert (
        letter_messages(stages.templates, stages.settings.outgoing, stages.settings.agency, ev, d, [], "x" * 64) == []
    )


def test_automatic_mail_is_never_answered(stages):
    _, d = _dispose(stages, auto_reply_letter())
    assert d.reply.to is None and d.reply.withheld.code == "automatic_message"


def test_no_return_path_no_reply(stages):
    _, d = _dispose(stages, good_letter([_pdf()], return_path=None))
    assert d.reply.to is None and d.reply.withheld.code == "automatic_message"  # RFC 3834 §4: nobody to answer


def test_no_sender_is_quarantined(stages):
    ev, d = _dispose(stages, good_letter([_pdf()], from_=None))
    assert [r.code for r in ev.verdict.reasons] == ["no_sender"]
    assert ev.verdict.outcome == Outcome.QUARANTINED and d.reply.kind == "quarantine" and d.reply.to == SENDER


def test_a_stage_that_breaks_quarantines_with_internal_error(stages, monkeypatch):
    def broken(_data):
        raise RuntimeError("simulated stage failure")

    monkeypatch.setattr("gateway.pdf.inspect.inspect_pdf", broken)  # imported where it is used
    ev, d = _dispose(stages, good_letter([_pdf()]))
    [doc] = ev.verdict.documents
    assert [r.code for r in doc.reasons] == ["internal_error"]
    assert ev.verdict.outcome == Outcome.QUARANTINED and d.folder == Folder.QUARANTINE


def test_urgent_mail_after_hours_alerts_the_duty_officer(stages):
    pdf = _pdf(number="88/CĐ-STTTT", title="CÔNG ĐIỆN", subject="Về việc ứng phó sự cố", urgency="HỎA TỐC")
    _, d = _dispose(stages, good_letter([pdf]), received=SUNDAY_NIGHT)
    assert d.urgency == "hoa_toc" and [(a.kind, a.to) for a in d.alerts] == [("urgent_alert", (DUTY,))]
    _, d = _dispose(stages, good_letter([pdf]), received=TUESDAY_MORNING)
    assert d.alerts == ()  # in office hours the clerk sees it at once anyway


def test_a_rule_names_the_reply_template(stages):
    invitation = _pdf(number="12/GM-STTTT", title="GIẤY MỜI", subject="Họp giao ban", date=date(2026, 3, 2))
    ev, d = _dispose(stages, good_letter([invitation]))
    assert ev.verdict.documents[0].decision.rule == "invitation"
    assert d.reply.kind == "acknowledgement" and d.reply.template == "acknowledgement_invitation"
    [(kind, message, _to)] = _messages(stages, ev, d)
    assert str(message["Subject"]) == "Đã nhận giấy mời" and kind.name == "acknowledgement"


def test_a_broken_admin_template_falls_back_to_the_shipped_one(stages, tmp_path, caplog):
    from gateway.replies import make_environment

    (tmp_path / "acknowledgement.txt.j2").write_text(
        "{% block subject %}{{ agency.nmae }}{% endblock %}{% block body %}x{% endblock %}", encoding="utf-8"
    )
    ev, d = _dispose(stages, good_letter([_pdf()]))
    env = make_environment(tmp_path)
    [(_kind, message, _to)] = letter_messages(
        env, stages.settings.outgoing, stages.settings.agency, ev, d, [], "e" * 64
    )
    assert str(message["Subject"]).startswith("Xác nhận đã nhận văn bản")
    assert "reply template acknowledgement failed (UndefinedError" in caplog.text


def test_a_clerk_who_releases_a_forged_looking_letter_vouches_for_the_sender(stages):
    from gateway.disposition import ClerkAction, ClerkDecision, clerk_evaluation

    raw = dkim_sign(good_letter([_pdf()]), make_dkim_key(stages.settings.base_dir / "dkim", "sotttt.hanoi.gov.vn"))
    ev = evaluate_letter(raw.replace(b"\nSubject: ", b"\nSubject: FW ", 1), received_at=TUESDAY_MORNING, stages=stages)
    assert ev.verdict.outcome == Outcome.QUARANTINED
    released = clerk_evaluation(ev, ClerkDecision(ClerkAction.RELEASE, actor="Lan", delivery=None))
    d = dispose(released, alerts=stages.alerts, source=Source.IMAP, filed=True)
    assert released.verdict.outcome == Outcome.ACCEPTED and all(doc.acceptable for doc in released.verdict.documents)
    assert d.reply.kind == "acknowledgement" and d.reply.to == SENDER  # checked by the clerk: answered now
    assert d.folder is None and d.letter_state == LetterState.FILED  # its copy already sits in Quarantine
    assert d.register_status == Status.ACCEPTED
    refused = clerk_evaluation(ev, ClerkDecision(ClerkAction.REFUSE, actor="Lan", reason="Không rõ nguồn gửi."))
    d = dispose(refused, alerts=stages.alerts, source=Source.IMAP)
    assert [(r.code, r.message) for r in refused.verdict.reasons] == [("clerk_refused", "Không rõ nguồn gửi.")]
    assert d.reply.kind == "refusal" and d.folder == Folder.REFUSED


def test_a_clerk_release_never_answers_automatic_mail_and_overrides_a_refusing_rule(stages):
    from gateway.disposition import ClerkAction, ClerkDecision, clerk_evaluation
    from gateway.models import Delivery

    ev = evaluate_letter(auto_reply_letter(), received_at=TUESDAY_MORNING, stages=stages)
    d = dispose(
        clerk_evaluation(ev, ClerkDecision(ClerkAction.RELEASE, actor="Lan")), alerts=stages.alerts, source=Source.IMAP
    )
    assert d.reply.to is None and d.reply.withheld.code == "automatic_message"  # RFC 3834, whoever decides
    secret = evaluate_letter(good_letter([_pdf(secrecy="MẬT")]), received_at=TUESDAY_MORNING, stages=stages)
    assert secret.verdict.documents[0].decision.delivery == Delivery.REFUSE
    released = clerk_evaluation(secret, ClerkDecision(ClerkAction.RELEASE, actor="Lan"))
    decision = released.verdict.documents[0].decision
    assert (decision.delivery, decision.rule) == (Delivery.PAPER_ALSO, "clerk")  # R8: electronic and paper
    chosen = clerk_evaluation(secret, ClerkDecision(ClerkAction.RELEASE, actor="Lan", delivery=Delivery.PAPER_ONLY))
    assert chosen.verdict.documents[0].decision.delivery == Delivery.PAPER_ONLY
    assert not dispose(chosen, alerts=stages.alerts, source=Source.IMAP).destroy_original  # released: kept


# --- loops (issue 15): vacation responders as mail servers really send them ------------------------------


@pytest.mark.parametrize(
    "headers, subject",
    [
        ([("X-Autoreply", "yes")], "Công văn"),
        ([("X-Autorespond", "Vacation")], "Công văn"),
        ([("X-Auto-Response-Suppress", "All")], "Công văn"),
        ([("Precedence", "auto_reply")], "Công văn"),
        ([("auto-submitted", "Auto-Replied (vacation)")], "Công văn"),  # the name and value in any case
        ([("AUTO-SUBMITTED", "auto-generated")], "Công văn"),
        ([], "Automatic reply: Công văn số 41/STTTT-VP"),
        ([], "Out of Office: Công văn số 41"),
        ([], "TRẢ LỜI TỰ ĐỘNG: Công văn số 41"),
        ([], "Tra\u0309 lơ\u0300i tư\u0323 đô\u0323ng: Công văn"),  # decomposed (NFD) Vietnamese
        ([], "Vắng mặt: Công văn số 41"),
        ([], "Tự động trả lời"),
        ([], "RE: Automatic reply: Công văn"),
    ],
)
def test_autoresponders_are_never_answered(stages, headers, subject):
    ev, d = _dispose(stages, good_letter(subject=subject, extra_headers=headers))
    assert ev.reply_suppressed, (headers, subject)
    assert d.reply is not None and d.reply.to is None and d.reply.withheld.code == "automatic_message"


@pytest.mark.parametrize("subject", ["V/v báo cáo cán bộ vắng mặt", "Công văn về trả lời tự động hóa", "Out of scope"])
def test_ordinary_subjects_that_mention_absence_are_answered(stages, subject):
    ev, d = _dispose(stages, good_letter([_pdf()], subject=subject))
    assert ev.reply_suppressed is None and d.reply.to == SENDER


def test_a_reply_to_one_of_our_messages_is_never_answered(stages):
    """Our Message-IDs carry our From domain (`localhost` here): a message naming one answers us — a loop."""
    raw = good_letter(extra_headers=[("In-Reply-To", "<refusal.ab12@localhost>")], subject="Cảm ơn")
    ev, d = _dispose(stages, raw)
    assert ev.answers_ours == "<refusal.ab12@localhost>"
    assert d.reply.to is None and d.reply.withheld.code == "answers_our_message"
    # In References only (a client that keeps the thread), with a document: registered, still not answered.
    raw = good_letter([_pdf()], extra_headers=[("References", "<x@so.example> <ack.1@LOCALHOST>")])
    ev, d = _dispose(stages, raw)
    assert ev.verdict.outcome == Outcome.ACCEPTED and d.reply.to is None
    assert d.reply.withheld.code == "answers_our_message"
    ev, d = _dispose(stages, good_letter([_pdf()], extra_headers=[("In-Reply-To", "<x@so.example.gov.vn>")]))
    assert d.reply.to == SENDER  # someone else's thread


def test_a_letter_without_a_document_gets_one_refusal_per_hour(stages):
    ev = evaluate_letter(good_letter(subject="Thông báo đi công tác"), received_at=TUESDAY_MORNING, stages=stages)
    assert ev.verdict.outcome == Outcome.REFUSED and not ev.verdict.documents
    first = dispose(ev, alerts=stages.alerts, source=Source.IMAP)
    again = dispose(ev, alerts=stages.alerts, source=Source.IMAP, refused_recently=True)
    assert first.reply.to == SENDER
    assert again.reply.to is None and again.reply.withheld.code == "refusal_limit"
    # A letter that brings a document is always answered, whatever came before.
    ev = evaluate_letter(good_letter([_pdf()]), received_at=TUESDAY_MORNING, stages=stages)
    assert dispose(ev, alerts=stages.alerts, source=Source.IMAP, refused_recently=True).reply.to == SENDER
