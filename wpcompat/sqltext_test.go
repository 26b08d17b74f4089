package wpcompat

import (
	"slices"
	"testing"
)

func TestIdent(t *testing.T) {
	for in, want := range map[string]string{
		"wp_users":            "`wp_users`",
		"c.email":             "`c`.`email`",
		"otherdb.wp_users":    "`otherdb`.`wp_users`",
		"we`ird":              "`we``ird`",
		"x` OR 1=1; -- ":      "`x`` OR 1=1; -- `",
		"":                    "``",
		"COUNT(*) OVER () x.": "`COUNT(*) OVER () x`.``",
	} {
		if got := Ident(in); got != want {
			t.Errorf("Ident(%q) = %s, want %s", in, got, want)
		}
	}
	if got := Ident("c", "email"); got != "`c`.`email`" {
		t.Errorf("Ident(c, email) = %s", got)
	}
	if got := Ident("shared.users", "ID"); got != "`shared`.`users`.`ID`" {
		t.Errorf("Ident(shared.users, ID) = %s", got)
	}
	if got := Idents("a", "b.c"); !slices.Equal(got, []string{"`a`", "`b`.`c`"}) {
		t.Errorf("Idents = %v", got)
	}
	tb := Tables{Prefix: "wp_", CustomUsers: "shared.users"}
	if got := tb.Table("fct_customers"); got != "`wp_fct_customers`" {
		t.Errorf("Table = %s", got)
	}
	if got := tb.UsersTable(); got != "`shared`.`users`" {
		t.Errorf("UsersTable = %s", got)
	}
	if got := tb.UsermetaTable(); got != "`wp_usermeta`" {
		t.Errorf("UsermetaTable = %s", got)
	}
	if got := tb.OptionsTable(); got != "`wp_options`" {
		t.Errorf("OptionsTable = %s", got)
	}
}

func TestStripSQLComments(t *testing.T) {
	in := "-- header\nCREATE TABLE t (\n  id INT -- trailing stays\n);\n   -- indented comment\n"
	want := "CREATE TABLE t (\n  id INT -- trailing stays\n);\n\n" // the empty last line stays
	if got := StripSQLComments(in); got != want {
		t.Errorf("StripSQLComments = %q, want %q", got, want)
	}
}
