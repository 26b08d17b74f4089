<?php
DEFINE("DB_NAME","tight");
define  (  'DB_USER'  ,  'spaced'  )  ;
	define	(	'DB_PASSWORD'	,	'tabs'	)	;
define(
    'DB_HOST',
    'db.internal:3310'
);
\define('WP_HOME', 'https://spacing.example', true);
Define('WP_SITEURL', 'https://spacing.example/');
define('WP_DEBUG', FALSE);define('MULTISITE', False);
const COOKIE_DOMAIN = '.spacing.example', COOKIEHASH = 'fixedhash';
define('WP_DEBUG', true);
$table_prefix  =  "sp_"  ;
if ( !defined('ABSPATH') )
	define('ABSPATH', dirname(__FILE__) . '/');
require_once(ABSPATH . 'wp-settings.php');
?>
