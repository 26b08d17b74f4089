<?php
define('DB_NAME', 'p');
$table_prefix = 'wp-site_';
