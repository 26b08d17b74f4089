package shadow

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// seg is one step of a concrete JSON path: an object key or an array index.
type seg struct {
	key   string
	index int // -1 for keys
}

// jsonPath is a concrete location in a JSON document.
type jsonPath []seg

func (p jsonPath) key(k string) jsonPath {
	return append(p[:len(p):len(p)], seg{key: k, index: -1})
}

func (p jsonPath) at(i int) jsonPath {
	return append(p[:len(p):len(p)], seg{index: i})
}

// sensitive reports whether any key on the path names a credential.
func (p jsonPath) sensitive() bool {
	for _, s := range p {
		if s.index < 0 && SensitiveName(s.key) {
			return true
		}
	}
	return false
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_\-$@]+$`)

// String renders "customers.data[3].email"; keys that are not plain are written ["a.b"].
func (p jsonPath) String() string { return p.render(false) }

// Field renders the path with every index as [*] ("customers.data[*].email"), the form the report groups by.
func (p jsonPath) Field() string { return p.render(true) }

func (p jsonPath) render(generic bool) string {
	if len(p) == 0 {
		return "(body)"
	}
	var b strings.Builder
	for i, s := range p {
		switch {
		case s.index >= 0 && generic:
			b.WriteString("[*]")
		case s.index >= 0:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case plainKey.MatchString(s.key):
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.key)
		default:
			b.WriteString("[" + strconv.Quote(s.key) + "]")
		}
	}
	return b.String()
}

// patSeg is one step of a path pattern.
type patSeg struct {
	kind  int // patKey, patAnyKey ("*": any one key or index), patAnyIndex ("[*]"), patIndex, patDeep ("**")
	key   string
	index int
}

const (
	patKey = iota
	patAnyKey
	patAnyIndex
	patIndex
	patDeep
)

// pathPattern matches concrete paths: "customers.data[*].email", "**.nonce" (any depth), "*.date" (any one key),
// "[0].id", `["odd.key"]`.
type pathPattern struct {
	src  string
	segs []patSeg
}

func parsePattern(s string) (*pathPattern, error) {
	p := &pathPattern{src: s}
	rest := strings.TrimSpace(s)
	rest = strings.TrimPrefix(rest, "$")
	rest = strings.TrimPrefix(rest, ".")
	if rest == "" {
		return nil, fmt.Errorf("path %q is empty", s)
	}
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "["):
			end := strings.IndexByte(rest, ']')
			if strings.HasPrefix(rest, `["`) {
				q, err := strconv.QuotedPrefix(rest[1:])
				if err != nil || !strings.HasPrefix(rest[1+len(q):], "]") {
					return nil, fmt.Errorf("path %q: bad quoted key", s)
				}
				k, _ := strconv.Unquote(q)
				p.segs = append(p.segs, patSeg{kind: patKey, key: k})
				rest = rest[1+len(q)+1:]
				break
			}
			if end < 0 {
				return nil, fmt.Errorf("path %q: unclosed [", s)
			}
			in := rest[1:end]
			if in == "*" {
				p.segs = append(p.segs, patSeg{kind: patAnyIndex})
			} else if n, err := strconv.Atoi(in); err == nil && n >= 0 {
				p.segs = append(p.segs, patSeg{kind: patIndex, index: n})
			} else {
				return nil, fmt.Errorf("path %q: [%s] is neither an index nor [*]", s, in)
			}
			rest = rest[end+1:]
		case strings.HasPrefix(rest, "."):
			rest = rest[1:]
			if rest == "" || rest[0] == '.' || rest[0] == '[' {
				return nil, fmt.Errorf("path %q: empty key", s)
			}
		default:
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			k := rest[:end]
			switch k {
			case "**":
				p.segs = append(p.segs, patSeg{kind: patDeep})
			case "*":
				p.segs = append(p.segs, patSeg{kind: patAnyKey})
			default:
				p.segs = append(p.segs, patSeg{kind: patKey, key: k})
			}
			rest = rest[end:]
		}
	}
	return p, nil
}

func (p *pathPattern) match(path jsonPath) bool { return matchSegs(p.segs, path) }

func matchSegs(pat []patSeg, path jsonPath) bool {
	if len(pat) == 0 {
		return len(path) == 0
	}
	ps := pat[0]
	if ps.kind == patDeep {
		for i := 0; i <= len(path); i++ {
			if matchSegs(pat[1:], path[i:]) {
				return true
			}
		}
		return false
	}
	if len(path) == 0 {
		return false
	}
	s := path[0]
	ok := false
	switch ps.kind {
	case patKey:
		ok = s.index < 0 && s.key == ps.key
	case patAnyKey:
		ok = true
	case patAnyIndex:
		ok = s.index >= 0
	case patIndex:
		ok = s.index == ps.index
	}
	return ok && matchSegs(pat[1:], path[1:])
}
