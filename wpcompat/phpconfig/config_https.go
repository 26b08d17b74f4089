package phpconfig

import (
	"strings"
)

// Recognition of the reverse-proxy HTTPS block (spec §1.6 item 5): is_ssl() is true when
// $_SERVER['HTTPS'] is 'on' or '1' (wp-includes/load.php), and many configs set it from
// X-Forwarded-Proto.

func cfgHTTPSOn(v any) bool {
	s := cfgToString(v)
	return strings.EqualFold(s, "on") || s == "1"
}

// cfgForwardedProtoHTTPS recognises the reverse-proxy block of the official Docker image (and its
// common variants): if X-Forwarded-Proto contains/equals "https" then $_SERVER['HTTPS'] = 'on'.
func cfgForwardedProtoHTTPS(cond *cfgNode, body []cfgStmt) bool {
	for len(body) == 1 && body[0].kind == cfgSBlock {
		body = body[0].body
	}
	if cond == nil || len(body) != 1 || body[0].kind != cfgSExpr {
		return false
	}
	a := body[0].x
	if a.kind != cfgNAssign || a.op != "=" || !cfgIsServerKey(a.a, "HTTPS") || a.b.kind != cfgNLit || !cfgHTTPSOn(a.b.val) {
		return false
	}
	tested := false
	var walk func(n *cfgNode) bool
	walk = func(n *cfgNode) bool {
		switch {
		case n.kind == cfgNBinary && (n.op == "&&" || n.op == "and"):
			return walk(n.a) && walk(n.b)
		case cfgIsXFPGuard(n):
			return true
		case cfgIsXFPTest(n):
			tested = true
			return true
		}
		return false
	}
	return walk(cond) && tested
}

func cfgIsServerKey(n *cfgNode, key string) bool {
	return n != nil && n.kind == cfgNIndex && n.a.kind == cfgNVar && n.a.name == "_SERVER" &&
		n.b.kind == cfgNLit && n.b.val == key
}

func cfgIsLit(n *cfgNode, v any) bool { return n != nil && n.kind == cfgNLit && n.val == v }

func cfgIsXFP(n *cfgNode) bool {
	if n != nil && n.kind == cfgNCall && n.name == "strtolower" && len(n.args) == 1 {
		n = n.args[0]
	}
	return cfgIsServerKey(n, "HTTP_X_FORWARDED_PROTO")
}

func cfgIsXFPGuard(n *cfgNode) bool {
	switch {
	case n.kind == cfgNCall && n.name == "isset" && len(n.args) == 1:
		return cfgIsXFP(n.args[0])
	case n.kind == cfgNUnary && n.op == "!" && n.a.kind == cfgNCall && n.a.name == "empty" && len(n.a.args) == 1:
		return cfgIsXFP(n.a.args[0])
	case n.kind == cfgNCall && n.name == "array_key_exists" && len(n.args) == 2:
		return cfgIsLit(n.args[0], "HTTP_X_FORWARDED_PROTO") && n.args[1].kind == cfgNVar && n.args[1].name == "_SERVER"
	}
	return false
}

func cfgIsXFPTest(n *cfgNode) bool {
	if n.kind == cfgNCall && n.name == "str_contains" && len(n.args) == 2 {
		return cfgIsXFP(n.args[0]) && cfgIsLit(n.args[1], "https")
	}
	if n.kind != cfgNBinary {
		return false
	}
	x, y := n.a, n.b
	switch n.op {
	case "==", "===":
		return (cfgIsXFP(x) && cfgIsLit(y, "https")) || (cfgIsXFP(y) && cfgIsLit(x, "https"))
	case "!=", "!==", "<>":
		if cfgIsLit(x, false) {
			x, y = y, x
		}
		return cfgIsLit(y, false) && x.kind == cfgNCall && (x.name == "strpos" || x.name == "stripos") &&
			len(x.args) == 2 && cfgIsXFP(x.args[0]) && cfgIsLit(x.args[1], "https")
	}
	return false
}

func cfgAssignsServerHTTPS(toks []cfgTok) bool {
	for i := 0; i+4 < len(toks); i++ {
		if toks[i].kind == cfgVar && toks[i].text == "_SERVER" && toks[i+1].is("[") &&
			toks[i+2].kind == cfgStr && toks[i+2].str == "HTTPS" && toks[i+3].is("]") && toks[i+4].is("=") {
			return true
		}
	}
	return false
}
