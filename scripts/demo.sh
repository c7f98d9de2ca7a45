#!/usr/bin/env bash
# Install the gateway and run the demo on the embedded default (SQLite, local storage, local SMTP).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e .
exec .venv/bin/gateway demo "$@"
