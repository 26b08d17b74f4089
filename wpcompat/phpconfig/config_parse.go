package phpconfig

import (
	"fmt"
	"strings"
)

// Parser for the wp-config.php subset: statements (define, Config::define, const, assignments,
// if/elseif/else in brace and colon syntax, require, function definitions) and a Pratt expression
// parser with PHP 8 precedence. Syntax it does not model becomes an opaque statement (token range
// kept for the "does it assign something wpsidecar needs?" scan) or a cfgNBad node (parsed but never
// evaluable, e.g. heredoc, interpolated string, array literal).

type cfgNodeKind uint8

const (
	cfgNLit     cfgNodeKind = iota // val
	cfgNConst                      // name
	cfgNVar                        // name (without $)
	cfgNIndex                      // a[b]
	cfgNCall                       // name(args); name is lower-case, "class::method" for static calls
	cfgNUnary                      // op a
	cfgNCast                       // (op) a
	cfgNBinary                     // a op b
	cfgNTernary                    // a ? b : c
	cfgNAssign                     // a op b, op is "=", ".=", "??=", …
	cfgNBad                        // never evaluable; op holds the reason
)

type cfgNode struct {
	kind    cfgNodeKind
	line    int
	op      string
	name    string
	val     any
	a, b, c *cfgNode
	args    []*cfgNode
}

type cfgStmtKind uint8

const (
	cfgSExpr    cfgStmtKind = iota // x
	cfgSIf                         // branches
	cfgSConst                      // const name = x
	cfgSInclude                    // name (keyword) x (path)
	cfgSFunc                       // function name(...) {...}
	cfgSOpaque                     // reason
	cfgSSilent                     // use/namespace/declare: no effect on constants
	cfgSStop                       // return/exit/die
	cfgSBlock                      // body
	cfgSHTML                       // text outside PHP tags
)

type cfgStmt struct {
	kind     cfgStmtKind
	line     int
	toks     []cfgTok // every token of the statement
	x        *cfgNode
	name     string
	reason   string
	body     []cfgStmt
	branches []cfgBranch
}

type cfgBranch struct {
	line    int
	cond    *cfgNode // nil for else, or when condErr is set
	isElse  bool
	condErr string
	body    []cfgStmt
	toks    []cfgTok
}

type cfgSyntaxError struct {
	line int
	msg  string
}

func (e *cfgSyntaxError) Error() string { return e.msg }

type cfgParser struct {
	toks   []cfgTok
	pos    int
	depth  int   // expression nesting
	sdepth int   // statement nesting
	open   []int // lines of the blocks being parsed, for "unclosed block" errors
	nodes  int   // expression nodes parsed so far (bounded by cfgMaxNodes)
}

// cfgMaxNodes bounds the work on hostile input; real wp-config.php files use a few hundred.
const cfgMaxNodes = 200000

const cfgMaxDepth = 200

func (p *cfgParser) peek() cfgTok { return p.at(0) }

func (p *cfgParser) at(off int) cfgTok {
	if i := p.pos + off; i < len(p.toks) {
		return p.toks[i]
	}
	return p.toks[len(p.toks)-1]
}

func (p *cfgParser) next() cfgTok {
	t := p.toks[p.pos]
	if t.kind != cfgEOF {
		p.pos++
	}
	return t
}

func (p *cfgParser) errf(format string, args ...any) error {
	return &cfgSyntaxError{line: p.peek().line, msg: fmt.Sprintf(format, args...)}
}

// cfgTokDesc describes a token for messages without revealing string contents (they may be secrets).
func cfgTokDesc(t cfgTok) string {
	switch t.kind {
	case cfgEOF:
		return "end of file"
	case cfgIdent, cfgPunct:
		return t.text
	case cfgVar:
		return "$" + t.text
	case cfgStr:
		return "a string"
	case cfgInt, cfgFloat:
		return "a number"
	case cfgHeredoc:
		return "a heredoc"
	case cfgBacktick:
		return "a backtick command"
	}
	return "inline text"
}

func cfgLastSeg(name string) string {
	if i := strings.LastIndexByte(name, '\\'); i >= 0 {
		return name[i+1:]
	}
	return name
}

