package fluentcart

// POST /customers — CustomerController::store -> CustomerResource::create (spec §5.3):
//
//	validate (CustomerRequest) -> firstOrCreate(['email' => e], data) -> link a WordPress user with that e-mail
//	-> 200 {"message":"Customer created successfully!","data": <in-memory model>} for a new row, else
//	resource error 400 "Customer already exists." (HTTP 500).
//
// Deviation (DEVIATIONS.md): the duplicate check and the insert run under a per-e-mail named lock, in one
// transaction, so concurrent creates cannot insert two rows with one e-mail.

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpformat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// createColumns is the attribute order of the new model: array_merge(['email' => …], $data) filtered by
// $fillable, then purchase_value, then the creating event's uuid and the timestamps (updated_at first).
var createColumns = []string{"email", "user_id", "first_name", "last_name", "status", "aov", "notes", "country",
	"city", "state", "postcode"}

func (a *api) createCustomer(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	fullMode, err := a.fullNameMode(ctx)
	if err != nil {
		return nil, err
	}
	lockKey := ""
	if ev, ok := in.get("email"); ok {
		if s, isStr := scalarString(ev); isStr {
			lockKey = strings.ToLower(wpformat.SanitizeEmail(s))
		}
	}
	if h := a.opts.testHooks; h != nil && h.noEmailLock {
		lockKey = ""
	}
	conn, release, err := a.store.emailLock(ctx, lockKey)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := a.validateCustomer(ctx, conn, in, fullMode); err != nil {
		return nil, err
	}
	data := getSafe(in, customerSanitizeKeys, customerSanitizers)
	resolveCustomerName(data, fullMode)
	email, _ := scalarString(data["email"])

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := a.store.firstCustomerByEmail(ctx, tx, email)
	if err != nil {
		return nil, err
	}
	userID, hasUser, err := a.store.userIDByEmail(ctx, tx, email)
	if err != nil {
		return nil, err
	}
	created := false
	if c == nil {
		c, err = a.insertCustomer(ctx, tx, data, email)
		if err != nil {
			return nil, err
		}
		created = true
		if h := a.opts.testHooks; h != nil && h.window != nil {
			h.window() // between the duplicate check and the commit
		}
	}
	if hasUser {
		// $customer->update(['user_id' => $user->ID]): written only when it differs.
		uv, _ := c.get("user_id")
		if us, ok := scalarString(uv); uv == nil || !ok || us != itoa(userID) {
			now := a.now()
			if err := a.store.updateByID(ctx, tx, a.store.customers, c.id(), []string{"user_id", "updated_at"}, []any{userID, now}); err != nil {
				return nil, err
			}
			c.set("user_id", userID)
			c.set("updated_at", now)
		}
	}
	if wp, _ := data["wp_user"].(string); wp == "yes" && !hasUser {
		err := a.createWPUser(ctx, tx, c)
		if errors.Is(err, errUserCreateFailed) {
			if err := tx.Commit(); err != nil { // the customer row stays
				return nil, err
			}
			return nil, resourceError(423, "Failed to create user.")
		}
		if err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if !created {
		return nil, resourceError(400, "Customer already exists.")
	}
	vc, err := a.viewFor(ctx, r, []*attrs{c})
	if err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("message", "Customer created successfully!").
		Set("data", model(vc.customer(c, nil, nil)))), nil
}

// testHooks are test-only failpoints: window runs after a create's INSERT, before its COMMIT (holding the race
// window open); noEmailLock skips the per-e-mail lock, to show the race tests fail without it.
type testHooks struct {
	window      func()
	noEmailLock bool
}

// insertCustomer inserts the new row and returns the in-memory model PHP answers with.
func (a *api) insertCustomer(ctx context.Context, tx *sql.Tx, data map[string]any, email string) (*attrs, error) {
	c := &attrs{}
	for _, k := range createColumns {
		v := data[k]
		if k == "email" {
			v = email
		}
		c.set(k, v)
	}
	c.set("purchase_value", "[]")
	c.set("uuid", customerUUID(email))
	now := a.now()
	c.set("updated_at", now)
	c.set("created_at", now)
	id, err := a.store.insertAttrs(ctx, tx, a.store.customers, c)
	if err != nil {
		return nil, err
	}
	c.set("id", id)
	return c, nil
}

// customerUUID is Customer::boot's creating hook: md5($email . '_' . wp_generate_uuid4()).
func customerUUID(email string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	u4 := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	sum := md5.Sum([]byte(email + "_" + u4))
	return hex.EncodeToString(sum[:])
}
