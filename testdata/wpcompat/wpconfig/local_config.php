<?php
// Variant: the "local-config.php" pattern: developers keep credentials in an
// untracked file next to wp-config.php; production uses the else branch.
if ( file_exists( dirname( __FILE__ ) . '/local-config.php' ) ) {
	include( dirname( __FILE__ ) . '/local-config.php' );
	define( 'WP_LOCAL_DEV', true );
} else {
	define( 'DB_NAME', 'production_db' );
	define( 'DB_USER', 'production_user' );
	define( 'DB_PASSWORD', 'production_password' );
	define( 'DB_HOST', 'mysql.internal' );
}
$table_prefix = 'wp_';
