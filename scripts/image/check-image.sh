#!/usr/bin/env bash
# Starts a built image's own command on its embedded default (local Azure sandbox + web chat) and
# checks it as a newcomer would: its HEALTHCHECK passes, and `list vms` typed in the web chat is
# answered with the sandbox's VMs. `podman run` is refused on machines whose runtime may not set
# rlimits, so the image's filesystem is mounted and its command started in a chroot, with the
# image's working directory, user and environment. Prints the image's size and what it adds above
# its base. Usage: scripts/image/check-image.sh IMAGE BASE_IMAGE   (podman options from PODMAN_OPTS)
set -euo pipefail
image="${1:?usage: check-image.sh IMAGE BASE_IMAGE}"
base="${2:?usage: check-image.sh IMAGE BASE_IMAGE}"
# shellcheck disable=SC2086
pm() { podman ${PODMAN_OPTS:-} "$@"; }
port="${CHECK_PORT:-39781}"

size() { pm image inspect --format '{{.Size}}' "$1"; }
total=$(size "$image"); below=$(size "$base")
printf 'image %s: %d MB; %d MB above its base %s (%d MB)\n' "$image" $((total / 1000000)) \
  $(((total - below) / 1000000)) "$base" $((below / 1000000))

root=$(pm image mount "$image")
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  umount "$root/proc" "$root/dev" 2>/dev/null || true
  pm image unmount "$image" >/dev/null || true
}
trap cleanup EXIT
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"

workdir=$(pm image inspect --format '{{.Config.WorkingDir}}' "$image")
user=$(pm image inspect --format '{{.Config.User}}' "$image")
mapfile -t env < <(pm image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | sed '/^$/d')
cmd=$(pm image inspect --format '{{json .Config.Cmd}}' "$image")
health=$(pm image inspect --format '{{json .Config.Healthcheck.Test}}' "$image")
uid=$(chroot "$root" id -u "$user"); gid=$(chroot "$root" id -g "$user")
[ "$uid" != 0 ] || { echo "the image runs as root" >&2; exit 1; }
# A JSON array of strings → shell words (the image's exec form).
words() { node -e 'for (const w of JSON.parse(process.argv[1])) console.log(w)' "$1"; }
mapfile -t argv < <(words "$cmd")
inside() { env -i "${env[@]}" PORT="$port" chroot --userspec="$uid:$gid" "$root" /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "$@"; }

log=$(mktemp)
inside "${argv[@]}" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "the bot exited" >&2; exit 1; }
  sleep 1
done
mapfile -t probe < <(words "$health")
[ "${probe[0]}" = CMD ] || { echo "unexpected HEALTHCHECK form: $health" >&2; exit 1; }
inside "${probe[@]:1}" && echo "HEALTHCHECK passed (as $user, uid $uid)"

api="http://127.0.0.1:$port/web/api"
curl -fsS -X POST "$api/messages" -H 'content-type: application/json' -H "origin: http://127.0.0.1:$port" \
  -d '{"room":"image-check","userId":"web:alice","text":"list vms"}' >/dev/null
for _ in $(seq 1 30); do
  if curl -fsS "$api/history?room=image-check" | grep -q 'ez-linux-01'; then
    echo "web chat: 'list vms' answered with the sandbox's VMs"
    exit 0
  fi
  sleep 1
done
cat "$log"
echo "web chat: no answer to 'list vms' within 30 s" >&2
exit 1
