package phpconfig

import (
	"fmt"
	"strconv"
	"strings"
)

// Interpreter for parsed wp-config.php statements. It runs the file top to bottom the way PHP
// would for the subset it understands; everything else is skipped with a warning, unless the
// skipped code could assign something wpsidecar needs (cfgScanNeeded), which is a ConfigError.

type cfgKV struct {
	name string
	val  ConfigValue
}

type cfgState struct {
	file     string // name used in messages
	path     string // __FILE__
	dir      string // __DIR__
	env      func(string) (string, bool)
	readFile func(string) ([]byte, error)

	consts  map[string]ConfigValue
	maybe   map[string]int // constants a skipped statement may have defined → its line
	vars    map[string]cfgVal
	tainted map[string]int // variables a skipped statement may have changed → its line
	funcs   map[string]bool
	cfgMap  []cfgKV // Roots\WPConfig\Config::define() values awaiting Config::apply()
	cfgLine int     // line of the last Config::define not yet applied (0 = none)
	server  map[string]cfgVal
	envArr  map[string]cfgVal

	prefixLine int
	condProv   Provenance // provenance of the if-conditions around the current statement
	condSrc    string     // and where that came from
	stopped    bool
	stopLine   int
	stopWarned bool

	forwardedHTTPS bool
	alwaysHTTPS    bool
	envArrWarned   bool
	warnings       []string
}

func (st *cfgState) warnf(line int, format string, args ...any) {
	st.warnings = append(st.warnings, fmt.Sprintf("%s:%d: ", st.file, line)+fmt.Sprintf(format, args...))
}

func (st *cfgState) execList(stmts []cfgStmt) error {
	for i := range stmts {
		if st.stopped {
			st.warnIgnoredTail(stmts[i:])
			return nil
		}
		if err := st.exec(&stmts[i]); err != nil {
			return err
		}
	}
	return nil
}

func (st *cfgState) warnIgnoredTail(rest []cfgStmt) {
	for _, s := range rest {
		if s.kind != cfgSSilent && !st.stopWarned {
			st.stopWarned = true
			st.warnf(s.line, "statements after line %d are ignored: PHP has left wp-config.php or WordPress has already loaded", st.stopLine)
		}
	}
}

func (st *cfgState) exec(s *cfgStmt) error {
	switch s.kind {
	case cfgSSilent:
		return nil
	case cfgSHTML:
		st.warnf(s.line, "text outside <?php ?> (or a byte order mark) is sent as output by PHP")
		return nil
	case cfgSBlock:
		return st.execList(s.body)
	case cfgSExpr:
		ev := &cfgEval{st: st}
		if _, err := ev.eval(s.x); err != nil {
			return st.skipped(s.line, s.toks, cfgDescribe(s.x), err)
		}
		ev.commit()
		return nil
	case cfgSConst:
		ev := &cfgEval{st: st}
		v, err := ev.eval(s.x)
		if err != nil {
			return st.skipped(s.line, s.toks, "const "+s.name, err)
		}
		ev.commit()
		st.define(s.name, v, s.line)
		return nil
	case cfgSInclude:
		return st.execInclude(s)
	case cfgSFunc:
		lname := strings.ToLower(s.name)
		st.funcs[lname] = true
		if lname == "getenv_docker" { // the official Docker image's helper; calls are evaluated natively
			return nil
		}
		return st.skipped(s.line, s.toks, "function definition "+s.name+"()", cfgCannotf("function bodies are not evaluated"))
	case cfgSOpaque:
		desc := "statement"
		if t := s.toks[0]; t.kind == cfgIdent {
			desc = strings.ToLower(t.text) + " statement"
		}
		return st.skipped(s.line, s.toks, desc, &cfgCannot{reason: s.reason})
	case cfgSStop:
		st.warnf(s.line, "%s leaves wp-config.php here", s.name)
		st.stopped, st.stopLine = true, s.line
		return nil
	case cfgSIf:
		return st.execIf(s)
	}
	return nil
}

func (st *cfgState) execIf(s *cfgStmt) error {
	cond := cfgVal{prov: st.condProv, src: st.condSrc}
	for i := range s.branches {
		br := &s.branches[i]
		if br.isElse {
			return st.execBranch(br.body, cond)
		}
		if br.cond == nil {
			return st.unevaluableIf(s, i, &cfgCannot{reason: br.condErr})
		}
		ev := &cfgEval{st: st}
		v, err := ev.eval(br.cond)
		if err != nil {
			return st.unevaluableIf(s, i, err)
		}
		ev.commit()
		cond = cfgVal{prov: max(cond.prov, v.prov), src: cfgSrc(cond, v)}
		if cfgTruthy(v.v) {
			return st.execBranch(br.body, cond)
		}
	}
	return nil
}

func (st *cfgState) execBranch(body []cfgStmt, cond cfgVal) error {
	savedProv, savedSrc := st.condProv, st.condSrc
	st.condProv, st.condSrc = cond.prov, cond.src
	err := st.execList(body)
	st.condProv, st.condSrc = savedProv, savedSrc
	return err
}

