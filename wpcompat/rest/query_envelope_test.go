package rest

import "testing"
import "github.com/wpsidecar/wpsidecar/wpcompat/wpjson"

func TestParsePHPQuery(t *testing.T) {
	cases := map[string]string{
		"a=1&b=2":                       `{"a":"1","b":"2"}`,
		"with[]=labels&with[]=billing":  `{"with":["labels","billing"]}`,
		"with[0]=x&with[1]=y":           `{"with":["x","y"]}`,
		"f[status]=active&f[q]=a+b":     `{"f":{"status":"active","q":"a b"}}`,
		"a.b=1&c d=2":                   `{"a_b":"1","c_d":"2"}`,
		"a=1&a=2":                       `{"a":"2"}`,
		"x[1]=a&x[0]=b":                 `{"x":{"1":"a","0":"b"}}`,
		"n[a][]=1&n[a][]=2&n[b][c]=3":   `{"n":{"a":["1","2"],"b":{"c":"3"}}}`,
		"rest_route=%2Fwp%2Fv2%2Fusers": `{"rest_route":"\/wp\/v2\/users"}`,
		"0=a&1=b":                       `{"0":"a","1":"b"}`,
		"a[=1":                          `{"a_":"1"}`,
	}
	for in, want := range cases {
		got, _ := wpjson.MarshalJSON(ParsePHPQuery(in))
		if string(got) != want {
			t.Errorf("ParsePHPQuery(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestErrorEnvelope(t *testing.T) {
	cases := []struct {
		err    *Error
		status int
		want   string
	}{
		{NoRoute(), 404, `{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`},
		{&Error{Code: "a", Message: "A no status"}, 500, `{"code":"a","message":"A no status","data":null}`},
		{NewError("rest_invalid_param", "Invalid parameter(s): x", 400).With("params", wpjson.NewObject().Set("x", "bad")), 400,
			`{"code":"rest_invalid_param","message":"Invalid parameter(s): x","data":{"status":400,"params":{"x":"bad"}}}`},
	}
	for _, c := range cases {
		resp := c.err.Response()
		got, _ := wpjson.MarshalJSON(resp.Body)
		if resp.Status != c.status || string(got) != c.want {
			t.Errorf("%s: %d %s", c.err.Code, resp.Status, got)
		}
	}
}
