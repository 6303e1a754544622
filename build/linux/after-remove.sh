#!/bin/sh
# NetLab's deb, after remove: the command's link and the AppArmor profile go.
# An upgrade keeps them (the new version's after-install sets them again).
set -e

root="$DPKG_ROOT"
app='/opt/${sanitizedProductName}'
name='${executable}'

case "$1" in
  remove | purge | '') ;;
  *) exit 0 ;;
esac

if command -v update-alternatives >/dev/null 2>&1; then
  update-alternatives --remove "$name" "$app/$name" || true
fi
if [ -L "$root/usr/bin/$name" ] && [ ! -e "$root/usr/bin/$name" ]; then
  rm -f "$root/usr/bin/$name"
fi

profile="$root/etc/apparmor.d/$name"
if [ -f "$profile" ]; then
  # Unload it from the running kernel first, so it is not enforced until the next boot.
  if [ -z "$root" ] && [ -d /sys/kernel/security/apparmor ] && command -v apparmor_parser >/dev/null 2>&1 && ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
    apparmor_parser --remove "$profile" || true
  fi
  rm -f "$profile"
fi
exit 0
