<?php
define('DB_NAME', 'inc');

// Local overrides kept out of version control.
require_once __DIR__ . '/wp-config-local.php';

$table_prefix = 'wp_';
