<?php
// Regenerates vectors.json (spec wordpress-auth-and-rest.md Appendix A) from WordPress 7.1's own functions:
//
//   php testdata/wpcompat/gen-vectors.php > testdata/wpcompat/vectors.json
//
// Needs php-cli 8.2 (bash .ci/php.sh) with sodium, the WordPress 7.1 tree in WP71_DIR (see wp71-bootstrap.php) and
// faketime (Debian package `faketime`): nonces depend on time(), so their part runs in child processes whose clock
// libfaketime freezes at the vector's t (`--at T` below).
//
// What is input and what is computed: everything this script prints under a key named in "computed" comments is
// WordPress's answer; the rest (passwords, the hashes of `passwords`, logins, tokens, times, notes) are committed
// inputs. Hashes with a random salt ($wp$, $P$, $2y$, $argon2id$, $6$) cannot be regenerated identically, so they
// are inputs here and WordPress only checks them (wp_check_password); password_72_bytes hashes afresh each run (its
// booleans are what is pinned). With the same inputs the output is the committed file byte for byte.
require __DIR__ . '/wp71-bootstrap.php';

const SITEURL = 'http://127.0.0.1:8071';
const TOKEN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
$constants = [
    'AUTH_KEY' => 'test-auth-key', 'AUTH_SALT' => 'test-auth-salt',
    'SECURE_AUTH_KEY' => 'test-secure-auth-key', 'SECURE_AUTH_SALT' => 'test-secure-auth-salt',
    'LOGGED_IN_KEY' => 'test-logged-in-key', 'LOGGED_IN_SALT' => 'test-logged-in-salt',
    'NONCE_KEY' => 'test-nonce-key', 'NONCE_SALT' => 'test-nonce-salt',
];
foreach ($constants as $k => $v) {
    define($k, $v);
}
$WP71_OPTIONS['siteurl'] = SITEURL;
$WP71_OPTIONS['home'] = SITEURL;
wp_plugin_directory_constants(); // as wp-settings.php, before the cookie constants
wp_cookie_constants();

