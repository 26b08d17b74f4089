// Package phpserial is PHP's serialize/unserialize for the shapes WordPress stores (scalars and arrays, never
// objects or references): PHPArray, an ordered PHP array; WordPress's is_serialized, maybe_serialize and
// maybe_unserialize; and StringList for list options such as active_plugins.
//
// It imports only wpcompat/php; it must not import wpcompat or any other wpsidecar package.
package phpserial
