package wpcompat

import "strings"

// SQL statement text holds only two kinds of names besides keywords: table names (the site's prefix plus a base
// name the code chooses, or CUSTOM_USER_TABLE) and column names the code chooses or takes from an allow-list.
// Both enter the text through Ident; values never do — they go through `?` placeholders (request-shaped
// statements are built with github.com/Masterminds/squirrel).

// Ident quotes a MySQL identifier for statement text: Ident("wp_users") = "`wp_users`". A qualified name (db.table,
// as CUSTOM_USER_TABLE may be, or alias.column) is quoted part by part, whether given dotted or as parts:
// Ident("c.email") = Ident("c", "email") = "`c`.`email`". A backtick inside a part is doubled, so no name can end
// the quoting early.
func Ident(parts ...string) string {
	var b strings.Builder
	n := 0
	for _, p := range parts {
		for _, part := range strings.Split(p, ".") {
			if n > 0 {
				b.WriteByte('.')
			}
			n++
			b.WriteByte('`')
			b.WriteString(strings.ReplaceAll(part, "`", "``"))
			b.WriteByte('`')
		}
	}
	return b.String()
}

// Idents quotes each name (a column list).
func Idents(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = Ident(n)
	}
	return out
}

// Table is the quoted name of a prefixed table: Table("fct_customers") = "`wp_fct_customers`".
func (t Tables) Table(base string) string { return Ident(t.Name(base)) }

// UsersTable and UsermetaTable are the quoted user tables (CUSTOM_USER_TABLE / CUSTOM_USER_META_TABLE honoured).
func (t Tables) UsersTable() string    { return Ident(t.Users()) }
func (t Tables) UsermetaTable() string { return Ident(t.Usermeta()) }

// OptionsTable is the quoted {prefix}options.
func (t Tables) OptionsTable() string { return Ident(t.Options()) }

// StripSQLComments drops the whole-line "--" comments of a .sql file (the files in sql/ and testdata/seed/), so
// that a statement left with nothing but comments can be skipped.
func StripSQLComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