// Child mode: the time-dependent part at a frozen clock (time() == T).
if (($argv[1] ?? '') === '--at') {
    $t = (int) $argv[2];
    if (time() !== $t) {
        fwrite(STDERR, "clock is " . time() . ", want $t (is faketime installed?)\n");
        exit(4);
    }
    echo json_encode(at_time($t, json_decode($argv[3], true)), JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
    exit(0);
}

// at_time runs WordPress's nonce functions for each request of $reqs with the clock at $t.
function at_time(int $t, array $reqs): array {
    wp71_add_user(6, 'vec_nonce', '$wp$2y$10$/BYYU.3ZhH1EaEHaFchF7OZDmi66wJMb16jmX3uY0BGppS7S1gfsa');
    $out = [];
    foreach ($reqs as $r) {
        wp_set_current_user($r['uid']);
        // wp_get_session_token reads the token from the logged-in cookie (wp_parse_auth_cookie does not verify it).
        $_COOKIE[LOGGED_IN_COOKIE] = $r['token'] === '' ? '' : "vec_nonce|2000000000|{$r['token']}|x";
        if (isset($r['life'])) {
            $life = $r['life'];
            $f = fn() => $life;
            add_filter('nonce_life', $f);
            $out[] = ['tick' => wp_nonce_tick('wp_rest')];
            remove_filter('nonce_life', $f);
        } elseif (isset($r['verify'])) {
            $out[] = ['result' => wp_verify_nonce($r['verify'], $r['action'])];
        } else {
            $tick = wp_nonce_tick($r['action']);
            $full = wp_hash($tick . '|' . $r['action'] . '|' . $r['uid'] . '|' . $r['token'], 'nonce');
            $nonce = wp_create_nonce($r['action']);
            if ($nonce !== substr($full, -12, 10)) {
                throw new RuntimeException("wp_create_nonce $nonce is not the middle of $full");
            }
            $out[] = ['tick' => (int) $tick, 'full' => $full, 'nonce' => $nonce];
        }
    }
    return $out;
}

// frozen runs at_time in a child PHP whose clock libfaketime holds at $t.
function frozen(int $t, array $reqs): array {
    $cmd = ['faketime', '-f', '@' . gmdate('Y-m-d H:i:s', $t) . ' x0', PHP_BINARY, __FILE__, '--at', (string) $t,
        json_encode($reqs)];
    $p = proc_open($cmd, [1 => ['pipe', 'w']], $pipes, null, ['TZ' => 'UTC'] + getenv());
    $json = stream_get_contents($pipes[1]);
    if (proc_close($p) !== 0) {
        fwrite(STDERR, "faketime child for t=$t failed\n");
        exit(4);
    }
    return json_decode($json, true, 512, JSON_THROW_ON_ERROR);
}

$v = ['_source' => "wordpress-auth-and-rest.md Appendix A (PHP 8.2.36 running WordPress 7.1's own functions). Do not edit values; add rows only from PHP output."];

// site — computed: salt_logged_in (wp_salt), cookiehash / logged_in_cookie (wp_cookie_constants), wp_hash.
$v['site'] = [
    'constants' => $constants,
    'salt_logged_in' => wp_salt('logged_in'),
    'siteurl' => SITEURL,
    'cookiehash' => COOKIEHASH,
    'logged_in_cookie' => LOGGED_IN_COOKIE,
    'wp_hash' => [['data' => 'x', 'scheme' => 'logged_in', 'hash' => wp_hash('x', 'logged_in')]],
];

// passwords — computed: check (wp_check_password).
$pw = 'correct horse battery staple';
$wpHash = '$wp$2y$10$/BYYU.3ZhH1EaEHaFchF7OZDmi66wJMb16jmX3uY0BGppS7S1gfsa';
$phpass = '$P$BABCDEFGH8V2Z2SVO7ujn5wUtglfRD.';
$bcrypt = '$2y$10$ZF4WJb4EoG/ssKT9vqMBGerUrK2uLmLJmLPE.Wi82iOSjJE5FtS7C';
$md5 = '9cc2ae8a1ba7a93da39b46fc1019c481';
$v['passwords'] = [];
foreach ([
    [$pw, $wpHash, 'A.2 $wp$ 7.1 default'],
    [" $pw ", $wpHash, 'A.2 no trim on check'],
    [$pw, $phpass, 'A.2 phpass salt ABCDEFGH, 8192 rounds'],
    [$pw, '$H$BABCDEFGH8V2Z2SVO7ujn5wUtglfRD.', 'A.2 $H$ rejected in 7.1'],
    [$pw, $md5, 'A.2 MD5'],
    [$pw, $bcrypt, 'A.2 vanilla bcrypt'],
    [$pw, '$argon2id$v=19$m=65536,t=4,p=1$Z1h5WmJMNXpOb0NyR0pYSQ$CxNTDJn1AKBU2Y1bHi7t6HZV0YNSvdXTMABUd/8xh2I', 'A.2 argon2id'],
    [$pw, '$6$rounds=5000$saltsalt$CPgxBHZBXfhC6lX1yxpdEsbQfXmg3WXVj8AoVwyNFLfb5AtbfM8k6A8yehv1z6sgzoH/DUIs7YK9hVnGhTjhW/', 'A.2 sha512-crypt (password_verify)'],
    ['password', '$wp$2y$10$GQjlBn0nmCS7I8npTZHS.ezQVJVT8H8FFOriVjRcsFBtKGUhtgwNu', 'A.2'],
    ['password', '$P$B12345678Eg2z6eqcenWjcSosVt4mZ.', 'A.2'],
    ['p', '$P$9zzzzzzzzdv0oK/XKi7abhQO0Ez29O1', 'A.2 count char 9 = 2048 rounds'],
    ['password', '5f4dcc3b5aa765d61d8327deb882cf99', 'A.2 MD5'],
] as [$p, $h, $note]) {
    $v['passwords'][] = ['password' => $p, 'hash' => $h, 'check' => wp_check_password($p, $h), 'note' => $note];
}

// prehash — computed: the bcrypt input of wp_hash_password (pluggable.php, "Use SHA-384 to retain entropy"),
// confirmed against a fresh wp_hash_password of the same password.
$v['prehash'] = [];
foreach ([$pw, 'password'] as $p) {
    $pre = base64_encode(hash_hmac('sha384', trim($p), 'wp-sha384', true));
    if (!password_verify($pre, substr(wp_hash_password($p), 3))) {
        throw new RuntimeException("prehash of $p is not what wp_hash_password hashes");
    }
    $v['prehash'][] = ['password' => $p, 'prehash' => $pre];
}

// password_72_bytes — computed: whether a password differing only after byte 72 verifies, against a fresh
// wp_hash_password and a fresh vanilla bcrypt hash of the first one.
$prefix = str_repeat('a', 72);
$v['password_72_bytes'] = [
    'prefix' => $prefix,
    'hashed_suffix' => 'TAIL-ONE',
    'other_suffix' => 'TAIL-TWO',
    'wp_hash_verifies_other' => wp_check_password($prefix . 'TAIL-TWO', wp_hash_password($prefix . 'TAIL-ONE')),
    'vanilla_bcrypt_verifies_other' => wp_check_password($prefix . 'TAIL-TWO', password_hash($prefix . 'TAIL-ONE', PASSWORD_BCRYPT)),
    'note' => 'A.2 72-byte case (hashes generated at test time)',
];

// app_passwords — computed: display (chunk_password), hash (hash_password = wp_fast_hash, deterministic).
$v['app_passwords'] = [];
foreach (['abcdABCD1234efghEFGH5678', 'zFvM9nrV0MsKsczPzqAX3lEr', ''] as $plain) {
    $v['app_passwords'][] = ['plain' => $plain, 'display' => WP_Application_Passwords::chunk_password($plain),
        'hash' => WP_Application_Passwords::hash_password($plain)];
}
// app_password_checks — computed: check. wp_authenticate_application_password (user.php) first strips every
// character but [a-z0-9] (case-insensitive), then asks WP_Application_Passwords::check_password.
$appHash = $v['app_passwords'][0]['hash'];
$legacy = '$P$BM2.3n5onx0PFi/kJ5D5OvW0R7Tvqt/';
$v['app_password_checks'] = [];
foreach ([
    ['abcd-ABCD-1234-efgh-EFGH-5678', $appHash, null],
    ['abcd ABCD 1234 efgh EFGH 5678', $appHash, null],
    ['ABCDABCD1234EFGHEFGH5678', $appHash, null],
    ['abcdABCD1234efghEFGH5678', $legacy, 'legacy <= 6.7 item'],
    ['abcd ABCD 1234 efgh EFGH 5678', $legacy, null],
] as [$presented, $stored, $note]) {
    $row = ['presented' => $presented, 'stored' => $stored,
        'check' => WP_Application_Passwords::check_password(preg_replace('/[^a-z\d]/i', '', $presented), $stored)];
    if ($note !== null) {
        $row['note'] = $note;
    }
    $v['app_password_checks'][] = $row;
}

// cookies — computed: pass_frag and hmac, the last field of wp_generate_auth_cookie.
$exp = 2000000000;
$users = ['vec_wp' => [11, $wpHash], 'vec_phpass' => [12, $phpass], 'vec_bcrypt' => [13, $bcrypt], 'vec_md5' => [14, $md5]];
foreach ($users as $login => [$id, $hash]) {
    wp71_add_user($id, $login, $hash);
}
$cookie = function (string $login, string $scheme) use ($users, $exp): array {
    [$id, $hash] = $users[$login];
    $parts = explode('|', wp_generate_auth_cookie($id, $exp, $scheme, TOKEN));
    $frag = (str_starts_with($hash, '$P$') || str_starts_with($hash, '$2y$')) ? substr($hash, 8, 4) : substr($hash, -4);
    return ['login' => $login, 'user_pass' => $hash, 'pass_frag' => $frag, 'scheme' => $scheme, 'hmac' => $parts[3]];
};
$v['cookies'] = [];
foreach ([['vec_wp', 'logged_in'], ['vec_wp', 'auth'], ['vec_wp', 'secure_auth'], ['vec_phpass', 'logged_in'],
    ['vec_phpass', 'auth'], ['vec_bcrypt', 'logged_in'], ['vec_md5', 'logged_in'], ['vec_md5', 'auth']] as [$login, $scheme]) {
    $row = $cookie($login, $scheme);
    if ($login === 'vec_bcrypt') {
        $row['note'] = 'spec A.4 table prints pass_frag 4WJb (typo): substr(user_pass, 8, 4) = F4WJ is what reproduces the PHP hmac';
    }
    $v['cookies'][] = $row;
}
$v['cookie_common'] = ['expiration' => (string) $exp, 'token' => TOKEN];
// cookie_intermediate — the two messages of wp_generate_auth_cookie for vec_wp/logged_in, checked against its hmac.
$keyMsg = "vec_wp|gfsa|$exp|" . TOKEN;
$hmacMsg = "vec_wp|$exp|" . TOKEN;
if (hash_hmac('sha256', $hmacMsg, wp_hash($keyMsg, 'logged_in')) !== $v['cookies'][0]['hmac']) {
    throw new RuntimeException('cookie_intermediate does not reproduce wp_generate_auth_cookie');
}
$v['cookie_intermediate'] = ['salt' => wp_salt('logged_in'), 'key_msg' => $keyMsg, 'hmac_msg' => $hmacMsg,
    'hmac' => $v['cookies'][0]['hmac']];

// session — computed: verifier and the stored session_tokens meta value, as WP_User_Meta_Session_Tokens::update
// writes them (update_user_meta is intercepted by its own short-circuit filter; update_metadata would
// maybe_serialize the value).
$stored = null;
add_filter('update_user_metadata', function ($check, $id, $key, $value) use (&$stored) {
    $stored = maybe_serialize($value);
    return true;
}, 10, 4);
WP_Session_Tokens::get_instance(11)->update(TOKEN, ['expiration' => $exp, 'login' => 1700000000]);
$sessions = unserialize($stored);
$v['session'] = ['token' => TOKEN, 'verifier' => array_key_first($sessions), 'stored' => $stored, 'expiration' => $exp];

// nonces, nonce_verify, nonce_ticks — computed at a frozen clock (see frozen()).
$v['nonces'] = [];
foreach ([1800000000, 1800021600] as $t) {
    $reqs = [['action' => 'wp_rest', 'uid' => 6, 'token' => TOKEN], ['action' => 'wp_rest', 'uid' => 0, 'token' => '']];
    foreach (frozen($t, $reqs) as $i => $got) {
        $v['nonces'][] = ['t' => $t, 'tick' => $got['tick'], 'action' => 'wp_rest', 'uid' => $reqs[$i]['uid'],
            'token' => $reqs[$i]['token'], 'full' => $got['full'], 'nonce' => $got['nonce']];
    }
}
$t = 1800021600;
$verify = [[$v['nonces'][0]['nonce'], 'A.6: previous tick verifies with 2'], [$v['nonces'][2]['nonce'], null]];
$got = frozen($t, array_map(fn($x) => ['action' => 'wp_rest', 'uid' => 6, 'token' => TOKEN, 'verify' => $x[0]], $verify));
$v['nonce_verify'] = [];
foreach ($verify as $i => [$nonce, $note]) {
    $row = ['t' => $t, 'nonce' => $nonce, 'uid' => 6, 'token' => TOKEN, 'result' => $got[$i]['result']];
    if ($note !== null) {
        $row['note'] = $note;
    }
    $v['nonce_verify'][] = $row;
}
$v['nonce_ticks'] = [];
foreach ([1800014400, 1800014401] as $t) {
    $got = frozen($t, [['action' => 'wp_rest', 'uid' => 0, 'token' => '', 'life' => 86400]]);
    $v['nonce_ticks'][] = ['t' => $t, 'life' => 86400, 'tick' => (int) $got[0]['tick']];
}

// jwt — JWT Authentication for WP REST API 1.3.4 is not WordPress core: its token is firebase/php-jwt 6.4.0's
// JWT::encode (header {"typ":"JWT","alg":…}, json_encode(JSON_UNESCAPED_SLASHES), base64url, HMAC-SHA256),
// done here in those steps. Computed: payload, token.
$b64url = fn(string $s) => str_replace('=', '', strtr(base64_encode($s), '+/', '-_'));
$payload = json_encode(['iss' => SITEURL, 'iat' => 1800000000, 'nbf' => 1800000000, 'exp' => 1800000000 + 7 * DAY_IN_SECONDS,
    'data' => ['user' => ['id' => '1']]], JSON_UNESCAPED_SLASHES);
$signing = $b64url(json_encode(['typ' => 'JWT', 'alg' => 'HS256'], JSON_UNESCAPED_SLASHES)) . '.' . $b64url($payload);
$v['jwt'] = ['secret' => 'jwt-test-secret', 'alg' => 'HS256', 'payload' => $payload,
    'token' => $signing . '.' . $b64url(hash_hmac('sha256', $signing, 'jwt-test-secret', true))];

// serialized — computed: serialize() of each PHP expression (maybe_serialize for the already-serialized string).
$v['serialized'] = [];
foreach (["'é'", "'ü€'", '0.1', '1.0', '1e25', 'true', 'false', 'null', '10', "'10'", "array(5=>'a','k'=>array(1,2))",
    "array('1'=>'x','01'=>'y')"] as $php) {
    $v['serialized'][] = ['php' => $php, 'serialized' => serialize(eval("return $php;"))];
}
$v['serialized'][] = ['php' => "maybe_serialize('a:1:{i:0;i:1;}')", 'serialized' => maybe_serialize('a:1:{i:0;i:1;}'),
    'maybe_serialize_of' => 'a:1:{i:0;i:1;}'];
// serialized_corrupt — an input PHP cannot unserialize (checked here).
$corrupt = 'a:1:{i:0;s:24:"jwt-auth/jwt-auth.php";}';
if (@unserialize($corrupt) !== false) {
    throw new RuntimeException('the corrupt value unserializes');
}
$v['serialized_corrupt'] = [['stored' => $corrupt, 'note' => 'A.8 active_plugins with a wrong length: PHP sees no active plugins']];

echo wp71_json($v), "\n";
