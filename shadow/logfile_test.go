package shadow

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The log never grows past max_size; older lines move to path.1 … path.keep and the oldest are dropped.
func TestLogFileRotates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shadow.jsonl")
	l, err := openLogFile(path, 1000, 2)
	if err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("x", 180)
	for i := 0; i < 40; i++ { // ~200 bytes a line, 5 lines a file: 8 files' worth, 3 kept
		if err := l.write(map[string]any{"n": i, "pad": pad}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.close(); err != nil {
		t.Fatal(err)
	}
	files, err := LogFiles(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 || files[0] != path+".2" || files[1] != path+".1" || files[2] != path {
		t.Fatalf("files %v", files)
	}
	if _, err := os.Stat(path + ".3"); !os.IsNotExist(err) {
		t.Fatal("keep = 2 left a third rotated file")
	}
	var ns []int
	for _, f := range files {
		st, _ := os.Stat(f)
		if st.Size() > 1000 {
			t.Errorf("%s is %d bytes, over the cap", f, st.Size())
		}
		fh, _ := os.Open(f)
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			var rec struct{ N int }
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatalf("%s: bad line %q", f, sc.Text())
			}
			ns = append(ns, rec.N)
		}
		fh.Close()
	}
	// Oldest first and contiguous up to the last line written.
	for i := 1; i < len(ns); i++ {
		if ns[i] != ns[i-1]+1 {
			t.Fatalf("lines out of order: %v", ns)
		}
	}
	if ns[len(ns)-1] != 39 || len(ns) < 10 {
		t.Fatalf("kept lines %v", ns)
	}

	// Reopening appends to the existing file and keeps counting its size.
	l, err = openLogFile(path, 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if err := l.write(map[string]any{"n": 100 + i, "pad": pad}); err != nil {
			t.Fatal(err)
		}
	}
	l.close()
	if st, _ := os.Stat(path); st.Size() > 1000 {
		t.Fatalf("keep = 0 let the file grow to %d", st.Size())
	}
	if _, err := LogFiles(filepath.Join(dir, "none.jsonl")); err == nil {
		t.Fatal("a missing log must be an error")
	}
}
