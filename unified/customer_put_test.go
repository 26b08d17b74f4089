package unified

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// Golden answers of PUT.
func TestPutCustomerAnswers(t *testing.T) {
	e := newEnv(t)
	t.Run("unchanged", func(t *testing.T) {
		before := tablesSnapshot(t, e.db)
		golden(t, e.signed("PUT", customerURL(uuidSam), `{"customer":"Sam Porter","status":"active","email":"subscriber@example.com"}`), 200, "customer_put_unchanged")
		wantDiffs(t, before, tablesSnapshot(t, e.db))
		if got := e.db.QueryString(t, "SELECT IFNULL(changed_at, 'NULL') FROM {prefix}wpsidecar_customer_links WHERE uuid = ?", uuidSam); got != "NULL" {
			t.Errorf("changed_at = %s after a no-op update", got)
		}
	})
	t.Run("empty object changes nothing", func(t *testing.T) {
		golden(t, e.signed("PUT", customerURL(uuidSam), `{}`), 200, "customer_put_unchanged")
	})
	t.Run("validation lists every failing field", func(t *testing.T) {
		golden(t, e.signed("PUT", customerURL(uuidSam), `{"customer":"  ","email":"not-an-email","mainPhone":"abc","website":"example.com",`+
			`"status":"archived","billingAddress":{"street":"","city":"Austin","country":"USA","zip":"1"},"shippingAddress":"x","uuid":"abc"}`),
			400, "customer_put_validation")
	})
	t.Run("contacts are read-only", func(t *testing.T) {
		golden(t, e.signed("PUT", customerURL(uuidSam), `{"customer":"Sam Porter","contacts":[]}`), 400, "customer_put_contacts")
	})
	t.Run("email taken by another person (any case)", func(t *testing.T) {
		golden(t, e.signed("PUT", customerURL(uuidSam), `{"email":"JANE.DOE@example.com"}`), 409, "customer_put_email_taken")
	})
	t.Run("invalid JSON", func(t *testing.T) {
		golden(t, e.signed("PUT", customerURL(uuidSam), `{"customer":`), 400, "customer_put_invalid_json")
	})
	t.Run("not an object", func(t *testing.T) {
		golden(t, e.signed("PUT", customerURL(uuidSam), `["customer"]`), 400, "customer_put_not_an_object")
	})
	t.Run("not found", func(t *testing.T) {
		golden(t, e.signed("PUT", customerURL("0123456789abcdef0123456789abcdef"), `{"customer":"X"}`), 404, "customer_put_not_found")
	})
	t.Run("a privileged WordPress account is not re-addressed by a partner", func(t *testing.T) {
		if rec := e.signed("GET", findURL("admin@example.com"), ""); rec.Code != 200 {
			t.Fatalf("find admin: %d %s", rec.Code, rec.Body)
		}
		uuid := e.db.QueryString(t, "SELECT uuid FROM {prefix}wpsidecar_customer_links WHERE user_id = 1")
		before := tablesSnapshot(t, e.db)
		golden(t, e.signed("PUT", customerURL(uuid), `{"email":"attacker@example.net"}`), 403, "customer_put_privileged_user")
		wantDiffs(t, before, tablesSnapshot(t, e.db))
	})
	t.Run("name", func(t *testing.T) {
		golden(t, e.signed("PUT", customerURL(uuidSam), `{"customer":"Samuel J Porter"}`), 200, "customer_put_name")
	})
	t.Run("addresses, phone and website", func(t *testing.T) {
		golden(t, e.signed("PUT", customerURL(uuidJane), `{"billingAddress":{"street":"1 Main St","street2":"Suite 5","city":"Austin",`+
			`"state":"TX","postalCode":"78701","country":"us"},"shippingAddress":null,"mainPhone":"+1 (512) 555-0199 x12",`+
			`"website":"https://jane.example.com"}`), 200, "customer_put_addresses_phone_website")
		golden(t, e.signed("GET", customerURL(uuidJane), ""), 200, "customer_put_addresses_phone_website_get")
	})
}

