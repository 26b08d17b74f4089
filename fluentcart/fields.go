package fluentcart

// WordPress's _fields filter (wp-includes/rest-api.php rest_filter_response_fields, run on rest_post_dispatch)
// applied the way it behaves on FluentCart's answers: it only descends into PHP arrays, and most of FluentCart's
// payloads are objects (models, collections, paginators), which it keeps whole. The sidecar applies the filter
// itself, with that distinction, and takes _fields out of the query so the router's generic filter (which
// sees only JSON) does not run again.

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// phpObject marks a value PHP holds as an object (Model, Collection, LengthAwarePaginator).
type phpObject struct{ v any }

func (o phpObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(o.v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func model(v any) phpObject { return phpObject{v} }

var listSplit = regexp.MustCompile(`[\s,]+`)

// withFields wraps a callback with rest_filter_response_fields.
func withFields(cb func(*rest.Request) (*rest.Response, error)) func(*rest.Request) (*rest.Response, error) {
	return func(r *rest.Request) (*rest.Response, error) {
		resp, err := cb(r)
		raw, present := r.Params()["_fields"]
		if present {
			r.QueryParams().Delete("_fields")
		}
		if err != nil || resp == nil || resp.Status >= 400 {
			return resp, err
		}
		if !present {
			return encodeBody(resp)
		}
		var fields []string
		if l, ok := list(raw); ok {
			for _, x := range l {
				if s, ok := scalarString(x); ok && !isArray(x) {
					fields = append(fields, s)
				}
			}
		} else if s, ok := scalarString(raw); ok {
			for _, f := range listSplit.Split(s, -1) {
				if f != "" {
					fields = append(fields, f)
				}
			}
		}
		if len(fields) == 0 {
			return encodeBody(resp)
		}
		tree := map[string]any{}
		for _, f := range fields {
			parts := strings.Split(php.Trim(f), ".")
			ref := tree
			skip := false
			for len(parts) > 1 {
				next := parts[0]
				parts = parts[1:]
				if v, ok := ref[next]; ok && v == true {
					skip = true
					break
				}
				sub, ok := ref[next].(map[string]any)
				if !ok {
					sub = map[string]any{}
					ref[next] = sub
				}
				ref = sub
			}
			if !skip {
				ref[parts[0]] = true
			}
		}
		if l, ok := resp.Body.([]any); ok {
			out := []any{}
			for _, item := range l {
				out = append(out, intersectFields(item, tree))
			}
			resp.Body = out
			return encodeBody(resp)
		}
		resp.Body = intersectFields(resp.Body, tree)
		return encodeBody(resp)
	}
}

// encodeBody replaces a successful answer's tree by its pre-encoded bytes.
func encodeBody(resp *rest.Response) (*rest.Response, error) {
	raw, err := encoded(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body = raw
	return resp, nil
}

// intersectFields is _rest_array_intersect_key_recursive over PHP arrays (*Object, []any); anything else is
// returned unchanged.
func intersectFields(v any, tree map[string]any) any {
	sub := func(val any, key string) any {
		if t, ok := tree[key].(map[string]any); ok {
			switch val.(type) {
			case *wpjson.Object, []any:
				return intersectFields(val, t)
			}
		}
		return val
	}
	switch t := v.(type) {
	case *wpjson.Object:
		out := wpjson.NewObject()
		for _, k := range t.Keys() {
			if _, ok := tree[k]; ok {
				x, _ := t.Get(k)
				out.Set(k, sub(x, k))
			}
		}
		return out
	case []any:
		var keys []int
		for i := range t {
			if _, ok := tree[itoa(int64(i))]; ok {
				keys = append(keys, i)
			}
		}
		sequential := true
		for j, i := range keys {
			sequential = sequential && i == j
		}
		if sequential {
			out := []any{}
			for _, i := range keys {
				out = append(out, sub(t[i], itoa(int64(i))))
			}
			return out
		}
		out := wpjson.NewObject()
		for _, i := range keys {
			out.Set(itoa(int64(i)), sub(t[i], itoa(int64(i))))
		}
		return out
	}
	return v
}
