package phpconfig

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tokenizer for the PHP subset of wp-config.php (spec wordpress-auth-and-rest.md §1.6). It knows
// enough of PHP's lexical grammar (comments, all string forms, heredocs, open/close tags) to find
// statement boundaries reliably; what the parser cannot evaluate is marked, never guessed.

type cfgTokKind uint8

const (
	cfgEOF      cfgTokKind = iota
	cfgIdent               // names and keywords, namespaced names keep their backslashes
	cfgVar                 // $name; text holds the name without "$"
	cfgStr                 // single- or double-quoted string; str holds the decoded value
	cfgInt                 // integer literal; num holds the value
	cfgFloat               // float literal (not evaluated)
	cfgHeredoc             // heredoc/nowdoc (not evaluated)
	cfgBacktick            // `shell` (not evaluated)
	cfgPunct               // operators and punctuation; "?>" is emitted as ";"
	cfgHTML                // non-blank text outside <?php ?> (PHP prints it)
)

type cfgTok struct {
	kind   cfgTokKind
	text   string // identifier, variable name, punctuation
	str    string // decoded string literal
	num    int64
	interp bool // double-quoted/heredoc string with $ interpolation
	line   int
}

func (t cfgTok) is(punct string) bool { return t.kind == cfgPunct && t.text == punct }

// isKw reports whether t is the (case-insensitive) keyword or function name kw.
func (t cfgTok) isKw(kw string) bool { return t.kind == cfgIdent && strings.EqualFold(t.text, kw) }

type cfgLexer struct {
	src  []byte
	pos  int
	line int
	toks []cfgTok
}

// cfgPuncts lists multi-byte operators, longest first.
var cfgPuncts = [...]string{
	"===", "!==", "<=>", "**=", "...", "<<=", ">>=", "??=", "?->",
	"==", "!=", "<>", "<=", ">=", "&&", "||", "??", "::", "->", "=>", ".=", "+=", "-=", "*=",
	"/=", "%=", "&=", "|=", "^=", "++", "--", "<<", ">>", "**", "#[",
}

func cfgLex(src []byte) ([]cfgTok, error) {
	lx := &cfgLexer{src: src, line: 1, toks: make([]cfgTok, 0, len(src)/4+16)}
	for lx.pos < len(lx.src) {
		lx.html()
		if err := lx.php(); err != nil {
			return nil, err
		}
	}
	lx.toks = append(lx.toks, cfgTok{kind: cfgEOF, line: lx.line})
	return lx.toks, nil
}

func (lx *cfgLexer) errorf(line int, format string, args ...any) error {
	return &cfgLexError{line: line, msg: fmt.Sprintf(format, args...)}
}

type cfgLexError struct {
	line int
	msg  string
}

func (e *cfgLexError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// html consumes text up to and including the next open tag.
func (lx *cfgLexer) html() {
	start, line := lx.pos, lx.line
	rest := lx.src[lx.pos:]
	end, skip := len(rest), 0
	for i := 0; i+1 < len(rest); i++ {
		if rest[i] != '<' || rest[i+1] != '?' {
			continue
		}
		if bytes.HasPrefix(rest[i+2:], []byte("=")) {
			end, skip = i, 3
			break
		}
		if len(rest) >= i+5 && strings.EqualFold(string(rest[i+2:i+5]), "php") &&
			(len(rest) == i+5 || cfgIsSpace(rest[i+5])) {
			end, skip = i, 5
			break
		}
	}
	text := rest[:end]
	lx.line += bytes.Count(text, []byte("\n"))
	if t := bytes.TrimSpace(bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))); len(t) > 0 || bytes.HasPrefix(text, []byte("\xef\xbb\xbf")) {
		lx.toks = append(lx.toks, cfgTok{kind: cfgHTML, line: line})
	}
	lx.pos = start + end + skip
	if skip == 3 { // "<?=" is "<?php echo"
		lx.toks = append(lx.toks, cfgTok{kind: cfgIdent, text: "echo", line: lx.line})
	}
}

func cfgIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func cfgIsIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func cfgIsIdentByte(c byte) bool { return cfgIsIdentStart(c) || (c >= '0' && c <= '9') }

