<?php
define('DB_NAME', 'network');
define('DB_USER', 'network');
define('DB_PASSWORD', 'network');
define('DB_HOST', 'localhost');
define('WP_ALLOW_MULTISITE', true);
define('MULTISITE', true);
define('SUBDOMAIN_INSTALL', false);
define('DOMAIN_CURRENT_SITE', 'network.example');
$table_prefix = 'wp_';
