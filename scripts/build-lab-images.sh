#!/usr/bin/env bash
# Builds the lab images offline from Debian's busybox-static, so tests and
# offline workshops need no registry:
#   busybox:latest  a rootfs with /bin/busybox and one symlink per applet
#   httpd:latest    the same rootfs serving a page on port 80 (a local stand-in
#                   for the official httpd image, marked so in its labels)
# Usage: scripts/build-lab-images.sh [--force]
set -euo pipefail

force=${1:-}
busybox_bin=${BUSYBOX_BIN:-/bin/busybox}
[ -x "$busybox_bin" ] || { echo "busybox-static is missing: apt-get install -y busybox-static" >&2; exit 1; }
"$busybox_bin" --list >/dev/null 2>&1 || { echo "$busybox_bin is not a multi-call busybox" >&2; exit 1; }

have() { docker image inspect "$1" >/dev/null 2>&1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,var/www,root,proc,sys,dev}
  chmod 1777 "$root/tmp"
  cp "$busybox_bin" "$root/bin/busybox"
  local applet
  for applet in $("$busybox_bin" --list); do
    # The applet named busybox would overwrite the binary itself.
    [ "$applet" = busybox ] && continue
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

if [ "$force" = --force ] || ! have busybox:latest; then
  make_rootfs "$work/busybox"
  tar -C "$work/busybox" -c . | docker import \
    --change 'CMD ["sh"]' \
    --change 'LABEL org.opencontainers.image.title=busybox' \
    --change 'LABEL dev.netlab.local-build=busybox-static' \
    - busybox:latest >/dev/null
  echo "built busybox:latest"
else
  echo "busybox:latest present"
fi

if [ "$force" = --force ] || ! have httpd:latest; then
  make_rootfs "$work/httpd"
  printf '<html><body><h1>It works!</h1></body></html>\n' >"$work/httpd/var/www/index.html"
  tar -C "$work/httpd" -c . | docker import \
    --change 'CMD ["httpd", "-f", "-v", "-p", "80", "-h", "/var/www"]' \
    --change 'EXPOSE 80' \
    --change 'LABEL org.opencontainers.image.title=httpd' \
    --change 'LABEL dev.netlab.local-build=stand-in' \
    --change 'LABEL dev.netlab.note="local test stand-in for the official httpd image, built from busybox-static"' \
    - httpd:latest >/dev/null
  echo "built httpd:latest"
else
  echo "httpd:latest present"
fi