// php lexes PHP code until "?>" or the end of input.
func (lx *cfgLexer) php() error {
	src := lx.src
	for lx.pos < len(src) {
		c := src[lx.pos]
		switch {
		case c == '\n':
			lx.line++
			lx.pos++
		case cfgIsSpace(c):
			lx.pos++
		case c == '?' && lx.peek(1) == '>':
			lx.toks = append(lx.toks, cfgTok{kind: cfgPunct, text: ";", line: lx.line})
			lx.pos += 2
			if lx.peek(0) == '\n' {
				lx.pos++
				lx.line++
			} else if lx.peek(0) == '\r' && lx.peek(1) == '\n' {
				lx.pos += 2
				lx.line++
			}
			return nil
		case c == '#' && lx.peek(1) == '[':
			lx.punct()
		case c == '#' || (c == '/' && lx.peek(1) == '/'):
			lx.lineComment()
		case c == '/' && lx.peek(1) == '*':
			end := bytes.Index(src[lx.pos+2:], []byte("*/"))
			if end < 0 {
				return lx.errorf(lx.line, "unterminated /* comment")
			}
			lx.line += bytes.Count(src[lx.pos:lx.pos+2+end], []byte("\n"))
			lx.pos += 2 + end + 2
		case c == '\'':
			if err := lx.singleQuoted(); err != nil {
				return err
			}
		case c == '"':
			if err := lx.doubleQuoted(); err != nil {
				return err
			}
		case c == '`':
			if err := lx.backtick(); err != nil {
				return err
			}
		case c == '<' && lx.peek(1) == '<' && lx.peek(2) == '<':
			if err := lx.heredoc(); err != nil {
				return err
			}
		case c == '$' && lx.pos+1 < len(src) && cfgIsIdentStart(src[lx.pos+1]):
			start := lx.pos + 1
			lx.pos++
			for lx.pos < len(src) && cfgIsIdentByte(src[lx.pos]) {
				lx.pos++
			}
			lx.toks = append(lx.toks, cfgTok{kind: cfgVar, text: string(src[start:lx.pos]), line: lx.line})
		case cfgIsIdentStart(c) || (c == '\\' && lx.pos+1 < len(src) && cfgIsIdentStart(src[lx.pos+1])):
			lx.ident()
		case c >= '0' && c <= '9', c == '.' && lx.peek(1) >= '0' && lx.peek(1) <= '9':
			lx.number()
		default:
			lx.punct()
		}
	}
	return nil
}

func (lx *cfgLexer) peek(off int) byte {
	if lx.pos+off < len(lx.src) {
		return lx.src[lx.pos+off]
	}
	return 0
}

// lineComment skips "//" or "#" comments; like PHP, "?>" ends them.
func (lx *cfgLexer) lineComment() {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if c == '\n' || (c == '?' && lx.peek(1) == '>') {
			return
		}
		lx.pos++
	}
}

func (lx *cfgLexer) punct() {
	rest := lx.src[lx.pos:]
	for _, p := range cfgPuncts {
		if len(rest) >= len(p) && string(rest[:len(p)]) == p { // no allocation
			lx.toks = append(lx.toks, cfgTok{kind: cfgPunct, text: p, line: lx.line})
			lx.pos += len(p)
			return
		}
	}
	lx.toks = append(lx.toks, cfgTok{kind: cfgPunct, text: string(rest[:1]), line: lx.line})
	lx.pos++
}

func (lx *cfgLexer) ident() {
	start := lx.pos
	if lx.src[lx.pos] == '\\' {
		lx.pos++
	}
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if cfgIsIdentByte(c) {
			lx.pos++
			continue
		}
		if c == '\\' && lx.pos+1 < len(lx.src) && cfgIsIdentStart(lx.src[lx.pos+1]) {
			lx.pos++
			continue
		}
		break
	}
	lx.toks = append(lx.toks, cfgTok{kind: cfgIdent, text: string(lx.src[start:lx.pos]), line: lx.line})
}

