<?php
define('DB_USER', 'u');
if ( $_SERVER['HTTP_HOST'] === 'staging.example.com' ) {
	define('DB_NAME', 'staging');
} else {
	define('DB_NAME', 'production');
}
