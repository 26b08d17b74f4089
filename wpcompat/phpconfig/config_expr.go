package phpconfig

import (
	"strings"
)

// Pratt parser for wp-config.php expressions with PHP 8 operator precedence.

// Binding powers, PHP 8 precedence from loosest to tightest.
const (
	cfgBPOr      = 1
	cfgBPXor     = 2
	cfgBPAnd     = 3
	cfgBPAssign  = 4
	cfgBPTernary = 5
	cfgBPCoalesc = 6
	cfgBPBoolOr  = 7
	cfgBPBoolAnd = 8
	cfgBPEqual   = 12
	cfgBPConcat  = 14
	cfgBPNot     = 17 // operand of "!" stops at "*" but takes instanceof and unary operators
	cfgBPUnary   = 20
	cfgBPPow     = 21
)

func cfgInfix(t cfgTok) (int, string) {
	if t.kind == cfgIdent {
		switch op := strings.ToLower(t.text); op {
		case "or":
			return cfgBPOr, op
		case "xor":
			return cfgBPXor, op
		case "and":
			return cfgBPAnd, op
		case "instanceof":
			return 18, op
		}
		return 0, ""
	}
	if t.kind != cfgPunct {
		return 0, ""
	}
	switch t.text {
	case "=", ".=", "+=", "-=", "*=", "/=", "%=", "**=", "&=", "|=", "^=", "<<=", ">>=", "??=":
		return cfgBPAssign, t.text
	case "?":
		return cfgBPTernary, t.text
	case "??":
		return cfgBPCoalesc, t.text
	case "||":
		return cfgBPBoolOr, t.text
	case "&&":
		return cfgBPBoolAnd, t.text
	case "|":
		return 9, t.text
	case "^":
		return 10, t.text
	case "&":
		return 11, t.text
	case "==", "!=", "===", "!==", "<>", "<=>":
		return cfgBPEqual, t.text
	case "<", "<=", ">", ">=":
		return 13, t.text
	case ".":
		return cfgBPConcat, t.text
	case "<<", ">>":
		return 15, t.text
	case "+", "-":
		return 16, t.text
	case "*", "/", "%":
		return 17, t.text
	case "**":
		return cfgBPPow, t.text
	}
	return 0, ""
}

func (p *cfgParser) parseExpr(minBP int) (*cfgNode, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > cfgMaxDepth {
		return nil, p.errf("expression nested too deeply")
	}
	left, err := p.parsePrefix()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		bp, op := cfgInfix(t)
		if bp == 0 || bp <= minBP {
			return left, nil
		}
		if p.nodes++; p.nodes > cfgMaxNodes {
			return nil, p.errf("expression too complex")
		}
		p.next()
		switch {
		case op == "instanceof":
			return nil, &cfgSyntaxError{line: t.line, msg: "instanceof is not supported"}
		case op == "?" && p.peek().is(":"):
			p.next()
			r, err := p.parseExpr(cfgBPTernary)
			if err != nil {
				return nil, err
			}
			left = &cfgNode{kind: cfgNBinary, line: t.line, op: "?:", a: left, b: r}
		case op == "?":
			mid, err := p.parseExpr(0)
			if err != nil {
				return nil, err
			}
			if !p.peek().is(":") {
				return nil, p.errf("syntax error: expected : in ternary")
			}
			p.next()
			r, err := p.parseExpr(cfgBPTernary)
			if err != nil {
				return nil, err
			}
			left = &cfgNode{kind: cfgNTernary, line: t.line, a: left, b: mid, c: r}
		case bp == cfgBPAssign, op == "??", op == "**": // right-associative
			r, err := p.parseExpr(bp - 1)
			if err != nil {
				return nil, err
			}
			kind := cfgNBinary
			if bp == cfgBPAssign {
				kind = cfgNAssign
			}
			left = &cfgNode{kind: kind, line: t.line, op: op, a: left, b: r}
		default:
			r, err := p.parseExpr(bp)
			if err != nil {
				return nil, err
			}
			left = &cfgNode{kind: cfgNBinary, line: t.line, op: op, a: left, b: r}
		}
	}
}

