<?php
// Variant: hand-written 12-factor config with getenv('X') ?: 'literal' fallbacks,
// casts, concatenation and a ternary.

define('DB_NAME',     getenv('APP_DB_NAME') ?: 'app');
define('DB_USER',     getenv('APP_DB_USER') ?: 'app');
define('DB_PASSWORD', getenv('APP_DB_PASSWORD') ?: '');
define('DB_HOST',     getenv('APP_DB_HOST') ?: '127.0.0.1');
define('DB_CHARSET',  'utf8mb4');

define('WP_HOME',    'https://' . (getenv('APP_HOST') ?: 'www.example.org'));
define('WP_SITEURL', WP_HOME . '/wp');

define('WP_DEBUG', (bool) getenv('APP_DEBUG'));
define('WP_ENVIRONMENT_TYPE', getenv('APP_ENV') === 'dev' ? 'development' : 'production');
define('FORCE_SSL_ADMIN', !getenv('APP_INSECURE_ADMIN'));
define('COOKIE_DOMAIN', getenv('APP_COOKIE_DOMAIN'));

define('AUTH_KEY',  getenv('APP_AUTH_KEY')  ?: 'k1');
define('AUTH_SALT', getenv('APP_AUTH_SALT') ?: 's1');

$table_prefix = getenv('APP_TABLE_PREFIX') ?: 'wp_';

require_once(ABSPATH . 'wp-settings.php');
