<?php
define('DB_NAME', "socketdb");
define('DB_USER', "sock");
define('DB_PASSWORD', "");
define('DB_HOST', 'localhost:/var/run/mysqld/mysqld.sock');
$table_prefix = 'wp_';
define('WP_ENVIRONMENT_TYPE', 'staging');
