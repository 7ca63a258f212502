#!/usr/bin/env bash
# npm run test:image — builds the real Dockerfile for linux/amd64 and linux/arm64 (arm64 under
# qemu-user emulation) on local stand-ins for the official Node image, boots each image with a
# /data volume in app mode, pairs a device through the API, restarts and checks the device and
# database survived, stops it and checks exit code 0 and how long the stop took; then proves
# the build's verification step refuses an arm64 binary planted in an amd64 image.
#
# Needs root (podman, debootstrap, binfmt_misc); installs what is missing with apt-get.
# HASYNC_IMAGE_ARCHES="amd64" limits the architectures; HASYNC_IMAGE_CACHE moves the cache.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
APP=$(cd "$HERE/.." && pwd)
# shellcheck source=scripts/image/lib.sh
source "$HERE/image/lib.sh"

NODE_VERSION=$(jq -r .devDependencies.node "$APP/package.json")
NPM_VERSION=11.19.0 # the npm that Node 24.21.0 ships with, as in the official image
APP_VERSION=$(sed -n 's/^version: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$APP/config.yaml")
STAND_IN=localhost/hasync-node-stand-in:$NODE_VERSION
read -r -a ARCHES <<<"${HASYNC_IMAGE_ARCHES:-amd64 arm64}"
LOGS=$APP/test-output/image
rm -rf "$LOGS" && mkdir -p "$LOGS"
trap cleanup EXIT

# boot_and_check ARCH TAG: the whole life of one container, checks numbered as they go.
boot_and_check() {
  local arch=$1 tag=$2
  local name="hasync-image-test-$arch-$$" data limit=60
  [ "$arch" = amd64 ] || limit=240 # emulated start-up is many times slower
  data=$(mktemp -d "${TMPDIR:-/tmp}/hasync-data.XXXXXX")
  CLEANUP_DIRS+=("$data")
  CLEANUP_CONTAINERS+=("$name")
  printf '{"log_level":"info","pin_ttl_s":300,"max_devices":50}\n' >"$data/options.json"

  # SUPERVISOR_TOKEN selects app mode (options from /data/options.json, data in /data); Home
  # Assistant is unreachable here, which health reports without failing. --init is what the
  # Supervisor does for init: true.
  "${PODMAN_RUN[@]}" -d --name "$name" --platform "linux/$arch" --init \
    -v "$data:/data" \
    -e SUPERVISOR_TOKEN=image-test-not-a-real-token \
    -p 127.0.0.1::8099 -p 127.0.0.1::8100 "$tag" >/dev/null
  check "$arch: HEALTHCHECK passes after start" wait_healthy "$name" "$limit"
  local admin device
  admin=$(published_port "$name" 8099)
  device=$(published_port "$name" 8100)
  check "$arch: /api/health is ok on the admin port" health_ok "http://127.0.0.1:$admin/api/health"
  check "$arch: /api/health is ok on the device port" health_ok "http://127.0.0.1:$device/api/health"
  check "$arch: node runs as $arch inside the container" \
    test "$(podman exec "$name" node -p process.arch)" = "$(node_arch "$arch")"
  check "$arch: app mode read /data/options.json" \
    bash -c "podman logs '$name' 2>&1 | grep -q '\"mode\":\"app\"'"

  local offer pin paired device_id=''
  if offer=$(in_container_fetch "$name" POST /api/pairings '{"name":"Image test tablet"}'); then
    pin=$(jq -r .pin <<<"$offer")
    paired=$(curl -fsS --max-time 10 -H 'content-type: application/json' \
      -d "{\"pin\":\"$pin\",\"name\":\"Image test tablet\"}" "http://127.0.0.1:$device/api/pair") || paired='{}'
    device_id=$(jq -r '.device_id // empty' <<<"$paired")
  fi
  check "$arch: a device pairs with a PIN through the API" test -n "$device_id"

  # Once it serves, the entry keeps V8's code cache of the start-up (scripts/server-entry.ts).
  local cache='/tmp/node-compile-cache/bundles/hasync.cjs-*' cached=''
  check "$arch: the entry kept V8's code cache of the start-up" \
    bash -c "podman exec '$name' sh -c 'test -s $cache'"
  cached=$(podman exec "$name" sh -c "stat -c '%n %Y' $cache" 2>/dev/null) || cached=''

  check "$arch: stops on SIGTERM with exit code 0" stop_and_time "$name" first
  check "$arch: the database is in the /data volume" test -s "$data/hasync.db"
  podman start "$name" >/dev/null
  check "$arch: HEALTHCHECK passes after restart" wait_healthy "$name" "$limit"
  check "$arch: the restart took that cache as it was (V8 did not refuse it)" \
    test -n "$cached" -a "$(podman exec "$name" sh -c "stat -c '%n %Y' $cache" 2>/dev/null)" = "$cached"
  check "$arch: the paired device survived the restart" \
    bash -c "source '$HERE/image/lib.sh'; in_container_fetch '$name' GET /api/devices | jq -e --arg id '$device_id' '(if type == \"array\" then . else .devices end) | any(.id == \$id)' >/dev/null"
  check "$arch: stops on SIGTERM with exit code 0 after restart" stop_and_time "$name" second
  podman logs "$name" >"$LOGS/run-$arch.log" 2>&1 || true
}

# stop_and_time NAME LABEL: podman stop sends SIGTERM (then SIGKILL after 10 s); exit must be 0.
stop_and_time() {
  local name=$1 label=$2 start end code
  start=$(date +%s%N)
  podman stop -t 10 "$name" >/dev/null
  end=$(date +%s%N)
  code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
  log "  $name $label stop: exit $code after $(((end - start) / 1000000)) ms"
  [ "$code" = 0 ]
}

# The verification step must be what fails: an arm64 ELF in the sources' migrations folder is
# copied into /app/migrations by the normal build, and the amd64 build must refuse it.
planted_build_fails() {
  local context arm_elf logfile="$LOGS/build-planted.log"
  context=$(mktemp -d "${TMPDIR:-/tmp}/hasync-planted.XXXXXX")
  CLEANUP_DIRS+=("$context")
  tar -C "$APP" --exclude=node_modules --exclude=./dist --exclude=./data --exclude=./test \
    --exclude=./.cache --exclude=./test-output -cf - . | tar -C "$context" -xf -
  arm_elf="$context/src/storage/migrations/zz-planted-arm64"
  tar -xOf "${HASYNC_IMAGE_CACHE:-/var/tmp/hasync-images}/bookworm-minbase-arm64.tar" ./usr/bin/true >"$arm_elf"
  if build_image amd64 localhost/hasync:planted "$context" "$logfile"; then
    podman rmi -f localhost/hasync:planted >/dev/null 2>&1 || true
    return 1
  fi
  grep -q '/app/migrations/zz-planted-arm64: ELF AArch64 64-bit, target amd64' "$logfile" &&
    grep -q 'verify-image: FAIL foreign binaries in the image' "$logfile"
}

main() {
  local arch tag started=$SECONDS t base_size size
  if [ "$(id -u)" != 0 ]; then
    echo "test:image needs root (podman, debootstrap, binfmt_misc): run it with sudo" >&2
    exit 1
  fi
  ensure_tools
  [[ " ${ARCHES[*]} " == *" arm64 "* ]] && ensure_binfmt
  log "stand-in base images (cached when unchanged)"
  ensure_stand_ins "${ARCHES[@]}"
  # Build caches from earlier runs pile up as untagged images; keep only the last day's.
  podman image prune -f --filter until=24h >/dev/null 2>&1 || true
  for arch in "${ARCHES[@]}"; do
    tag=localhost/hasync:test-$arch
    t=$SECONDS
    log "building $tag (log: $LOGS/build-$arch.log)"
    if ! check "$arch: the Dockerfile builds and its verification step passes" \
      build_image "$arch" "$tag" "$APP" "$LOGS/build-$arch.log"; then
      tail -n 40 "$LOGS/build-$arch.log"
      continue
    fi
    grep '^verify-image:' "$LOGS/build-$arch.log" | sed 's/^/  /' || log '  (verification layer cached: same inputs passed before)'
    log "  built in $((SECONDS - t)) s"
    check "$arch: the image is for linux/$arch" \
      test "$(podman image inspect --format '{{.Os}}/{{.Architecture}}' "$tag")" = "linux/$arch"
    # shellcheck disable=SC2016 # expanded by the shell inside the container
    check "$arch: no node_modules in the app tree and no compiler in the image" \
      "${PODMAN_RUN[@]}" --rm --platform "linux/$arch" "$tag" sh -c \
      '! find /app -name node_modules | grep -q . &&
       for c in cc gcc g++ make node-gyp; do ! command -v "$c" >/dev/null || exit 1; done'
    check "$arch: the build's boot check left no database or scratch folder in the image" \
      "${PODMAN_RUN[@]}" --rm --platform "linux/$arch" "$tag" sh -c \
      '! find /app /tmp /root /data -name "*.db*" -o -name "hasync-verify-*" 2>/dev/null | grep -q .'
    check "$arch: labelled as the Home Assistant app of config.yaml's version" \
      test "$(podman image inspect --format '{{ index .Labels "io.hass.type" }} {{ index .Labels "io.hass.version" }}' "$tag")" = "addon $APP_VERSION"
    base_size=$(image_size "$STAND_IN-$arch")
    size=$(image_size "$tag")
    log "  size: $(mib "$size") in all, $(mib $((size - base_size))) on top of the base"
    check "$arch: the layers on top of the Node base are at most 5 MiB" test $((size - base_size)) -le 5242880
    t=$SECONDS
    boot_and_check "$arch" "$tag"
    log "  boot, pair, restart and stop took $((SECONDS - t)) s"
  done
  if [[ " ${ARCHES[*]} " == *" arm64 "* ]]; then
    check "an arm64 binary planted in an amd64 build fails the verification step, named" planted_build_fails
  fi
  log "image tests took $((SECONDS - started)) s; logs in $LOGS"
  printf 'image: %d passed, %d failed\n' "$PASSED" "$FAILED"
  [ "$FAILED" -eq 0 ]
}

main "$@"
