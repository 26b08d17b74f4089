<?php
/**
 * wp-config.php of the wpsidecar demo site (testdata/demo).
 *
 * Laid out like a stock WordPress install: database settings, keys and salts,
 * table prefix, environment, then the bootstrap block. The keys and salts
 * below are demo values, public on purpose; never reuse them on a real site.
 */

// ** Database settings ** //
define( 'DB_NAME', 'wpsidecar_demo' );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );

/**#@+
 * Authentication unique keys and salts (demo values).
 */
define( 'AUTH_KEY',         '0]jqevwbf|H}3`Yc|>VmS}u1}W~1E^2t dK{+/HoSHv4;r5rzFyH;: iG60UOxy-' );
define( 'SECURE_AUTH_KEY',  ':~#@6Fzyq+9N:I2tBC<q]p6ckpi[IgTrhvPJP!U@a?+z G=k^0^Yz CWo+;4v2`]' );
define( 'LOGGED_IN_KEY',    '[1IK;fQ|y;NHKr:o65deDqQ*glM:&M{c{niVQ7mQ0Q!n2qg>j.tnrt7uG{<-6yJ@' );
define( 'NONCE_KEY',        'WCUC9ox?rklE/s~&h4eR}+2}ut7cGh3d10]B @wFWD(`ejNW.3#WEJ=Snz.uuYB#' );
define( 'AUTH_SALT',        'UV~Egn)RUY_8q6B}d}PuvF5I:NL?B2tiE+4>~`;e~TvH*6K<DZ)$y,?lqGUj=R{m' );
define( 'SECURE_AUTH_SALT', ';QA8+lR9Kl8^0zny-N1EoKNZKV<;`gY!$rS czK#n^[H*-ydL=1Se$m+7rQx}RgL' );
define( 'LOGGED_IN_SALT',   '%A+hvD{MrzZANxnrm3~86Nv3(bO+A4$um1>x%R@m_,iYM2(v.].UF)]XCi,F2^7@' );
define( 'NONCE_SALT',       'K?+mOl@}>pjt%+Ab&>qJJ@G`n|^K:c05%=%TUG!]]A-bS;/,Tu1t&[im&<IH:/:]' );

/**#@-*/

/**
 * Database table prefix.
 */
$table_prefix = 'wp_';

/**
 * Environment: "local" lets Application Passwords work over plain http.
 */
define( 'WP_ENVIRONMENT_TYPE', 'local' );

/**
 * Debugging mode.
 */
define( 'WP_DEBUG', false );

/* Site-specific settings go above this line. */

/** Absolute path to the WordPress directory. */
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}

/** Sets up WordPress vars and included files. */
require_once ABSPATH . 'wp-settings.php';
