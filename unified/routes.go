// Package unified is one customer API over a WordPress site's three records of a person — the WordPress user, the
// FluentCart customer and the LatePoint customer — addressed by a uuid, for partners that sign their requests
// (README "Unified customer API"). Modelled on the Count partner API's "Update customer".
package unified

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// Routes of namespace wpsidecar/v1. find-by-email is registered before the uuid route (WordPress matches routes in
// registration order); the uuid is 32 lower-case hex characters, case-sensitive although the router is not.
const (
	namespace     = "wpsidecar/v1"
	routeFind     = "/customers/find-by-email"
	routeCustomer = "/customers/(?P<uuid>(?-i:[0-9a-f]{32}))"
)

// Defaults.
const (
	DefaultRateLimit = 100              // requests per minute per client id
	clockSkew        = 300              // x-timestamp tolerance, seconds either way
	seenRetention    = 15 * time.Minute // seen signatures are kept this long (more than twice the window)
	defaultLockWait  = 10 * time.Second
)

// Options configures the API.
type Options struct {
	// SecretsKeyFile is the 32-byte AES key that encrypts client secrets (created with mode 0600 on first use).
	SecretsKeyFile string
	// RateLimit is the default number of requests per minute per client (a client's own limit wins); 0 = 100.
	RateLimit int
	// LockWait bounds the wait for another request updating to the same e-mail; 0 = 10 s.
	LockWait time.Duration
	// NewUUID makes the uuids the sidecar assigns (tests make them predictable); nil = 32 random hex characters.
	NewUUID func() string
	// FailPoint (tests only) is called between the write steps of an update with the step's name ("users",
	// "usermeta", "fct_customers", "fct_customer_addresses", "latepoint_customers", "links"); an error aborts the
	// transaction as a database failure would.
	FailPoint func(step string) error
}

// service is the API's state: the site, its store and the decryption key, loaded on first use.
type service struct {
	site  *wpcompat.Site
	opts  Options
	store *store

	keyMu  sync.Mutex
	key    []byte
	keyErr string // the last key-file failure logged

	requests atomic.Uint64 // counts verified requests; every purgeEvery-th purges expired replay/limit rows
}

// Register adds the routes to a router, plus the hook that keeps WordPress's own errors on these routes in this
// API's envelope.
func Register(rt *rest.Router, site *wpcompat.Site, opts Options) {
	s := newService(site, opts)
	rt.Register(namespace, routeFind,
		rest.Handler{Methods: "GET", Permission: s.authenticate, Callback: s.findByEmail})
	rt.Register(namespace, routeCustomer,
		rest.Handler{Methods: "GET", Permission: s.authenticate, Callback: s.getCustomer},
		rest.Handler{Methods: "PUT, PATCH", Permission: s.authenticate, Callback: s.putCustomer})
	rt.Hook("/"+namespace+"/customers", convertWPError)
	rt.Register(namespace, routeOpenAPI, rest.Handler{Methods: "GET", Callback: serveOpenAPI})
}

func newService(site *wpcompat.Site, opts Options) *service {
	if opts.RateLimit <= 0 {
		opts.RateLimit = DefaultRateLimit
	}
	if opts.LockWait <= 0 {
		opts.LockWait = defaultLockWait
	}
	if opts.NewUUID == nil {
		opts.NewUUID = randomUUID
	}
	return &service{site: site, opts: opts, store: &store{site: site, failpoint: opts.FailPoint}}
}

// randomUUID is 16 random bytes as 32 lower-case hex characters, the format of FluentCart's customer uuids.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