func (p *cfgParser) parseFile() ([]cfgStmt, error) {
	return p.parseStatements(func(t cfgTok) bool { return t.kind == cfgEOF })
}

func (p *cfgParser) parseStatements(stop func(cfgTok) bool) ([]cfgStmt, error) {
	var out []cfgStmt
	for {
		t := p.peek()
		if stop(t) {
			return out, nil
		}
		if t.kind == cfgEOF {
			line := t.line
			if len(p.open) > 0 {
				line = p.open[len(p.open)-1]
			}
			return nil, &cfgSyntaxError{line: line, msg: "syntax error: unexpected end of file: block opened here is not closed"}
		}
		if t.is("}") {
			return nil, &cfgSyntaxError{line: t.line, msg: "syntax error: unexpected }"}
		}
		s, err := p.parseStatement()
		if err != nil {
			return nil, err
		}
		if s != nil {
			out = append(out, *s)
		}
	}
}

func (p *cfgParser) parseStatement() (*cfgStmt, error) {
	p.sdepth++
	defer func() { p.sdepth-- }()
	if p.sdepth > cfgMaxDepth {
		return nil, p.errf("statements nested too deeply")
	}
	start := p.pos
	t := p.peek()
	switch {
	case t.is(";"):
		p.next()
		return nil, nil
	case t.kind == cfgHTML:
		p.next()
		return &cfgStmt{kind: cfgSHTML, line: t.line, toks: p.toks[start:p.pos]}, nil
	case t.is("{"):
		body, err := p.parseBlock()
		if err != nil {
			return nil, err
		}
		return &cfgStmt{kind: cfgSBlock, line: t.line, body: body, toks: p.toks[start:p.pos]}, nil
	case t.kind == cfgIdent:
		switch kw := strings.ToLower(t.text); kw {
		case "if":
			return p.parseIf()
		case "function":
			if n := p.at(1); n.kind == cfgIdent || n.is("&") {
				name := n.text
				if n.is("&") {
					name = p.at(2).text
				}
				s, err := p.opaque(start, "function definition")
				if s != nil {
					s.kind, s.name = cfgSFunc, name
				}
				return s, err
			}
		case "const":
			return p.parseConst()
		case "declare":
			// declare(strict_types=1); has no effect here; declare(ticks=1) { … } runs its block.
			if p.at(1).is("(") {
				if j, err := p.matchClose(p.pos + 1); err == nil && !p.toks[j+1].is(";") && !p.toks[j+1].is(":") {
					p.pos = j + 1
					return p.parseStatement()
				}
			}
			s, err := p.opaque(start, "")
			if s != nil {
				s.kind = cfgSSilent
			}
			return s, err
		case "use":
			s, err := p.opaque(start, "")
			if s != nil {
				s.kind = cfgSSilent
			}
			return s, err
		case "namespace":
			if n := p.at(1); n.kind == cfgIdent && p.at(2).is("{") {
				p.pos += 2 // "namespace Name { … }": parse the block
				return p.parseStatement()
			} else if n.is("{") {
				p.pos++
				return p.parseStatement()
			}
			s, err := p.opaque(start, "")
			if s != nil {
				s.kind = cfgSSilent
			}
			return s, err
		case "require", "require_once", "include", "include_once":
			p.next()
			x, err := p.parseExpr(3)
			if err == nil && (p.peek().is(";") || p.peek().kind == cfgEOF) {
				p.next()
				return &cfgStmt{kind: cfgSInclude, line: t.line, name: kw, x: x, toks: p.toks[start:p.pos]}, nil
			}
			p.pos = start
			return p.opaque(start, "include with unsupported syntax")
		case "return", "exit", "die":
			s, err := p.opaque(start, kw)
			if s != nil {
				s.kind, s.name = cfgSStop, kw
			}
			return s, err
		case "echo", "print", "global", "static", "unset", "foreach", "for", "while", "do", "switch",
			"try", "class", "abstract", "final", "interface", "trait", "enum", "goto", "throw", "readonly",
			"else", "elseif", "endif", "endforeach", "endfor", "endwhile", "endswitch", "enddeclare",
			"case", "default", "break", "continue":
			if kw != "enum" || p.at(1).kind == cfgIdent {
				return p.opaque(start, kw+" statements are not evaluated")
			}
		}
	}
	x, err := p.parseExpr(0)
	if err == nil && (p.peek().is(";") || p.peek().kind == cfgEOF) {
		p.next()
		return &cfgStmt{kind: cfgSExpr, line: t.line, x: x, toks: p.toks[start:p.pos]}, nil
	}
	reason := ""
	if err != nil {
		reason = err.Error()
	} else {
		reason = "unsupported syntax near " + cfgTokDesc(p.peek())
	}
	p.pos = start
	return p.opaque(start, reason)
}

