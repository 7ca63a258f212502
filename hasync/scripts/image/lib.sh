# shellcheck shell=bash
# Helpers for scripts/test-image.sh: tool set-up, podman wrappers and check bookkeeping.

PASSED=0
FAILED=0
# Containers and folders to remove on exit, whatever happens.
CLEANUP_CONTAINERS=()
CLEANUP_DIRS=()

# shellcheck disable=SC2034 # used by test-image.sh, which sources this file
# Same flags everywhere: crun fails on this machine's cgroup set-up, runc works.
# No systemd here to run health timers: the test runs the HEALTHCHECK itself when it wants to.
PODMAN_RUN=(podman run --runtime runc --ulimit nofile=20000:20000 --ulimit nproc=32768:32768
  --health-interval=disable)

# Podman without systemd complains on every container start/stop that it cannot arm the health
# timer; the test runs the HEALTHCHECK itself, so that line is noise. Everything else passes.
# A pipeline, not a process substitution, so the filtered output is complete when podman returns.
podman() {
  local rc
  {
    command podman "$@" 2>&1 1>&3 3>&- | { grep -v 'unable to get systemd connection' >&2 || true; }
    rc=${PIPESTATUS[0]}
  } 3>&1
  return "$rc"
}

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
pass() { PASSED=$((PASSED + 1)); printf 'ok %d - %s\n' "$((PASSED + FAILED))" "$*"; }
flunk() { FAILED=$((FAILED + 1)); printf 'not ok %d - %s\n' "$((PASSED + FAILED))" "$*"; }

# check "description" command…: one numbered result line per check.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else flunk "$what"; fi
}

cleanup() {
  local c d
  for c in "${CLEANUP_CONTAINERS[@]}"; do podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
  for d in "${CLEANUP_DIRS[@]}"; do rm -rf "$d"; done
}

# Installs podman & co. from Debian when missing (CI runs on a fresh machine, as root).
ensure_tools() {
  local missing=()
  local tool
  for tool in podman buildah runc catatonit debootstrap qemu-aarch64-static update-binfmts jq curl; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/libexec/podman/$tool" ] || missing+=("$tool")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]} (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq podman buildah runc catatonit debootstrap debian-archive-keyring \
      qemu-user-static binfmt-support jq curl >/dev/null
  fi
}

# arm64 binaries run through qemu-user, registered in binfmt_misc with the F flag, so they also
# run inside chroots and containers.
ensure_binfmt() {
  if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  fi
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    update-binfmts --enable qemu-aarch64
  fi
  grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64
}

# The stand-ins, one image per architecture, joined in a local manifest list so that the
# Dockerfile's single BUILD_FROM resolves per platform as the official multi-arch image does.
ensure_stand_ins() {
  local arch
  for arch in "$@"; do
    bash "$HERE/image/make-stand-in.sh" "$arch" "$NODE_VERSION" "$NPM_VERSION" "$STAND_IN"
  done
  podman manifest rm "$STAND_IN" >/dev/null 2>&1 || podman rmi "$STAND_IN" >/dev/null 2>&1 || true
  podman manifest create "$STAND_IN" >/dev/null
  for arch in "$@"; do
    podman manifest add "$STAND_IN" "containers-storage:$STAND_IN-$arch" >/dev/null
  done
}

# build_image ARCH TAG CONTEXT LOGFILE: the real Dockerfile, only BUILD_FROM substituted.
build_image() {
  local arch=$1 tag=$2 context=$3 logfile=$4
  podman build --format docker --isolation chroot --network host \
    --platform "linux/$arch" \
    --build-arg "BUILD_FROM=$STAND_IN" \
    --build-arg "BUILD_VERSION=$APP_VERSION" \
    -t "$tag" "$context" >"$logfile" 2>&1
}

node_arch() { if [ "$1" = amd64 ]; then echo x64; else echo "$1"; fi; }
image_size() { podman image inspect --format '{{.Size}}' "$1"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# Polls the image's own HEALTHCHECK (podman runs it on demand) until it passes.
wait_healthy() {
  local name=$1 limit_s=$2 start=$SECONDS
  while [ $((SECONDS - start)) -lt "$limit_s" ]; do
    if podman healthcheck run "$name" >/dev/null 2>&1; then return 0; fi
    if [ "$(podman inspect --format '{{.State.Running}}' "$name")" != true ]; then return 1; fi
    sleep 1
  done
  return 1
}

# Runs node inside the container: the admin API trusts loopback peers there, as in app mode.
in_container_fetch() {
  local name=$1 method=$2 path=$3 body=${4:-}
  podman exec "$name" node -e '
    const [method, path, body] = process.argv.slice(1);
    const init = { method, headers: body ? { "content-type": "application/json" } : {} };
    if (body) init.body = body;
    fetch("http://127.0.0.1:8099" + path, init)
      .then(async (r) => { process.stdout.write(await r.text()); process.exit(r.ok ? 0 : 1); })
      .catch((e) => { process.stderr.write(String(e)); process.exit(1); });
  ' "$method" "$path" "$body"
}

health_ok() {
  local url=$1 body
  body=$(curl -fsS --max-time 10 "$url") || return 1
  [ "$(jq -r .status <<<"$body")" = ok ] && [ "$(jq -r .db <<<"$body")" = ok ]
}

published_port() { podman port "$1" "$2/tcp" | head -n1 | sed 's/.*://'; }
