"""Demo and test material only — never used by the daemon, `check` or any command but `gateway demo`.

`render` draws sample công văn in the Nghị định 30/2020 layout (and noisy scans of them), `pki` makes a
throw-away certificate authority, signs and tampers with PDFs (tampering, flate bombs, encryption: for
the tests of the safety scan and the verifier), and DKIM keys; `sink` is a local SMTP sink. Nothing here
is trusted by a real deployment: the demo writes its own throw-away trust folder.
"""