// opaque makes an unparsed statement covering the tokens from start to the statement's end.
func (p *cfgParser) opaque(start int, reason string) (*cfgStmt, error) {
	end, err := p.skipStatement(start)
	if err != nil {
		return nil, err
	}
	if end == start {
		return nil, &cfgSyntaxError{line: p.toks[start].line, msg: "syntax error: unexpected " + cfgTokDesc(p.toks[start])}
	}
	p.pos = end
	return &cfgStmt{kind: cfgSOpaque, line: p.toks[start].line, toks: p.toks[start:end], reason: reason}, nil
}

// skipStatement returns the index just past the statement starting at start: a ";" outside
// brackets, or a closing "}" of a block statement (unless else/catch/finally/while continues it),
// honouring the colon syntax (foreach (...): ... endforeach;).
func (p *cfgParser) skipStatement(start int) (int, error) {
	depth, alt := 0, 0
	var headers []int // depths of open "(" that follow if/foreach/for/while/switch/declare
	isDo := p.toks[start].isKw("do")
	for i := start; ; i++ {
		t := p.toks[i]
		switch t.kind {
		case cfgEOF:
			if depth > 0 || alt > 0 {
				return 0, &cfgSyntaxError{line: p.toks[start].line, msg: "syntax error: unclosed bracket or block"}
			}
			return i, nil
		case cfgPunct:
			switch t.text {
			case "(", "[", "{", "#[":
				depth++
			case ")", "]", "}":
				if depth == 0 {
					return i, nil
				}
				depth--
				if n := len(headers); t.text == ")" && n > 0 && headers[n-1] == depth {
					headers = headers[:n-1]
					if p.toks[i+1].is(":") { // colon syntax: foreach (...): ... endforeach;
						alt++
					}
				}
				if t.text == "}" && depth == 0 && alt == 0 {
					n := p.toks[i+1]
					switch {
					case n.isKw("else"), n.isKw("elseif"), n.isKw("catch"), n.isKw("finally"), isDo && n.isKw("while"):
						continue
					case n.is(";"):
						return i + 2, nil
					case n.is(")"), n.is("]"), n.is(","), n.is("."), n.is("?"), n.is(":"), n.is("->"):
						continue // a closure or match inside an expression
					}
					return i + 1, nil
				}
			case ";":
				if depth == 0 && alt == 0 {
					return i + 1, nil
				}
			}
		case cfgIdent:
			switch strings.ToLower(t.text) {
			case "if", "foreach", "for", "while", "switch", "declare":
				if p.toks[i+1].is("(") {
					headers = append(headers, depth)
				}
			case "endif", "endforeach", "endfor", "endwhile", "endswitch", "enddeclare":
				if alt > 0 {
					alt--
				}
			}
		}
	}
}

// matchClose returns the index of the bracket closing the one at index open.
func (p *cfgParser) matchClose(open int) (int, error) {
	depth := 0
	for i := open; i < len(p.toks); i++ {
		t := p.toks[i]
		if t.kind == cfgEOF {
			break
		}
		if t.kind != cfgPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{", "#[":
			depth++
		case ")", "]", "}":
			depth--
			if depth == 0 {
				return i, nil
			}
		}
	}
	return 0, &cfgSyntaxError{line: p.toks[open].line, msg: "syntax error: unclosed " + p.toks[open].text}
}