// number lexes integer and float literals; an integer that overflows int64 is a float, as in PHP.
func (lx *cfgLexer) number() {
	src, start := lx.src, lx.pos
	isDigit := func(c byte, base int) bool {
		switch base {
		case 16:
			return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '_'
		case 2:
			return c == '0' || c == '1' || c == '_'
		case 8:
			return (c >= '0' && c <= '7') || c == '_'
		}
		return (c >= '0' && c <= '9') || c == '_'
	}
	base, float := 10, false
	if src[lx.pos] == '0' && lx.pos+1 < len(src) {
		switch src[lx.pos+1] {
		case 'x', 'X':
			base = 16
		case 'b', 'B':
			base = 2
		case 'o', 'O':
			base = 8
		}
		if base != 10 {
			lx.pos += 2
		}
	}
	for lx.pos < len(src) && isDigit(src[lx.pos], base) {
		lx.pos++
	}
	if base == 10 {
		if lx.peek(0) == '.' {
			float = true
			lx.pos++
			for lx.pos < len(src) && isDigit(src[lx.pos], 10) {
				lx.pos++
			}
		}
		if c := lx.peek(0); c == 'e' || c == 'E' {
			n := 1
			if s := lx.peek(1); s == '+' || s == '-' {
				n = 2
			}
			if d := lx.peek(n); d >= '0' && d <= '9' {
				float = true
				lx.pos += n
				for lx.pos < len(src) && isDigit(src[lx.pos], 10) {
					lx.pos++
				}
			}
		}
	}
	text := strings.ReplaceAll(string(src[start:lx.pos]), "_", "")
	tok := cfgTok{kind: cfgFloat, text: text, line: lx.line}
	if !float {
		digits := text
		switch {
		case base != 10:
			digits = text[2:]
		case len(text) > 1 && text[0] == '0': // legacy octal 0755
			base = 8
			digits = text[1:]
		}
		if n, err := strconv.ParseInt(digits, base, 64); err == nil {
			tok.kind, tok.num = cfgInt, n
		}
	}
	lx.toks = append(lx.toks, tok)
}

// singleQuoted decodes '...': only \\ and \' are escapes.
func (lx *cfgLexer) singleQuoted() error {
	line := lx.line
	var b strings.Builder
	for i := lx.pos + 1; i < len(lx.src); i++ {
		c := lx.src[i]
		switch {
		case c == '\\' && i+1 < len(lx.src) && (lx.src[i+1] == '\\' || lx.src[i+1] == '\''):
			b.WriteByte(lx.src[i+1])
			i++
		case c == '\'':
			lx.toks = append(lx.toks, cfgTok{kind: cfgStr, str: b.String(), line: line})
			lx.pos = i + 1
			return nil
		default:
			if c == '\n' {
				lx.line++
			}
			b.WriteByte(c)
		}
	}
	return lx.errorf(line, "unterminated single-quoted string")
}