// inBranch raises a value's provenance to that of the conditions that selected the branch.
func (st *cfgState) inBranch(v cfgVal) cfgVal {
	if v.prov < st.condProv {
		v.prov, v.src = st.condProv, st.condSrc
	}
	return v
}

func (st *cfgState) unevaluableIf(s *cfgStmt, from int, why error) error {
	if _, ok := why.(*cfgCannot); !ok {
		return why
	}
	if from == 0 && len(s.branches) == 1 && cfgForwardedProtoHTTPS(s.branches[0].cond, s.branches[0].body) {
		st.forwardedHTTPS = true
		return nil
	}
	var toks []cfgTok
	for _, br := range s.branches[from:] {
		toks = append(toks, br.toks...)
	}
	if cfgAssignsServerHTTPS(toks) {
		st.warnf(s.branches[from].line, "this if block sets $_SERVER['HTTPS'] under a condition wpsidecar does not recognise; is_ssl() may differ")
	}
	return st.skipped(s.branches[from].line, toks, "if block", why)
}

// skipped handles a statement that could not be evaluated: a ConfigError when it may assign a
// needed value, else a warning.
func (st *cfgState) skipped(line int, toks []cfgTok, desc string, why error) error {
	cannot, ok := why.(*cfgCannot)
	if !ok {
		return why
	}
	what := "cannot be evaluated"
	if desc == "if block" {
		what = "has a condition that cannot be evaluated"
	}
	if m, found := cfgScanNeeded(toks); found {
		reason := fmt.Sprintf("assigned by the %s at line %d, which %s: %s", desc, line, what, cannot.reason)
		switch m.what {
		case "include":
			reason = fmt.Sprintf("%s of another file cannot be followed; it may define the database settings, keys, salts or $table_prefix (point --wp-config at the file that defines them)", m.detail)
		case "eval":
			reason = "eval() runs code wpsidecar cannot see; it may define the database settings, keys, salts or $table_prefix"
		case "define":
			reason = fmt.Sprintf("define() with a computed constant name in the %s at line %d may define a value wpsidecar needs", desc, line)
		}
		return &ConfigError{File: st.file, Line: m.line, Name: m.name, Reason: reason}
	}
	st.taint(toks, line)
	st.warnf(line, "skipped %s, which %s: %s", desc, what, cannot.reason)
	return nil
}

// taint records what a skipped statement may have changed: every variable it mentions and every
// constant it may define with a literal name.
func (st *cfgState) taint(toks []cfgTok, line int) {
	for i, t := range toks {
		switch {
		case t.kind == cfgVar && !cfgSuperglobal(t.text):
			if _, ok := st.tainted[t.text]; !ok {
				st.tainted[t.text] = line
			}
		case t.kind == cfgStr && i >= 2 && toks[i-1].is("(") && toks[i-2].kind == cfgIdent && strings.EqualFold(cfgLastSeg(toks[i-2].text), "define"):
			if _, ok := st.consts[t.str]; !ok {
				st.maybe[t.str] = t.line
			}
		case t.kind == cfgIdent && t.isKw("const") && i+1 < len(toks) && toks[i+1].kind == cfgIdent:
			if _, ok := st.consts[toks[i+1].text]; !ok {
				st.maybe[toks[i+1].text] = t.line
			}
		}
	}
}

func (st *cfgState) execInclude(s *cfgStmt) error {
	path := cfgIncludeTail(s.x)
	ev := &cfgEval{st: st}
	if v, err := ev.eval(s.x); err == nil {
		path = cfgToString(v.v)
	}
	switch {
	case strings.HasSuffix(path, "wp-settings.php"):
		st.stopped, st.stopLine = true, s.line
		return nil
	case strings.HasSuffix(path, "vendor/autoload.php"):
		st.warnf(s.line, "skipped %s of the Composer autoloader", s.name)
		return nil
	}
	detail := s.name
	if path != "" {
		detail += " " + strconv.Quote(path)
	}
	return &ConfigError{File: st.file, Line: s.line, Reason: fmt.Sprintf("%s of another file cannot be followed; it may define the database settings, keys, salts or $table_prefix (point --wp-config at the file that defines them)", detail)}
}

// cfgIncludeTail returns the literal string an include path expression ends with ("…wp-settings.php").
func cfgIncludeTail(n *cfgNode) string {
	for n != nil {
		switch {
		case n.kind == cfgNLit:
			s, _ := n.val.(string)
			return s
		case n.kind == cfgNBinary && n.op == ".":
			n = n.b
		default:
			return ""
		}
	}
	return ""
}

func (st *cfgState) define(name string, v cfgVal, line int) {
	if prev, ok := st.consts[name]; ok {
		st.warnf(line, "constant %s is already defined at line %d; PHP keeps the first value", name, prev.Line)
		return
	}
	delete(st.maybe, name)
	v = st.inBranch(v)
	st.consts[name] = ConfigValue{V: v.v, Prov: v.prov, Line: line, Source: v.src}
}

