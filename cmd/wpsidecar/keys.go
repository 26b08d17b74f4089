package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wpsidecar/wpsidecar/latepoint"
)

const keysUsage = `usage: wpsidecar keys <create|list|revoke> [flags]

  keys create --name NAME --env live|test --permissions customers:read,customers:create,… \
              [--expires YYYY-MM-DD] [--allow-ip CIDR]… [--limit-per-minute N] [--limit-per-hour N]
        creates a LatePoint API key; the key is printed once, alone on the last line, and stored only as a hash
  keys list
        lists keys by id (never the keys themselves: they are not stored)
  keys revoke ID
        revokes a key; it is refused from the next request on

Permissions: customers, bookings (read, create, update, delete); agents, services, availability, locations, orders,
payments, coupons (read); "resource:*" grants every operation of a resource.
Database flags as for serve: --dsn, --table-prefix, --wp-config (and their environment variables).
`

// runKeys manages the LatePoint API Extension keys in {prefix}wpsidecar_api_keys (created when missing).
func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	return dispatch(ctx, "keys", keysUsage, map[string]command{"create": keysCreate, "list": keysList, "revoke": keysRevoke}, args, stdout, stderr, getenv)
}

// listFlag collects a repeatable, comma-separable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// keysArgs parses flags that may come before or after positional arguments ("revoke 3 --dsn …").
func keysArgs(s *settings, args []string) ([]string, error) {
	var pos []string
	for {
		if err := s.fs.Parse(args); err != nil {
			return nil, err
		}
		if s.fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, s.fs.Arg(0))
		args = s.fs.Args()[1:]
	}
}

// keyStore opens the database named by the settings, makes sure the sidecar's own tables exist and returns the
// key store (and a close func).
func keyStore(ctx context.Context, s *settings, stderr io.Writer) (*latepoint.KeyStore, func(), error) {
	site, closeDB, err := commandSite(ctx, s, stderr)
	if err != nil {
		return nil, nil, err
	}
	return latepoint.NewKeyStore(site), closeDB, nil
}

func keysCreate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("keys create", stderr, getenv)
	var name, env, perms, expires string
	var perMinute, perHour int64
	var ips listFlag
	s.fs.StringVar(&name, "name", "", "a descriptive name (required)")
	s.fs.StringVar(&env, "env", "", "live or test (required)")
	s.fs.StringVar(&perms, "permissions", "", "comma list of resource:operation, e.g. customers:read,customers:create (required)")
	s.fs.StringVar(&expires, "expires", "", "last valid day, YYYY-MM-DD (UTC); default: never")
	s.fs.Var(&ips, "allow-ip", "allowed client IP or CIDR (repeatable or comma list); default: any")
	s.fs.Int64Var(&perMinute, "limit-per-minute", 0, "requests per minute (default: test 100, live 60)")
	s.fs.Int64Var(&perHour, "limit-per-hour", 0, "requests per hour (default: test 1000, live 3600)")
	pos, err := keysArgs(s, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	if strings.TrimSpace(name) == "" || env == "" || perms == "" {
		return errors.New("--name, --env and --permissions are required")
	}
	if env != latepoint.EnvLive && env != latepoint.EnvTest {
		return fmt.Errorf("--env must be live or test, not %q", env)
	}
	list, err := latepoint.ParsePermissions(perms)
	if err != nil {
		return err
	}
	if expires != "" {
		d, err := time.Parse("2006-01-02", expires)
		if err != nil || d.Format("2006-01-02") != expires {
			return fmt.Errorf("--expires %q: want YYYY-MM-DD", expires)
		}
	}
	if perMinute < 0 || perHour < 0 {
		return errors.New("limits must be positive")
	}
	ks, done, err := keyStore(ctx, s, stderr)
	if err != nil {
		return err
	}
	defer done()
	id, plain, err := ks.Create(ctx, latepoint.NewKey{Name: name, Environment: env, Permissions: list, ExpiresOn: expires,
		AllowedIPs: ips, LimitPerMinute: perMinute, LimitPerHour: perHour})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created API key %d %q (%s) with %s.\n", id, name, env, strings.Join(list, ", "))
	if expires != "" {
		fmt.Fprintf(stdout, "Valid until the end of %s (UTC).\n", expires)
	}
	if len(ips) > 0 {
		fmt.Fprintf(stdout, "Allowed from: %s.\n", strings.Join(ips, ", "))
	}
	fmt.Fprintln(stdout, "The key is shown only this once; only its SHA-256 hash is stored:")
	fmt.Fprintln(stdout, plain)
	return nil
}

func keysList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("keys list", stderr, getenv)
	if err := s.fs.Parse(args); err != nil {
		return err
	}
	ks, done, err := keyStore(ctx, s, stderr)
	if err != nil {
		return err
	}
	defer done()
	keys, err := ks.List(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tENV\tKEY\tSTATUS\tPERMISSIONS\tEXPIRES\tLAST USED\tCREATED")
	dash := func(v string, ok bool) string {
		if !ok || v == "" {
			return "-"
		}
		return v
	}
	for _, k := range keys {
		status := k.Status
		if status == "active" && k.ExpiresAt.Valid {
			if t, err := time.Parse("2006-01-02 15:04:05", k.ExpiresAt.String); err == nil && time.Now().After(t) {
				status = "expired"
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s…%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Environment, k.Prefix, k.Last4, status,
			strings.Join(k.PermissionList, ","), dash(k.ExpiresAt.String, k.ExpiresAt.Valid), dash(k.LastUsedAt.String, k.LastUsedAt.Valid), k.CreatedAt)
	}
	return tw.Flush()
}

func keysRevoke(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("keys revoke", stderr, getenv)
	pos, err := keysArgs(s, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: wpsidecar keys revoke ID (the numeric id from keys list)")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id < 1 {
		return fmt.Errorf("key id %q: want the numeric id from keys list", pos[0])
	}
	ks, done, err := keyStore(ctx, s, stderr)
	if err != nil {
		return err
	}
	defer done()
	if err := ks.Revoke(ctx, id); err != nil {
		if errors.Is(err, latepoint.ErrNotFound) {
			return fmt.Errorf("no key with id %d", id)
		}
		return err
	}
	fmt.Fprintf(stdout, "Revoked API key %d.\n", id)
	return nil
}
