package wpcompat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wptest"
)

const faultTimeout = time.Second

// faultRig is a router whose database goes through a FaultProxy: /t/v1/tx writes a row in a transaction,
// /t/v1/auto with one auto-committed INSERT, /t/v1/read counts rows.
type faultRig struct {
	rt    *rest.Router
	proxy *wptest.FaultProxy
	tdb   *wptest.DB
	logs  *syncBuffer
	class string
	mu    sync.Mutex
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func newFaultRig(t *testing.T) *faultRig {
	t.Helper()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpf_", Schemas: []string{"wordpress"}})
	tdb.Exec(t, "CREATE TABLE {prefix}faults (id BIGINT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(64) NOT NULL) ENGINE=InnoDB")
	proxy, dsn := wptest.NewFaultProxy(t, tdb.DSN)
	db, err := wpcompat.OpenDB(t.Context(), dsn, wpcompat.DBOptions{MaxOpen: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tables, _ := wpcompat.NewTables("wpf_")
	logs := &syncBuffer{}
	site := wpcompat.NewSite(db, db, tables, nil, slog.New(slog.NewJSONHandler(logs, nil)))
	rig := &faultRig{proxy: proxy, tdb: tdb, logs: logs}
	rt := rest.NewRouter(site, nil)
	rt.DBTimeout = faultTimeout
	rt.Observe = func(r *rest.Request, _ int, _ time.Duration) {
		rig.mu.Lock()
		rig.class = rest.AnswerClass(r)
		rig.mu.Unlock()
	}
	table := tables.Name("faults")
	rt.Register("t/v1", "/tx", rest.Handler{Methods: "POST", Callback: func(r *rest.Request) (*rest.Response, error) {
		tx, err := db.BeginTx(r.Ctx(), nil)
		if err != nil {
			return nil, err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(r.Ctx(), "INSERT INTO "+table+" (k) VALUES (?)", r.Query.Get("k")); err != nil {
			return nil, err
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
		return rest.OK(map[string]any{"done": true}), nil
	}})
	rt.Register("t/v1", "/txread", rest.Handler{Methods: "POST", Callback: func(r *rest.Request) (*rest.Response, error) {
		tx, err := db.BeginTx(r.Ctx(), nil)
		if err != nil {
			return nil, err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(r.Ctx(), "INSERT INTO "+table+" (k) VALUES (?)", r.Query.Get("k")); err != nil {
			return nil, err
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
		var n int
		if err := db.QueryRowContext(r.Ctx(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			return nil, err // the change is committed; reading the answer failed
		}
		return rest.OK(map[string]any{"rows": n}), nil
	}})
	rt.Register("t/v1", "/auto", rest.Handler{Methods: "POST", Callback: func(r *rest.Request) (*rest.Response, error) {
		if _, err := db.ExecContext(r.Ctx(), "INSERT INTO "+table+" (k) VALUES (?)", r.Query.Get("k")); err != nil {
			return nil, err
		}
		return rest.OK(map[string]any{"done": true}), nil
	}})
	rt.Register("t/v1", "/read", rest.Handler{Methods: "GET", Callback: func(r *rest.Request) (*rest.Response, error) {
		var n int
		if err := db.QueryRowContext(r.Ctx(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			return nil, err
		}
		return rest.OK(map[string]any{"rows": n}), nil
	}})
	rig.rt = rt
	return rig
}

type answer struct {
	code    int
	body    string
	errCode string
	retry   string
	took    time.Duration
	class   string
}

func (g *faultRig) do(t *testing.T, method, path string) answer {
	t.Helper()
	start := time.Now()
	rec := wptest.Do(g.rt, method, path, nil, "")
	a := answer{code: rec.Code, body: rec.Body.String(), retry: rec.Header().Get("Retry-After"), took: time.Since(start)}
	var env struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &env)
	a.errCode = env.Code
	g.mu.Lock()
	a.class = g.class
	g.mu.Unlock()
	return a
}

// rows counts the rows written with key k, straight from the server (not through the proxy).
func (g *faultRig) rows(t *testing.T, k string) string {
	return g.tdb.QueryString(t, "SELECT COUNT(*) FROM {prefix}faults WHERE k = ?", k)
}

// eventually waits until the server shows want rows for k (held bytes are delivered asynchronously).
func (g *faultRig) eventually(t *testing.T, k, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for g.rows(t, k) != want {
		if time.Now().After(deadline) {
			t.Fatalf("rows for %s: %s, want %s", k, g.rows(t, k), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func within(t *testing.T, a answer) {
	t.Helper()
	if a.took > faultTimeout+700*time.Millisecond {
		t.Errorf("answered after %v (deadline %v)", a.took, faultTimeout)
	}
}

// A frozen database: reads and writes answer 503 wpsidecar_db_timeout with Retry-After within the deadline, also
// when they wait for a pool connection; the write is not done, and the router serves normally right after.
func TestFrozenDatabaseAnswers503InTime(t *testing.T) {
	t.Parallel()
	g := newFaultRig(t)
	if a := g.do(t, "GET", "/wp-json/t/v1/read"); a.code != 200 {
		t.Fatalf("before: %d %s", a.code, a.body)
	}
	g.proxy.Pause()
	var wg sync.WaitGroup
	answers := make([]answer, 10) // more than the pool's 4 connections
	for i := range answers {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%2 == 0 {
				answers[i] = g.do(t, "POST", "/wp-json/t/v1/tx?k=frozen")
			} else {
				answers[i] = g.do(t, "GET", "/wp-json/t/v1/read")
			}
		}(i)
	}
	wg.Wait()
	for i, a := range answers {
		within(t, a)
		want := `{"code":"wpsidecar_db_timeout","message":"` + rest.MsgDBTimeout + `","data":{"status":503}}`
		if a.code != 503 || a.body != want || a.retry != "5" {
			t.Errorf("request %d: %d %q retry %q", i, a.code, a.body, a.retry)
		}
	}
	g.proxy.Resume()
	if a := g.do(t, "GET", "/wp-json/t/v1/read"); a.code != 200 {
		t.Fatalf("after: %d %s", a.code, a.body)
	}
	if a := g.do(t, "POST", "/wp-json/t/v1/tx?k=after"); a.code != 200 {
		t.Fatalf("after: %d %s", a.code, a.body)
	}
	time.Sleep(300 * time.Millisecond)
	if n := g.rows(t, "frozen"); n != "0" {
		t.Fatalf("writes answered 503 left %s rows", n)
	}
	if strings.Contains(g.logs.String(), `"level":"ERROR"`) {
		t.Errorf("a stall is not an ERROR:\n%s", g.logs.String())
	}
}

// The database freezes in the middle of a transaction: 503, and the transaction is rolled back when the server
// wakes (its connection is gone) — not done, as reported.
func TestFreezeInsideTransactionIsNotDone(t *testing.T) {
	t.Parallel()
	g := newFaultRig(t)
	g.proxy.HoldOn("INSERT INTO")
	a := g.do(t, "POST", "/wp-json/t/v1/tx?k=midtx")
	within(t, a)
	if a.code != 503 || a.errCode != rest.CodeDBTimeout || a.class != rest.ClassDBTimeout {
		t.Fatalf("%d %s %s", a.code, a.body, a.class)
	}
	g.proxy.Resume() // the INSERT reaches the server, then the closed connection: rolled back
	time.Sleep(500 * time.Millisecond)
	if n := g.rows(t, "midtx"); n != "0" {
		t.Fatalf("%s rows", n)
	}
}

// COMMIT sent, answer never came back: 500 wpsidecar_outcome_unknown without Retry-After. When the server wakes
// the commit happens; when the connection is cut instead it does not — either is what "unknown" promised.
func TestCommitWithoutAnswerIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	g := newFaultRig(t)
	for _, wake := range []bool{true, false} {
		k := "commit-cut"
		if wake {
			k = "commit-wake"
		}
		g.proxy.HoldOn("COMMIT")
		a := g.do(t, "POST", "/wp-json/t/v1/tx?k="+k)
		within(t, a)
		want := `{"code":"wpsidecar_outcome_unknown","message":"` + rest.MsgOutcomeUnknown + `","data":{"status":500}}`
		if a.code != 500 || a.body != want || a.retry != "" || a.class != rest.ClassOutcomeUnknown {
			t.Fatalf("%d %s retry %q class %s", a.code, a.body, a.retry, a.class)
		}
		if wake {
			g.proxy.Resume()
			g.eventually(t, k, "1")
		} else {
			g.proxy.Cut()
			g.proxy.Resume()
			time.Sleep(500 * time.Millisecond)
			if n := g.rows(t, k); n != "0" {
				t.Fatalf("%s rows after a cut commit", n)
			}
		}
	}
	if a := g.do(t, "POST", "/wp-json/t/v1/tx?k=next"); a.code != 200 || g.rows(t, "next") != "1" {
		t.Fatalf("after: %d %s", a.code, a.body)
	}
}

// A single auto-committed INSERT sent before the stall: it runs when the server wakes, so its outcome is unknown.
func TestAutocommitWithoutAnswerIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	g := newFaultRig(t)
	g.proxy.HoldOn("INSERT INTO")
	a := g.do(t, "POST", "/wp-json/t/v1/auto?k=auto")
	within(t, a)
	if a.code != 500 || a.errCode != rest.CodeOutcomeUnknown || a.retry != "" {
		t.Fatalf("%d %s retry %q", a.code, a.body, a.retry)
	}
	g.proxy.Resume()
	g.eventually(t, "auto", "1")
	// A read that meets the same stall is only a 503: nothing could have changed.
	g.proxy.HoldOn("SELECT COUNT")
	if a := g.do(t, "GET", "/wp-json/t/v1/read"); a.code != 503 || a.errCode != rest.CodeDBTimeout {
		t.Fatalf("read: %d %s", a.code, a.body)
	}
	g.proxy.Resume()
}

// Connections cut under a request: 503 wpsidecar_db_unavailable for a read, right away (no waiting for the deadline).
func TestCutConnectionIsUnavailable(t *testing.T) {
	t.Parallel()
	g := newFaultRig(t)
	g.proxy.HoldOn("SELECT COUNT")
	go func() {
		for !g.proxy.Paused() {
			time.Sleep(5 * time.Millisecond)
		}
		g.proxy.Cut()
		g.proxy.Resume()
	}()
	a := g.do(t, "GET", "/wp-json/t/v1/read")
	if a.code != 503 || a.errCode != rest.CodeDBUnavailable || a.retry != "5" || a.took > faultTimeout/2 {
		t.Fatalf("%d %s retry %q after %v", a.code, a.body, a.retry, a.took)
	}
	if a := g.do(t, "GET", "/wp-json/t/v1/read"); a.code != 200 {
		t.Fatalf("after: %d %s", a.code, a.body)
	}
}

// The client hangs up while the database is asked: 499 client_closed, logged at INFO, never a 500 or an ERROR.
func TestClientClosedIs499(t *testing.T) {
	t.Parallel()
	g := newFaultRig(t)
	g.proxy.HoldOn("SELECT COUNT")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for !g.proxy.Paused() {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	req := httptest.NewRequest("GET", "/wp-json/t/v1/read", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	g.rt.ServeHTTP(rec, req)
	g.proxy.Resume()
	g.mu.Lock()
	class := g.class
	g.mu.Unlock()
	if rec.Code != 499 || class != rest.ClassClientClosed {
		t.Fatalf("%d %s class %s", rec.Code, rec.Body.String(), class)
	}
	logs := g.logs.String()
	if strings.Contains(logs, `"level":"ERROR"`) || !strings.Contains(logs, "client closed the connection") {
		t.Fatalf("logs:\n%s", logs)
	}
}

// A write committed, then the read for its answer meets the stall: the change is done, so the answer cannot be the
// 503 that promises "not done" — it is outcome-unknown (read it back).
func TestFaultAfterCommitIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	g := newFaultRig(t)
	g.proxy.HoldOn("SELECT COUNT")
	a := g.do(t, "POST", "/wp-json/t/v1/txread?k=committed")
	g.proxy.Resume()
	if a.code != 500 || a.errCode != rest.CodeOutcomeUnknown || a.retry != "" {
		t.Fatalf("%d %s retry %q", a.code, a.body, a.retry)
	}
	if n := g.rows(t, "committed"); n != "1" {
		t.Fatalf("%s rows", n)
	}
}

// A read replica that goes down: new connections go to the primary meanwhile, so reads keep answering; once the
// replica is back and the fallback connections are retired, reads return to it.
func TestReplicaDownFallsBackToPrimary(t *testing.T) {
	t.Parallel()
	tdb := wptest.NewDB(t, wptest.Options{Prefix: "wpr_", Schemas: []string{"wordpress"}})
	proxy, replicaDSN := wptest.NewFaultProxy(t, tdb.DSN)
	replica, err := wpcompat.OpenDB(t.Context(), replicaDSN, wpcompat.DBOptions{MaxOpen: 2, FallbackDSN: tdb.DSN})
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	read := func() error {
		var n int
		return replica.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM wpr_options").Scan(&n)
	}
	if err := read(); err != nil {
		t.Fatal(err)
	}
	proxy.Stop()
	for i := 0; i < 5; i++ {
		if err := read(); err != nil {
			t.Fatalf("read %d with the replica down: %v", i, err)
		}
	}
	proxy.Start(t)
	if err := read(); err != nil {
		t.Fatal(err)
	}
}
