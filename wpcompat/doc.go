// Package wpcompat is the WordPress ground every other package stands on: the Site (wp-config.php, tables,
// options, timezone, the primary/replica pools and their fault watch), users and usermeta as get_user_by and
// get_user_meta read them, roles and capabilities, Ident (the one SQL identifier quoting) and the read-cache glue.
//
// It imports only its leaf subpackages (php, phpconfig, phpserial, wpjson) and bincache; it must not import
// wpcompat/rest, wpcompat/authn, any plugin package or cmd/.
package wpcompat
