# Lets Chromium's sandbox in NetLab create user namespaces where AppArmor
# restricts them (Ubuntu 24.04 and later), as Ubuntu's own profiles for
# Chrome and other Electron apps do. It confines nothing else.
abi <abi/4.0>,
include <tunables/global>

profile ${executable} "/opt/${sanitizedProductName}/${executable}" flags=(unconfined) {
  userns,

  # Site-specific additions and overrides. See local/README for details.
  include if exists <local/${executable}>
}
