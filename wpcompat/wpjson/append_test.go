package wpjson

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// refJSON is the encoding before appendJSON: encoding/json (HTML escaping off) for everything, *Object key by key.
func refJSON(t *testing.T, v any) []byte {
	if o, ok := v.(*Object); ok && o != nil {
		var buf bytes.Buffer
		buf.WriteByte('{')
		for i, k := range o.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.Write(refJSON(t, k))
			buf.WriteByte(':')
			buf.Write(refJSON(t, o.vals[i]))
		}
		buf.WriteByte('}')
		return buf.Bytes()
	}
	if l, ok := v.([]any); ok && l != nil {
		var buf bytes.Buffer
		buf.WriteByte('[')
		for i, e := range l {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.Write(refJSON(t, e))
		}
		buf.WriteByte(']')
		return buf.Bytes()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// build turns fuzz bytes into a nested value of the kinds answers hold.
func build(data []byte, s string, depth int) (any, []byte) {
	if len(data) == 0 {
		return s, nil
	}
	k := data[0]
	data = data[1:]
	switch k % 13 {
	case 0:
		return nil, data
	case 1:
		return s, data
	case 2:
		return int64(k) * -12345678901, data
	case 3:
		return k%2 == 0, data
	case 4:
		return PHPFloat(float64(k) / 7), data
	case 5:
		return json.Number("12.50"), data
	case 6:
		return float64(k) * 1e21, data
	case 7:
		return []any(nil), data
	case 8:
		return map[string]any{"b": s, "a": int(k)}, data
	case 12:
		return Raw(appendString(nil, s)), data
	case 9, 10:
		if depth > 4 {
			return s[:len(s)/2], data
		}
		o := NewObject()
		n := int(k % 4)
		for i := 0; i < n; i++ {
			var v any
			v, data = build(data, s, depth+1)
			o.Set(s+string(rune('a'+i)), v)
		}
		return o, data
	default:
		if depth > 4 {
			return uint64(k), data
		}
		var l []any
		for i := 0; i < int(k%4); i++ {
			var v any
			v, data = build(data, s, depth+1)
			l = append(l, v)
		}
		return l, data
	}
}

func FuzzAppendJSON(f *testing.F) {
	for _, s := range []string{"plain", "a\"b\\c", "\x00\x1f\b\f\n\r\t", "\u2028\u2029é😀", "\xff\xfe bad", "</script>&'"} {
		f.Add([]byte{9, 1, 2, 3, 11, 4, 5, 6, 7, 8, 0}, s)
	}
	f.Fuzz(func(t *testing.T, shape []byte, s string) {
		v, _ := build(shape, s, 0)
		got, err := appendJSON(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		if want := refJSON(t, v); !bytes.Equal(got, want) {
			t.Fatalf("appendJSON = %s\nencoding/json = %s", got, want)
		}
		if got, want := appendString(nil, s), refJSON(t, s); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, encoding/json %s", s, got, want)
		}
	})
}

func BenchmarkMarshalJSONObject(b *testing.B) {
	o := NewObject()
	for _, k := range []string{"id", "user_id", "contact_id", "email", "first_name", "last_name", "status", "purchase_value", "created_at"} {
		o.Set(k, "value of "+k)
	}
	o.Set("labels", []any{NewObject().Set("id", 1).Set("title", "VIP")})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MarshalJSON(o); err != nil {
			b.Fatal(err)
		}
	}
}

// Object keeps PHP array semantics across the scan/index switch: order, replace in place, delete, re-add.
func TestObjectOrderAcrossIndex(t *testing.T) {
	o := NewObject()
	var want []string
	for i := 0; i < 3*indexAt; i++ {
		k := string(rune('A'+i%26)) + string(rune('a'+i/26))
		o.Set(k, i)
		want = append(want, k)
	}
	o.Set("Ca", "replaced")
	if v, _ := o.Get("Ca"); v != "replaced" || o.Keys()[2] != "Ca" {
		t.Fatalf("replace: %v at %v", v, o.Keys()[2])
	}
	kept := o.Keys()
	o.Delete("Ba")
	o.Delete("nope")
	if len(kept) != len(want) || kept[1] != "Ba" {
		t.Fatal("a slice Keys returned before changed with Delete")
	}
	o.Set("Ba", 1)
	want = append(append(want[:1:1], want[2:]...), "Ba")
	if got := o.Keys(); !slices.Equal(got, want) {
		t.Fatalf("keys %v\nwant %v", got, want)
	}
	for i, k := range o.Keys() {
		if v, ok := o.Get(k); !ok || v != o.vals[i] {
			t.Fatalf("Get(%q) = %v", k, v)
		}
	}
	small := NewObject().Set("a", 1).Set("b", 2)
	small.Delete("a")
	if v, ok := small.Get("b"); !ok || v != 2 || small.Len() != 1 {
		t.Fatal("small object delete")
	}
}
