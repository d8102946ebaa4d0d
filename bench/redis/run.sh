#!/usr/bin/env bash
# Thin wrapper: the runner is bench/redis/run.py (Python 3, standard library only); see README.md.
set -euo pipefail
exec python3 "$(dirname "$0")/run.py" "$@"
