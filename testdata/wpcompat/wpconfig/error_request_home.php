<?php
define('DB_NAME', 'r');
define('WP_HOME', 'https://' . $_SERVER['HTTP_HOST']);
