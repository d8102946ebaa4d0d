#!/usr/bin/env bash
# Records (or checks) the expected outputs of the Lua conformance corpus
# against the reference interpreter, lua5.1.
#
#   tests/lua/record.sh                 re-record every program's expectations
#   tests/lua/record.sh --check         verify the stored expectations, list mismatches
#   tests/lua/record.sh [--check] NAME  act only on the named programs
#                                       (NAME, NAME.lua or a path to it)
#
# Layout, for every tests/lua/NAME.lua:
#   NAME.stdout  exact stdout bytes (always present, possibly empty)
#   NAME.stderr  stderr, only when non-empty, with the leading program name
#                "lua5.1:" of a line replaced by "lua:"
#   NAME.status  exit status as a decimal number, only when non-zero
#
# Programs are run with the current directory tests/lua and the script given by
# its bare file name (`lua5.1 NAME.lua`), so chunk names read "NAME.lua:3:".
# Set LUA=/path/to/lua5.1 to use another reference binary.
set -u

LUA=${LUA:-lua5.1}
TIMEOUT=${TIMEOUT:-20}
cd "$(dirname "$0")" || exit 2

if ! command -v "$LUA" >/dev/null 2>&1; then
    echo "record.sh: reference interpreter '$LUA' not found (apt-get install lua5.1)" >&2
    exit 2
fi

check=0
explicit=0
names=()
for arg in "$@"; do
    case "$arg" in
        --check) check=1 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        -*) echo "record.sh: unknown option $arg" >&2; exit 2 ;;
        *) n=${arg##*/}; names+=("${n%.lua}"); explicit=1 ;;
    esac
done
if [ ${#names[@]} -eq 0 ]; then
    for f in *.lua; do names+=("${f%.lua}"); done
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# normalise_stderr < raw > normalised: the program name that lua.c puts in
# front of messages becomes "lua:" so that any runner can substitute its own.
normalise_stderr() {
    sed -e 's/^lua5\.1:/lua:/'
}

failed=()
for name in "${names[@]}"; do
    if [ ! -f "$name.lua" ]; then
        echo "record.sh: no such program: $name.lua" >&2
        failed+=("$name")
        continue
    fi
    timeout "$TIMEOUT" "$LUA" "$name.lua" </dev/null >"$tmp/out" 2>"$tmp/err.raw"
    status=$?
    normalise_stderr <"$tmp/err.raw" >"$tmp/err"

    if [ $check -eq 0 ]; then
        cp "$tmp/out" "$name.stdout"
        if [ -s "$tmp/err" ]; then cp "$tmp/err" "$name.stderr"; else rm -f "$name.stderr"; fi
        if [ "$status" -ne 0 ]; then echo "$status" >"$name.status"; else rm -f "$name.status"; fi
        [ "$status" -eq 124 ] && echo "record.sh: warning: $name timed out" >&2
        continue
    fi

    problems=()
    if [ ! -f "$name.stdout" ]; then
        problems+=("missing $name.stdout")
    elif ! cmp -s "$tmp/out" "$name.stdout"; then
        problems+=("stdout differs: $(diff "$name.stdout" "$tmp/out" | grep -m1 '^[<>]')")
    fi
    if [ -s "$tmp/err" ]; then
        if [ ! -f "$name.stderr" ]; then
            problems+=("missing $name.stderr")
        elif ! cmp -s "$tmp/err" "$name.stderr"; then
            problems+=("stderr differs: $(diff "$name.stderr" "$tmp/err" | grep -m1 '^[<>]')")
        fi
    elif [ -e "$name.stderr" ]; then
        problems+=("stale $name.stderr (program writes nothing to stderr)")
    fi
    if [ "$status" -ne 0 ]; then
        if [ ! -f "$name.status" ]; then
            problems+=("missing $name.status (exit status $status)")
        elif [ "$(cat "$name.status")" != "$status" ]; then
            problems+=("exit status $status, expected $(cat "$name.status")")
        fi
    elif [ -e "$name.status" ]; then
        problems+=("stale $name.status (program exits 0)")
    fi
    if [ ${#problems[@]} -ne 0 ]; then
        failed+=("$name")
        for p in "${problems[@]}"; do echo "FAIL $name: $p"; done
    fi
done

# Expectation files whose program has gone.
if [ $check -eq 1 ] && [ $explicit -eq 0 ]; then
    for f in *.stdout *.stderr *.status; do
        [ -e "$f" ] || continue
        if [ ! -f "${f%.*}.lua" ]; then
            echo "FAIL ${f%.*}: orphan expectation file $f"
            failed+=("${f%.*}")
        fi
    done
fi

if [ ${#failed[@]} -ne 0 ]; then
    echo "record.sh: ${#failed[@]} of ${#names[@]} program(s) failed:" >&2
    printf '  %s\n' "${failed[@]}" >&2
    exit 1
fi
if [ $check -eq 1 ]; then
    echo "record.sh: all ${#names[@]} program(s) match lua5.1"
else
    echo "record.sh: recorded ${#names[@]} program(s)"
fi
