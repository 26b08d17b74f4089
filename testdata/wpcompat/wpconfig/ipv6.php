<?php
define( 'DB_NAME', 'v6' );
define( 'DB_USER', 'v6user' );
define( 'DB_PASSWORD', 'v6pass' );
define( 'DB_HOST', '[::1]:3307' );
define( 'DB_CHARSET', 'latin1' );
$table_prefix = 'v6_';
