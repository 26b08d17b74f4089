package phpconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strings"
)

// Expression evaluation for the wp-config.php reader: PHP semantics for the closed subset of
// spec wordpress-auth-and-rest.md §1.6 (getenv, getenv_docker, env, $_ENV/$_SERVER, ?:, ??, casts,
// Config::define/get/apply). Side effects are collected and applied only when a statement
// evaluates completely.

// cfgVal is a PHP value during evaluation: string, int64, bool or nil.
type cfgVal struct {
	v    any
	prov Provenance
	src  string // environment variable or file the value came from
}

// cfgCannot means "not evaluable": the statement is skipped, or is an error if it assigns a
// needed value. The reason never contains configuration values (they may be secrets).
type cfgCannot struct{ reason string }

func (e *cfgCannot) Error() string { return e.reason }

func cfgCannotf(format string, args ...any) error {
	return &cfgCannot{reason: fmt.Sprintf(format, args...)}
}

// cfgEval evaluates one expression; side effects are collected and applied by commit only when
// the whole statement could be evaluated.
type cfgEval struct {
	st      *cfgState
	effects []func()
}

func (ev *cfgEval) commit() {
	for _, f := range ev.effects {
		f()
	}
}

func (ev *cfgEval) eval(n *cfgNode) (cfgVal, error) {
	switch n.kind {
	case cfgNLit:
		return cfgVal{v: n.val}, nil
	case cfgNBad:
		return cfgVal{}, &cfgCannot{reason: n.op}
	case cfgNConst:
		return ev.constant(n)
	case cfgNVar, cfgNIndex:
		v, found, err := ev.lookup(n)
		if err == nil && !found {
			if n.kind == cfgNVar {
				err = cfgCannotf("variable $%s is not defined", n.name)
			} else {
				err = cfgCannotf("%s is not set", cfgDescribeIndex(n))
			}
		}
		return v, err
	case cfgNCall:
		return ev.call(n)
	case cfgNUnary:
		x, err := ev.eval(n.a)
		if err != nil {
			return x, err
		}
		switch n.op {
		case "!":
			return cfgVal{v: !cfgTruthy(x.v), prov: x.prov, src: x.src}, nil
		case "@":
			return x, nil
		case "-", "+":
			if i, ok := x.v.(int64); ok && i != math.MinInt64 {
				if n.op == "-" {
					i = -i
				}
				return cfgVal{v: i, prov: x.prov, src: x.src}, nil
			}
		}
		return cfgVal{}, cfgCannotf("unary %s on this value is not supported", n.op)
	case cfgNCast:
		x, err := ev.eval(n.a)
		if err != nil {
			return x, err
		}
		switch n.op {
		case "bool":
			x.v = cfgTruthy(x.v)
			return x, nil
		case "string":
			x.v = cfgToString(x.v)
			return x, nil
		case "int":
			if i, ok := cfgToInt(x.v); ok {
				x.v = i
				return x, nil
			}
		}
		return cfgVal{}, cfgCannotf("(%s) cast of this value is not supported", n.op)
	case cfgNBinary:
		return ev.binary(n)
	case cfgNTernary:
		c, err := ev.eval(n.a)
		if err != nil {
			return c, err
		}
		if cfgTruthy(c.v) {
			r, err := ev.eval(n.b)
			r.prov = max(r.prov, c.prov)
			return r, err
		}
		r, err := ev.eval(n.c)
		return cfgFallback(c, r), err
	case cfgNAssign:
		return ev.assign(n)
	}
	return cfgVal{}, cfgCannotf("unsupported expression")
}

// cfgFallback is the result of "a ?: b" / "a ?? b" when b is used: a default when a came from
// the environment.
func cfgFallback(a, b cfgVal) cfgVal {
	if a.prov > ProvLiteral && b.prov < ProvDefault {
		b.prov = ProvDefault
	}
	if b.src == "" {
		b.src = a.src
	}
	return b
}

