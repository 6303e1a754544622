#!/usr/bin/env bash
# Builds the lab images offline from Debian's busybox-static, so tests and
# offline workshops need no registry:
#   busybox:latest  a rootfs with /bin/busybox and one symlink per applet
#   httpd:latest    the same rootfs serving a page on port 80 (a local stand-in
#                   for the official httpd image, marked so in its labels)
#   nicolaka/netshoot:latest  the same busybox plus Debian's `ip` (iproute2) and
#                   `iptables` (nft and legacy) with the shared libraries they
#                   need: a local stand-in for the real netshoot image, for the
#                   lessons' own lab containers that read or build network state
#                   (needs the iproute2 and iptables packages on the build host)
# Usage: scripts/build-lab-images.sh [--force] [--arch arm64]
# LAB_IMAGE_PREFIX=x- builds x-busybox… instead (tests that must not replace the shared images).
#
# --arch arm64 builds busybox and httpd only (not netshoot: its Debian binaries
# and libraries would have to come from arm64 packages; no lesson test runs it).
# It builds the same two images from busybox-static for arm64 as
# busybox:latest-arm64 and httpd:latest-arm64: the engine keeps one image per
# tag, and an image pack records `NAME-arm64` as NAME's arm64 platform
# (electron/services/docker/image-pack.ts), so both architectures sit on one
# engine and the amd64 images stay as they are. The arm64 binary is never run
# (no emulation needed): its .deb is fetched with `apt-get download`, which
# needs `dpkg --add-architecture arm64 && apt-get update` once, or it is taken
# from BUSYBOX_ARM64_DEB. `docker import` would label the image with the
# engine's architecture, so the image is written as a `docker save` archive
# with its own config (architecture arm64) and loaded.
set -euo pipefail

usage() { echo "usage: $0 [--force] [--arch arm64]" >&2; exit 2; }
force=
arch=
while [ $# -gt 0 ]; do
  case $1 in
    --force) force=1 ;;
    --arch) [ $# -ge 2 ] || usage; arch=$2; shift ;;
    --arch=*) arch=${1#--arch=} ;;
    *) usage ;;
  esac
  shift
done
case $arch in '' | arm64) ;; *) echo "--arch takes arm64 only (the native images need no option)" >&2; exit 2 ;; esac

busybox_bin=${BUSYBOX_BIN:-/bin/busybox}
[ -x "$busybox_bin" ] || { echo "busybox-static is missing: apt-get install -y busybox-static" >&2; exit 1; }
"$busybox_bin" --list >/dev/null 2>&1 || { echo "$busybox_bin is not a multi-call busybox" >&2; exit 1; }

prefix=${LAB_IMAGE_PREFIX:-}
have() { docker image inspect "$1" >/dev/null 2>&1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The images, once for both architectures: name, CMD (JSON), exposed port, labels.
image_cmd() {
  case $1 in
    busybox | netshoot) echo '["sh"]' ;;
    httpd) echo '["httpd", "-f", "-v", "-p", "80", "-h", "/var/www"]' ;;
  esac
}
image_port() { [ "$1" = httpd ] && echo 80 || true; }
image_labels() {
  case $1 in
    busybox) printf '%s\n' 'org.opencontainers.image.title=busybox' 'dev.netlab.local-build=busybox-static' ;;
    httpd) printf '%s\n' 'org.opencontainers.image.title=httpd' 'dev.netlab.local-build=stand-in' \
      'dev.netlab.note=local test stand-in for the official httpd image, built from busybox-static' ;;
    netshoot) printf '%s\n' 'org.opencontainers.image.title=netshoot' 'dev.netlab.local-build=stand-in' \
      'dev.netlab.note=local stand-in for nicolaka/netshoot: busybox-static with Debian iproute2 (ip) and iptables' ;;
  esac
}

