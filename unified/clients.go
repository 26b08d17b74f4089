package unified

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	sq "github.com/Masterminds/squirrel"

	"github.com/wpsidecar/wpsidecar/wpcompat"
)

// ErrClientNotFound is returned by RevokeClient for an unknown client id.
var ErrClientNotFound = errors.New("no such client")

// Client is a partner as `wpsidecar clients list` shows it (never its secret).
type Client struct {
	ID         string
	Name       string
	Status     string // active | revoked
	RateLimit  int    // requests per minute; 0 = the server's default
	CreatedAt  string // UTC
	LastUsedAt string // UTC, "" when never used
	RevokedAt  string // UTC, "" unless revoked
}

// NewClient is what CreateClient needs.
type NewClient struct {
	Name      string
	RateLimit int // requests per minute; 0 = the server's default
}

// CreateClient registers a partner and returns its id and secret — the only time the secret is available in plain
// form outside the server. Both are [A-Za-z0-9_-]+: "wsc_" + 20 hex characters and "wss_" + 43 base64url
// characters (32 random bytes). The secret is stored encrypted under the key of keyFile (created if missing).
func CreateClient(ctx context.Context, site *wpcompat.Site, keyFile string, c NewClient) (id, secret string, err error) {
	if c.Name == "" || len([]rune(c.Name)) > 191 {
		return "", "", errors.New("client name must be 1 to 191 characters")
	}
	if c.RateLimit < 0 {
		return "", "", errors.New("rate limit must not be negative")
	}
	key, err := LoadOrCreateKey(keyFile)
	if err != nil {
		return "", "", err
	}
	var idb [10]byte
	var sb [32]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return "", "", err
	}
	if _, err := rand.Read(sb[:]); err != nil {
		return "", "", err
	}
	id = "wsc_" + hex.EncodeToString(idb[:])
	secret = "wss_" + base64.RawURLEncoding.EncodeToString(sb[:])
	enc, err := sealSecret(key, id, secret)
	if err != nil {
		return "", "", err
	}
	var limit sql.NullInt64
	if c.RateLimit > 0 {
		limit = sql.NullInt64{Int64: int64(c.RateLimit), Valid: true}
	}
	_, err = site.DB.ExecContext(ctx, "INSERT INTO "+site.Tables.Table("wpsidecar_clients")+
		" (client_id, name, secret_enc, key_id, rate_limit_per_minute, status, created_at) VALUES (?, ?, ?, ?, ?, 'active', ?)",
		id, c.Name, enc, keyID(key), limit, site.Clock().UTC().Format(dbLayout))
	if err != nil {
		return "", "", fmt.Errorf("store client: %w", err)
	}
	return id, secret, nil
}

// ListClients lists every client, oldest first.
func ListClients(ctx context.Context, site *wpcompat.Site) ([]Client, error) {
	query, args, err := toSQL(sq.Select("client_id", "name", "status", "rate_limit_per_minute", "created_at", "last_used_at", "revoked_at").
		From(site.Tables.Table("wpsidecar_clients")).OrderBy("id"))
	if err != nil {
		return nil, err
	}
	rows, err := site.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list clients: %w", err)
	}
	defer rows.Close()
	var out []Client
	for rows.Next() {
		var c Client
		var limit sql.NullInt64
		var used, revoked sql.NullString
		if err := rows.Scan(&c.ID, &c.Name, &c.Status, &limit, &c.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		c.RateLimit, c.LastUsedAt, c.RevokedAt = int(limit.Int64), used.String, revoked.String
		out = append(out, c)
	}
	return out, rows.Err()
}

// RevokeClient disables a client at once (every instance reads the row on each request).
func RevokeClient(ctx context.Context, site *wpcompat.Site, id string) error {
	clients := site.Tables.Table("wpsidecar_clients")
	query, args, err := toSQL(sq.Update(clients).Set("status", "revoked").
		Set("revoked_at", sq.Expr("COALESCE(revoked_at, ?)", site.Clock().UTC().Format(dbLayout))).Where(sq.Eq{"client_id": id}))
	if err != nil {
		return err
	}
	res, err := site.DB.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("revoke client: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		query, args, err := toSQL(sq.Select("1").From(clients).Where(sq.Eq{"client_id": id}))
		if err != nil {
			return err
		}
		var one int
		if err := site.DB.QueryRowContext(ctx, query, args...).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return ErrClientNotFound
		}
	}
	return nil
}

// client reads one client row (nil when unknown).
func (s *store) client(ctx context.Context, id string) (*clientRow, error) {
	query, args, err := toSQL(sq.Select("id", "client_id", "name", "secret_enc", "key_id", "rate_limit_per_minute", "status",
		"created_at", "last_used_at", "revoked_at").From(s.tbl("wpsidecar_clients")).Where(sq.Eq{"client_id": id}))
	if err != nil {
		return nil, err
	}
	var c clientRow
	err = s.db().QueryRowContext(ctx, query, args...).Scan(&c.ID, &c.ClientID, &c.Name, &c.SecretEnc, &c.KeyID, &c.RatePerMinute,
		&c.Status, &c.CreatedAt, &c.LastUsedAt, &c.RevokedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read client: %w", err)
	}
	return &c, nil
}

// touchClient records last use, at most once a minute per client.
func (s *store) touchClient(ctx context.Context, c *clientRow) error {
	now := s.now()
	if c.LastUsedAt.Valid && c.LastUsedAt.String >= now.Add(-60e9).Format(dbLayout) {
		return nil
	}
	query, args, err := toSQL(sq.Update(s.tbl("wpsidecar_clients")).Set("last_used_at", now.Format(dbLayout)).Where(sq.Eq{"id": c.ID}))
	if err != nil {
		return err
	}
	_, err = s.db().ExecContext(ctx, query, args...)
	return err
}