// doubleQuoted decodes "..." escapes; "$name", "{$" and "${" mark the string as interpolated.
func (lx *cfgLexer) doubleQuoted() error {
	line := lx.line
	src := lx.src
	var b strings.Builder
	interp := false
	i := lx.pos + 1
	for i < len(src) {
		c := src[i]
		switch {
		case c == '"':
			lx.toks = append(lx.toks, cfgTok{kind: cfgStr, str: b.String(), interp: interp, line: line})
			lx.pos = i + 1
			return nil
		case c == '\\' && i+1 < len(src):
			n, err := cfgDecodeEscape(src[i:], &b, '"')
			if err != nil {
				return lx.errorf(lx.line, "%v", err)
			}
			i += n
		case c == '$' && i+1 < len(src) && (cfgIsIdentStart(src[i+1]) || src[i+1] == '{'):
			interp = true
			if src[i+1] == '{' {
				i = lx.skipInterpolation(i + 1)
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '{' && i+1 < len(src) && src[i+1] == '$':
			interp = true
			i = lx.skipInterpolation(i)
		default:
			if c == '\n' {
				lx.line++
			}
			b.WriteByte(c)
			i++
		}
	}
	return lx.errorf(line, "unterminated double-quoted string")
}

// skipInterpolation skips a "{...}" interpolation (which may contain quoted strings) starting at
// the "{" at index i, and returns the index after its closing brace.
func (lx *cfgLexer) skipInterpolation(i int) int {
	src := lx.src
	depth := 0
	for i < len(src) {
		switch c := src[i]; c {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '\'', '"':
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '\n':
			lx.line++
		}
		i++
	}
	return i
}

// cfgDecodeEscape decodes one backslash escape of a double-quoted string or heredoc at s[0]
// and returns the number of bytes consumed. Unknown escapes stay literal, as in PHP.
func cfgDecodeEscape(s []byte, b *strings.Builder, quote byte) (int, error) {
	c := s[1]
	if r := cfgSimpleEscape(c); r != 0 {
		b.WriteByte(r)
		return 2, nil
	}
	if c == quote && quote != 0 {
		b.WriteByte(c)
		return 2, nil
	}
	hexVal := func(c byte) int {
		switch {
		case c >= '0' && c <= '9':
			return int(c - '0')
		case c >= 'a' && c <= 'f':
			return int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			return int(c-'A') + 10
		}
		return -1
	}
	switch {
	case c >= '0' && c <= '7':
		v, n := 0, 1
		for n < 4 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			v = v*8 + int(s[n]-'0')
			n++
		}
		b.WriteByte(byte(v))
		return n, nil
	case c == 'x' && len(s) > 2 && hexVal(s[2]) >= 0:
		v, n := hexVal(s[2]), 3
		if len(s) > 3 && hexVal(s[3]) >= 0 {
			v, n = v*16+hexVal(s[3]), 4
		}
		b.WriteByte(byte(v))
		return n, nil
	case c == 'u' && len(s) > 2 && s[2] == '{':
		end := bytes.IndexByte(s, '}')
		if end < 0 {
			return 0, fmt.Errorf(`invalid UTF-8 codepoint escape sequence`)
		}
		v, err := strconv.ParseUint(string(s[3:end]), 16, 32)
		if err != nil || v > utf8.MaxRune {
			return 0, fmt.Errorf(`invalid UTF-8 codepoint escape sequence`)
		}
		b.WriteString(string(rune(v)))
		return end + 1, nil
	}
	b.WriteByte('\\')
	return 1, nil
}

func cfgSimpleEscape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case 'v':
		return '\v'
	case 'e':
		return 0x1b
	case 'f':
		return '\f'
	case '\\', '$':
		return c
	}
	return 0
}

func (lx *cfgLexer) backtick() error {
	line := lx.line
	for i := lx.pos + 1; i < len(lx.src); i++ {
		switch lx.src[i] {
		case '\\':
			i++
		case '\n':
			lx.line++
		case '`':
			lx.toks = append(lx.toks, cfgTok{kind: cfgBacktick, line: line})
			lx.pos = i + 1
			return nil
		}
	}
	return lx.errorf(line, "unterminated backtick string")
}

// heredoc skips <<<ID ... ID and <<<'ID' ... ID (PHP 7.3 flexible closing marker).
func (lx *cfgLexer) heredoc() error {
	line := lx.line
	src := lx.src
	i := lx.pos + 3
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	var quote byte
	if i < len(src) && (src[i] == '\'' || src[i] == '"') {
		quote = src[i]
		i++
	}
	start := i
	for i < len(src) && cfgIsIdentByte(src[i]) {
		i++
	}
	id := string(src[start:i])
	if id == "" || (start < len(src) && !cfgIsIdentStart(src[start])) {
		return lx.errorf(line, "malformed heredoc")
	}
	if quote != 0 {
		if i >= len(src) || src[i] != quote {
			return lx.errorf(line, "malformed heredoc")
		}
		i++
	}
	if i < len(src) && src[i] == '\r' {
		i++
	}
	if i >= len(src) || src[i] != '\n' {
		return lx.errorf(line, "malformed heredoc")
	}
	for i < len(src) {
		// i is at a newline; look at the next line.
		lx.line++
		j := i + 1
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		if bytes.HasPrefix(src[j:], []byte(id)) && (j+len(id) == len(src) || !cfgIsIdentByte(src[j+len(id)])) {
			lx.toks = append(lx.toks, cfgTok{kind: cfgHeredoc, interp: quote != '\'', line: line})
			lx.pos = j + len(id)
			return nil
		}
		next := bytes.IndexByte(src[j:], '\n')
		if next < 0 {
			break
		}
		i = j + next
	}
	return lx.errorf(line, "unterminated heredoc")
}