// A partial update writes exactly the columns of the field it names, in every table the field lives in; every
// other column of users, usermeta and both plugins' tables stays byte-identical.
func TestPutPartialUpdateTouchesOnlyItsColumns(t *testing.T) {
	e := newEnv(t)
	// testNow is 15:00 UTC; the site (America/New_York) is on EST then: LatePoint's clock reads 10:00.
	const utc, local = `"2026-11-23 15:00:00"`, `"2026-11-23 10:00:00"`
	for _, c := range []struct {
		name, uuid, body string
		want             []string
	}{
		{"name", uuidSam, `{"customer":"Samuel J Porter"}`, []string{
			`users[3].display_name="Samuel J Porter"`,
			`usermeta[34].meta_value="Samuel J"`,
			`fct_customers[2].first_name="Samuel J"`, `fct_customers[2].updated_at=` + utc,
			`latepoint_customers[2].first_name="Samuel J"`, `latepoint_customers[2].updated_at=` + local,
		}},
		{"one-word name", uuidSam, `{"customer":"Cher"}`, []string{
			`users[3].display_name="Cher"`,
			`usermeta[34].meta_value="Cher"`, `usermeta[35].meta_value=""`,
			`fct_customers[2].first_name="Cher"`, `fct_customers[2].last_name=""`,
			`latepoint_customers[2].first_name="Cher"`, `latepoint_customers[2].last_name=""`,
		}},
		{"website", uuidSam, `{"website":"https://sam.example.org/"}`, []string{
			`users[3].user_url="https://sam.example.org/"`,
		}},
		{"website removed", uuidSam, `{"website":null}`, []string{
			`users[3].user_url=""`,
		}},
		{"status", uuidSam, `{"status":"inactive"}`, []string{
			`fct_customers[2].status="inactive"`,
			`latepoint_customers[2].status="inactive"`,
		}},
		{"phone", uuidSam, `{"mainPhone":"+1 503 555 0177"}`, []string{
			`fct_customer_addresses[4].phone="+1 503 555 0177"`, `fct_customer_addresses[4].updated_at=` + utc,
			`latepoint_customers[2].phone="+15035550177"`,
		}},
		{"phone removed with empty string", uuidSam, `{"mainPhone":""}`, []string{
			`fct_customer_addresses[4].phone=""`,
			`latepoint_customers[2].phone=""`,
		}},
		{"shipping address", uuidSam, `{"shippingAddress":{"street":"1 Pioneer Sq","city":"Portland","state":"OR","postalCode":"97204","country":"US"}}`, []string{
			`fct_customer_addresses[5].address_1="1 Pioneer Sq"`, `fct_customer_addresses[5].postcode="97204"`,
			`fct_customer_addresses[5].updated_at=` + utc,
		}},
		{"billing address removed", uuidSam, `{"billingAddress":null}`, []string{
			`fct_customer_addresses[4] deleted`,
		}},
		{"billing address added", uuidSam, `{"billingAddress":{"street":"9 Elm St","city":"Salem","country":"US"}}`, []string{
			`fct_customer_addresses[50] inserted`,
		}},
		{"email", uuidSam, `{"email":"sam.porter@example.org"}`, []string{
			`users[3].user_email="sam.porter@example.org"`,
			`fct_customers[2].email="sam.porter@example.org"`,
			`latepoint_customers[2].email="sam.porter@example.org"`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := tablesSnapshot(t, e.db)
			if rec := e.signed("PUT", customerURL(c.uuid), c.body); rec.Code != 200 {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			after := tablesSnapshot(t, e.db)
			want := c.want
			// Rows the earlier cases already stamped keep their updated_at; rows written for the first time get one.
			want = withStamps(before, want, utc, local)
			wantDiffs(t, before, after, want...)
		})
	}
	t.Run("the inserted billing row", func(t *testing.T) {
		row := snapshot(t, e.db.DB, "SELECT customer_id, is_primary, type, status, label, name, address_1, address_2, city, state, phone, email, postcode, country, meta FROM "+
			e.db.Table("fct_customer_addresses")+" WHERE id = 50")
		want := `customer_id="2";is_primary="1";type="billing";status="active";label="";name="Cher";address_1="9 Elm St";address_2="";city="Salem";` +
			`state="";phone="";email="subscriber@example.com";postcode="";country="US";meta=NULL;`
		if len(row) != 1 || row[0] != want {
			t.Errorf("row = %v\nwant %s", row, want)
		}
	})
}

// withStamps adds the updated_at change of every plugin row a case writes, unless that row's updated_at already
// holds the stamp (an earlier case wrote it).
func withStamps(before map[string]tableSnap, want []string, utc, local string) []string {
	stamps := map[string]string{}
	for _, w := range want {
		for _, tb := range []string{"fct_customers", "latepoint_customers", "fct_customer_addresses"} {
			if len(w) > len(tb)+1 && w[:len(tb)+1] == tb+"[" {
				end := len(tb) + 1
				for end < len(w) && w[end] != ']' {
					end++
				}
				if end+1 < len(w) && w[end+1] == '.' {
					stamps[w[:end+1]] = tb
				}
			}
		}
	}
	out := append([]string(nil), want...)
	for row, tb := range stamps {
		stamp := utc
		if tb == "latepoint_customers" {
			stamp = local
		}
		key := row[len(tb)+1 : len(row)-1]
		snap := before[tb]
		col := -1
		for i, c := range snap.cols {
			if c == "updated_at" {
				col = i
			}
		}
		if show(snap.rows[key][col]) == stamp {
			continue
		}
		entry := row + ".updated_at=" + stamp
		dup := false
		for _, w := range out {
			dup = dup || w == entry
		}
		if !dup {
			out = append(out, entry)
		}
	}
	return out
}

// An e-mail change lands in all three tables or in none: a failure between the writes rolls every one back.
func TestPutEmailIsAtomic(t *testing.T) {
	var failAt atomic.Value
	failAt.Store("")
	e := newEnv(t, func(o *Options) {
		o.FailPoint = func(step string) error {
			if failAt.Load().(string) == step {
				return errors.New("injected failure at " + step)
			}
			return nil
		}
	})
	body := `{"email":"sam.new@example.org","customer":"Sam Q Porter","mainPhone":"+1 503 555 0100"}`
	for _, step := range []string{"users", "usermeta", "fct_customers", "fct_customer_addresses", "latepoint_customers", "links"} {
		t.Run("failure after "+step, func(t *testing.T) {
			failAt.Store(step)
			before := tablesSnapshot(t, e.db)
			links := snapshot(t, e.db.DB, "SELECT * FROM "+e.db.Table("wpsidecar_customer_links")+" WHERE uuid = ?", uuidSam)
			golden(t, e.signed("PUT", customerURL(uuidSam), body), 500, "customer_put_server_error")
			wantDiffs(t, before, tablesSnapshot(t, e.db))
			if after := snapshot(t, e.db.DB, "SELECT * FROM "+e.db.Table("wpsidecar_customer_links")+" WHERE uuid = ?", uuidSam); len(links) > 0 && after[0] != links[0] {
				t.Errorf("link changed:\n%s\n%s", links[0], after[0])
			}
		})
	}
	t.Run("without a failure everything lands", func(t *testing.T) {
		failAt.Store("")
		if rec := e.signed("PUT", customerURL(uuidSam), body); rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		for _, q := range []string{
			"SELECT user_email FROM {prefix}users WHERE ID = 3",
			"SELECT email FROM {prefix}fct_customers WHERE id = 2",
			"SELECT email FROM {prefix}latepoint_customers WHERE id = 2",
		} {
			if got := e.db.QueryString(t, q); got != "sam.new@example.org" {
				t.Errorf("%s = %q", q, got)
			}
		}
	})
}

// 20 concurrent PUTs moving 20 different people to one new address: exactly one wins, 19 get 409, and the address
// ends up in exactly one person's rows.
func TestPutEmailRace(t *testing.T) {
	e := newEnv(t, widenRaceWindow)
	rows, err := e.db.DB.Query("SELECT uuid FROM " + e.db.Table("fct_customers") + " WHERE id BETWEEN 6 AND 25 ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	var uuids []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			t.Fatal(err)
		}
		uuids = append(uuids, u)
	}
	rows.Close()
	if len(uuids) != 20 {
		t.Fatalf("%d people", len(uuids))
	}
	codes := race(e, uuids, `{"email":"contested@example.com"}`)
	if codes[200] != 1 || codes[409] != 19 {
		t.Errorf("statuses %v, want one 200 and nineteen 409", codes)
	}
	assertOneHolder(t, e, "contested@example.com")
}

