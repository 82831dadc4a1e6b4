#!/bin/sh
# Pick the Python interpreter for .venv, or say clearly why there is none.
#
#   sh scripts/find_python.sh              print the interpreter to use (exit 0), or explain (exit 1)
#   PYTHON=python3.12 sh scripts/find_python.sh    check only that interpreter
#   sh scripts/find_python.sh --venv DIR   print "keep" or "rebuild: <reason>" for an existing venv
#
# TensorFlow Quantum 0.7.6 ships wheels only for CPython 3.10-3.12, so that is the range.
# Without PYTHON, candidates are tried in this order: python3.11 (the pinned environment the
# project is tested with), python3.12, python3.10, then python3 if its version is in range.
MIN_MINOR=10
MAX_MINOR=12
CANDIDATES="${QNETLAB_PYTHON_CANDIDATES:-python3.11 python3.12 python3.10 python3}"

version_of() {  # prints "3.11" for a working interpreter, nothing otherwise
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

in_range() {  # in_range 3.11 -> exit 0 when supported
    case "$1" in
        3.*) minor=${1#3.} ;;
        *) return 1 ;;
    esac
    case "$minor" in
        ''|*[!0-9]*) return 1 ;;
    esac
    [ "$minor" -ge "$MIN_MINOR" ] && [ "$minor" -le "$MAX_MINOR" ]
}

explain() {  # explain "what was found"
    cat >&2 <<EOF
qnetlab needs Python 3.$MIN_MINOR to 3.$MAX_MINOR: TensorFlow Quantum 0.7.6, which the QNN chapters use,
ships wheels only for those versions (pip would fail with "no matching distribution").
Found: $1.
Ways to get a supported Python, then run the same command with PYTHON=...:
  uv python install 3.12 && make test PYTHON="\$(uv python find 3.12)"
  pyenv install 3.12 && make test PYTHON="\$(pyenv root)/versions/3.12.*/bin/python3.12"
  sudo apt install python3.12 python3.12-venv    (Debian/Ubuntu, where packaged)
  sudo dnf install python3.12                    (Fedora)
EOF
}

if [ "${1-}" = "--venv" ]; then
    venv_python="$2/bin/python"
    [ -x "$venv_python" ] || { echo "rebuild: $2 has no working python"; exit 0; }
    have=$(version_of "$venv_python")
    if ! in_range "$have"; then
        echo "rebuild: $2 was built with Python ${have:-unknown}, outside 3.$MIN_MINOR-3.$MAX_MINOR"
        exit 0
    fi
    if [ -n "${PYTHON-}" ]; then
        want=$(version_of "$PYTHON")
        # an unusable PYTHON leaves the venv alone: the interpreter check reports it
        if in_range "$want" && [ "$want" != "$have" ]; then
            echo "rebuild: $2 was built with Python $have, PYTHON=$PYTHON is Python $want"
            exit 0
        fi
    fi
    echo keep
    exit 0
fi

if [ -n "${PYTHON-}" ]; then
    have=$(version_of "$PYTHON")
    if in_range "$have"; then
        echo "$PYTHON"
        exit 0
    fi
    explain "PYTHON=$PYTHON is ${have:+Python }${have:-not a runnable Python interpreter}"
    exit 1
fi

found=""
for cand in $CANDIDATES; do
    command -v "$cand" >/dev/null 2>&1 || continue
    have=$(version_of "$cand")
    if in_range "$have"; then
        echo "$cand"
        exit 0
    fi
    [ -n "$have" ] && found="$found $cand (Python $have)"
done
[ -n "$found" ] || found=" no python3 on PATH"
explain "${found# }"
exit 1
