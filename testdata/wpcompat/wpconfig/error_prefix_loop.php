<?php
define('DB_NAME', 'l');
$table_prefix = 'wp_';
foreach (array('blog_a' => 'a_') as $host => $prefix) {
	if (strpos(gethostname(), $host) !== false) {
		$table_prefix = $prefix;
	}
}
