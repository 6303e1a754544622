#!/bin/sh
# NetLab's deb, after install (electron-builder fills in the names): the
# command on PATH, Chromium's sandbox helper, and the AppArmor profile that
# lets the sandbox use user namespaces on Ubuntu 24.04 and later. The sandbox
# is never turned off. Paths start with $DPKG_ROOT, which dpkg sets when it
# installs into another root (empty otherwise); the running kernel is only
# touched for an install into this system.
set -e

root="$DPKG_ROOT"
app='/opt/${sanitizedProductName}'
bin="$app/${executable}"
name='${executable}'

# The command on PATH (update-alternatives honours DPKG_ROOT itself).
if command -v update-alternatives >/dev/null 2>&1; then
  if [ -L "$root/usr/bin/$name" ] && [ "$(readlink "$root/usr/bin/$name")" != "/etc/alternatives/$name" ]; then
    rm -f "$root/usr/bin/$name"
  fi
  update-alternatives --install "/usr/bin/$name" "$name" "$bin" 100 || ln -sf "$bin" "$root/usr/bin/$name"
else
  ln -sf "$bin" "$root/usr/bin/$name"
fi

if command -v update-desktop-database >/dev/null 2>&1 && [ -z "$root" ]; then
  update-desktop-database /usr/share/applications || true
fi

# The AppArmor profile, only where AppArmor knows its language (abi 4.0:
# Ubuntu 24.04 and later) and its parser accepts it. Elsewhere (Ubuntu 22.04,
# Debian 12, no AppArmor) user namespaces are not restricted: nothing to do.
profile_src="$root$app/resources/apparmor-profile"
profile_dst="$root/etc/apparmor.d/$name"
if [ ! -e "$root/etc/apparmor.d/abi/4.0" ]; then
  echo "NetLab: no AppArmor 4 here; the sandbox needs no profile"
elif ! command -v apparmor_parser >/dev/null 2>&1; then
  echo "NetLab: apparmor_parser is missing; the AppArmor profile is not installed"
elif ! apparmor_parser --skip-kernel-load --debug --base "$root/etc/apparmor.d" "$profile_src" >/dev/null 2>&1; then
  echo "NetLab: this AppArmor does not accept the profile; it is not installed"
else
  cp -f "$profile_src" "$profile_dst"
  chmod 0644 "$profile_dst"
  # Load it now, unless this is another root or a chroot (an image being built).
  if [ -z "$root" ] && [ -d /sys/kernel/security/apparmor ] && ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
    apparmor_parser --replace --write-cache --skip-read-cache "$profile_dst" ||
      echo "NetLab: the AppArmor profile could not be loaded now; it loads at the next boot"
  fi
fi

# Chromium's sandbox uses user namespaces; only where it can have none does it
# need its setuid helper: a kernel without them, or AppArmor restricting them
# with no profile installed above. (The restriction is read under $DPKG_ROOT
# too: an image being built says nothing about this machine's kernel.)
restricted="$(cat "$root/proc/sys/kernel/apparmor_restrict_unprivileged_userns" 2>/dev/null || true)"
if [ "$restricted" = 1 ] && [ ! -f "$profile_dst" ]; then
  echo "NetLab: AppArmor restricts user namespaces and the profile is not installed; the sandbox uses its setuid helper"
  chmod 4755 "$root$app/chrome-sandbox" || true
elif [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
  chmod 0755 "$root$app/chrome-sandbox" || true
else
  chmod 4755 "$root$app/chrome-sandbox" || true
fi
exit 0