var cfgCasts = map[string]string{
	"int": "int", "integer": "int", "bool": "bool", "boolean": "bool", "string": "string", "binary": "string",
	"float": "float", "double": "float", "real": "float", "array": "array", "object": "object", "unset": "unset",
}

func (p *cfgParser) parsePrefix() (*cfgNode, error) {
	t := p.peek()
	bad := func(reason string) *cfgNode { return &cfgNode{kind: cfgNBad, line: t.line, op: reason} }
	switch t.kind {
	case cfgStr:
		p.next()
		if t.interp {
			return p.postfix(bad("double-quoted string with $ interpolation"))
		}
		return p.postfix(&cfgNode{kind: cfgNLit, line: t.line, val: t.str})
	case cfgInt:
		p.next()
		return &cfgNode{kind: cfgNLit, line: t.line, val: t.num}, nil
	case cfgFloat:
		p.next()
		return bad("float literal"), nil
	case cfgHeredoc:
		p.next()
		return bad("heredoc/nowdoc string"), nil
	case cfgBacktick:
		p.next()
		return bad("backtick shell command"), nil
	case cfgVar:
		p.next()
		n := &cfgNode{kind: cfgNVar, line: t.line, name: t.text}
		return p.postfix(n)
	case cfgIdent:
		return p.parseIdent()
	case cfgPunct:
		switch t.text {
		case "(":
			if c := p.at(1); c.kind == cfgIdent && p.at(2).is(")") {
				if cast, ok := cfgCasts[strings.ToLower(c.text)]; ok {
					p.pos += 3
					x, err := p.parseExpr(cfgBPUnary)
					if err != nil {
						return nil, err
					}
					return &cfgNode{kind: cfgNCast, line: t.line, op: cast, a: x}, nil
				}
			}
			p.next()
			x, err := p.parseExpr(0)
			if err != nil {
				return nil, err
			}
			if !p.peek().is(")") {
				return nil, p.errf("syntax error: expected )")
			}
			p.next()
			return p.postfix(x)
		case "[":
			end, err := p.matchClose(p.pos)
			if err != nil {
				return nil, err
			}
			p.pos = end + 1
			return p.postfix(bad("array literal"))
		case "!":
			p.next()
			x, err := p.parseExpr(cfgBPNot)
			if err != nil {
				return nil, err
			}
			return &cfgNode{kind: cfgNUnary, line: t.line, op: "!", a: x}, nil
		case "-", "+", "@", "~":
			p.next()
			x, err := p.parseExpr(cfgBPUnary)
			if err != nil {
				return nil, err
			}
			return &cfgNode{kind: cfgNUnary, line: t.line, op: t.text, a: x}, nil
		}
	}
	return nil, p.errf("unsupported syntax near %s", cfgTokDesc(t))
}

