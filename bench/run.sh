#!/usr/bin/env bash
# Thin wrapper: the runner is bench/run.py (Python 3, standard library only).
# All options are passed through; see `bench/run.sh --help` and bench/README.md.
set -euo pipefail
exec python3 "$(dirname "$0")/run.py" "$@"
