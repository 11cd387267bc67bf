#!/usr/bin/env bash
# Sourced by the other ci/container scripts: installs podman (Debian's package) when missing and defines `pm`, the
# podman invocation that works on the CI machines (as root, runc, cgroupfs: crun and the systemd cgroup manager
# fail on their kernel). PODMAN_RUNTIME and PODMAN_CGROUP_MANAGER override the two choices elsewhere.
if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ci/container: podman and runc are missing and installing them needs root" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc >/dev/null
fi

pm() {
  podman --runtime "${PODMAN_RUNTIME:-runc}" --cgroup-manager="${PODMAN_CGROUP_MANAGER:-cgroupfs}" "$@"
}