# The functions below build the image named $name (the loop at the end sets it).
# make_rootfs ROOT BUSYBOX: the applets are listed by the host's busybox (an arm64 one cannot run here; same version checked).
make_rootfs() {
  local root=$1 bin=$2
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,var/www,root,proc,sys,dev}
  chmod 1777 "$root/tmp"
  cp "$bin" "$root/bin/busybox"
  local applet
  for applet in $("$busybox_bin" --list); do
    # The applet named busybox would overwrite the binary itself; netshoot's ip is Debian's, in /usr/sbin.
    [ "$applet" = busybox ] && continue
    [ "$name" = netshoot ] && [ "$applet" = ip ] && continue
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  [ "$name" = httpd ] && printf '<html><body><h1>It works!</h1></body></html>\n' >"$root/var/www/index.html"
  [ "$name" = netshoot ] && add_net_tools "$root"
  return 0
}

# add_net_tools ROOT: the host's Debian ip and xtables binaries, their libraries (found with ldd) and the xtables
# extension modules, at the paths Debian has them (libxtables looks for its modules at a path built in).
# Busybox's sh runs its own applets before PATH, so `sh -c 'ip …'` would get busybox's ip (no netns, another veth
# syntax): /etc/shrc aliases ip for interactive shells; `docker exec C ip …` runs /usr/sbin/ip directly.
add_net_tools() {
  local root=$1 bin xt='' d f lib
  for bin in /usr/sbin/ip /bin/ip; do [ -x "$bin" ] && break; done
  [ -x "$bin" ] || { echo "iproute2 is missing: apt-get install -y iproute2" >&2; exit 1; }
  for d in /usr/lib/*/xtables; do [ -d "$d" ] && xt=$d && break; done
  [ -x /usr/sbin/xtables-nft-multi ] && [ -x /usr/sbin/xtables-legacy-multi ] && [ -n "$xt" ] \
    || { echo "iptables is missing: apt-get install -y iptables" >&2; exit 1; }
  cp -L "$bin" "$root/usr/sbin/ip"
  cp -L /usr/sbin/xtables-nft-multi /usr/sbin/xtables-legacy-multi "$root/usr/sbin/"
  for f in iptables iptables-save iptables-restore; do
    ln -s xtables-nft-multi "$root/usr/sbin/$f"
    ln -s xtables-nft-multi "$root/usr/sbin/${f/iptables/iptables-nft}"
    ln -s xtables-legacy-multi "$root/usr/sbin/${f/iptables/iptables-legacy}"
  done
  mkdir -p "$root$xt"
  cp -L "$xt"/*.so "$root$xt/"
  # Every library any of them loads, at the path the loader resolved it to (the interpreter included).
  for lib in $({ ldd "$bin" /usr/sbin/xtables-nft-multi /usr/sbin/xtables-legacy-multi "$xt"/*.so || true; } \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' | sort -u); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  mkdir -p "$root/run"
  ln -s ../run "$root/var/run"
  printf '# Debian iproute2, not the busybox applet (which has no netns and another veth syntax).\nalias ip=/usr/sbin/ip\n' >"$root/etc/shrc"
}

# Native: docker import, as the lab images have always been built.
import_native() {
  local root=$1 tag=$2 changes=(--change "CMD $(image_cmd "$name")") port label
  port=$(image_port "$name")
  [ -n "$port" ] && changes+=(--change "EXPOSE $port")
  [ "$name" = netshoot ] && changes+=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'ENV ENV=/etc/shrc')
  while IFS= read -r label; do
    changes+=(--change "LABEL ${label%%=*}=\"${label#*=}\"")
  done < <(image_labels "$name")
  tar -C "$root" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
}

json_string() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }

# Foreign: one layer and a config naming the architecture, as a `docker save` archive; same bytes give the same image id.
load_foreign() {
  local root=$1 tag=$2 created_epoch=$3 dir="$work/save-$name" layer_id config_id created port labels='' label first=1
  mkdir -p "$dir"
  tar --sort=name --mtime="@$created_epoch" --owner=0 --group=0 --numeric-owner -C "$root" -cf "$dir/layer.tar" .
  layer_id=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
  created=$(date -u -d "@$created_epoch" +%Y-%m-%dT%H:%M:%SZ)
  port=$(image_port "$name")
  while IFS= read -r label; do
    [ $first = 1 ] || labels+=','
    first=0
    labels+="$(json_string "${label%%=*}"):$(json_string "${label#*=}")"
  done < <(image_labels "$name")
  {
    printf '{"architecture":"arm64","variant":"v8","os":"linux","created":"%s",' "$created"
    printf '"config":{"Cmd":%s,' "$(image_cmd "$name")"
    [ -n "$port" ] && printf '"ExposedPorts":{"%s/tcp":{}},' "$port"
    printf '"Labels":{%s}},' "$labels"
    printf '"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},' "$layer_id"
    printf '"history":[{"created":"%s","created_by":"scripts/build-lab-images.sh --arch arm64"}]}' "$created"
  } >"$dir/config.json"
  config_id=$(sha256sum "$dir/config.json" | cut -d' ' -f1)
  mv "$dir/config.json" "$dir/$config_id.json"
  mkdir "$dir/$layer_id"
  mv "$dir/layer.tar" "$dir/$layer_id/layer.tar"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$config_id" "$tag" "$layer_id" >"$dir/manifest.json"
  tar -C "$dir" -c manifest.json "$config_id.json" "$layer_id" | docker load -q >/dev/null
  local got
  got=$(docker image inspect --format '{{.Id}} {{.Architecture}}' "$tag")
  [ "$got" = "sha256:$config_id arm64" ] || { echo "loaded $tag as $got, expected sha256:$config_id arm64" >&2; exit 1; }
}

# The arm64 busybox: from BUSYBOX_ARM64_DEB or apt, the same version as the host's (so the applet list holds).
arm64_busybox() {
  local version deb
  version=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null) || { echo "busybox-static is not installed as a package: apt-get install -y busybox-static" >&2; exit 1; }
  deb=${BUSYBOX_ARM64_DEB:-}
  if [ -z "$deb" ]; then
    (cd "$work" && apt-get download -q "busybox-static:arm64=$version" >/dev/null 2>"$work/apt.log") || {
      cat "$work/apt.log" >&2
      echo "cannot fetch busybox-static:arm64 $version: run 'dpkg --add-architecture arm64 && apt-get update' once, or set BUSYBOX_ARM64_DEB to the .deb" >&2
      exit 1
    }
    deb=$(ls "$work"/busybox-static_*_arm64.deb)
  fi
  [ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || { echo "$deb is not an arm64 package" >&2; exit 1; }
  [ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || { echo "$deb is busybox-static $(dpkg-deb -f "$deb" Version), the host has $version: use the same version" >&2; exit 1; }
  dpkg-deb -x "$deb" "$work/arm64-deb"
  local bin="$work/arm64-deb/bin/busybox"
  # ELF, e_machine 183 (AArch64).
  [ "$(od -An -tu2 -j18 -N2 "$bin" | tr -d ' ')" = 183 ] || { echo "$bin is not an arm64 binary" >&2; exit 1; }
  echo "$bin"
}

if [ "$arch" = arm64 ]; then
  arm64_bin=
  for name in busybox httpd; do
    tag="$prefix$name:latest-arm64"
    if [ -n "$force" ] || ! have "$tag"; then
      [ -n "$arm64_bin" ] || arm64_bin=$(arm64_busybox)
      make_rootfs "$work/$name-arm64" "$arm64_bin"
      load_foreign "$work/$name-arm64" "$tag" "$(stat -c %Y "$arm64_bin")"
      echo "built $tag"
    else
      echo "$tag present"
    fi
  done
  exit 0
fi

image_tag() { [ "$1" = netshoot ] && echo "${prefix}nicolaka/netshoot:latest" || echo "$prefix$1:latest"; }

for name in busybox httpd netshoot; do
  tag=$(image_tag "$name")
  if [ -n "$force" ] || ! have "$tag"; then
    make_rootfs "$work/$name" "$busybox_bin"
    import_native "$work/$name" "$tag"
    # A library ldd missed fails the build here, not in a lesson.
    [ "$name" = netshoot ] && { docker run --rm --network none "$tag" sh -c '/usr/sbin/ip -V && iptables -V && iptables-legacy -V' >/dev/null \
      || { echo "$tag was built but its ip or iptables does not run (a library missing?)" >&2; exit 1; }; }
    echo "built $tag"
  else
    echo "$tag present"
  fi
done