func (p *cfgParser) parseIdent() (*cfgNode, error) {
	t := p.next()
	name := strings.TrimPrefix(t.text, "\\")
	lower := strings.ToLower(name)
	bad := func(reason string) *cfgNode { return &cfgNode{kind: cfgNBad, line: t.line, op: reason} }
	next := p.peek()
	switch lower {
	case "true", "false", "null":
		if !next.is("(") && !next.is("::") {
			var v any
			if lower != "null" {
				v = lower == "true"
			}
			return &cfgNode{kind: cfgNLit, line: t.line, val: v}, nil
		}
	case "array", "list":
		if next.is("(") {
			end, err := p.matchClose(p.pos)
			if err != nil {
				return nil, err
			}
			p.pos = end + 1
			return p.postfix(bad(lower + "()"))
		}
	case "function", "fn", "static", "new", "clone", "match", "throw", "yield", "instanceof":
		return nil, &cfgSyntaxError{line: t.line, msg: lower + " expressions are not supported"}
	case "include", "include_once", "require", "require_once", "print":
		x, err := p.parseExpr(cfgBPAnd)
		if err != nil {
			return nil, err
		}
		return &cfgNode{kind: cfgNCall, line: t.line, name: lower, args: []*cfgNode{x}}, nil
	case "exit", "die":
		if next.is("(") {
			end, err := p.matchClose(p.pos)
			if err != nil {
				return nil, err
			}
			p.pos = end + 1
		}
		return bad(lower + "()"), nil
	}
	switch {
	case next.is("("):
		args, err := p.parseArgs()
		if err != nil {
			return nil, err
		}
		return p.postfix(&cfgNode{kind: cfgNCall, line: t.line, name: strings.ToLower(cfgLastSeg(name)), args: args})
	case next.is("::"):
		p.next()
		m := p.next()
		switch {
		case m.kind == cfgIdent && p.peek().is("("):
			args, err := p.parseArgs()
			if err != nil {
				return nil, err
			}
			call := strings.ToLower(cfgLastSeg(name)) + "::" + strings.ToLower(m.text)
			return p.postfix(&cfgNode{kind: cfgNCall, line: t.line, name: call, args: args})
		case m.kind == cfgIdent:
			return p.postfix(bad("class constant " + cfgLastSeg(name) + "::" + m.text))
		case m.kind == cfgVar:
			return p.postfix(bad("static property " + cfgLastSeg(name) + "::$" + m.text))
		}
		return nil, p.errf("unsupported syntax near %s", cfgTokDesc(m))
	}
	return p.postfix(&cfgNode{kind: cfgNConst, line: t.line, name: name})
}

func (p *cfgParser) parseArgs() ([]*cfgNode, error) {
	p.next() // (
	var args []*cfgNode
	for !p.peek().is(")") {
		if p.peek().is("...") || (p.peek().kind == cfgIdent && p.at(1).is(":")) {
			return nil, p.errf("spread and named arguments are not supported")
		}
		a, err := p.parseExpr(0)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if p.peek().is(",") {
			p.next()
			continue
		}
		if !p.peek().is(")") {
			return nil, p.errf("syntax error: expected ) or , in argument list")
		}
	}
	p.next()
	return args, nil
}

// postfix parses [index], ->member, ::member, calls on expressions and ++/-- after a primary.
func (p *cfgParser) postfix(n *cfgNode) (*cfgNode, error) {
	for {
		t := p.peek()
		bad := func(reason string) *cfgNode { return &cfgNode{kind: cfgNBad, line: t.line, op: reason} }
		switch {
		case t.is("["):
			p.next()
			if p.peek().is("]") {
				return nil, p.errf("$x[] is not supported")
			}
			k, err := p.parseExpr(0)
			if err != nil {
				return nil, err
			}
			if !p.peek().is("]") {
				return nil, p.errf("syntax error: expected ]")
			}
			p.next()
			n = &cfgNode{kind: cfgNIndex, line: t.line, a: n, b: k}
		case t.is("{") && n.kind == cfgNVar:
			return nil, p.errf("string offsets with {} are not supported")
		case t.is("->"), t.is("?->"), t.is("::"):
			p.next()
			m := p.next()
			if m.kind != cfgIdent && m.kind != cfgVar {
				return nil, p.errf("unsupported syntax near %s", cfgTokDesc(m))
			}
			if p.peek().is("(") {
				if _, err := p.parseArgs(); err != nil {
					return nil, err
				}
			}
			n = bad("object or class member access")
		case t.is("(") && n.kind != cfgNLit:
			if _, err := p.parseArgs(); err != nil {
				return nil, err
			}
			n = bad("dynamic function call")
		case t.is("++"), t.is("--"):
			p.next()
			n = bad("increment/decrement")
		default:
			return n, nil
		}
	}
}
