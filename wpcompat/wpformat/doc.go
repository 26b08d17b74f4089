// Package wpformat reproduces WordPress 7.1's formatting functions (sanitize_text_field, sanitize_email,
// is_email, esc_url, esc_html, sanitize_user, sanitize_title, remove_accents, wp_strip_all_tags), checked against
// vectors WordPress itself produced (fluentcart/wpfuncs_test.go, FuzzFormattingAgainstWordPress).
//
// It imports only wpcompat/php; it must not import wpcompat or any plugin package.
package wpformat
