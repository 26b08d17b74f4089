<?php
// Loads WordPress 7.1's own code (no database, no plugins) for the vector generators in testdata/: the files
// wp-settings.php loads, in its order, up to the user, session-token and formatting functions the vectors need,
// plus pluggable.php and default-filters.php, and a wpdb object that never connects. Options come from $WP71_OPTIONS through WordPress's own `pre_option` filter; users from
// WordPress's non-persistent object cache (wp71_add_user). Nothing else of WordPress is replaced.
//
// The WordPress tree: WP71_DIR (default /tmp/wp71), extracted from the johnpbloch/wordpress-core mirror:
//   git -C /work/.mirror/johnpbloch+wordpress-core/repo archive 7.1.0 -- . \
//     ':(exclude)wp-includes/js/dist/script-modules/vips' | tar -x -C /tmp/wp71

error_reporting(E_ALL);
ini_set('display_errors', 'stderr');
ini_set('log_errors', '0');
ini_set('serialize_precision', '-1'); // php.ini-development/production default

$wp71_dir = rtrim(getenv('WP71_DIR') ?: '/tmp/wp71', '/');
if (!is_file("$wp71_dir/wp-includes/version.php")) {
    fwrite(STDERR, "no WordPress tree at $wp71_dir (set WP71_DIR)\n");
    exit(2);
}
define('ABSPATH', "$wp71_dir/");
define('WPINC', 'wp-includes');
define('WP_CONTENT_DIR', ABSPATH . 'wp-content');
define('WP_DEBUG', false);
define('WP_INSTALLING', false);

global $wp_version, $wp_db_version, $WP71_OPTIONS, $wpdb, $table_prefix;
$table_prefix = 'wp_';
foreach (['version.php', 'compat-utf8.php', 'compat.php', 'load.php', 'class-wp-exception.php',
    'default-constants.php', 'plugin.php'] as $f) {
    require ABSPATH . WPINC . "/$f";
}
if ($wp_version !== '7.1') {
    fwrite(STDERR, "WordPress at $wp71_dir is $wp_version, not 7.1\n");
    exit(2);
}
foreach (['class-wp-list-util.php', 'class-wp-token-map.php', 'utf8.php', 'formatting.php', 'meta.php',
    'functions.php', 'class-wp-error.php', 'option.php', 'cache.php', 'cache-compat.php', 'kses.php', 'l10n.php',
    'pomo/translations.php', 'pomo/mo.php', 'class-wp-locale.php', 'capabilities.php', 'class-wp-roles.php',
    'class-wp-role.php', 'class-wp-user.php', 'user.php', 'class-wp-session-tokens.php',
    'class-wp-user-meta-session-tokens.php', 'link-template.php', 'class-wp-application-passwords.php',
    'class-phpass.php', 'pluggable.php'] as $f) {
    require_once ABSPATH . WPINC . "/$f";
}

require ABSPATH . WPINC . '/default-filters.php'; // sanitize_title -> sanitize_title_with_dashes, etc.
// default-filters.php also hooks functions of files not loaded here: those hooks are dropped.
foreach ($GLOBALS['wp_filter'] as $hook => $h) {
    foreach ($h->callbacks as $prio => $cbs) {
        foreach ($cbs as $cb) {
            if (is_string($cb['function']) && !function_exists($cb['function'])) {
                remove_filter($hook, $cb['function'], $prio);
            }
        }
    }
}
wp_initial_constants();
// WordPress's own wpdb class, never connected (WP_User reads the table prefix from it); a query would fail.
require_once ABSPATH . WPINC . '/class-wpdb.php';
$wpdb = (new ReflectionClass('wpdb'))->newInstanceWithoutConstructor();
$wpdb->set_prefix($table_prefix);
$WP71_OPTIONS = ['blog_charset' => 'UTF-8', 'siteurl' => 'http://127.0.0.1:8071', 'home' => 'http://127.0.0.1:8071',
    'WPLANG' => '', 'use_smilies' => '0', 'wp_user_roles' => []];
add_filter('pre_option', function ($pre, $option) {
    global $WP71_OPTIONS;
    if (array_key_exists($option, $WP71_OPTIONS)) {
        return $WP71_OPTIONS[$option];
    }
    fwrite(STDERR, "wp71-bootstrap: option $option read but not set\n");
    exit(3);
}, 10, 2);
add_filter('pre_wp_load_alloptions', fn() => $GLOBALS['WP71_OPTIONS']);
add_filter('pre_site_option', function ($pre, $option) {
    return $GLOBALS['WP71_OPTIONS'][$option] ?? false;
}, 10, 2);
wp_cache_init();
$GLOBALS['wp_locale'] = null;

// wp71_add_user puts a user row into WordPress's object cache, where WP_User::get_data_by looks first.
function wp71_add_user(int $id, string $login, string $user_pass): void {
    $u = (object) ['ID' => (string) $id, 'user_login' => $login, 'user_pass' => $user_pass,
        'user_nicename' => $login, 'user_email' => "$login@example.com", 'user_url' => '',
        'user_registered' => '2026-01-01 00:00:00', 'user_activation_key' => '', 'user_status' => '0',
        'display_name' => $login];
    wp_cache_add($id, $u, 'users');
    wp_cache_add($login, $id, 'userlogins');
    wp_cache_add($id, [], 'user_meta'); // no meta rows
}

// wp71_json prints the vector files' layout: one-space indent, "key": value, UTF-8 and slashes unescaped.
function wp71_json($v): string {
    $s = json_encode($v, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
    return preg_replace_callback('/^( +)/m', fn($m) => str_repeat(' ', intdiv(strlen($m[1]), 4)), $s);
}
