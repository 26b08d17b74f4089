package unified

import "database/sql"

// Rows as they are stored: every column the API reads or compares, scanned without conversion (DATETIMEs are
// naive strings; nullable columns keep NULL apart from '').

// userRow is a {prefix}users row (wordpress-auth-and-rest.md §2.3).
type userRow struct {
	ID          int64
	Email       string
	URL         string
	Registered  string // UTC
	DisplayName string
}

// fcCustomerRow is a {prefix}fct_customers row (fluentcart-customers.md §8.1).
type fcCustomerRow struct {
	ID        int64
	UserID    sql.NullInt64
	Email     string
	FirstName string
	LastName  string
	Status    sql.NullString
	UUID      sql.NullString
	CreatedAt sql.NullString // UTC
	UpdatedAt sql.NullString // UTC
}

// fcAddressRow is the primary {prefix}fct_customer_addresses row of one type (fluentcart-customers.md §8.2).
type fcAddressRow struct {
	ID       int64
	Address1 sql.NullString
	Address2 sql.NullString
	City     sql.NullString
	State    sql.NullString
	Postcode sql.NullString
	Country  sql.NullString
	Phone    sql.NullString
}

// lpCustomerRow is a {prefix}latepoint_customers row (latepoint-customers.md §2.1).
type lpCustomerRow struct {
	ID              int64
	FirstName       sql.NullString
	LastName        sql.NullString
	Email           string
	Phone           sql.NullString
	Status          string
	WordPressUserID sql.NullInt64
	CreatedAt       sql.NullString // site-local
	UpdatedAt       sql.NullString // site-local
}

// linkRow is a {prefix}wpsidecar_customer_links row (sql/wpsidecar.sql).
type linkRow struct {
	UUID      string
	UserID    sql.NullInt64
	FCID      sql.NullInt64
	LPID      sql.NullInt64
	Phone     sql.NullString
	Website   sql.NullString
	Status    sql.NullString
	Billing   sql.NullString // JSON address
	Shipping  sql.NullString // JSON address
	CreatedAt string
	ChangedAt sql.NullString
}

// clientRow is a {prefix}wpsidecar_clients row.
type clientRow struct {
	ID            int64
	ClientID      string
	Name          string
	SecretEnc     string
	KeyID         string
	RatePerMinute sql.NullInt64
	Status        string
	CreatedAt     string
	LastUsedAt    sql.NullString
	RevokedAt     sql.NullString
}

// person is one customer across the three systems: its link and whichever rows exist.
type person struct {
	Link     linkRow
	User     *userRow
	FC       *fcCustomerRow
	LP       *lpCustomerRow
	Billing  *fcAddressRow // FluentCart primary billing address
	Shipping *fcAddressRow // FluentCart primary shipping address
}
