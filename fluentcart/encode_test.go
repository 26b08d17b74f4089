package fluentcart

import (
	"math/rand/v2"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// The single-pass encoder produces exactly what wpjson.MarshalJSON produces for the same tree.
func TestEncodeMatchesMarshalJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "Z", "0", " ", "\"", "\\", "/", "<", ">", "&", "'", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1f",
		"\x7f", "é", "Ü", "芳", "🍀", "\u2028", "\u2029", "\xff", "\xc3", "%41"}
	str := func() string {
		n := rng.IntN(12)
		s := ""
		for i := 0; i < n; i++ {
			s += alphabet[rng.IntN(len(alphabet))]
		}
		return s
	}
	var gen func(depth int) any
	gen = func(depth int) any {
		switch k := rng.IntN(9); {
		case k == 0 || depth > 3:
			return str()
		case k == 1:
			return int64(rng.IntN(1000) - 500)
		case k == 2:
			return wpjson.PHPFloat(rng.Float64() * 1e6)
		case k == 3:
			return nil
		case k == 4:
			return rng.IntN(2) == 0
		case k == 5:
			l := []any{}
			for i := rng.IntN(4); i > 0; i-- {
				l = append(l, gen(depth+1))
			}
			return l
		case k == 6:
			return model(gen(depth + 1))
		default:
			o := wpjson.NewObject()
			for i := rng.IntN(5); i > 0; i-- {
				o.Set(str(), gen(depth+1))
			}
			return o
		}
	}
	for i := 0; i < 3000; i++ {
		v := gen(0)
		raw, err := encoded(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := wpjson.MarshalJSON(raw)
		if err != nil {
			t.Fatal(err)
		}
		want, err := wpjson.MarshalJSON(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
