package phpserial

// PHP serialize/unserialize for the shapes WordPress stores (spec §3). Facts from php-src
// ext/standard/var_unserializer.re and var.c (PHP 7.1–8.4) and WordPress 7.1 wp-includes/functions.php
// (is_serialized, maybe_serialize, maybe_unserialize).

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
)

// Decoder limits. PHP's own unserialize_max_depth default is 4096; the size cap is ours (user meta and
// options that the sidecar reads are kilobytes).
const (
	maxSerializedDepth = 4096
	MaxSerializedSize  = 16 << 20 // bytes; larger values are refused with ErrTooLarge
)

var (
	// ErrPHPFalse means the value looked serialized but PHP's unserialize would return false (corrupt).
	ErrPHPFalse = errors.New("phpserialize: corrupt serialized value (PHP unserialize returns false)")
	// ErrUnsupported means the value holds an object (O:, C:, E:) or reference (r:, R:), which are never decoded.
	ErrUnsupported = errors.New("phpserialize: objects, enums and references are not decoded")
	// ErrTooLarge means the input exceeds MaxSerializedSize.
	ErrTooLarge = errors.New("phpserialize: serialized value too large")
)

// phpEntry is one array element; Key is int64 or string.
type phpEntry struct {
	Key   any
	Value any
}

// PHPArray is a PHP array: ordered entries with int64 or string keys (zero value is an empty array).
type PHPArray struct {
	entries []phpEntry
	index   map[any]int // key -> position; built once the array outgrows a linear scan
	next    int64       // next free integer key, like PHP's nNextFreeElement
}

const phpArrayIndexAt = 8

// NewPHPArray returns an empty array.
func NewPHPArray() *PHPArray { return &PHPArray{} }

// PHPList returns a list (keys 0..n-1) holding values.
func PHPList(values ...any) *PHPArray {
	a := &PHPArray{entries: make([]phpEntry, 0, len(values))}
	for _, v := range values {
		a.Append(v)
	}
	return a
}

// Len is PHP count().
func (a *PHPArray) Len() int {
	if a == nil {
		return 0
	}
	return len(a.entries)
}

// All iterates key/value pairs in order (keys are int64 or string).
func (a *PHPArray) All() iter.Seq2[any, any] {
	return func(yield func(any, any) bool) {
		if a == nil {
			return
		}
		for _, e := range a.entries {
			if !yield(e.Key, e.Value) {
				return
			}
		}
	}
}

// Get looks a key up with PHP key semantics ("5" and 5 are the same key).
func (a *PHPArray) Get(key any) (any, bool) {
	if a == nil {
		return nil, false
	}
	i := a.find(phpKey(key))
	if i < 0 {
		return nil, false
	}
	return a.entries[i].Value, true
}

// Set assigns a[key] = value like PHP: an existing key keeps its position; numeric strings become int keys.
func (a *PHPArray) Set(key, value any) *PHPArray {
	k := phpKey(key)
	if i := a.find(k); i >= 0 {
		a.entries[i].Value = phpValue(value)
		return a
	}
	a.insert(k, value)
	return a
}

// Append is PHP's $a[] = value.
func (a *PHPArray) Append(value any) *PHPArray {
	a.insert(a.next, value)
	return a
}

// IsList reports whether the keys are exactly 0..n-1 in order (a JSON array in PHP terms).
func (a *PHPArray) IsList() bool {
	for i, e := range a.entriesOrNil() {
		if k, ok := e.Key.(int64); !ok || k != int64(i) {
			return false
		}
	}
	return true
}

func (a *PHPArray) entriesOrNil() []phpEntry {
	if a == nil {
		return nil
	}
	return a.entries
}

func (a *PHPArray) find(k any) int {
	if a.index != nil {
		if i, ok := a.index[k]; ok {
			return i
		}
		return -1
	}
	for i, e := range a.entries {
		if e.Key == k {
			return i
		}
	}
	return -1
}