// Two people, ten concurrent PUTs each, to the same address: one person gets it (its requests succeed, one of them
// changing it), every request of the other is refused with 409.
func TestPutEmailRaceTwoPeople(t *testing.T) {
	e := newEnv(t, widenRaceWindow)
	var uuids []string
	for i := 0; i < 10; i++ {
		uuids = append(uuids, uuidMaya, uuidEthan)
	}
	var mu sync.Mutex
	byPerson := map[string]map[int]int{uuidMaya: {}, uuidEthan: {}}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, u := range uuids {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			<-start
			rec := e.signed("PUT", customerURL(u), `{"email":"Shared@Example.com"}`)
			mu.Lock()
			byPerson[u][rec.Code]++
			mu.Unlock()
		}(u)
	}
	close(start)
	wg.Wait()
	winner, loser := uuidMaya, uuidEthan
	if byPerson[uuidEthan][200] > 0 {
		winner, loser = uuidEthan, uuidMaya
	}
	if byPerson[winner][200] != 10 || byPerson[loser][409] != 10 {
		t.Errorf("statuses %v", byPerson)
	}
	assertOneHolder(t, e, "shared@example.com")
}

// widenRaceWindow holds every update open for 100 ms between its uniqueness check and its commit, so that
// concurrent requests really overlap (without the e-mail lock, several of them then win).
func widenRaceWindow(o *Options) {
	o.FailPoint = func(step string) error {
		if step == "users" {
			time.Sleep(100 * time.Millisecond)
		}
		return nil
	}
}

