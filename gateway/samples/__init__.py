"""Demo and test material only — never used by the daemon, `check` or any command but `gateway demo`.

`render` draws sample công văn in the Nghị định 30/2020 layout (and noisy scans of them), `pki` makes a
throw-away certificate authority, signs PDFs and makes DKIM keys (the hostile PDFs of the tests —
tampering, flate bombs, encryption — are made by `tests/pdf_tampering.py`, outside the wheel); `sink`
is a local SMTP sink. Nothing here is trusted by a real deployment: the demo writes its own throw-away
trust folder.
"""