func (a *PHPArray) insert(k, v any) {
	a.entries = append(a.entries, phpEntry{Key: k, Value: phpValue(v)})
	if ik, ok := k.(int64); ok && ik >= a.next && ik < math.MaxInt64 {
		a.next = ik + 1
	}
	switch {
	case a.index != nil:
		a.index[k] = len(a.entries) - 1
	case len(a.entries) > phpArrayIndexAt:
		a.index = make(map[any]int, len(a.entries)*2)
		for i, e := range a.entries {
			a.index[e.Key] = i
		}
	}
}

// phpValue stores Go integer kinds as int64 and float32 as float64, the types Unserialize produces.
func phpValue(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}

// phpKey normalizes a Go value to a PHP array key: int64, or string unless it is a canonical decimal integer.
func phpKey(key any) any {
	switch k := key.(type) {
	case string:
		if i, ok := phpNumericKey(k); ok {
			return i
		}
		return k
	case int64:
		return k
	case int:
		return int64(k)
	case int32:
		return int64(k)
	case int16:
		return int64(k)
	case int8:
		return int64(k)
	case uint8:
		return int64(k)
	case uint16:
		return int64(k)
	case uint32:
		return int64(k)
	case bool:
		if k {
			return int64(1)
		}
		return int64(0)
	}
	panic(fmt.Sprintf("wpcompat: unsupported PHP array key type %T", key))
}

// phpNumericKey is ZEND_HANDLE_NUMERIC_STR: "0" or -?[1-9][0-9]* within int64 becomes an int key.
func phpNumericKey(s string) (int64, bool) {
	n := len(s)
	if n == 0 || n > 20 {
		return 0, false
	}
	i := 0
	if s[0] == '-' {
		i = 1
		if n == 1 {
			return 0, false
		}
	}
	if s[i] == '0' && n > 1 {
		return 0, false // leading zeros and "-0" stay strings
	}
	for j := i; j < n; j++ {
		if s[j] < '0' || s[j] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

// PHPTruthy is PHP's (bool) cast: "", "0", 0, 0.0, false, nil and empty arrays are false.
func PHPTruthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != "" && x != "0"
	case int64:
		return x != 0
	case int:
		return x != 0
	case float64:
		return x != 0 // NaN is true in PHP too
	case *PHPArray:
		return x.Len() > 0
	}
	return true
}

// IsSerialized is WordPress is_serialized($data, $strict) (spec §3.2), trim included.
func IsSerialized(s string, strict bool) bool {
	s = php.Trim(s)
	if s == "N;" {
		return true
	}
	if len(s) < 4 || s[1] != ':' {
		return false
	}
	if strict {
		if last := s[len(s)-1]; last != ';' && last != '}' {
			return false
		}
	} else {
		semi, brace := strings.IndexByte(s, ';'), strings.IndexByte(s, '}')
		if semi < 0 && brace < 0 {
			return false
		}
		if semi >= 0 && semi < 3 || brace >= 0 && brace < 4 {
			return false
		}
	}
	switch s[0] {
	case 's':
		if strict {
			if s[len(s)-2] != '"' {
				return false
			}
		} else if !strings.Contains(s, `"`) {
			return false
		}
		fallthrough
	case 'a', 'O', 'E':
		// ^X:[0-9]+:
		j := 2
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j > 2 && j < len(s) && s[j] == ':'
	case 'b', 'i', 'd':
		// ^X:[0-9.E+-]+; and, when strict, end of string right after.
		j := 2
		for j < len(s) && strings.IndexByte("0123456789.E+-", s[j]) >= 0 {
			j++
		}
		if j == 2 || j >= len(s) || s[j] != ';' {
			return false
		}
		return !strict || j == len(s)-1
	}
	return false
}

// MaybeUnserialize is WordPress maybe_unserialize: a non-serialized string comes back unchanged; a corrupt one
// gives (false, ErrPHPFalse); objects/references give ErrUnsupported.
func MaybeUnserialize(s string) (any, error) {
	if !IsSerialized(s, true) {
		return s, nil
	}
	return Unserialize(php.Trim(s))
}

