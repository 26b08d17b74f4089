package latepoint

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"math"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// successBody is the superset success envelope (spec §6.2 [REC]): "status" for the intro/get/create pages,
// "success" for the list/update/delete pages; lists carry both "pagination" and "meta".
type successBody struct {
	Status     string      `json:"status"`
	Success    bool        `json:"success"`
	Message    string      `json:"message,omitempty"`
	Data       any         `json:"data"`
	Pagination *pagination `json:"pagination,omitempty"`
	Meta       *listMeta   `json:"meta,omitempty"`
}

type pagination struct {
	Page        int64 `json:"page"`
	PerPage     int64 `json:"per_page"`
	Total       int64 `json:"total"`
	TotalPages  int64 `json:"total_pages"`
	HasNextPage bool  `json:"has_next_page"`
	HasPrevPage bool  `json:"has_previous_page"`
}

type listMeta struct {
	Total      int64 `json:"total"`
	Page       int64 `json:"page"`
	PerPage    int64 `json:"per_page"`
	TotalPages int64 `json:"total_pages"`
}

func success(status int, message string, data any) *rest.Response {
	return rest.NewResponse(status, &successBody{Status: "success", Success: true, Message: message, Data: data})
}

// includes is the parsed include= list; unknown names are kept but never looked at (ignored, §6.8).
type includes map[string]bool

func parseIncludes(v any) includes {
	inc := includes{}
	var parts []string
	switch t := v.(type) {
	case string:
		parts = strings.Split(t, ",")
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				parts = append(parts, strings.Split(s, ",")...)
			}
		}
	}
	for _, p := range parts {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			inc[p] = true
		}
	}
	return inc
}

// viewData is what the views need besides the customer rows; every map is filled for a whole page at once.
type viewData struct {
	clk     localClock
	inc     includes
	meta    map[int64][]metaRow
	stats   map[int64]*statsRow
	favs    [3]*favoriteRow // service, agent, location (get only)
	lists   map[string]map[int64][]bookingRow
	avatars map[int64]string
	defs    []customFieldDef
}

func nullStr(v sql.NullString) any {
	if !v.Valid {
		return nil
	}
	return v.String
}

func nullID64(v sql.NullInt64) any {
	if !v.Valid || v.Int64 <= 0 {
		return nil
	}
	return v.Int64
}

func firstMeta(rows []metaRow, key string) any {
	for _, m := range rows {
		if m.Key == key {
			return nullStr(m.Value)
		}
	}
	return nil
}

// dbTime renders a site-local DATETIME in database format (list, update, delete pages, §6.12.2).
func dbTime(v sql.NullString) any {
	if !v.Valid || v.String == "" || strings.HasPrefix(v.String, "0000-00-00") {
		return nil
	}
	return v.String
}

// customerHead is the fields every customer shape starts with: id, names, e-mail, phone, status.
func customerHead(c *customerRow) *wpjson.Object {
	return wpjson.NewObject().
		Set("id", c.ID).
		Set("first_name", nullStr(c.FirstName)).
		Set("last_name", nullStr(c.LastName)).
		Set("email", c.Email).
		Set("phone", nullStr(c.Phone)).
		Set("status", c.Status)
}

// listItemView is one customer of GET /customers (§6.7): the documented fields, then the included blocks.
func listItemView(c *customerRow, d *viewData) *wpjson.Object {
	o := customerHead(c).
		Set("is_guest", c.IsGuest.Valid && c.IsGuest.Int64 != 0).
		Set("wordpress_user_id", nullID64(c.WordPressUserID)).
		Set("admin_notes", nullStr(c.AdminNotes)).
		Set("created_at", dbTime(c.CreatedAt)).
		Set("updated_at", dbTime(c.UpdatedAt))
	addIncludes(o, c, d, false)
	return o
}

// detailView is GET /customers/{id} (§6.8, seed 004): profile fields from meta, ISO 8601 UTC timestamps.
func detailView(c *customerRow, d *viewData) *wpjson.Object {
	meta := d.meta[c.ID]
	o := customerHead(c).
		Set("date_of_birth", firstMeta(meta, "date_of_birth")).
		Set("gender", firstMeta(meta, "gender")).
		Set("address", wpjson.NewObject().
			Set("street", firstMeta(meta, "address")).
			Set("city", firstMeta(meta, "city")).
			Set("state", firstMeta(meta, "state")).
			Set("postal_code", firstMeta(meta, "zipcode")).
			Set("country", firstMeta(meta, "country"))).
		Set("is_guest", c.IsGuest.Valid && c.IsGuest.Int64 != 0).
		Set("wordpress_user_id", nullID64(c.WordPressUserID)).
		Set("admin_notes", nullStr(c.AdminNotes)).
		Set("created_at", localToISO(c.CreatedAt.String, d.clk.Loc)).
		Set("updated_at", localToISO(c.UpdatedAt.String, d.clk.Loc))
	addIncludes(o, c, d, true)
	return o
}

