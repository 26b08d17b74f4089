package wpjson

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// appendJSON appends what encoding/json (HTML escaping off) writes for v, for the values answers are made of —
// strings, integers, booleans, nil, *Object, []any, PHPFloat, json.Number, json.RawMessage — without the
// reflection, the per-value encoders and the re-compaction encoding/json gives a Marshaler's output (which made
// every nesting level encode its contents again). Anything else goes through encoding/json itself, so the bytes
// are the same whatever v holds (FuzzAppendJSON holds the two together).
func appendJSON(b []byte, v any) ([]byte, error) {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, t), nil
	case bool:
		if t {
			return append(b, "true"...), nil
		}
		return append(b, "false"...), nil
	case int:
		return strconv.AppendInt(b, int64(t), 10), nil
	case int64:
		return strconv.AppendInt(b, t, 10), nil
	case int32:
		return strconv.AppendInt(b, int64(t), 10), nil
	case uint64:
		return strconv.AppendUint(b, t, 10), nil
	case *Object:
		if t == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '{')
		for i, k := range t.keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			var err error
			if b, err = appendJSON(b, t.vals[i]); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case []any:
		if t == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range t {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSON(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case Raw:
		return append(b, t...), nil
	case PHPFloat:
		raw, err := t.MarshalJSON()
		if err != nil {
			return nil, &json.MarshalerError{Type: nil, Err: err}
		}
		return append(b, raw...), nil
	}
	raw, err := marshalRaw(v)
	if err != nil {
		return nil, err
	}
	return append(b, raw...), nil
}

// Raw is JSON text already encoded the way encoding/json does it (compact, HTML escaping off, Go's escapes —
// MarshalJSON still applies PHP's escaping to the whole answer). It is written as it is: encoding/json would parse
// and compact a Marshaler's output again.
type Raw []byte

// MarshalJSON returns r.
func (r Raw) MarshalJSON() ([]byte, error) { return r, nil }

// AppendString appends s as a JSON string the way encoding/json writes it with SetEscapeHTML(false) (before
// MarshalJSON's PHP escaping).
func AppendString(b []byte, s string) []byte { return appendString(b, s) }

// appendString is encoding/json's string encoding with SetEscapeHTML(false): '"' and '\\' escaped, control
// characters as \b \f \n \r \t or \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 as \u2028 and \u2029.
func appendString(b []byte, s string) []byte { return appendQuoted(b, s, true) }

// AppendStringSlog is AppendString as log/slog's JSON handler writes strings: the same, except that \b and \f are
// written \u0008 and \u000c (slog gives only \n \r \t short escapes).
func AppendStringSlog(b []byte, s string) []byte { return appendQuoted(b, s, false) }

// appendQuoted is appendString; shortBF selects the \b and \f short escapes (encoding/json) over \u00XX (slog).
func appendQuoted(b []byte, s string, shortBF bool) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b', '\f':
				if !shortBF {
					b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
				} else if c == '\b' {
					b = append(b, '\\', 'b')
				} else {
					b = append(b, '\\', 'f')
				}
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
