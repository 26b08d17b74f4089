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
	if t, ok := plainDateTime(s); ok {
		return t, true
	}
	if t, ok := scanDateTime(s); ok {
		return t, true
	}
	var y, mo, d int
	if dateOnly.MatchString(s) {
		fmt.Sscanf(s, "%d-%d-%d", &y, &mo, &d)
		return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// scanDateTime is the general "Y-m-d H:i:s" reading (widths up to 4 and 2, 19 characters in all).
func scanDateTime(s string) (time.Time, bool) {
	var y, mo, d, h, mi, sec int
	if n, _ := fmt.Sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec); n == 6 && len(s) == 19 {
		return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC), true
	}
	return time.Time{}, false
}

// plainDateTime is PHPDate's fast path for what MySQL DATETIME columns hold: exactly "dddd-dd-dd dd:dd:dd".
// Anything else goes to the scanner.
func plainDateTime(s string) (time.Time, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC), true
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
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d+00:00", y, int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second())
	}
	// The same text as the Sprintf above, without fmt (this runs for every date of every answer).
	b := make([]byte, 0, 25)
	pad := func(v, w int) {
		var d [4]byte
		for i := w - 1; i >= 0; i-- {
			d[i] = byte('0' + v%10)
			v /= 10
		}
		b = append(b, d[:w]...)
	}
	pad(t.Year(), 4)
	b = append(b, '-')
	pad(int(t.Month()), 2)
	b = append(b, '-')
	pad(t.Day(), 2)
	b = append(b, 'T')
	pad(t.Hour(), 2)
	b = append(b, ':')
	pad(t.Minute(), 2)
	b = append(b, ':')
	pad(t.Second(), 2)
	return string(append(b, "+00:00"...))
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
