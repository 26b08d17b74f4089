<?php
// Variant: statements wpsidecar does not need are skipped with a warning.
define('DB_NAME', 'skip');
define('DB_USER', 'skip');
define('DB_PASSWORD', 'Pw-9f2k');
define('DB_HOST', 'localhost:3306');
@ini_set('upload_max_size', '64M');
set_time_limit(300);
define('WP_MEMORY_LIMIT', '256M');
defined('WP_CACHE') || define('WP_CACHE', true);
defined('WP_DEBUG') or define('WP_DEBUG', false);
if (WP_DEBUG) {
	ini_set('display_errors', '1');
}
if (isset($_GET['debug'])) {
	define('SCRIPT_DEBUG', true);
}
if (PHP_SAPI === 'cli'):
	define('WP_MAINTENANCE', true);
else:
	define('WP_MAINTENANCE', false);
endif;
foreach (array('a', 'b') as $k) {
	$flags[$k] = true;
}
function my_site_helper($x) {
	return strtoupper($x);
}
$cache_dir = __DIR__ . '/cache';
define('WPCACHEHOME', $cache_dir . '/');
define('CACHE_TTL', intval(getenv('CACHE_TTL')));
define('DISALLOW_FILE_EDIT', true);
$table_prefix = 'sk_';
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
define('WP_HOME', 'https://too-late.example');
