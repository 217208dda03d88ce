#!/usr/bin/env bash
# Everything a fresh Debian 12 machine (with Python 3.11 and Node 20) needs to run and test
# Drawstream. Idempotent and quick on a second run: each step is skipped when its inputs
# have not changed, so `make run` and `make test` can call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

TORCH_VERSION=2.13.0
# chromium: the end-to-end tests drive the real browser (fonts-noto-color-emoji for its
# achievement icons); python3.11-venv: ensurepip for .venv.
APT_PACKAGES=(python3.11 python3.11-venv chromium fonts-noto-color-emoji ca-certificates)

log() { printf '[setup] %s\n' "$*"; }

apt_install() {
    local missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    log "installing Debian packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
}

# Stamps remember the hash of what was installed, so unchanged inputs cost one sha256sum.
stamp_matches() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

python_env() {
    [ -x .venv/bin/python ] || { log "creating .venv"; python3.11 -m venv .venv; }
    local want stamp=.venv/.drawstream-installed
    want="torch==$TORCH_VERSION $(sha256sum pyproject.toml | cut -d' ' -f1)"
    stamp_matches "$stamp" "$want" && return
    # Torch first: pinned on its own so the resolver never swaps it while solving the rest.
    log "installing torch $TORCH_VERSION"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q "torch==$TORCH_VERSION"
    log "installing drawstream with dev and train extras"
    .venv/bin/python -m pip install -q -e '.[dev,train]'
    printf '%s' "$want" > "$stamp"
}

client_manifest_hash() {
    cat client/package.json client/package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1
}

client() {
    [ -f client/package.json ] || return 0
    command -v npm >/dev/null || { echo "setup: Node 20 (npm) is required" >&2; exit 1; }
    local stamp=client/node_modules/.drawstream-installed
    if ! stamp_matches "$stamp" "$(client_manifest_hash)"; then
        log "installing client dependencies"
        # `npm ci` wipes node_modules first: right for a fresh clone, too harsh for a tree
        # whose client tests or dev server may be running.
        if [ -f client/package-lock.json ] && [ ! -d client/node_modules ]; then
            npm ci --prefix client --no-audit --no-fund
        else
            npm install --prefix client --no-audit --no-fund
        fi
        client_manifest_hash > "$stamp"  # after installing: npm may rewrite the lockfile
    fi
    # Rebuild only when some client source is newer than the last build.
    if [ ! -f client/dist/index.html ] || [ -n "$(find client -path client/node_modules -prune \
            -o -path client/dist -prune -o -type f -newer client/dist/index.html -print -quit)" ]; then
        log "building the client"
        npm --prefix client run build
    fi
}

apt_install
python_env
client
log "ready"
