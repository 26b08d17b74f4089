package phpconfig

import (
	"math"
	"strconv"
	"strings"
)

// PHP value semantics (PHP 8) used by the wp-config.php reader: truthiness, string and int
// conversion, identity, loose equality, dirname().

func cfgAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cfgDirname is PHP's dirname() for "/"-separated paths.
func cfgDirname(p string) string {
	if p == "" {
		return ""
	}
	end := len(p)
	for end > 0 && p[end-1] == '/' {
		end--
	}
	if end == 0 {
		return "/"
	}
	for end > 0 && p[end-1] != '/' {
		end--
	}
	if end == 0 {
		return "."
	}
	for end > 0 && p[end-1] == '/' {
		end--
	}
	if end == 0 {
		return "/"
	}
	return p[:end]
}

// cfgTruthy is PHP's boolean conversion.
func cfgTruthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	case string:
		return x != "" && x != "0"
	}
	return false
}

// cfgToString is PHP's string conversion.
func cfgToString(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "1"
		}
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case string:
		return x
	}
	return ""
}

// cfgToInt is PHP's (int) cast for the cases without float semantics.
func cfgToInt(v any) (int64, bool) {
	switch x := v.(type) {
	case nil:
		return 0, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case int64:
		return x, true
	case string:
		s := strings.TrimLeft(x, " \t\n\r\v\f")
		neg := false
		if s != "" && (s[0] == '+' || s[0] == '-') {
			neg = s[0] == '-'
			s = s[1:]
		}
		i := 0
		var n uint64
		overflow := false
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if n > (math.MaxInt64-9)/10 {
				overflow = true
			}
			n = n*10 + uint64(s[i]-'0')
			i++
		}
		if i < len(s) && (s[i] == '.' || s[i] == 'e' || s[i] == 'E') {
			return 0, false // float-like numeric strings
		}
		switch {
		case overflow && neg:
			return math.MinInt64, true
		case overflow:
			return math.MaxInt64, true
		case neg:
			return -int64(n), true
		}
		return int64(n), true
	}
	return 0, false
}

func cfgIdentical(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	}
	return false
}

// cfgNumeric parses a PHP 8 numeric string (surrounding whitespace allowed).
func cfgNumeric(s string) (float64, bool) {
	t := strings.Trim(s, " \t\n\r\v\f")
	if t == "" {
		return 0, false
	}
	i := 0
	if t[i] == '+' || t[i] == '-' {
		i++
	}
	digits := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(t) && t[i] == '.' {
		i++
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		j := i + 1
		if j < len(t) && (t[j] == '+' || t[j] == '-') {
			j++
		}
		if j < len(t) && t[j] >= '0' && t[j] <= '9' {
			for j < len(t) && t[j] >= '0' && t[j] <= '9' {
				j++
			}
			i = j
		}
	}
	if i != len(t) {
		return 0, false
	}
	f, err := strconv.ParseFloat(t, 64)
	return f, err == nil || strings.Contains(err.Error(), "range")
}

// cfgLooseEqual is PHP 8's == for null, bool, int and string.
func cfgLooseEqual(a, b any) (bool, bool) {
	if _, ok := a.(bool); ok {
		return cfgTruthy(a) == cfgTruthy(b), true
	}
	if _, ok := b.(bool); ok {
		return cfgTruthy(a) == cfgTruthy(b), true
	}
	if a == nil || b == nil {
		other := a
		if a == nil {
			other = b
		}
		if s, ok := other.(string); ok {
			return s == "", true
		}
		return !cfgTruthy(other), true
	}
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y, true
		case string:
			if f, ok := cfgNumeric(y); ok {
				return float64(x) == f, true
			}
			return strconv.FormatInt(x, 10) == y, true
		}
	case string:
		switch y := b.(type) {
		case int64:
			return cfgLooseEqual(y, x)
		case string:
			fx, okx := cfgNumeric(x)
			fy, oky := cfgNumeric(y)
			if okx && oky {
				return fx == fy, true
			}
			return x == y, true
		}
	}
	return false, false
}
