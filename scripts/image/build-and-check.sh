#!/usr/bin/env bash
# CI's image step: makes the Node 24 base image, builds the Containerfile on it, starts the image
# and checks it (scripts/image/check-image.sh), then removes every image again (vfs storage keeps a
# full copy of each layer). Needs root and Debian's podman and mmdebstrap.
set -euo pipefail
cd "$(dirname "$0")/../.."
store="$(mktemp -d -t backup-chatops-images-XXXXXX)"
export PODMAN_OPTS="--root $store/root --runroot $store/run --storage-driver vfs"
# shellcheck disable=SC2086
pm() { podman $PODMAN_OPTS "$@"; }
cleanup() {
  pm rmi --all --force >/dev/null 2>&1 || true
  rm -rf "$store"
}
trap cleanup EXIT
base=localhost/backup-chatops-base:node24
image=localhost/backup-chatops:ci
start=$SECONDS
scripts/image/make-base-image.sh "$base"
echo "base image made in $((SECONDS - start)) s"
start=$SECONDS
# Docker format: the OCI image format has no HEALTHCHECK. No intermediate layers: vfs would copy
# the whole filesystem once for every instruction.
pm build --quiet --format docker --layers=false --isolation chroot \
  --build-arg "NODE_IMAGE=$base" -t "$image" -f Containerfile . >/dev/null
echo "image built in $((SECONDS - start)) s"
scripts/image/check-image.sh "$image" "$base"