// Unserialize is PHP unserialize() without objects: bytes after one complete value are ignored, as PHP does.
func Unserialize(s string) (any, error) {
	if len(s) > MaxSerializedSize {
		return false, ErrTooLarge
	}
	d := unserializer{s: s}
	v, err := d.value(0)
	if err != nil {
		return false, err
	}
	return v, nil
}

type unserializer struct {
	s   string
	pos int
}

func (d *unserializer) fail() error {
	return fmt.Errorf("%w (offset %d of %d bytes)", ErrPHPFalse, d.pos, len(d.s))
}

// expect consumes the literal t.
func (d *unserializer) expect(t string) bool {
	if strings.HasPrefix(d.s[d.pos:], t) {
		d.pos += len(t)
		return true
	}
	return false
}

func (d *unserializer) value(depth int) (any, error) {
	if len(d.s)-d.pos < 2 {
		return nil, d.fail()
	}
	tag := d.s[d.pos]
	if tag == 'N' {
		if d.s[d.pos+1] != ';' {
			return nil, d.fail()
		}
		d.pos += 2
		return nil, nil
	}
	if d.s[d.pos+1] != ':' {
		return nil, d.fail()
	}
	switch tag {
	case 'b':
		d.pos += 2
		if d.expect("0;") {
			return false, nil
		}
		if d.expect("1;") {
			return true, nil
		}
		return nil, d.fail()
	case 'i':
		d.pos += 2
		v, ok := d.int()
		if !ok || !d.expect(";") {
			return nil, d.fail()
		}
		return v, nil
	case 'd':
		d.pos += 2
		return d.float()
	case 's', 'S':
		return d.str()
	case 'a':
		return d.array(depth)
	case 'O', 'C', 'E', 'r', 'R':
		return nil, fmt.Errorf("%w (%q at offset %d)", ErrUnsupported, tag, d.pos)
	}
	return nil, d.fail()
}

// int parses [+-]?[0-9]+ like php_var_unserializer's parse_iv2: out-of-range values clamp (PHP only warns).
func (d *unserializer) int() (int64, bool) {
	neg := false
	if d.pos < len(d.s) && (d.s[d.pos] == '-' || d.s[d.pos] == '+') {
		neg = d.s[d.pos] == '-'
		d.pos++
	}
	start := d.pos
	var u uint64
	overflow := false
	for d.pos < len(d.s) && d.s[d.pos] >= '0' && d.s[d.pos] <= '9' {
		c := uint64(d.s[d.pos] - '0')
		if u > (math.MaxUint64-c)/10 {
			overflow = true
		} else {
			u = u*10 + c
		}
		d.pos++
	}
	if d.pos == start {
		return 0, false
	}
	switch {
	case neg && (overflow || u > 1<<63):
		return math.MinInt64, true
	case neg:
		return int64(-u), true // -(1<<63) wraps to MinInt64 correctly
	case overflow || u > math.MaxInt64:
		return math.MaxInt64, true
	}
	return int64(u), true
}

// uint parses [0-9]+ like parse_uiv: no sign, wraps silently on overflow (as PHP's size_t arithmetic does).
func (d *unserializer) uint() (uint64, bool) {
	start := d.pos
	var u uint64
	for d.pos < len(d.s) && d.s[d.pos] >= '0' && d.s[d.pos] <= '9' {
		u = u*10 + uint64(d.s[d.pos]-'0')
		d.pos++
	}
	return u, d.pos > start
}

