package fluentcart

// The framework Request's input bag (vendor/wpfluent/framework/src/WPFluent/Http/Request/Request.php): WordPress's
// merged get_params() (JSON body > form body > query > URL), plus the framework's own JSON overlay — it also
// decodes a body that merely looks like JSON whatever its Content-Type (Request::isJson / json()).

import (
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// input is $request->all() of one request, mutable as the request classes merge defaults into it.
type input struct {
	m map[string]any
}

func newInput(r *rest.Request) *input {
	src := r.Params()
	m := make(map[string]any, len(src)+2)
	for k, v := range src {
		m[k] = v
	}
	if len(r.Body) > 0 && !r.IsJSONContentType() {
		if v, err := wpjson.DecodeOrdered(r.Body); err == nil {
			if o, ok := v.(*wpjson.Object); ok {
				for _, k := range o.Keys() {
					x, _ := o.Get(k)
					m[k] = x
				}
			}
		}
	}
	return &input{m: m}
}

// has is array_key_exists at the top level.
func (in *input) has(key string) bool {
	_, ok := in.m[key]
	return ok
}

// get is Arr::get / Helper::dataGet with dot notation; ok is false when the path does not exist.
func (in *input) get(key string) (any, bool) {
	if v, ok := in.m[key]; ok {
		return v, true
	}
	if !strings.Contains(key, ".") {
		return nil, false
	}
	var cur any = in.m
	for _, seg := range strings.Split(key, ".") {
		switch t := cur.(type) {
		case map[string]any:
			v, ok := t[seg]
			if !ok {
				return nil, false
			}
			cur = v
		case *wpjson.Object:
			v, ok := t.Get(seg)
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(t) {
				return nil, false
			}
			cur = t[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

func (in *input) set(key string, v any) { in.m[key] = v }

// str returns a scalar input as a PHP string; ok is false when absent or not a scalar.
func (in *input) str(key string) (string, bool) {
	v, ok := in.get(key)
	if !ok {
		return "", false
	}
	return scalarString(v)
}

// list returns an array input as its values in order (PHP foreach order), ok false for non-arrays.
func list(v any) ([]any, bool) {
	switch t := v.(type) {
	case []any:
		return t, true
	case *wpjson.Object:
		out := make([]any, 0, t.Len())
		for _, k := range t.Keys() {
			x, _ := t.Get(k)
			out = append(out, x)
		}
		return out, true
	}
	return nil, false
}
