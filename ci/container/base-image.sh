#!/usr/bin/env bash
# base-image.sh — prints the name of a JRE 17 base image made from Debian's own packages, building it first when
# it is not in podman's storage yet. CI cannot pull eclipse-temurin (public registries are unreachable there) but
# can reach the Debian archive, so it bootstraps a minimal bookworm root filesystem with debootstrap, installs
# openjdk-17-jre-headless in it, strips apt lists, caches and docs, and imports it with `podman import`.
# The tag carries a hash of this script's commands, so a changed recipe makes a new image and an unchanged one is reused
# (the bootstrap takes a few minutes; a reuse takes none). Needs root. Everything but the image name goes to
# stderr.
#   DEBIAN_MIRROR  archive to bootstrap from (default http://deb.debian.org/debian)
#   DEBIAN_SUITE   default bookworm
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/podman.sh
source "$here/podman.sh"

suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# procps: uptime, free and ps, which the host tools run on the sandbox host when `demo` runs in the container.
packages=openjdk-17-jre-headless,ca-certificates,procps
recipe=$(grep -v '^[[:space:]]*#' "$0"; echo "$suite $mirror $packages") # comment edits keep the cached image
tag=$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
image=localhost/ops-mcp-base:$suite-jre17-$tag

if pm image exists "$image"; then
  echo "base image $image: cached" >&2
  echo "$image"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "base-image.sh: debootstrap needs root" >&2; exit 1; }
if ! command -v debootstrap >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

work=$(mktemp -d /var/tmp/ops-mcp-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
start=$(date +%s)
echo "base image $image: debootstrap $suite from $mirror (minbase + $packages)" >&2
debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

# Nothing in the image needs apt's indexes, downloaded packages, documentation or translations; the JRE's
# class data sharing archive (lib/server/classes.jsa) stays, it makes every start faster.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
  "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/*
# Image-specific identity files: a container gets its own at run time.
: >"$root/etc/machine-id"
rm -f "$root"/etc/ssh/ssh_host_* "$root/etc/hostname"

# /etc/alternatives/java points at /usr/lib/jvm/java-17-openjdk-<arch>/bin/java (an absolute link inside the root).
java_home=$(readlink "$root/etc/alternatives/java"); java_home=${java_home%/bin/java}
tar --numeric-owner -C "$root" -cf - . | pm import --quiet \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV LANG=C.UTF-8" \
  --change "ENV JAVA_HOME=$java_home" \
  --change 'CMD ["java", "-version"]' \
  --change "LABEL org.opencontainers.image.title=ops-mcp-base org.opencontainers.image.description=Debian-$suite-minbase+openjdk-17-jre-headless" \
  - "$image" >/dev/null
# Earlier recipes' images are this script's own leftovers: drop them so CI machines do not accumulate bases.
# (grep finds nothing on a machine whose first base this is: not a failure under pipefail)
pm images --format '{{.Repository}}:{{.Tag}}' | { grep "^localhost/ops-mcp-base:$suite-jre17-" || true; } \
  | { grep -vxF "$image" || true; } | while read -r old; do pm rmi "$old" >/dev/null 2>&1 || true; done
echo "base image $image: built in $(( $(date +%s) - start ))s, $(pm image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')" >&2
echo "$image"