// addIncludes appends the include= blocks in a fixed order.
func addIncludes(o *wpjson.Object, c *customerRow, d *viewData, detail bool) {
	if d.inc["avatar"] {
		o.Set("avatar_url", d.avatars[c.ID])
	}
	if d.inc["stats"] {
		o.Set("stats", statsView(d.stats[c.ID], d, detail))
	}
	for _, kind := range []string{"bookings", "upcoming_bookings", "past_bookings"} {
		if list, ok := d.lists[kind]; ok {
			items := make([]any, 0, len(list[c.ID]))
			for i := range list[c.ID] {
				items = append(items, bookingView(&list[c.ID][i], d.clk.Loc))
			}
			o.Set(kind, items)
		}
	}
	if d.inc["custom_fields"] {
		o.Set("custom_fields", customFieldsView(d.meta[c.ID], d.defs))
	}
	if d.inc["notes"] {
		o.Set("notes", nullStr(c.Notes))
	}
}

// toDaysEpoch is MySQL's TO_DAYS('1970-01-01').
const toDaysEpoch = 719528

// keyInstant renders a startKey (TO_DAYS(local date) × 1440 + minutes) as ISO 8601 UTC.
func keyInstant(k sql.NullInt64, loc *time.Location) any {
	if !k.Valid || k.Int64 <= 0 {
		return nil
	}
	date := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(k.Int64/1440-toDaysEpoch)).Format(dayLayout)
	t, ok := bookingInstant(date, k.Int64%1440, "", loc)
	if !ok {
		return nil
	}
	return t.Format(isoLayout)
}

// statsView is §6.13: the list variant (detail=false) has the documented list fields only.
func statsView(st *statsRow, d *viewData, detail bool) *wpjson.Object {
	if st == nil {
		st = &statsRow{Spent: "0.0000", Average: "0.0000"}
	}
	loc := d.clk.Loc
	o := wpjson.NewObject().
		Set("total_bookings", st.Total).
		Set("completed_bookings", st.Completed).
		Set("cancelled_bookings", st.Cancelled)
	if detail {
		o.Set("no_show_bookings", st.NoShow).Set("pending_bookings", st.Pending)
	}
	o.Set("future_bookings", st.Future).Set("total_spent", st.Spent)
	if detail {
		o.Set("average_booking_value", st.Average).Set("first_booking_date", keyInstant(st.FirstKey, loc))
	}
	o.Set("last_booking_date", keyInstant(st.LastKey, loc)).Set("next_booking_date", keyInstant(st.NextKey, loc))
	if !detail {
		return o
	}
	fav := func(f *favoriteRow, nameKey string) any {
		if f == nil {
			return nil
		}
		return wpjson.NewObject().Set("id", f.ID).Set(nameKey, f.Name).Set("booking_count", f.Count)
	}
	o.Set("favorite_agent", fav(d.favs[1], "display_name")).
		Set("favorite_service", fav(d.favs[0], "name")).
		Set("favorite_location", fav(d.favs[2], "name"))
	freq, days := bookingFrequency(st)
	o.Set("booking_frequency", freq).Set("average_days_between_bookings", days)
	return o
}

// bookingFrequency: the mean gap between consecutive active bookings' start dates equals
// (last − first) / (count − 1); it is reported in days and as a label like the seed's "monthly".
func bookingFrequency(st *statsRow) (any, any) {
	if st.Active < 2 || !st.FirstDate.Valid || !st.LastDate.Valid {
		return nil, nil
	}
	first, err1 := time.Parse(dayLayout, st.FirstDate.String)
	last, err2 := time.Parse(dayLayout, st.LastDate.String)
	if err1 != nil || err2 != nil {
		return nil, nil
	}
	days := last.Sub(first).Hours() / 24 / float64(st.Active-1)
	days = math.Round(days*10) / 10
	label := "occasional"
	switch {
	case days <= 10:
		label = "weekly"
	case days <= 21:
		label = "biweekly"
	case days <= 45:
		label = "monthly"
	case days <= 120:
		label = "quarterly"
	}
	return label, wpjson.PHPFloat(days)
}

// agentFullName is OsAgentModel::get_full_name: trim(first + ' ' + last), else "Agent".
func agentFullName(b *bookingRow) string {
	n := strings.TrimSpace(b.AgentFirst.String + " " + b.AgentLast.String)
	if n == "" {
		return "Agent"
	}
	return n
}

// bookingJSON is one booking (§6.12.4, seed 004's example keys); a struct, not an ordered map, because a customer
// page can carry hundreds of them.
type bookingJSON struct {
	ID            int64          `json:"id"`
	BookingCode   any            `json:"booking_code"`
	Status        string         `json:"status"`
	StartDate     any            `json:"start_date"`
	EndDate       any            `json:"end_date"`
	StartTime     any            `json:"start_time"`
	EndTime       any            `json:"end_time"`
	StartUTC      any            `json:"start_datetime_utc"`
	Service       bookingService `json:"service"`
	Agent         bookingAgent   `json:"agent"`
	Location      *bookingPlace  `json:"location"`
	Price         any            `json:"price"`
	PaymentStatus any            `json:"payment_status"`
}

