#!/usr/bin/env bash
# Installs Debian's OpenSSH server for the real-sshd tests of toolsets/system (HostToolsRealSshdTest) and
# creates its privilege-separation directory. Idempotent and non-interactive. The tests start their own
# sshd on 127.0.0.1 on a high port; this script does not start or enable any sshd.
set -euo pipefail

if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ci/sshd/install.sh: openssh-server is missing and installing it needs root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d exit 101 stops dpkg from starting the system sshd on port 22 during the install.
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends openssh-server openssh-client
  if [ "$created_policy" -eq 1 ]; then
    rm -f /usr/sbin/policy-rc.d
  fi
fi

# sshd refuses to start without its privilege-separation directory.
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p /run/sshd
  chmod 755 /run/sshd
fi

/usr/sbin/sshd -V 2>&1 | head -n 1 || true
