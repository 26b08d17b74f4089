<?php
# Variant: values from $_ENV / $_SERVER with ?? fallbacks and isset().

define( 'DB_NAME', $_ENV['DB_NAME'] ?? 'site' );
define( 'DB_USER', $_ENV['DB_USER'] ?? 'site' );
define( 'DB_PASSWORD', $_SERVER['DB_PASSWORD'] ?? 'changeme' );
define( 'DB_HOST', isset( $_ENV['DB_HOST'] ) ? $_ENV['DB_HOST'] : 'localhost' );
define( 'WP_ENVIRONMENT_TYPE', $_ENV['WP_ENVIRONMENT_TYPE'] ?? 'production' );
define( 'JWT_AUTH_SECRET_KEY', $_ENV['JWT_SECRET'] ?? null );

$table_prefix = $_ENV['TABLE_PREFIX'] ?? 'site_';

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', dirname( __FILE__ ) . '/' );
}
require_once ABSPATH . 'wp-settings.php';
