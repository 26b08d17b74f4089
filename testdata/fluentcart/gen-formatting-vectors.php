<?php
// Regenerates wp71_formatting_vectors.json from WordPress 7.1's own formatting functions (no database):
//
//   php testdata/fluentcart/gen-formatting-vectors.php > testdata/fluentcart/wp71_formatting_vectors.json
//
// WP71_DIR names the WordPress 7.1 tree (see ../wpcompat/wp71-bootstrap.php). Every value is deterministic: the
// output is the committed file byte for byte. To add a case, append its input to $inputs and regenerate; never
// edit the JSON by hand. Strings are base64-encoded (inputs include invalid UTF-8). Per input:
//   text     sanitize_text_field($in)            email    sanitize_email($in)
//   url      esc_url($in)                         urlraw   sanitize_url($in)
//   user     sanitize_user($in, true)             title    sanitize_title(sanitize_user($in, true))
//   eschtml  esc_html($in)                        isemail  (bool) is_email($in)
//   intval   intval($in)                          numeric  is_numeric($in)
require __DIR__ . '/../wpcompat/wp71-bootstrap.php';

$inputs = [
    '', ' ', 'abc', '  a  b  ', "a\tb\nc", '<b>bold</b> text', 'a < b', 'a < b > c', 'x<y', '<', 'a<>b', '5 > 3',
    '100%', '50% off', '%41%42c', 'a%2', '%zz', 'Café', "O'Brien", 'D"Angelo', 'a\\b', 'é&amp;', 'AT&T',
    '&lt;b&gt;', '<script>alert(1)</script>x', '<!-- c -->d', '<?php echo 1; ?>e', "tab\there", '  lead',
    'trail  ', "\xff\xfe", 'Zoë Müller', '芳 王', 'Lucky 🍀', "a\r\nb", "<a href='x'>y</a>", '1 < 2 and 3 > 2',
    '<<b>>', "x < y\n", '%e2%80%8b', 'Smith/Jones',
    // e-mail
    'jane.doe@example.com', ' jane@example.com ', 'Jane@Example.COM', 'a@b.c', 'a@b.co', 'a..b@example.com',
    'a@b..com', 'a@-b.com', 'a@b-.com', 'user+tag@example.com', 'user name@example.com', 'x@y', '@example.com',
    'a@example.com.', 'ü@example.com', 'a@exa_mple.com',
    // numbers
    '12345', '1e3', ' 12', '12abc', '0x1A', '1.5', '-3', '+4', '.5', '5.', '',
    // URLs
    'http://example.com/a b', 'https://ex.com/?a=1&b=2', 'javascript:alert(1)', 'example.com/x', '/path',
    'mailto:a@b.c', 'ftp://x', "http://x.com/'q'", 'HTTPS://X.COM', '//x.com',
    // found by FuzzFormattingAgainstWordPress: stripping %0a/%0d leaves nothing (PHP's $url[0] is then "")
    '%0A', '%0d%0A%0a',
];

$out = [];
foreach ($inputs as $in) {
    $user = sanitize_user($in, true);
    $out[] = [
        'in' => base64_encode($in),
        'text' => base64_encode(sanitize_text_field($in)),
        'email' => base64_encode(sanitize_email($in)),
        'url' => base64_encode(esc_url($in)),
        'user' => base64_encode($user),
        'title' => base64_encode(sanitize_title($user)),
        'intval' => intval($in),
        'numeric' => is_numeric($in),
        'urlraw' => base64_encode(sanitize_url($in)),
        'eschtml' => base64_encode(esc_html($in)),
        'isemail' => (bool) is_email($in),
    ];
}
echo wp71_json($out); // the committed file has no final newline