// float accepts the re2c grammar of d: (iv | nv | nvexp, or NAN, INF, -INF) followed by ';'.
func (d *unserializer) float() (any, error) {
	for _, sp := range [...]struct {
		lit string
		v   float64
	}{{"NAN;", math.NaN()}, {"INF;", math.Inf(1)}, {"-INF;", math.Inf(-1)}} {
		if d.expect(sp.lit) {
			return sp.v, nil
		}
	}
	start := d.pos
	digits := func() int {
		n := 0
		for d.pos < len(d.s) && d.s[d.pos] >= '0' && d.s[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	if d.pos < len(d.s) && (d.s[d.pos] == '+' || d.s[d.pos] == '-') {
		d.pos++
	}
	n := digits()
	if d.pos < len(d.s) && d.s[d.pos] == '.' {
		d.pos++
		n += digits()
	}
	if n == 0 {
		return nil, d.fail()
	}
	if d.pos < len(d.s) && (d.s[d.pos] == 'e' || d.s[d.pos] == 'E') {
		save := d.pos
		d.pos++
		if d.pos < len(d.s) && (d.s[d.pos] == '+' || d.s[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			d.pos = save // not an exponent; the ';' check below fails
		}
	}
	text := d.s[start:d.pos]
	if !d.expect(";") {
		return nil, d.fail()
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, d.fail()
	}
	return v, nil
}

// str decodes s:<len>:"<bytes>"; and the legacy escaped form S:<len>:"<\xx escapes>";.
func (d *unserializer) str() (any, error) {
	escaped := d.s[d.pos] == 'S'
	d.pos += 2
	n, ok := d.uint()
	if !ok || !d.expect(`:"`) {
		return nil, d.fail()
	}
	var out string
	if !escaped {
		if n > uint64(len(d.s)-d.pos) {
			return nil, d.fail()
		}
		out = d.s[d.pos : d.pos+int(n)]
		d.pos += int(n)
	} else {
		if n > uint64(len(d.s)-d.pos) {
			return nil, d.fail()
		}
		b := make([]byte, 0, n)
		for i := uint64(0); i < n; i++ {
			if d.pos >= len(d.s) {
				return nil, d.fail()
			}
			c := d.s[d.pos]
			if c == '\\' {
				if d.pos+2 >= len(d.s) {
					return nil, d.fail()
				}
				hi, ok1 := php.Unhex(d.s[d.pos+1])
				lo, ok2 := php.Unhex(d.s[d.pos+2])
				if !ok1 || !ok2 {
					return nil, d.fail()
				}
				c = hi<<4 | lo
				d.pos += 2
			}
			b = append(b, c)
			d.pos++
		}
		out = string(b)
	}
	if !d.expect(`";`) {
		return nil, d.fail()
	}
	return out, nil
}

func (d *unserializer) array(depth int) (any, error) {
	d.pos += 2
	if d.pos >= len(d.s) || d.s[d.pos] < '0' || d.s[d.pos] > '9' {
		return nil, d.fail()
	}
	n, _ := d.int() // digits only (checked above); parse_iv clamps, so a huge count fails below
	if !d.expect(":{") {
		return nil, d.fail()
	}
	// Each element needs at least 6 bytes (i:0;N;): a larger count can only fail, so fail before allocating.
	if n < 0 || n > int64(len(d.s)-d.pos)/6 {
		return nil, d.fail()
	}
	// PHP checks unserialize_max_depth only when it descends into a non-empty array.
	if n > 0 && depth >= maxSerializedDepth {
		return nil, fmt.Errorf("%w: maximum depth %d exceeded", ErrPHPFalse, maxSerializedDepth)
	}
	a := &PHPArray{entries: make([]phpEntry, 0, n)}
	for i := int64(0); i < n; i++ {
		var key any
		switch {
		case d.pos+1 < len(d.s) && d.s[d.pos] == 'i' && d.s[d.pos+1] == ':':
			d.pos += 2
			v, ok := d.int()
			if !ok || !d.expect(";") {
				return nil, d.fail()
			}
			key = v
		case d.pos+1 < len(d.s) && (d.s[d.pos] == 's' || d.s[d.pos] == 'S') && d.s[d.pos+1] == ':':
			v, err := d.str()
			if err != nil {
				return nil, err
			}
			key = phpKey(v.(string)) // "5" becomes int 5, as zend_symtable_update does
		default:
			return nil, d.fail()
		}
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		a.Set(key, v) // a duplicate key overwrites in place, like PHP
	}
	if !d.expect("}") {
		return nil, d.fail()
	}
	return a, nil
}

// Serialize is PHP serialize() for nil, bool, integers, floats, strings, []byte, *PHPArray and slices
// (as lists). Other types are a programming error and panic.
func Serialize(v any) string {
	return string(appendSerialized(nil, v))
}

// MaybeSerialize is WordPress maybe_serialize, returning the string that ends up in the database.
func MaybeSerialize(v any) string {
	switch x := v.(type) {
	case string:
		if IsSerialized(x, false) {
			return Serialize(x) // double serialization, spec §3.3
		}
		return x
	case nil:
		return ""
	case bool:
		if x {
			return "1"
		}
		return ""
	case float64:
		return php.Gcvt(x, 14, 'E') // PHP (string) cast uses precision=14
	case float32:
		return php.Gcvt(float64(x), 14, 'E')
	}
	s := Serialize(v)
	if s[0] == 'i' { // integers are stored as their decimal form
		return s[2 : len(s)-1]
	}
	return s
}

func appendSerialized(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "N;"...)
	case bool:
		if x {
			return append(b, "b:1;"...)
		}
		return append(b, "b:0;"...)
	case string:
		return appendSerializedString(b, x)
	case []byte:
		return appendSerializedString(b, string(x))
	case int64:
		return appendSerializedInt(b, x)
	case int:
		return appendSerializedInt(b, int64(x))
	case int32:
		return appendSerializedInt(b, int64(x))
	case int16:
		return appendSerializedInt(b, int64(x))
	case int8:
		return appendSerializedInt(b, int64(x))
	case uint32:
		return appendSerializedInt(b, int64(x))
	case uint16:
		return appendSerializedInt(b, int64(x))
	case uint8:
		return appendSerializedInt(b, int64(x))
	case float64:
		b = append(b, "d:"...)
		b = append(b, php.Gcvt(x, -1, 'E')...)
		return append(b, ';')
	case float32:
		return appendSerialized(b, float64(x))
	case *PHPArray:
		b = append(b, "a:"...)
		b = strconv.AppendInt(b, int64(x.Len()), 10)
		b = append(b, ":{"...)
		for _, e := range x.entriesOrNil() {
			switch k := e.Key.(type) {
			case int64:
				b = appendSerializedInt(b, k)
			case string:
				b = appendSerializedString(b, k)
			}
			b = appendSerialized(b, e.Value)
		}
		return append(b, '}')
	case PHPArray:
		return appendSerialized(b, &x)
	case []any:
		return appendSerialized(b, PHPList(x...))
	case []string:
		l := &PHPArray{entries: make([]phpEntry, 0, len(x))}
		for _, s := range x {
			l.Append(s)
		}
		return appendSerialized(b, l)
	case []int64:
		l := &PHPArray{entries: make([]phpEntry, 0, len(x))}
		for _, n := range x {
			l.Append(n)
		}
		return appendSerialized(b, l)
	}
	panic(fmt.Sprintf("phpserial.Serialize: unsupported type %T", v))
}

func appendSerializedInt(b []byte, n int64) []byte {
	b = append(b, "i:"...)
	b = strconv.AppendInt(b, n, 10)
	return append(b, ';')
}

func appendSerializedString(b []byte, s string) []byte {
	b = append(b, "s:"...)
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, `:"`...)
	b = append(b, s...)
	return append(b, `";`...)
}

// StringList reads a list option such as active_plugins the way WordPress does ((array) get_option(...)
// then strict in_array with strings): string values in order; a plain string is a one-element list; corrupt
// or non-array values give none.
func StringList(raw string) []string {
	v, err := MaybeUnserialize(raw)
	if err != nil {
		return nil
	}
	switch x := v.(type) {
	case string:
		return []string{x}
	case *PHPArray:
		out := make([]string, 0, x.Len())
		for _, e := range x.entries {
			if s, ok := e.Value.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
