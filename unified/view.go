package unified

import (
	"database/sql"
	"encoding/json"
	"strings"
	"time"
)

const isoLayout = "2006-01-02T15:04:05Z"

// customerView is the customer object ("data"), keys in the documented order.
type customerView struct {
	UUID            string       `json:"uuid"`
	Customer        string       `json:"customer"`
	Email           string       `json:"email"`
	MainPhone       *string      `json:"mainPhone"`
	Website         *string      `json:"website"`
	Status          string       `json:"status"`
	BillingAddress  *addressView `json:"billingAddress"`
	ShippingAddress *addressView `json:"shippingAddress"`
	Contacts        []any        `json:"contacts"`
	CreatedAt       string       `json:"createdAt"`
	UpdatedAt       string       `json:"updatedAt"`
}

// addressView is an address; an empty or NULL column is null. It is also the JSON of the link table's fallback
// address columns.
type addressView struct {
	Street     *string `json:"street"`
	Street2    *string `json:"street2"`
	City       *string `json:"city"`
	State      *string `json:"state"`
	PostalCode *string `json:"postalCode"`
	Country    *string `json:"country"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullStr(n sql.NullString) *string {
	if !n.Valid {
		return nil
	}
	return strPtr(n.String)
}

// view maps a person to the customer object; loc is the site time zone LatePoint's timestamps are written in.
// Where each field is read from is the README's "Where each field lives" table.
func view(p *person, loc *time.Location) customerView {
	v := customerView{
		UUID:      p.Link.UUID,
		Customer:  personName(p),
		Email:     personEmail(p),
		MainPhone: personPhone(p),
		Website:   personWebsite(p),
		Status:    personStatus(p),
		Contacts:  []any{},
	}
	v.BillingAddress = personAddress(p.Billing, p.Link.Billing)
	v.ShippingAddress = personAddress(p.Shipping, p.Link.Shipping)
	v.CreatedAt, v.UpdatedAt = personTimes(p, loc)
	return v
}

func fullName(first, last string) string { return strings.TrimSpace(first + " " + last) }

// personName: FluentCart's full name, else LatePoint's, else the WordPress display name.
func personName(p *person) string {
	if p.FC != nil {
		if n := fullName(p.FC.FirstName, p.FC.LastName); n != "" {
			return n
		}
	}
	if p.LP != nil {
		if n := fullName(p.LP.FirstName.String, p.LP.LastName.String); n != "" {
			return n
		}
	}
	if p.User != nil {
		return p.User.DisplayName
	}
	return ""
}

// personEmail: WordPress's (the source of truth LatePoint itself syncs from, latepoint-customers.md §4.2), else
// FluentCart's, else LatePoint's.
func personEmail(p *person) string {
	switch {
	case p.User != nil && p.User.Email != "":
		return p.User.Email
	case p.FC != nil && p.FC.Email != "":
		return p.FC.Email
	case p.LP != nil:
		return p.LP.Email
	}
	return ""
}

// personPhone: the FluentCart primary billing address's phone, else LatePoint's phone, else the fallback.
func personPhone(p *person) *string {
	if p.Billing != nil && p.Billing.Phone.String != "" {
		return strPtr(p.Billing.Phone.String)
	}
	if p.LP != nil && p.LP.Phone.String != "" {
		return strPtr(p.LP.Phone.String)
	}
	return nullStr(p.Link.Phone)
}

// personWebsite: users.user_url, else the fallback.
func personWebsite(p *person) *string {
	if p.User != nil && p.User.URL != "" {
		return strPtr(p.User.URL)
	}
	return nullStr(p.Link.Website)
}

// fcInactive maps fct_customers.status: inactive/archived/blocked are "inactive", anything else ('active', the empty status of
// API-created customers, NULL of legacy ones) "active" (fluentcart-customers.md §3.1).
func fcInactive(s sql.NullString) bool {
	switch strings.ToLower(s.String) {
	case "inactive", "archived", "blocked":
		return true
	}
	return false
}

// lpInactive maps latepoint_customers.status: inactive/blocked (the API Extension's words) are "inactive";
// pending_verification (what LatePoint core always writes, latepoint-customers.md §2.12.1) and active are "active".
func lpInactive(s string) bool {
	switch strings.ToLower(s) {
	case "inactive", "blocked":
		return true
	}
	return false
}

func statusWord(inactive bool) string {
	if inactive {
		return "inactive"
	}
	return "active"
}

// personStatus: FluentCart's, else LatePoint's, else the fallback, else active.
func personStatus(p *person) string {
	switch {
	case p.FC != nil:
		return statusWord(fcInactive(p.FC.Status))
	case p.LP != nil:
		return statusWord(lpInactive(p.LP.Status))
	case p.Link.Status.Valid:
		return statusWord(p.Link.Status.String == "inactive")
	}
	return "active"
}

// personAddress: the FluentCart primary address of the type, else the fallback JSON.
func personAddress(a *fcAddressRow, fallback sql.NullString) *addressView {
	if a != nil {
		return &addressView{
			Street: nullStr(a.Address1), Street2: nullStr(a.Address2), City: nullStr(a.City),
			State: nullStr(a.State), PostalCode: nullStr(a.Postcode), Country: nullStr(a.Country),
		}
	}
	if !fallback.Valid || fallback.String == "" {
		return nil
	}
	var v addressView
	if json.Unmarshal([]byte(fallback.String), &v) != nil {
		return nil
	}
	return &v
}

// personTimes: createdAt is the earliest creation time among the person's rows (users.user_registered and
// fct_customers.created_at are UTC, latepoint_customers.created_at site-local), else when the link was made;
// updatedAt is the latest of the plugin customers' updated_at and the last change made through this API, else
// createdAt.
func personTimes(p *person, loc *time.Location) (created, updated string) {
	var first, last time.Time
	consider := func(v string, in *time.Location, t *time.Time, earlier bool) {
		if v == "" || strings.HasPrefix(v, "0000-00-00") {
			return
		}
		tt, err := time.ParseInLocation(dbLayout, v, in)
		if err != nil {
			return
		}
		if t.IsZero() || (earlier && tt.Before(*t)) || (!earlier && tt.After(*t)) {
			*t = tt
		}
	}
	if p.User != nil {
		consider(p.User.Registered, time.UTC, &first, true)
	}
	if p.FC != nil {
		consider(p.FC.CreatedAt.String, time.UTC, &first, true)
		consider(p.FC.UpdatedAt.String, time.UTC, &last, false)
	}
	if p.LP != nil {
		consider(p.LP.CreatedAt.String, loc, &first, true)
		consider(p.LP.UpdatedAt.String, loc, &last, false)
	}
	consider(p.Link.ChangedAt.String, time.UTC, &last, false)
	if first.IsZero() {
		consider(p.Link.CreatedAt, time.UTC, &first, true)
	}
	if last.IsZero() || last.Before(first) {
		last = first
	}
	return first.UTC().Format(isoLayout), last.UTC().Format(isoLayout)
}
