// Package wpjson is WordPress's JSON: wp_json_encode's exact bytes (MarshalJSON, MarshalJSONPretty), Object —
// a PHP associative array that keeps insertion order — with DecodeOrdered to read JSON back into it, and PHPFloat /
// FormatPHPFloat for PHP's float output. Every answer body of every package is encoded here.
//
// It is a leaf: it imports no other wpsidecar package (wpcompat, the plugin packages and shadow import it).
package wpjson
