package models

// Dates and JSON columns as the ORM hands them to json_encode.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// PHPDate parses a stored "Y-m-d H:i:s" (or "Y-m-d") the way Model::asDateTime does; month/day overflow rolls
// over like PHP's DateTime (the zero date becomes -0001-11-30).
func PHPDate(s string) (time.Time, bool) {
	var y, mo, d, h, mi, sec int
	if n, _ := fmt.Sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec); n == 6 && len(s) == 19 {
		return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC), true
	}
	if dateOnly.MatchString(s) {
		fmt.Sscanf(s, "%d-%d-%d", &y, &mo, &d)
		return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

var dateOnly = regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}$`)

// ISODate is DateTime::toJSON (date('c') under WordPress's UTC default timezone). Values the parser does not
// understand are returned unchanged.
func ISODate(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t, ok := PHPDate(s)
	if !ok {
		return s
	}
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d+00:00", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second())
}

// JSONDecode is json_decode($s, true) followed by json_encode: PHP arrays with keys 0..n-1 become lists, an
// empty object becomes [], numbers keep PHP's int/float split. ok is false when the text is not valid JSON.
func JSONDecode(s string) (any, bool) {
	v, err := wpjson.DecodeOrdered([]byte(s))
	if err != nil {
		return nil, false
	}
	return ArrayValue(v), true
}

func ArrayValue(v any) any {
	switch t := v.(type) {
	case *wpjson.Object:
		keys := t.Keys()
		list := true
		for i, k := range keys {
			if k != strconv.Itoa(i) {
				list = false
				break
			}
		}
		if list {
			out := make([]any, 0, len(keys))
			for _, k := range keys {
				x, _ := t.Get(k)
				out = append(out, ArrayValue(x))
			}
			return out
		}
		o := wpjson.NewObject()
		for _, k := range keys {
			x, _ := t.Get(k)
			o.Set(k, ArrayValue(x))
		}
		return o
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = ArrayValue(x)
		}
		return out
	case json.Number:
		return Number(t)
	}
	return v
}

// Number is the int or float json_decode makes of a JSON number, ready for MarshalJSON.
func Number(n json.Number) any {
	s := n.String()
	if !strings.ContainsAny(s, ".eE") {
		if i, err := n.Int64(); err == nil {
			return i
		}
	}
	f, _ := n.Float64()
	return wpjson.PHPFloat(f)
}