// applyConfig runs Roots\WPConfig\Config::apply(): every pending value becomes a constant.
func (st *cfgState) applyConfigCheck(line int) error {
	for _, kv := range st.cfgMap {
		if prev, ok := st.consts[kv.name]; ok && !cfgIdentical(prev.V, kv.val.V) {
			return &ConfigError{File: st.file, Line: line, Name: kv.name, Reason: fmt.Sprintf("Config::apply() would redefine the constant defined at line %d with a different value (Roots\\WPConfig throws)", prev.Line)}
		}
	}
	return nil
}

func (st *cfgState) applyConfig() {
	for _, kv := range st.cfgMap {
		if _, ok := st.consts[kv.name]; !ok {
			st.consts[kv.name] = kv.val
			delete(st.maybe, kv.name)
		}
	}
	st.cfgLine = 0
}

// cfgDescribe names a statement for warnings and errors without revealing values.
func cfgDescribe(n *cfgNode) string {
	for n.kind == cfgNUnary && n.op == "@" {
		n = n.a
	}
	switch n.kind {
	case cfgNCall:
		if len(n.args) > 0 && n.args[0].kind == cfgNLit && (n.name == "define" || n.name == "config::define") {
			if s, ok := n.args[0].val.(string); ok {
				return fmt.Sprintf("%s('%s', …)", cfgCallName(n.name), s)
			}
		}
		return "call to " + cfgCallName(n.name) + "()"
	case cfgNAssign:
		switch n.a.kind {
		case cfgNVar:
			return "assignment to $" + n.a.name
		case cfgNIndex:
			return "assignment to " + cfgDescribeIndex(n.a)
		}
		return "assignment"
	case cfgNBinary:
		return "expression statement (" + n.op + ")"
	}
	return "expression statement"
}

func cfgCallName(name string) string {
	if strings.HasPrefix(name, "config::") {
		return "Config::" + strings.TrimPrefix(name, "config::")
	}
	return name
}

// cfgMarker is something in skipped code that may assign a value wpsidecar needs.
type cfgMarker struct {
	name   string // constant or "$table_prefix"; "" for include/eval/computed define
	line   int
	what   string // "assign", "include", "eval", "define"
	detail string
}

// cfgScanNeeded looks through the tokens of code that will not be evaluated for anything that
// could assign a needed value: a needed constant's name as a string (outside defined(),
// getenv() and array keys), const NAME, define() with a computed name, writes to $table_prefix,
// include/require of a file other than wp-settings.php or the Composer autoloader, and eval().
func cfgScanNeeded(toks []cfgTok) (cfgMarker, bool) {
	at := func(i int) cfgTok {
		if i >= 0 && i < len(toks) {
			return toks[i]
		}
		return cfgTok{kind: cfgEOF}
	}
	for i, t := range toks {
		switch t.kind {
		case cfgStr:
			if t.interp || !ConfigNeeds(t.str) || at(i-1).is("[") {
				continue
			}
			if at(i-1).is("(") && at(i-2).kind == cfgIdent {
				switch strings.ToLower(cfgLastSeg(at(i - 2).text)) {
				case "defined", "constant", "getenv", "env", "getenv_docker", "get":
					continue
				}
			}
			return cfgMarker{name: t.str, line: t.line, what: "assign"}, true
		case cfgVar:
			if t.text == "table_prefix" {
				next, prev := at(i+1), at(i-1)
				if cfgIsAssignOp(next) || next.is("++") || next.is("--") ||
					prev.is("&") || prev.is("=>") || prev.isKw("as") || prev.isKw("global") {
					return cfgMarker{name: "$table_prefix", line: t.line, what: "assign"}, true
				}
			}
			if t.text == "GLOBALS" && at(i+1).is("[") && at(i+2).kind == cfgStr && at(i+2).str == "table_prefix" {
				return cfgMarker{name: "$table_prefix", line: t.line, what: "assign"}, true
			}
		case cfgIdent:
			switch kw := strings.ToLower(cfgLastSeg(t.text)); kw {
			case "define":
				if at(i+1).is("(") && (at(i+2).kind != cfgStr || at(i+2).interp) {
					return cfgMarker{line: t.line, what: "define"}, true
				}
			case "const":
				if n := at(i + 1); n.kind == cfgIdent && ConfigNeeds(n.text) {
					return cfgMarker{name: n.text, line: n.line, what: "assign"}, true
				}
			case "eval":
				if at(i + 1).is("(") {
					return cfgMarker{line: t.line, what: "eval"}, true
				}
			case "include", "include_once", "require", "require_once":
				path := ""
				for j := i + 1; j < len(toks) && !toks[j].is(";"); j++ {
					if toks[j].kind == cfgStr {
						path = toks[j].str
					}
				}
				if strings.HasSuffix(path, "wp-settings.php") || strings.HasSuffix(path, "vendor/autoload.php") {
					continue
				}
				return cfgMarker{line: t.line, what: "include", detail: kw}, true
			}
		}
	}
	return cfgMarker{}, false
}

func cfgIsAssignOp(t cfgTok) bool {
	bp, _ := cfgInfix(t)
	return t.kind == cfgPunct && bp == cfgBPAssign
}
