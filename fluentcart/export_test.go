package fluentcart

// WithRaceHooks sets the create failpoints for the race tests: window runs between a create's duplicate check and
// its commit; noEmailLock skips the per-e-mail lock.
func WithRaceHooks(o *Options, window func(), noEmailLock bool) {
	o.testHooks = &testHooks{window: window, noEmailLock: noEmailLock}
}
