#!/usr/bin/env bash
# Installs what the real-WordPress comparison tests (wpcompat/wptest/phpsite) need, from Debian's packages, only when
# missing: nginx, php-fpm, php-cli, php-mysql and Debian's `wordpress` package (6.1.x on bookworm, files under
# /usr/share/wordpress). Root only; as non-root it just reports what is missing (those tests then skip).
# Nothing is started system-wide: the tests run their own nginx + php-fpm on loopback with private configs.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh

# php-fpm and php come before wordpress so that apt satisfies its `libapache2-mod-php | php` with php8.2-fpm and
# nginx satisfies its `apache2 | httpd`.
pkgs=(nginx php-fpm php php-cli php-mysql wordpress)
if ! apt_install "${pkgs[@]}"; then
  echo "php.sh: cannot install ${pkgs[*]}; the real-WordPress comparison tests will skip" >&2
  exit 0
fi
# The packages' own services are not wanted (policy-rc.d usually keeps them from starting anyway).
log "php: $(php -r 'echo PHP_VERSION;') wordpress: $(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" /usr/share/wordpress/wp-includes/version.php)"
