#!/usr/bin/env bash
# Refresh third-party browser libraries in static/vendor/ from the npm registry.
#
# Every library is pinned to an exact version (and to the tarball's integrity
# hash as published on the registry). Files are copied unmodified from the npm
# tarball, together with the library's licence, and static/vendor/README.md is
# regenerated to list what is vendored.
#
# Usage: scripts/vendor.sh        (needs node and npm on PATH)
#
# To upgrade a library: change its version below, set its integrity to the
# output of `npm view <name>@<version> dist.integrity`, and re-run.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor_dir="$repo_root/static/vendor"

for tool in npm node tar openssl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "vendor.sh: '$tool' is required" >&2; exit 1; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

readme_rows=()

# vendor_pkg NAME VERSION INTEGRITY DEST_SUBDIR REQUIRED_FILES OPTIONAL_FILES
#   REQUIRED_FILES / OPTIONAL_FILES: space-separated paths inside the package.
#   Files are copied flat (basename) into static/vendor/DEST_SUBDIR/.
vendor_pkg() {
    local name="$1" version="$2" integrity="$3" dest="$4" required="$5" optional="$6"
    local work="$tmp/$dest"
    mkdir -p "$work"

    echo "==> $name@$version"
    local tarball
    tarball="$(cd "$work" && npm pack --silent "$name@$version" | tail -n 1)"
    tarball="$work/$tarball"
    [ -f "$tarball" ] || { echo "vendor.sh: npm pack produced no tarball for $name@$version" >&2; exit 1; }

    local actual
    actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | openssl base64 -A)"
    if [ "$actual" != "$integrity" ]; then
        echo "vendor.sh: integrity mismatch for $name@$version" >&2
        echo "  expected: $integrity" >&2
        echo "  actual:   $actual" >&2
        exit 1
    fi

    tar -xzf "$tarball" -C "$work"
    local pkg="$work/package"

    local got_version licence
    got_version="$(node -p "require(process.argv[1]).version" "$pkg/package.json")"
    licence="$(node -p "require(process.argv[1]).license || 'UNKNOWN'" "$pkg/package.json")"
    if [ "$got_version" != "$version" ]; then
        echo "vendor.sh: expected $name@$version, tarball says $got_version" >&2
        exit 1
    fi

    # Find the licence file shipped in the package (LICENSE, LICENSE.md, LICENCE, ...).
    local licence_file=""
    for f in "$pkg"/LICENSE "$pkg"/LICENSE.* "$pkg"/LICENCE "$pkg"/LICENCE.* "$pkg"/license "$pkg"/license.*; do
        if [ -f "$f" ]; then licence_file="$f"; break; fi
    done
    [ -n "$licence_file" ] || { echo "vendor.sh: no licence file in $name@$version" >&2; exit 1; }

    local out="$vendor_dir/$dest"
    rm -rf "$out"
    mkdir -p "$out"

    local f files=()
    for f in $required; do
        [ -f "$pkg/$f" ] || { echo "vendor.sh: $name@$version has no $f" >&2; exit 1; }
        cp "$pkg/$f" "$out/"
        files+=("$(basename "$f")")
    done
    for f in $optional; do
        if [ -f "$pkg/$f" ]; then
            cp "$pkg/$f" "$out/"
            files+=("$(basename "$f")")
        fi
    done
    cp "$licence_file" "$out/"
    files+=("$(basename "$licence_file")")

    local listed
    listed="$(printf '`%s`, ' "${files[@]}")"
    listed="${listed%, }"
    readme_rows+=("| $name | $version | $licence | \`$name\` (npm) | \`static/vendor/$dest/\`: $listed |")
    echo "    -> static/vendor/$dest/ (${files[*]})"
}

# ---------------------------------------------------------------------------
# Pinned libraries
# ---------------------------------------------------------------------------
vendor_pkg socket.io-client 4.8.1 \
    'sha512-hJVXfu3E28NmzGk8o1sHhN3om52tRvwYeidbj7xKy2eIIse5IoKX3USlS6Tqt3BHAtflLIkCQBkzVrEEfWUyYQ==' \
    socket.io \
    'dist/socket.io.min.js' \
    'dist/socket.io.min.js.map'

# The console's and the moderation panel's icons (static/js/icons.js uses the sprite by id).
vendor_pkg feather-icons 4.29.2 \
    'sha512-0TaCFTnBTVCz6U+baY2UJNKne5ifGh7sMG4ZC2LoBWCZdIyPa+y6UiR4lEYGws1JOFWdee8KAsAIvu0VcXqiqA==' \
    feather-icons \
    'dist/feather-sprite.svg' \
    ''

# ---------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------
{
    echo "# Vendored browser libraries"
    echo
    echo "Third-party browser files (JavaScript, an icon sprite) served from \`static/vendor/\`. Files are copied"
    echo "unmodified (byte-identical) from the pinned npm package tarballs, together"
    echo "with each library's licence file. Do not edit them by hand."
    echo
    echo "| Library | Version | Licence | Source | Files |"
    echo "| --- | --- | --- | --- | --- |"
    printf '%s\n' "${readme_rows[@]}"
    echo
    echo "The few icons Feather has no equivalent for, and the phone's status glyphs, are"
    echo "Roundtable's own drawings (\`static/js/icons.js\`: \`DRAWN\` and \`GLYPHS\`)."
    echo
    echo "Refresh with \`scripts/vendor.sh\` (needs node and npm). To upgrade a"
    echo "library, change its pinned version and integrity hash in that script and"
    echo "re-run it."
} > "$vendor_dir/README.md"

echo "==> wrote static/vendor/README.md"
