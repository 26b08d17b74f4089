package wpauth

import (
	"strings"
	"testing"

	"github.com/wpsidecar/wpsidecar/wpcompat/internal/wpvectors"
	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
)

// readSerializedSeeds returns the real WordPress values in testdata/wpcompat/serialized.
func readSerializedSeeds(t testing.TB) map[string]string { return wpvectors.SerializedSeeds(t) }

func TestApplicationPasswordsRowShape(t *testing.T) {
	seeds := readSerializedSeeds(t)
	v, err := phpserial.MaybeUnserialize(seeds["application_passwords_row.txt"])
	if err != nil {
		t.Fatal(err)
	}
	list := v.(*phpserial.PHPArray)
	item0, _ := list.Get(0)
	item := item0.(*phpserial.PHPArray)
	hash, _ := item.Get("password")
	if !CheckAppPasswordHash("zFvM9nrV0MsKsczPzqAX3lEr", hash.(string)) {
		t.Error("row's hash does not verify the spec's plain password")
	}
	if created, _ := item.Get("created"); created != int64(1795455843) {
		t.Errorf("created = %#v", created)
	}
	// Updating last_used in place must keep PHP's layout.
	item.Set("last_used", int64(1795455999))
	want := strings.Replace(seeds["application_passwords_row.txt"], "i:1795455848;", "i:1795455999;", 1)
	if got := phpserial.Serialize(list); got != want {
		t.Errorf("after last_used update:\n got %s\nwant %s", got, want)
	}
}
