<?php
// Checks, in WordPress 7.1 itself, the properties FuzzFormattingAgainstWordPress (fluentcart/wpfuncs_fuzz_test.go)
// asserts of the sidecar's formatting functions on any input, so that the fuzz target never holds the sidecar to a
// rule WordPress does not follow:
//
//   WP71_DIR=/tmp/wp71 php testdata/fluentcart/check-formatting-properties.php
//
// (Not a property: sanitize_email is not idempotent, e.g. "0@0 .0" -> "0@0.0" -> "".)
// 40,000 random strings (seeded: the same every run) of fragments that matter to these functions. Prints each
// property with its number of counterexamples; exits 1 if any property fails.
require __DIR__ . '/../wpcompat/wp71-bootstrap.php';

mt_srand(42);
$alpha = ['a', 'b', 'Z', '0', '9', ' ', "\t", "\n", '<', '>', '&', '%', '4', '1', '@', '.', '-', '_', "'", '"', '/',
    ':', 'é', 'ü', "\xff", "\xc3", '芳', '😀', ';', '#', '?', '=', '+', '!', '(', ')', '\\', "\r", "\x00", "\f",
    'lt;', '&amp;', 'http://', 'mailto:', 'javascript:', '%41', '%e2%80%8b', '<b>', '</b>', '<!--', '-->',
    'example.com', '..'];
$props = [
    'sanitize_text_field idempotent' => fn($s) => sanitize_text_field(sanitize_text_field($s)) === sanitize_text_field($s),
    'sanitize_text_field: no tab/newline/outer or double space' => function ($s) {
        $t = sanitize_text_field($s);
        return !preg_match('/[\t\n\r]/', $t) && $t === trim($t, ' ') && strpos($t, '  ') === false;
    },
    'sanitize_user strict idempotent, [A-Za-z0-9 _.-@]' => function ($s) {
        $u = sanitize_user($s, true);
        return sanitize_user($u, true) === $u && preg_match('/^[A-Za-z0-9 _.\-@]*$/', $u);
    },
    'sanitize_title(sanitize_user strict) idempotent, [a-z0-9_-.@%]' => function ($s) {
        $t = sanitize_title(sanitize_user($s, true));
        return sanitize_title($t) === $t && preg_match('/^[a-z0-9_\-.@%]*$/', $t);
    },
    'is_email => sanitize_email unchanged' => fn($s) => !is_email($s) || sanitize_email($s) === $s,
    'esc_html: no < > " \'' => fn($s) => strpbrk(esc_html($s), "<>\"'") === false,
    'esc_url: no space < > " \' \\' => fn($s) => strpbrk(esc_url($s), " <>\"'\\") === false,
];
$fails = array_fill_keys(array_keys($props), []);
for ($i = 0; $i < 40000; $i++) {
    $s = '';
    for ($j = mt_rand(0, 10); $j > 0; $j--) {
        $s .= $alpha[mt_rand(0, count($alpha) - 1)];
    }
    foreach ($props as $name => $p) {
        if (!$p($s)) {
            $fails[$name][] = $s;
        }
    }
}
$bad = false;
foreach ($fails as $name => $f) {
    printf("%-70s %d counterexamples%s\n", $name, count($f), $f ? ' e.g. ' . json_encode(array_slice($f, 0, 3), JSON_INVALID_UTF8_SUBSTITUTE) : '');
    $bad = $bad || $f;
}
exit($bad ? 1 : 0);
