package fluentcart

// A single-pass encoder for the answer trees the handlers build (*wpjson.Object, []any, scalars). The router
// encodes a body with wpjson.MarshalJSON, which re-encodes every nested *Object once per nesting level; a
// customer list is five levels deep, so handlers hand over pre-encoded bytes instead. The output is what
// encoding/json writes without HTML escaping (wpjson.MarshalJSON then applies PHP's escaping to it);
// TestEncodeMatchesMarshalJSON holds the two together.

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// rawJSON is a pre-encoded body (written as is by the router's encoder).
type rawJSON = wpjson.Raw

// encoded encodes v into a rawJSON body.
func encoded(v any) (rawJSON, error) {
	var buf bytes.Buffer
	buf.Grow(1024) // a customer is about 1 KB; larger bodies grow by doubling (4 KB up front was zeroed per request)
	if err := encodeValue(&buf, v); err != nil {
		return nil, err
	}
	return rawJSON(buf.Bytes()), nil
}

func encodeValue(b *bytes.Buffer, v any) error {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		encodeString(b, t)
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case int:
		b.WriteString(strconv.Itoa(t))
	case wpjson.PHPFloat:
		p, err := t.MarshalJSON()
		if err != nil {
			return err
		}
		b.Write(p)
	case json.Number:
		b.WriteString(t.String())
	case *wpjson.Object:
		if t == nil {
			b.WriteString("null")
			return nil
		}
		b.WriteByte('{')
		for i, k := range t.Keys() {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeString(b, k)
			b.WriteByte(':')
			x, _ := t.Get(k)
			if err := encodeValue(b, x); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encodeValue(b, x); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case phpObject:
		return encodeValue(b, t.v)
	default:
		p, err := json.Marshal(t)
		if err != nil {
			return err
		}
		b.Write(p)
	}
	return nil
}

// encodeString writes s as encoding/json does with SetEscapeHTML(false) (wpjson.AppendString).
func encodeString(b *bytes.Buffer, s string) {
	b.Write(wpjson.AppendString(b.AvailableBuffer(), s))
}
