<?php
/**
 * Variant: a stock single-site install, laid out like wp-config-sample.php
 * (define() calls with the spacing WordPress uses, $table_prefix, the ABSPATH
 * guard and the wp-settings.php bootstrap). Values are test data.
 */

// ** Database ** //
define( 'DB_NAME', 'shop_wp' );
define( 'DB_USER', 'shop_user' );
define( 'DB_PASSWORD', 'Sh0p!pass' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8' );
define( 'DB_COLLATE', '' );

/**#@+
 * Keys and salts (test values).
 */
define( 'AUTH_KEY',         'i^4gLZ-(uM|Z3v4Yk-9@u)t+AM<}>f0-]%Dq9/v|Jd)I~qXx=BV6i[E>g9^8l`9G' );
define( 'SECURE_AUTH_KEY',  'Zq(2&$bVg:3V|0n^iQ,%$uM8J2%:f3zg^jKzX|>p0@w]?r1J=|j#R8+5<G0]kR~6' );
define( 'LOGGED_IN_KEY',    'c0]D_#;/z{k6gq6N9C0N+R8-4uW!=8$Ev0X@:Jq>-<Yw8[Np3$6KQ|3)cT0/Vn@r' );
define( 'NONCE_KEY',        '1p|]O~0tSg+e<e:Z,G0m)u-*hW@[/2Hn2B4i8@hGq{8.-Cqk|E5Lz!|-1~Mc8Y)b' );
define( 'AUTH_SALT',        'r6]>Q~t9y5|4N+5&o_W6Jv{2)Jl,0e-2{%c~Ur@O,2L^rT^Y]p3?H1G|Kn8)U=^q' );
define( 'SECURE_AUTH_SALT', 'Pj:9n0X{/YxE%5e?^e&)T,ho6Gz4&G$R;7~pR;O+1^@k5~D6[zYt@b8e-J8bXGxI' );
define( 'LOGGED_IN_SALT',   '0S)8w|Z9lR=JV}x3Fi%+2pQ]2+jq{G?2yTt;@Ry)*d4Gd}8U/8+x?Xy4v5G?:4fB' );
define( 'NONCE_SALT',       'put your unique phrase here' );
/**#@-*/

$table_prefix = 'shop_';

define( 'WP_DEBUG', false );

/* Custom values go here. */

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}

require_once ABSPATH . 'wp-settings.php';
