<?php
// Variant: salts with quotes, backslashes and dollars in both string forms.
define('DB_NAME', 'salty');
define('DB_USER', 'salty');
define('DB_PASSWORD', 'it\'s a \\ pass with $dollar');
define('DB_HOST', 'localhost');
define('AUTH_KEY',         'single \' quote and \\ backslash');
define('SECURE_AUTH_KEY',  'backslash-n \n stays literal, \x41 too');
define('LOGGED_IN_KEY',    '$notAVariable {$neither} ${nor}');
define('NONCE_KEY',        "double \"quoted\" \$escaped \\ tab:\t nl:\n hex:\x41\x7a oct:\101 u:\u{e9}");
define('AUTH_SALT',        "unknown \q escape and lone $ sign and {braces}");
define('SECURE_AUTH_SALT', 'trailing backslash \\');
define('LOGGED_IN_SALT',   "back\\slash-at-end\\");
define('NONCE_SALT',       'x' . "y" . 'z' . 42 . true . false . null);
define('SECRET_KEY',       'a"b`c#d//e/*f');
$table_prefix = "wp_";