func (p *cfgParser) parseIf() (*cfgStmt, error) {
	start := p.pos
	st := &cfgStmt{kind: cfgSIf, line: p.peek().line}
	alt := false
	for first := true; ; first = false {
		kw := p.next() // "if" or "elseif" ("else if" arrives here as "if")
		br := cfgBranch{line: kw.line}
		bstart := p.pos
		if !p.peek().is("(") {
			return nil, p.errf("syntax error: expected ( after %s", kw.text)
		}
		closeIdx, err := p.matchClose(p.pos)
		if err != nil {
			return nil, err
		}
		p.next()
		x, perr := p.parseExpr(0)
		switch {
		case perr != nil:
			br.condErr = perr.Error()
		case p.pos != closeIdx:
			br.condErr = "unsupported syntax near " + cfgTokDesc(p.peek())
		default:
			br.cond = x
		}
		p.pos = closeIdx + 1
		if first {
			alt = p.peek().is(":")
		}
		if br.body, err = p.parseBody(alt); err != nil {
			return nil, err
		}
		br.toks = p.toks[bstart:p.pos]
		st.branches = append(st.branches, br)

		n := p.peek()
		if n.isKw("elseif") {
			continue
		}
		if n.isKw("else") {
			if !alt && p.at(1).isKw("if") {
				p.next()
				continue
			}
			p.next()
			eb := cfgBranch{line: n.line, isElse: true}
			bstart := p.pos
			if eb.body, err = p.parseBody(alt); err != nil {
				return nil, err
			}
			eb.toks = p.toks[bstart:p.pos]
			st.branches = append(st.branches, eb)
		}
		if alt {
			if !p.peek().isKw("endif") {
				return nil, p.errf("syntax error: expected endif")
			}
			p.next()
			if p.peek().is(";") {
				p.next()
			}
		}
		break
	}
	st.toks = p.toks[start:p.pos]
	return st, nil
}

func (p *cfgParser) parseBody(alt bool) ([]cfgStmt, error) {
	switch {
	case alt:
		if !p.peek().is(":") {
			return nil, p.errf("syntax error: expected :")
		}
		p.open = append(p.open, p.next().line)
		defer func() { p.open = p.open[:len(p.open)-1] }()
		return p.parseStatements(func(t cfgTok) bool {
			return t.isKw("elseif") || t.isKw("else") || t.isKw("endif")
		})
	case p.peek().is("{"):
		return p.parseBlock()
	}
	s, err := p.parseStatement()
	if err != nil || s == nil {
		return nil, err
	}
	return []cfgStmt{*s}, nil
}

// parseBlock parses "{ statements }".
func (p *cfgParser) parseBlock() ([]cfgStmt, error) {
	p.open = append(p.open, p.next().line)
	defer func() { p.open = p.open[:len(p.open)-1] }()
	body, err := p.parseStatements(func(t cfgTok) bool { return t.is("}") })
	if err != nil {
		return nil, err
	}
	p.next()
	return body, nil
}

// parseConst parses "const A = expr, B = expr;".
func (p *cfgParser) parseConst() (*cfgStmt, error) {
	start := p.pos
	kw := p.next()
	var list []cfgStmt
	for {
		name := p.next()
		if name.kind != cfgIdent || !p.peek().is("=") {
			p.pos = start
			return p.opaque(start, "unsupported const statement")
		}
		p.next()
		x, err := p.parseExpr(0)
		if err != nil {
			p.pos = start
			return p.opaque(start, err.Error())
		}
		list = append(list, cfgStmt{kind: cfgSConst, line: name.line, name: name.text, x: x})
		if p.peek().is(",") {
			p.next()
			continue
		}
		if p.peek().is(";") || p.peek().kind == cfgEOF {
			p.next()
			break
		}
		p.pos = start
		return p.opaque(start, "unsupported syntax near "+cfgTokDesc(p.peek()))
	}
	toks := p.toks[start:p.pos]
	for i := range list {
		list[i].toks = toks
	}
	if len(list) == 1 {
		return &list[0], nil
	}
	return &cfgStmt{kind: cfgSBlock, line: kw.line, body: list, toks: toks}, nil
}
