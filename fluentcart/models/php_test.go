package models

import (
	"math"
	"testing"
)

// (int) of a string as PHP 8.2 computes it (php -r 'var_dump((int)"1e30");' …): out-of-range numeric strings
// saturate, infinities give 0, leading numeric prefixes count.
func TestStringToIntAsPHP(t *testing.T) {
	for in, want := range map[string]int64{
		"1e30": math.MaxInt64, "99999999999999999999": math.MaxInt64, "9223372036854775808": math.MaxInt64,
		"-1e30": math.MinInt64, "1e999": 0, "-1e999": 0, " 12abc": 12, "1e19": math.MaxInt64, "12.9": 12,
		"-7": -7, "abc": 0, "": 0,
	} {
		if got := StringToInt(in); got != want {
			t.Errorf("(int)%q = %d, want %d", in, got, want)
		}
	}
	// (int) of a float wraps instead: (int)1e30 is 5076964154930102272.
	if got := FloatToInt(1e30); got != 5076964154930102272 {
		t.Errorf("(int)1e30 = %d", got)
	}
}
