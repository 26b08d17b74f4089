// Package phpconfig reads wp-config.php the way WordPress sees it after executing it — its constants and
// $table_prefix — without running PHP: a tokenizer, parser and evaluator for the closed PHP subset wp-config.php
// files are written in (config_*.go), and DB_HOST parsing into a MySQL connection (dbhost.go).
//
// It is a leaf: it imports no other wpsidecar package (wpcompat and the commands import it).
package phpconfig
