<?php
define('DB_NAME', 'v');
$db_password = trim(file_get_contents('/etc/wordpress/db-password'));
define('DB_USER', 'v');
define('DB_PASSWORD', $db_password);