type bookingService struct {
	ID       int64 `json:"id"`
	Name     any   `json:"name"`
	Duration any   `json:"duration"`
}

type bookingAgent struct {
	ID          int64  `json:"id"`
	DisplayName string `json:"display_name"`
	FullName    string `json:"full_name"`
	Email       any    `json:"email"`
	Phone       any    `json:"phone"`
}

type bookingPlace struct {
	ID      int64 `json:"id"`
	Name    any   `json:"name"`
	Address any   `json:"address"`
}

// bookingView maps a booking row.
func bookingView(b *bookingRow, loc *time.Location) *bookingJSON {
	var start any
	if t, ok := bookingInstant(b.StartDate.String, b.StartTime.Int64, b.StartUTC.String, loc); ok && b.StartDate.Valid {
		start = t.Format(isoLayout)
	}
	hhmm := func(v sql.NullInt64) any {
		if !v.Valid {
			return nil
		}
		return minutesToHHMM(v.Int64)
	}
	full := agentFullName(b)
	display := strings.TrimSpace(b.AgentDisplay.String)
	if display == "" {
		display = full
	}
	out := &bookingJSON{
		ID: b.ID, BookingCode: nullStr(b.Code), Status: b.Status, StartDate: nullStr(b.StartDate), EndDate: nullStr(b.EndDate),
		StartTime: hhmm(b.StartTime), EndTime: hhmm(b.EndTime), StartUTC: start,
		Service:       bookingService{ID: b.ServiceID, Name: nullStr(b.ServiceName), Duration: nullInt(b.ServiceDuration)},
		Agent:         bookingAgent{ID: b.AgentID, DisplayName: display, FullName: full, Email: nullStr(b.AgentEmail), Phone: nullStr(b.AgentPhone)},
		PaymentStatus: nullStr(b.OrderPaymentStat),
	}
	if b.LocationID.Valid && b.LocationID.Int64 > 0 {
		out.Location = &bookingPlace{ID: b.LocationID.Int64, Name: nullStr(b.LocationName), Address: nullStr(b.LocationAddress)}
	}
	if b.ItemVariant.String == "booking" && b.ItemTotal.Valid {
		out.Price = b.ItemTotal.String // a bundle item has no per-booking price (§2.12.8)
	}
	return out
}

func nullInt(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

// avatarSettings are the site values avatar URLs depend on.
type avatarSettings struct {
	wpUsersAsCustomers bool
	uploadsURL         string
	defaultURL         string
	gravatarQuery      string // "s=96&d=mm&r=g"
}

// avatarURL is OsCustomerHelper::get_avatar_url (§2.12.5): the linked WordPress user's Gravatar when
// wp_users_as_customers is on and no avatar image is set, else the attachment's thumbnail, else the default.
func avatarURL(c *customerRow, set *avatarSettings, atts map[int64]*attachmentRow, emails map[int64]string) string {
	hasImage := c.AvatarImageID.Valid && c.AvatarImageID.Int64 > 0
	if set.wpUsersAsCustomers && c.linkedUserID() > 0 && !hasImage {
		hash := ""
		if e, ok := emails[c.linkedUserID()]; ok {
			sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(e))))
			hash = hex.EncodeToString(sum[:])
		}
		return "https://secure.gravatar.com/avatar/" + hash + "?" + set.gravatarQuery
	}
	if hasImage {
		if a := atts[c.AvatarImageID.Int64]; a != nil && a.PostType == "attachment" && strings.HasPrefix(a.Mime, "image/") && a.File.String != "" {
			file := a.File.String
			if thumb := thumbnailFile(a.Metadata.String); thumb != "" {
				file = path.Join(path.Dir(file), thumb)
			}
			return set.uploadsURL + "/" + file
		}
	}
	return set.defaultURL
}

// gravatarQuery is get_avatar_url's query for the default size 96 (wordpress-auth-and-rest.md §11.2).
func gravatarQuery(def, rating string) string {
	q := "s=96"
	switch def {
	case "", "mystery", "mm", "mysteryman":
		q += "&d=mm"
	case "gravatar_default":
	default:
		q += "&d=" + url.PathEscape(def)
	}
	if r := strings.ToLower(rating); r != "" {
		q += "&r=" + url.PathEscape(r)
	}
	return q
}

// thumbnailFile reads sizes.thumbnail.file from a serialised _wp_attachment_metadata without unserialising the
// rest (WordPress writes "file" first in each size entry).
func thumbnailFile(meta string) string {
	const marker = `s:9:"thumbnail";a:`
	i := strings.Index(meta, marker)
	if i < 0 {
		return ""
	}
	rest := meta[i+len(marker):]
	j := strings.Index(rest, `s:4:"file";s:`)
	if j < 0 || j > 16 {
		return ""
	}
	rest = rest[j+len(`s:4:"file";s:`):]
	colon := strings.IndexByte(rest, ':')
	if colon < 0 {
		return ""
	}
	n, err := strconv.Atoi(rest[:colon])
	if err != nil || n < 0 || colon+2+n > len(rest) || rest[colon+1] != '"' {
		return ""
	}
	return rest[colon+2 : colon+2+n]
}