func (ev *cfgEval) binary(n *cfgNode) (cfgVal, error) {
	switch n.op {
	case "??":
		l, found, err := ev.lookup(n.a)
		if err != nil {
			return l, err
		}
		if found && l.v != nil {
			return l, nil
		}
		r, err := ev.eval(n.b)
		return cfgFallback(l, r), err
	case "?:":
		l, err := ev.eval(n.a)
		if err != nil || cfgTruthy(l.v) {
			return l, err
		}
		r, err := ev.eval(n.b)
		return cfgFallback(l, r), err
	case "&&", "and", "||", "or":
		l, err := ev.eval(n.a)
		if err != nil {
			return l, err
		}
		lt := cfgTruthy(l.v)
		if (n.op == "&&" || n.op == "and") != lt { // short circuit
			return cfgVal{v: lt, prov: l.prov, src: l.src}, nil
		}
		r, err := ev.eval(n.b)
		return cfgVal{v: cfgTruthy(r.v), prov: max(l.prov, r.prov), src: cfgSrc(l, r)}, err
	}
	if n.op == "." {
		return ev.concat(n)
	}
	l, err := ev.eval(n.a)
	if err != nil {
		return l, err
	}
	r, err := ev.eval(n.b)
	if err != nil {
		return r, err
	}
	out := cfgVal{prov: max(l.prov, r.prov), src: cfgSrc(l, r)}
	switch n.op {
	case "xor":
		out.v = cfgTruthy(l.v) != cfgTruthy(r.v)
		return out, nil
	case "===", "!==":
		out.v = cfgIdentical(l.v, r.v) == (n.op == "===")
		return out, nil
	case "==", "!=", "<>":
		eq, ok := cfgLooseEqual(l.v, r.v)
		if !ok {
			return cfgVal{}, cfgCannotf("loose comparison of these values is not supported")
		}
		out.v = eq == (n.op == "==")
		return out, nil
	}
	return cfgVal{}, cfgCannotf("operator %s is not supported", n.op)
}

// concat evaluates a left-leaning chain a . b . c in one pass (linear in the result length).
func (ev *cfgEval) concat(n *cfgNode) (cfgVal, error) {
	var parts []*cfgNode
	for ; n.kind == cfgNBinary && n.op == "."; n = n.a {
		parts = append(parts, n.b)
	}
	parts = append(parts, n)
	var b strings.Builder
	out := cfgVal{}
	for i := len(parts) - 1; i >= 0; i-- {
		v, err := ev.eval(parts[i])
		if err != nil {
			return v, err
		}
		b.WriteString(cfgToString(v.v))
		out.src = cfgSrc(out, v)
		out.prov = max(out.prov, v.prov)
	}
	out.v = b.String()
	return out, nil
}

func cfgSrc(a, b cfgVal) string {
	if a.prov >= b.prov && a.src != "" {
		return a.src
	}
	if b.src != "" {
		return b.src
	}
	return a.src
}

func cfgSuperglobal(name string) bool {
	switch name {
	case "_SERVER", "_ENV", "_GET", "_POST", "_COOKIE", "_REQUEST", "_FILES", "_SESSION", "GLOBALS":
		return true
	}
	return false
}

