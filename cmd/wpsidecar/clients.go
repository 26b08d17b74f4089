package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wpsidecar/wpsidecar/unified"
)

const clientsUsage = `usage: wpsidecar clients <create|list|revoke> [flags]

  clients create --name NAME [--rate-limit N] --secrets-key-file PATH
        registers a partner of the unified customer API (/wp-json/wpsidecar/v1); prints
        "CLIENT_ID SECRET" alone on the last line — the only time the secret is shown
  clients list
        lists clients (never their secrets)
  clients revoke CLIENT_ID
        revokes a client; every instance refuses it from the next request on

The secret is stored encrypted (AES-256-GCM) under the key in --secrets-key-file (env
WPSIDECAR_SECRETS_KEY_FILE): 32 random bytes, created with mode 0600 when missing. serve needs the same file.
Database flags as for serve: --dsn, --table-prefix, --wp-config (and their environment variables).
`

// secretsKeyFlag adds --secrets-key-file to a command's flags; the returned func gives its value after parsing
// (flag > WPSIDECAR_SECRETS_KEY_FILE).
func secretsKeyFlag(s *settings) func() string {
	s.fs.String("secrets-key-file", "", "32-byte key that encrypts the unified API's client secrets; created with mode 0600 when missing (env WPSIDECAR_SECRETS_KEY_FILE)")
	return func() string { return s.value("secrets-key-file", "WPSIDECAR_SECRETS_KEY_FILE", "") }
}

// runClients manages the unified API's partners in {prefix}wpsidecar_clients (created when missing).
func runClients(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	return dispatch(ctx, "clients", clientsUsage, map[string]command{"create": clientsCreate, "list": clientsList, "revoke": clientsRevoke}, args, stdout, stderr, getenv)
}

// parseInterspersed parses flags that may come before or after positional arguments ("revoke ID --dsn …").
func parseInterspersed(s *settings, args []string) ([]string, error) {
	var pos []string
	for {
		if err := s.fs.Parse(args); err != nil {
			return nil, err
		}
		args = s.fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func clientsCreate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("clients create", stderr, getenv)
	keyFile := secretsKeyFlag(s)
	var name string
	var limit int
	s.fs.StringVar(&name, "name", "", "the partner's name (required)")
	s.fs.IntVar(&limit, "rate-limit", 0, fmt.Sprintf("requests per minute (default %d)", unified.DefaultRateLimit))
	pos, err := parseInterspersed(s, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	if strings.TrimSpace(name) == "" {
		return errors.New("--name is required")
	}
	if limit < 0 {
		return errors.New("--rate-limit must not be negative")
	}
	if keyFile() == "" {
		return errors.New("--secrets-key-file (or WPSIDECAR_SECRETS_KEY_FILE) is required: it encrypts the secret, and serve needs the same file")
	}
	site, done, err := commandSite(ctx, s, stderr)
	if err != nil {
		return err
	}
	defer done()
	id, secret, err := unified.CreateClient(ctx, site, keyFile(), unified.NewClient{Name: strings.TrimSpace(name), RateLimit: limit})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created client %q for the unified customer API (/wp-json/wpsidecar/v1).\n", strings.TrimSpace(name))
	fmt.Fprintln(stdout, "The secret is shown only this once; it is stored encrypted under the secrets key file.")
	fmt.Fprintln(stdout, "Client id and secret:")
	fmt.Fprintln(stdout, id+" "+secret)
	return nil
}

func clientsList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("clients list", stderr, getenv)
	_ = secretsKeyFlag(s) // accepted for symmetry; listing needs no key
	pos, err := parseInterspersed(s, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	site, done, err := commandSite(ctx, s, stderr)
	if err != nil {
		return err
	}
	defer done()
	list, err := unified.ListClients(ctx, site)
	if err != nil {
		return err
	}
	dash := func(v string) string {
		if v == "" {
			return "-"
		}
		return v
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CLIENT ID\tNAME\tSTATUS\tLIMIT/MIN\tCREATED (UTC)\tLAST USED (UTC)\tREVOKED (UTC)")
	for _, c := range list {
		limit := fmt.Sprintf("%d", c.RateLimit)
		if c.RateLimit == 0 {
			limit = fmt.Sprintf("%d (default)", unified.DefaultRateLimit)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Status, limit, c.CreatedAt, dash(c.LastUsedAt), dash(c.RevokedAt))
	}
	return tw.Flush()
}

func clientsRevoke(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	s := newSettings("clients revoke", stderr, getenv)
	_ = secretsKeyFlag(s)
	pos, err := parseInterspersed(s, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: wpsidecar clients revoke CLIENT_ID")
	}
	site, done, err := commandSite(ctx, s, stderr)
	if err != nil {
		return err
	}
	defer done()
	if err := unified.RevokeClient(ctx, site, pos[0]); err != nil {
		if errors.Is(err, unified.ErrClientNotFound) {
			return fmt.Errorf("no client %q", pos[0])
		}
		return err
	}
	fmt.Fprintf(stdout, "Revoked client %s.\n", pos[0])
	return nil
}