// race sends one PUT per uuid at once and counts the statuses.
func race(e *env, uuids []string, body string) map[int]int {
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, u := range uuids {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			<-start
			rec := e.signed("PUT", customerURL(u), body)
			mu.Lock()
			codes[rec.Code]++
			mu.Unlock()
		}(u)
	}
	close(start)
	wg.Wait()
	return codes
}

// assertOneHolder checks that only one person's rows hold the address, in every table it has.
func assertOneHolder(t *testing.T, e *env, email string) {
	t.Helper()
	q := "SELECT COUNT(DISTINCT l.uuid) FROM {prefix}wpsidecar_customer_links l " +
		"LEFT JOIN {prefix}users u ON u.ID = l.user_id LEFT JOIN {prefix}fct_customers f ON f.id = l.fct_customer_id " +
		"LEFT JOIN {prefix}latepoint_customers p ON p.id = l.latepoint_customer_id " +
		"WHERE u.user_email = ? OR f.email = ? OR p.email = ?"
	if n := e.db.QueryString(t, q, email, email, email); n != "1" {
		t.Errorf("%s people hold %s", n, email)
	}
	for _, c := range []string{"SELECT COUNT(*) FROM {prefix}users WHERE user_email = ?",
		"SELECT COUNT(*) FROM {prefix}fct_customers WHERE email = ?", "SELECT COUNT(*) FROM {prefix}latepoint_customers WHERE email = ?"} {
		if n := e.db.QueryString(t, c, email); n != "0" && n != "1" {
			t.Errorf("%s: %s rows", c, n)
		}
	}
}

// Values with no natural home (a person without a WordPress user has no users.user_url; without a FluentCart
// customer no address rows) are kept on the link and read back.
func TestPutFallbacks(t *testing.T) {
	e := newEnv(t)
	if rec := e.signed("GET", findURL("olivia.bennett@example.com"), ""); rec.Code != 200 {
		t.Fatal(rec.Body)
	}
	uuid := "0000000000000000000000000000a001"
	before := tablesSnapshot(t, e.db)
	rec := e.signed("PUT", customerURL(uuid), `{"website":"http://olivia.example","billingAddress":{"street":"5 Park Ave","city":"New York","state":"NY","postalCode":"10016","country":"US"},"status":"inactive"}`)
	golden(t, rec, 200, "customer_put_fallbacks")
	wantDiffs(t, before, tablesSnapshot(t, e.db), `latepoint_customers[1].status="inactive"`, `latepoint_customers[1].updated_at="2026-11-23 10:00:00"`)
	golden(t, e.signed("GET", customerURL(uuid), ""), 200, "customer_put_fallbacks_get")
	// Removing them clears the link's columns.
	if rec := e.signed("PUT", customerURL(uuid), `{"website":"","billingAddress":null}`); rec.Code != 200 {
		t.Fatal(rec.Body)
	}
	if got := e.db.QueryString(t, "SELECT CONCAT_WS(',', IFNULL(website,'-'), IFNULL(billing_address,'-'), IFNULL(status,'-')) FROM {prefix}wpsidecar_customer_links WHERE uuid = ?", uuid); got != "-,-,-" {
		t.Errorf("fallbacks = %s", got)
	}
}

// Acting as a WordPress user (Authorization) narrows what a partner may do to what that user may do.
func TestActingUserPermissions(t *testing.T) {
	admin := &wpcompat.User{ID: 1, AllCaps: map[string]bool{"edit_users": true, "list_users": true}}
	subscriber := &wpcompat.User{ID: 3, AllCaps: map[string]bool{"read": true}}
	sam := &person{User: &userRow{ID: 3}}
	jane := &person{}
	for _, c := range []struct {
		name        string
		user        *wpcompat.User
		p           *person
		read, write bool
	}{
		{"partner alone", nil, sam, true, true},
		{"admin", admin, sam, true, true},
		{"admin, no WordPress user", admin, jane, true, true},
		{"self", subscriber, sam, true, true},
		{"someone else", subscriber, jane, false, false},
	} {
		r := &rest.Request{User: c.user}
		if got := mayRead(r, c.p) == nil; got != c.read {
			t.Errorf("%s: read %v, want %v", c.name, got, c.read)
		}
		if got := mayWrite(r, c.p) == nil; got != c.write {
			t.Errorf("%s: write %v, want %v", c.name, got, c.write)
		}
	}
}
