package latepoint

import "database/sql"

// Rows are the columns as stored (latepoint-customers.md §2); views turn them into responses.

// customerRow is {prefix}latepoint_customers (§2.1), the columns the API reads.
type customerRow struct {
	ID              int64
	FirstName       sql.NullString
	LastName        sql.NullString
	Email           string
	Phone           sql.NullString
	AvatarImageID   sql.NullInt64
	Status          string
	WordPressUserID sql.NullInt64
	IsGuest         sql.NullInt64 // tinyint(1): 0, 1 or NULL (NULL behaves like false, §1)
	Notes           sql.NullString
	AdminNotes      sql.NullString
	CreatedAt       sql.NullString // site-local wall clock (§2.12.9)
	UpdatedAt       sql.NullString
}

const customerColumns = "id, first_name, last_name, email, phone, avatar_image_id, status, wordpress_user_id, is_guest, notes, admin_notes, created_at, updated_at"

func (c *customerRow) scanTargets() []any {
	return []any{&c.ID, &c.FirstName, &c.LastName, &c.Email, &c.Phone, &c.AvatarImageID, &c.Status,
		&c.WordPressUserID, &c.IsGuest, &c.Notes, &c.AdminNotes, &c.CreatedAt, &c.UpdatedAt}
}

// linkedUserID is wordpress_user_id with 0 treated as absent (§1 "Optional ids").
func (c *customerRow) linkedUserID() int64 {
	if c.WordPressUserID.Valid && c.WordPressUserID.Int64 > 0 {
		return c.WordPressUserID.Int64
	}
	return 0
}

// metaRow is one {prefix}latepoint_customer_meta row (§2.2).
type metaRow struct {
	ObjectID int64
	Key      string
	Value    sql.NullString
}

// bookingRow is a booking joined with its service, agent, location and order item / order (§2.3, §2.12.8).
type bookingRow struct {
	CustomerID       int64
	ID               int64
	Code             sql.NullString
	Status           string
	StartDate        sql.NullString
	EndDate          sql.NullString
	StartTime        sql.NullInt64
	EndTime          sql.NullInt64
	StartUTC         sql.NullString
	ServiceID        int64
	ServiceName      sql.NullString
	ServiceDuration  sql.NullInt64
	AgentID          int64
	AgentFirst       sql.NullString
	AgentLast        sql.NullString
	AgentDisplay     sql.NullString
	AgentEmail       sql.NullString
	AgentPhone       sql.NullString
	LocationID       sql.NullInt64
	LocationName     sql.NullString
	LocationAddress  sql.NullString
	ItemVariant      sql.NullString
	ItemTotal        sql.NullString
	OrderPaymentStat sql.NullString
}

// statsRow is the per-customer booking aggregate (§6.13), computed in SQL.
type statsRow struct {
	Total, Completed, Cancelled, NoShow, Pending, Future, Active int64
	FirstKey, LastKey, NextKey                                   sql.NullInt64  // startKey: TO_DAYS(local date) × 1440 + minutes
	FirstDate, LastDate                                          sql.NullString // active bookings' first/last start_date
	Spent                                                        string         // decimal(20,4) as text
	Average                                                      string
}

// favoriteRow is the most frequent service/agent/location among active bookings.
type favoriteRow struct {
	ID    int64
	Name  string
	Count int64
}

// attachmentRow is a WordPress attachment used as avatar (§2.12.5).
type attachmentRow struct {
	ID       int64
	PostType string
	Mime     string
	File     sql.NullString // _wp_attached_file
	Metadata sql.NullString // _wp_attachment_metadata (PHP-serialised)
}
