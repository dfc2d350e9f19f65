#!/usr/bin/env bash
# Re-make the lock files from the hand-edited requirement lists, every package pinned with hashes.
#
#   requirements.txt      -> requirements.lock      what the app needs (`make run` installs it)
#   requirements-dev.txt  -> requirements-dev.lock  the app's lock plus what the tests need
#
# Run it after adding or changing a package in either list (also after merging branches that
# did), then commit the lists and the locks together; tests/test_lock.py fails while a list
# names a version its lock does not hold. The dev lock is resolved with the app lock as a
# constraint, so both agree on every shared package. Resolving takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
PIP_TOOLS_VERSION=7.6.2

if ! "$PYTHON" -m piptools --version 2>/dev/null | grep -q "$PIP_TOOLS_VERSION"; then
    "$PYTHON" -m pip install --quiet "pip-tools==$PIP_TOOLS_VERSION"
fi

compile() {
    "$PYTHON" -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
        --no-emit-index-url --no-emit-find-links --newline=lf "$@"
}

compile --output-file=requirements.lock requirements.txt

# The dev list names the app list (-r requirements.txt); the app lock pins what they share.
constraint=$(mktemp --suffix=.txt)
trap 'rm -f "$constraint"' EXIT
grep -oE '^[A-Za-z0-9_.-]+==[^ \\]+' requirements.lock > "$constraint"  # name==version only
compile --output-file=requirements-dev.lock --constraint="$constraint" requirements-dev.txt
sed -i "s#$constraint#requirements.lock#g" requirements-dev.lock
echo "lock.sh: requirements.lock and requirements-dev.lock are up to date"
