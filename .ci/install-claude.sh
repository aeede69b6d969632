#!/usr/bin/env bash
# Installs the pinned real Claude Code once per machine into a shared cache and prints its binary's path.
# Idempotent: when DIR/bin/claude --version already answers with the pinned version, nothing is done.
# Not part of `npm ci`: test/helpers/claude-code.ts calls it on demand. Parallel runs take turns (flock).
# Environment: AGENTCTL_CLAUDE_CACHE (install folder; default ~/.cache/agentctl/claude-code-VERSION).
# Stdout: the path of the `claude` binary, nothing else; progress goes to stderr.
set -euo pipefail
VERSION=2.1.328
PKG=@anthropic-ai/claude-code
DIR=${AGENTCTL_CLAUDE_CACHE:-${HOME}/.cache/agentctl/claude-code-${VERSION}}
BIN=$DIR/bin/claude

works() {
  local v
  v=$(DISABLE_AUTOUPDATER=1 "$BIN" --version 2>/dev/null) || return 1
  [ "${v%% *}" = "$VERSION" ]
}

if [ -x "$BIN" ] && works; then
  echo "$BIN"
  exit 0
fi

# One installer at a time per cache folder (parallel test files, two CI jobs on one machine): the
# others wait on the lock, then find the binary there.
mkdir -p "$(dirname "$DIR")"
if command -v flock >/dev/null; then
  exec 9>"${DIR}.lock"
  flock 9
  if [ -x "$BIN" ] && works; then
    echo "$BIN"
    exit 0
  fi
fi

# Install beside the target, then move it into place, so a half-done install is never taken for a
# finished one (an interrupted run leaves only a .tmp folder, which the next run removes under the lock).
rm -rf "${DIR}".tmp.*
TMP=$(mktemp -d "${DIR}.tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
echo "install-claude: npm install $PKG@$VERSION into $DIR" >&2
t0=$(date +%s)
# The package's native binary arrives through an optionalDependency (claude-code-linux-x64 and
# siblings); --no-audit/--no-fund keep the output short. npm warns that the postinstall is not
# approved; it runs anyway and links bin/claude.
npm install --prefix "$TMP" --no-audit --no-fund --no-save --loglevel=error "$PKG@$VERSION" >&2
mkdir -p "$TMP/bin"
ln -sf ../node_modules/.bin/claude "$TMP/bin/claude"
rm -rf "$DIR"
mv "$TMP" "$DIR"
trap - EXIT
if ! works; then
  echo "install-claude: $BIN --version does not answer $VERSION:" >&2
  DISABLE_AUTOUPDATER=1 "$BIN" --version >&2 || true
  exit 1
fi
echo "install-claude: done in $(($(date +%s) - t0)) s: $(DISABLE_AUTOUPDATER=1 "$BIN" --version)" >&2
echo "$BIN"