// cfgRequestKey reports whether $_SERVER[key] describes the HTTP request rather than the environment.
func cfgRequestKey(k string) bool {
	for _, p := range []string{"HTTP_", "REQUEST_", "SERVER_", "REMOTE_", "SCRIPT_", "PHP_", "CONTENT_", "PATH_", "DOCUMENT_", "ORIG_", "REDIRECT_", "SSL_"} {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	switch k {
	case "HTTPS", "QUERY_STRING", "GATEWAY_INTERFACE", "AUTH_TYPE", "argv", "argc":
		return true
	}
	return false
}

func cfgDescribeIndex(n *cfgNode) string {
	if n.a.kind == cfgNVar && n.b.kind == cfgNLit {
		if k, ok := n.b.val.(string); ok {
			return fmt.Sprintf("$%s['%s']", n.a.name, k)
		}
	}
	return "array element"
}

// lookup evaluates n; a missing variable or array element gives found=false (for isset, empty, ??).
func (ev *cfgEval) lookup(n *cfgNode) (cfgVal, bool, error) {
	st := ev.st
	switch n.kind {
	case cfgNVar:
		if cfgSuperglobal(n.name) || n.name == "this" {
			return cfgVal{}, false, cfgCannotf("$%s as a whole is not supported", n.name)
		}
		if line, ok := st.tainted[n.name]; ok {
			return cfgVal{}, false, cfgCannotf("variable $%s may have been changed by the statement wpsidecar skipped at line %d", n.name, line)
		}
		v, ok := st.vars[n.name]
		return v, ok, nil
	case cfgNIndex:
		if n.a.kind != cfgNVar {
			return cfgVal{}, false, cfgCannotf("array access is not supported")
		}
		k, err := ev.eval(n.b)
		if err != nil {
			return k, false, err
		}
		key := cfgToString(k.v)
		switch n.a.name {
		case "_ENV":
			if v, ok := st.envArr[key]; ok {
				return v, true, nil
			}
			s, ok := st.env(key)
			if ok {
				line := n.line
				ev.effects = append(ev.effects, func() {
					if !st.envArrWarned {
						st.envArrWarned = true
						st.warnf(line, "$_ENV is read from wpsidecar's environment; PHP fills $_ENV only when variables_order contains E or a dotenv loader sets it")
					}
				})
			}
			return cfgVal{v: s, prov: ProvEnv, src: key}, ok, nil
		case "_SERVER":
			if v, ok := st.server[key]; ok {
				return v, true, nil
			}
			if cfgRequestKey(key) {
				return cfgVal{}, false, cfgCannotf("$_SERVER['%s'] depends on the HTTP request", key)
			}
			s, ok := st.env(key)
			return cfgVal{v: s, prov: ProvEnv, src: key}, ok, nil
		case "GLOBALS":
			return ev.lookup(&cfgNode{kind: cfgNVar, line: n.line, name: key})
		case "_GET", "_POST", "_COOKIE", "_REQUEST", "_FILES", "_SESSION":
			return cfgVal{}, false, cfgCannotf("$%s depends on the HTTP request", n.a.name)
		}
		return cfgVal{}, false, cfgCannotf("array variables are not supported")
	}
	v, err := ev.eval(n)
	return v, true, err
}

func (ev *cfgEval) constant(n *cfgNode) (cfgVal, error) {
	st := ev.st
	switch strings.ToLower(n.name) {
	case "__dir__":
		return cfgVal{v: st.dir}, nil
	case "__file__":
		return cfgVal{v: st.path}, nil
	case "__line__":
		return cfgVal{v: int64(n.line)}, nil
	}
	switch n.name {
	case "DIRECTORY_SEPARATOR":
		return cfgVal{v: "/"}, nil
	case "PHP_EOL":
		return cfgVal{v: "\n"}, nil
	}
	if c, ok := st.consts[n.name]; ok {
		return cfgVal{v: c.V, prov: c.Prov, src: c.Source}, nil
	}
	if line, ok := st.maybe[n.name]; ok {
		return cfgVal{}, cfgCannotf("constant %s may have been defined by the statement wpsidecar skipped at line %d", n.name, line)
	}
	return cfgVal{}, cfgCannotf("constant %s is not defined", n.name)
}

func (ev *cfgEval) assign(n *cfgNode) (cfgVal, error) {
	st := ev.st
	target := n.a
	if n.op != "=" && n.op != ".=" && n.op != "??=" {
		return cfgVal{}, cfgCannotf("operator %s is not supported", n.op)
	}
	value := func() (cfgVal, bool, error) { // new value, whether to store it
		switch n.op {
		case "??=":
			cur, found, err := ev.lookup(target)
			if err != nil || (found && cur.v != nil) {
				return cur, false, err
			}
			v, err := ev.eval(n.b)
			return cfgFallback(cur, v), true, err
		case ".=":
			cur, err := ev.eval(target)
			if err != nil {
				return cur, false, err
			}
			v, err := ev.eval(n.b)
			return cfgVal{v: cfgToString(cur.v) + cfgToString(v.v), prov: max(cur.prov, v.prov), src: cfgSrc(cur, v)}, true, err
		}
		v, err := ev.eval(n.b)
		return v, true, err
	}
	name := ""
	switch {
	case target.kind == cfgNVar && !cfgSuperglobal(target.name) && target.name != "this":
		name = target.name
	case target.kind == cfgNIndex && target.a.kind == cfgNVar:
		k, err := ev.eval(target.b)
		if err != nil {
			return k, err
		}
		key := cfgToString(k.v)
		switch target.a.name {
		case "GLOBALS":
			name = key
		case "_SERVER", "_ENV":
			v, store, err := value()
			if err != nil || !store {
				return v, err
			}
			v = st.inBranch(v)
			arr := target.a.name
			ev.effects = append(ev.effects, func() {
				if arr == "_ENV" {
					st.envArr[key] = v
					return
				}
				st.server[key] = v
				if key == "HTTPS" {
					st.alwaysHTTPS = cfgHTTPSOn(v.v)
				}
			})
			return v, nil
		}
	}
	if name == "" {
		return cfgVal{}, cfgCannotf("assignment to this target is not supported")
	}
	v, store, err := value()
	if err != nil || !store {
		return v, err
	}
	v = st.inBranch(v)
	ev.effects = append(ev.effects, func() {
		st.vars[name] = v
		delete(st.tainted, name)
		if name == "table_prefix" {
			st.prefixLine = n.line
		}
	})
	return v, nil
}

// cfgKnownFuncs are the functions the evaluator implements (plus language constructs it models).
var cfgKnownFuncs = map[string]bool{
	"define": true, "defined": true, "constant": true, "getenv": true, "getenv_docker": true, "env": true,
	"env::get": true, "dirname": true, "function_exists": true, "file_exists": true, "isset": true, "empty": true,
	"config::define": true, "config::get": true, "config::apply": true, "config::remove": true,
}

// cfgBuiltinFuncs answer function_exists() with true.
var cfgBuiltinFuncs = map[string]bool{
	"getenv": true, "putenv": true, "define": true, "defined": true, "constant": true, "dirname": true,
	"function_exists": true, "file_exists": true, "file_get_contents": true, "ini_set": true, "strpos": true,
	"str_contains": true, "trim": true, "rtrim": true, "strtolower": true, "in_array": true, "filter_var": true,
}

func (ev *cfgEval) call(n *cfgNode) (cfgVal, error) {
	st := ev.st
	switch n.name {
	case "isset":
		for _, a := range n.args {
			v, found, err := ev.lookup(a)
			if err != nil {
				return v, err
			}
			if !found || v.v == nil {
				return cfgVal{v: false, prov: v.prov, src: v.src}, nil
			}
		}
		return cfgVal{v: len(n.args) > 0}, nil
	case "empty":
		if len(n.args) != 1 {
			return cfgVal{}, cfgCannotf("empty() takes one argument")
		}
		v, found, err := ev.lookup(n.args[0])
		return cfgVal{v: !found || !cfgTruthy(v.v), prov: v.prov, src: v.src}, err
	case "eval":
		return cfgVal{}, cfgCannotf("eval() runs code wpsidecar cannot see")
	case "include", "include_once", "require", "require_once":
		return cfgVal{}, cfgCannotf("%s of another file is not followed", n.name)
	}
	if n.name == "env" && (st.funcs["env"] || len(n.args) != 1) {
		// oscarotero/env's env() takes one argument; a helper defined here or taking a default
		// (Laravel-style env('X', 'default')) has other conversions.
		return cfgVal{}, cfgCannotf("env() is not oscarotero/env's env(NAME) here")
	}
	if !cfgKnownFuncs[n.name] {
		if st.funcs[n.name] {
			return cfgVal{}, cfgCannotf("calls to the function %s() defined in this file are not evaluated", n.name)
		}
		return cfgVal{}, cfgCannotf("function %s() is not supported", n.name)
	}
	args := make([]cfgVal, len(n.args))
	for i, a := range n.args {
		v, err := ev.eval(a)
		if err != nil {
			return v, err
		}
		args[i] = v
	}
	str := func(i int) (string, bool) {
		if i >= len(args) {
			return "", false
		}
		s, ok := args[i].v.(string)
		return s, ok
	}
	name, ok := str(0)
	if !ok && n.name != "config::apply" {
		return cfgVal{}, cfgCannotf("%s() needs a string as its first argument", n.name)
	}
	switch n.name {
	case "define":
		if len(args) < 2 {
			return cfgVal{}, cfgCannotf("define() needs two arguments")
		}
		if line, ok := st.maybe[name]; ok {
			return cfgVal{}, cfgCannotf("constant %s may already have been defined by the statement wpsidecar skipped at line %d", name, line)
		}
		if _, defined := st.consts[name]; defined {
			line := n.line
			ev.effects = append(ev.effects, func() { st.define(name, args[1], line) }) // warns
			return cfgVal{v: false}, nil
		}
		v, line := args[1], n.line
		ev.effects = append(ev.effects, func() { st.define(name, v, line) })
		return cfgVal{v: true}, nil
	case "defined":
		if line, ok := st.maybe[name]; ok {
			return cfgVal{}, cfgCannotf("constant %s may have been defined by the statement wpsidecar skipped at line %d", name, line)
		}
		_, defined := st.consts[name]
		return cfgVal{v: defined}, nil
	case "constant":
		return ev.constant(&cfgNode{kind: cfgNConst, line: n.line, name: name})
	case "getenv":
		if s, ok := st.env(name); ok {
			return cfgVal{v: s, prov: ProvEnv, src: name}, nil
		}
		return cfgVal{v: false, prov: ProvEnv, src: name}, nil
	case "getenv_docker":
		return ev.getenvDocker(name, args)
	case "env", "env::get":
		return cfgOscaroteroEnv(st, name), nil
	case "dirname":
		levels := int64(1)
		if len(args) > 1 {
			l, ok := args[1].v.(int64)
			if !ok || l < 1 {
				return cfgVal{}, cfgCannotf("dirname() levels must be a positive integer")
			}
			levels = l
		}
		out := name
		for ; levels > 0; levels-- {
			d := cfgDirname(out)
			if d == out {
				break
			}
			out = d
		}
		return cfgVal{v: out, prov: args[0].prov, src: args[0].src}, nil
	case "function_exists":
		l := strings.ToLower(strings.TrimPrefix(name, "\\"))
		return cfgVal{v: st.funcs[l] || cfgBuiltinFuncs[l]}, nil
	case "file_exists":
		// Answered through readFile: relative paths would be resolved against PHP's working
		// directory, which wpsidecar does not know.
		if !strings.HasPrefix(name, "/") {
			return cfgVal{}, cfgCannotf("file_exists() of a relative path")
		}
		_, err := st.readFile(name)
		switch {
		case err == nil:
			return cfgVal{v: true, prov: ProvFile, src: name}, nil
		case errors.Is(err, fs.ErrNotExist):
			return cfgVal{v: false, prov: ProvFile, src: name}, nil
		}
		return cfgVal{}, cfgCannotf("file_exists(): %v", err)
	case "config::define":
		if len(args) < 2 {
			return cfgVal{}, cfgCannotf("Config::define() needs two arguments")
		}
		if prev, ok := st.consts[name]; ok {
			return cfgVal{}, &ConfigError{File: st.file, Line: n.line, Name: name, Reason: fmt.Sprintf("Config::define() of a constant already defined at line %d (Roots\\WPConfig throws ConstantAlreadyDefinedException)", prev.Line)}
		}
		if line, ok := st.maybe[name]; ok {
			return cfgVal{}, cfgCannotf("constant %s may already have been defined by the statement wpsidecar skipped at line %d", name, line)
		}
		bv := st.inBranch(args[1])
		v := ConfigValue{V: bv.v, Prov: bv.prov, Line: n.line, Source: bv.src}
		ev.effects = append(ev.effects, func() {
			for i := range st.cfgMap {
				if st.cfgMap[i].name == name { // a later Config::define replaces the earlier value
					st.cfgMap[i].val = v
					st.cfgLine = v.Line
					return
				}
			}
			st.cfgMap = append(st.cfgMap, cfgKV{name: name, val: v})
			st.cfgLine = v.Line
		})
		return cfgVal{}, nil
	case "config::get":
		for _, kv := range st.cfgMap {
			if kv.name == name {
				return cfgVal{v: kv.val.V, prov: kv.val.Prov, src: kv.val.Source}, nil
			}
		}
		return cfgVal{}, cfgCannotf("Config::get('%s') before Config::define('%s')", name, name)
	case "config::remove":
		ev.effects = append(ev.effects, func() {
			for i := range st.cfgMap {
				if st.cfgMap[i].name == name {
					st.cfgMap = append(st.cfgMap[:i], st.cfgMap[i+1:]...)
					return
				}
			}
		})
		return cfgVal{}, nil
	case "config::apply":
		if err := st.applyConfigCheck(n.line); err != nil {
			return cfgVal{}, err
		}
		ev.effects = append(ev.effects, st.applyConfig)
		return cfgVal{}, nil
	}
	return cfgVal{}, cfgCannotf("function %s() is not supported", n.name)
}

// getenvDocker mirrors the helper of the official Docker image (docker-library/wordpress,
// wp-config-docker.php): the file named by NAME_FILE if that variable is PHP-truthy (trailing
// \r\n stripped), else NAME if set (even empty), else the default.
func (ev *cfgEval) getenvDocker(name string, args []cfgVal) (cfgVal, error) {
	st := ev.st
	if len(args) != 2 {
		return cfgVal{}, cfgCannotf("getenv_docker() needs two arguments")
	}
	if f, ok := st.env(name + "_FILE"); ok && cfgTruthy(f) {
		data, err := st.readFile(f)
		if err != nil {
			return cfgVal{}, cfgCannotf("cannot read the file named by %s_FILE: %v", name, err)
		}
		return cfgVal{v: strings.TrimRight(string(data), "\r\n"), prov: ProvFile, src: f}, nil
	}
	if s, ok := st.env(name); ok {
		return cfgVal{v: s, prov: ProvEnv, src: name}, nil
	}
	d := args[1]
	return cfgVal{v: d.v, prov: max(d.prov, ProvDefault), src: name}, nil
}

// cfgOscaroteroEnv mirrors Env\env() of oscarotero/env 2.x with its default options (Bedrock):
// unset → null; "true"/"false"/"null" (any case) → bool/null; all digits → int; a value wrapped
// in matching quotes loses them (src/Env.php, Env::convert). It converts nothing else (no "empty").
func cfgOscaroteroEnv(st *cfgState, name string) cfgVal {
	s, ok := st.env(name)
	out := cfgVal{prov: ProvEnv, src: name}
	if !ok {
		return out
	}
	switch strings.ToLower(s) {
	case "true":
		out.v = true
	case "false":
		out.v = false
	case "null":
		out.v = nil
	default:
		if cfgAllDigits(s) {
			out.v, _ = cfgToInt(s)
		} else if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
			out.v = s[1 : len(s)-1]
		} else if s == `"` || s == `'` {
			out.v = "" // substr($v, 1, -1) of a single quote character
		} else {
			out.v = s
		}
	}
	return out
}
