package wpauth

import (
	"testing"
	"time"
)

func TestNonceTick(t *testing.T) {
	tests := []struct {
		t    int64
		life int
		want int64
	}{
		{1800014400, 86400, 41667}, // exactly 41667 * 43200
		{1800014401, 86400, 41668}, // ceil
		{0, 86400, 0},
		{1, 86400, 1},
		{1800000000, 3600, 1000000},
		{1800000001, 3601, 999723}, // life/2 = 1800.5: float division, like PHP
		{1800000000, 1, 3600000000},
		{1800000000, 0, 41667}, // PHP would divide by zero; the default life is used
	}
	for _, tc := range tests {
		if got := NonceTick(time.Unix(tc.t, 0), tc.life); got != tc.want {
			t.Errorf("NonceTick(%d, %d) = %d, want %d", tc.t, tc.life, got, tc.want)
		}
	}
}

func TestVerifyNonceWindow(t *testing.T) {
	const salt = "test-nonce-keytest-nonce-salt"
	const token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"
	created := time.Unix(1800000000, 0) // tick 41667
	n := CreateNonce("wp_rest", 6, token, salt, created)
	tests := []struct {
		name   string
		at     time.Time
		nonce  string
		action string
		uid    int64
		token  string
		want   int
	}{
		{"same tick", created, n, "wp_rest", 6, token, 1},
		{"end of the same tick", time.Unix(41667*43200, 0), n, "wp_rest", 6, token, 1},
		{"next tick", time.Unix(41667*43200+1, 0), n, "wp_rest", 6, token, 2},
		{"end of the next tick", time.Unix(41668*43200, 0), n, "wp_rest", 6, token, 2},
		{"two ticks later", time.Unix(41668*43200+1, 0), n, "wp_rest", 6, token, 0},
		{"before creation tick", time.Unix(41666*43200, 0), n, "wp_rest", 6, token, 0},
		{"other action", created, n, "other", 6, token, 0},
		{"other user", created, n, "wp_rest", 5, token, 0},
		{"logged out", created, n, "wp_rest", 0, "", 0},
		{"other session token", created, n, "wp_rest", 6, token[1:], 0},
		{"uppercase", created, upperASCII(n), "wp_rest", 6, token, 0},
		{"empty", created, "", "wp_rest", 6, token, 0},
		{"zero string", created, "0", "wp_rest", 6, token, 0},
		{"prefix", created, n[:9], "wp_rest", 6, token, 0},
	}
	for _, tc := range tests {
		if got := VerifyNonce(tc.nonce, tc.action, tc.uid, tc.token, salt, tc.at); got != tc.want {
			t.Errorf("%s: VerifyNonce = %d, want %d", tc.name, got, tc.want)
		}
	}
	if len(n) != 10 {
		t.Errorf("nonce %q is not 10 characters", n)
	}
	// A filtered nonce_life goes through VerifyNonceTick.
	tick := NonceTick(created, 3600)
	short := NonceForTick(tick, "wp_rest", 0, "", salt)
	if VerifyNonceTick(short, "wp_rest", 0, "", salt, tick+1) != 2 || VerifyNonceTick(short, "wp_rest", 0, "", salt, tick+2) != 0 {
		t.Error("VerifyNonceTick window")
	}
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}
