<?php
/* define('DB_NAME', 'commented_out_block'); */
// define('DB_NAME', 'commented_out_line');
# define('DB_NAME', 'commented_out_hash');
/**
 * define( 'DB_HOST', 'docblock' );
 * $table_prefix = 'docblock_';
 */
define( /* inline */ 'DB_NAME', // trailing comment
	'real_db' ); # after
define('DB_USER', 'user' /* , 'not an argument' */);
define('DB_PASSWORD', 'pa//ss#word/*not a comment*/');
define('DB_HOST', "127.0.0.1"); // define('DB_HOST', 'other');
/*
define('WP_HOME', 'https://commented.example');
*/
#define('WP_SITEURL', 'https://hash.example');
define('AUTH_KEY', '*/ still a string /*');
$table_prefix = 'c_'; // $table_prefix = 'x_';
/* a comment that ends */ define('WP_DEBUG', true); /* and another */
