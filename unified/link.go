package unified

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
)

// Linking rules (README "Unified customer API / Linking rules"):
//
//  1. A person is one row of {prefix}wpsidecar_customer_links holding at most one WordPress user, one FluentCart
//     customer and one LatePoint customer; each of those belongs to at most one person (unique keys).
//  2. Its uuid is fixed when the row is made: the FluentCart customer's fct_customers.uuid when the person has one
//     with a well-formed uuid, else 32 random lower-case hex characters. A FluentCart uuid of a customer linked to
//     a person with another uuid still finds that person (an alias).
//  3. Members are found from any one of them, by id first, then by e-mail: the user is the one the plugin customer
//     names (fct_customers.user_id, latepoint_customers.wordpress_user_id) when it exists and is free, else the
//     lowest-ID free user with the e-mail — skipping a user that another customer of a plugin the person already
//     has a customer in names by id; a plugin customer is the lowest-id free one naming the user by id, else the
//     lowest-id free one with one of the person's e-mails (WordPress's first) whose user id names no existing user.
//     E-mail equality is SQL equality under each column's collation (case-insensitive), as in WordPress.
//  4. Every read completes a person: members that were deleted are dropped, members that appeared since are added
//     by rule 3. Existing members are never re-pointed to another person.

type memberKind int

const (
	memberUser memberKind = iota
	memberFC
	memberLP
)

// anchor is the record a lookup starts from.
type anchor struct {
	kind memberKind
	id   int64
}

// members are the rows of one person while it is being linked.
type members struct {
	user *userRow
	fc   *fcCustomerRow
	lp   *lpCustomerRow
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// resolveUUID returns the person a uuid names (its own or, rule 2, a FluentCart alias), or errNotFound.
func (s *store) resolveUUID(ctx context.Context, uuid string, newUUID func() string) (*person, error) {
	fcOn, lpOn, err := s.plugins(ctx)
	if err != nil {
		return nil, err
	}
	l, err := s.linkByUUID(ctx, s.db(), uuid, false)
	if err != nil {
		return nil, err
	}
	if l == nil {
		if !fcOn {
			return nil, errNotFound
		}
		id, err := s.fcIDByUUID(ctx, uuid)
		if err != nil {
			return nil, fmt.Errorf("find FluentCart customer by uuid: %w", err)
		}
		if id == 0 {
			return nil, errNotFound
		}
		if l, err = s.ensureLink(ctx, anchor{memberFC, id}, fcOn, lpOn, newUUID); err != nil {
			return nil, err
		}
	}
	return s.complete(ctx, l, fcOn, lpOn)
}

// resolveEmail returns the person find-by-email names: the one holding the first record with the e-mail (a user,
// else a FluentCart customer, else a LatePoint customer), or errNotFound.
func (s *store) resolveEmail(ctx context.Context, email string, newUUID func() string) (*person, error) {
	fcOn, lpOn, err := s.plugins(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.anchorByEmail(ctx, email, fcOn, lpOn)
	if err != nil {
		return nil, fmt.Errorf("find by e-mail: %w", err)
	}
	if a.id == 0 {
		return nil, errNotFound
	}
	l, err := s.ensureLink(ctx, a, fcOn, lpOn, newUUID)
	if err != nil {
		return nil, err
	}
	return s.complete(ctx, l, fcOn, lpOn)
}

// ensureLink returns the link holding the anchor, making it (rules 2–3) when there is none. Two requests making
// the same person's link at once collide on a unique key; the loser reads the winner's row.
func (s *store) ensureLink(ctx context.Context, a anchor, fcOn, lpOn bool, newUUID func() string) (*linkRow, error) {
	for attempt := 0; attempt < 4; attempt++ {
		l, err := s.linkByMember(ctx, s.db(), a.kind, a.id)
		if err != nil || l != nil {
			return l, err
		}
		var m members
		switch a.kind {
		case memberUser:
			m.user, err = s.user(ctx, s.db(), a.id, false)
		case memberFC:
			m.fc, err = s.fcCustomer(ctx, s.db(), a.id, false)
		case memberLP:
			m.lp, err = s.lpCustomer(ctx, s.db(), a.id, false)
		}
		if err != nil {
			return nil, err
		}
		if m.user == nil && m.fc == nil && m.lp == nil {
			return nil, errNotFound
		}
		if _, err := s.match(ctx, &m, fcOn, lpOn); err != nil {
			return nil, err
		}
		l = &linkRow{CreatedAt: s.now().Format(dbLayout)}
		if m.fc != nil && uuidPattern.MatchString(m.fc.UUID.String) && attempt < 2 {
			l.UUID = m.fc.UUID.String
		} else {
			l.UUID = newUUID()
		}
		l.UserID, l.FCID, l.LPID = m.ids()
		err = s.insertLink(ctx, l)
		if err == nil {
			return l, nil
		}
		if !isDuplicate(err) {
			return nil, fmt.Errorf("insert customer link: %w", err)
		}
	}
	return nil, errors.New("insert customer link: kept colliding with concurrent requests")
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id > 0} }

func (m *members) ids() (user, fc, lp sql.NullInt64) {
	if m.user != nil {
		user = nullID(m.user.ID)
	}
	if m.fc != nil {
		fc = nullID(m.fc.ID)
	}
	if m.lp != nil {
		lp = nullID(m.lp.ID)
	}
	return user, fc, lp
}

// emails are the person's addresses to match by, WordPress's first.
func (m *members) emails() []string {
	var out []string
	add := func(e string) {
		if e == "" {
			return
		}
		for _, x := range out {
			if normalizeEmail(x) == normalizeEmail(e) {
				return
			}
		}
		out = append(out, e)
	}
	if m.user != nil {
		add(m.user.Email)
	}
	if m.fc != nil {
		add(m.fc.Email)
	}
	if m.lp != nil {
		add(m.lp.Email)
	}
	return out
}

// match fills the members that are missing (rule 3); changed reports whether it found any.
func (s *store) match(ctx context.Context, m *members, fcOn, lpOn bool) (changed bool, err error) {
	if m.user == nil {
		var named []int64
		if m.fc != nil && m.fc.UserID.Int64 > 0 {
			named = append(named, m.fc.UserID.Int64)
		}
		if m.lp != nil && m.lp.WordPressUserID.Int64 > 0 {
			named = append(named, m.lp.WordPressUserID.Int64)
		}
		uid := int64(0)
		for _, id := range named {
			if uid, err = s.unlinkedUser(ctx, id); err != nil {
				return false, fmt.Errorf("match user by id: %w", err)
			}
			if uid > 0 {
				break
			}
		}
		if uid == 0 {
			var fcID, lpID int64
			if m.fc != nil {
				fcID = m.fc.ID
			}
			if m.lp != nil {
				lpID = m.lp.ID
			}
			for _, e := range m.emails() {
				if uid, err = s.userByEmail(ctx, e, fcOn, lpOn, fcID, lpID); err != nil {
					return false, fmt.Errorf("match user by e-mail: %w", err)
				}
				if uid > 0 {
					break
				}
			}
		}
		if uid > 0 {
			if m.user, err = s.user(ctx, s.db(), uid, false); err != nil {
				return false, err
			}
			changed = m.user != nil
		}
	}
	var uid int64
	if m.user != nil {
		uid = m.user.ID
	}
	if fcOn && m.fc == nil {
		id, err := s.fcFor(ctx, uid, m.emails())
		if err != nil {
			return false, fmt.Errorf("match FluentCart customer: %w", err)
		}
		if id > 0 {
			if m.fc, err = s.fcCustomer(ctx, s.db(), id, false); err != nil {
				return false, err
			}
			changed = changed || m.fc != nil
		}
	}
	if lpOn && m.lp == nil {
		id, err := s.lpFor(ctx, uid, m.emails())
		if err != nil {
			return false, fmt.Errorf("match LatePoint customer: %w", err)
		}
		if id > 0 {
			if m.lp, err = s.lpCustomer(ctx, s.db(), id, false); err != nil {
				return false, err
			}
			changed = changed || m.lp != nil
		}
	}
	return changed, nil
}

// complete loads a person from its link, applying rule 4 (drop vanished members, add new ones).
func (s *store) complete(ctx context.Context, l *linkRow, fcOn, lpOn bool) (*person, error) {
	m, err := s.loadMembers(ctx, s.db(), l, fcOn, lpOn, false)
	if err != nil {
		return nil, err
	}
	u, f, p := m.ids()
	dropped := u != l.UserID || (fcOn && f != l.FCID) || (lpOn && p != l.LPID)
	added, err := s.match(ctx, &m, fcOn, lpOn)
	if err != nil {
		return nil, err
	}
	if dropped || added {
		nl := *l
		nl.UserID, nl.FCID, nl.LPID = m.ids()
		if !fcOn {
			nl.FCID = l.FCID
		}
		if !lpOn {
			nl.LPID = l.LPID
		}
		switch err := s.setLinkMembers(ctx, &nl); {
		case errors.Is(err, errDuplicate):
			// Another request linked one of the new members first: use the row as it now is.
			cur, err := s.linkByUUID(ctx, s.db(), l.UUID, false)
			if err != nil {
				return nil, err
			}
			if cur == nil {
				return nil, errNotFound
			}
			if m, err = s.loadMembers(ctx, s.db(), cur, fcOn, lpOn, false); err != nil {
				return nil, err
			}
			l = cur
		case err != nil:
			return nil, fmt.Errorf("update customer link: %w", err)
		default:
			l = &nl
		}
	}
	return s.assemble(ctx, s.db(), l, m)
}

// loadMembers reads the rows a link names (nil for those that no longer exist).
func (s *store) loadMembers(ctx context.Context, q queryer, l *linkRow, fcOn, lpOn, lock bool) (members, error) {
	var m members
	var err error
	if l.UserID.Valid {
		if m.user, err = s.user(ctx, q, l.UserID.Int64, lock); err != nil {
			return m, err
		}
	}
	if fcOn && l.FCID.Valid {
		if m.fc, err = s.fcCustomer(ctx, q, l.FCID.Int64, lock); err != nil {
			return m, err
		}
	}
	if lpOn && l.LPID.Valid {
		if m.lp, err = s.lpCustomer(ctx, q, l.LPID.Int64, lock); err != nil {
			return m, err
		}
	}
	return m, nil
}

// assemble adds the FluentCart primary addresses; a link whose members are all gone is not a person. The address
// rows are read without a lock: a locking read that scans a small table (where MySQL prefers the primary key over
// the (customer_id, is_primary) index) would wait for every other update's rows; updates of one person are
// serialised by the link row's lock instead.
func (s *store) assemble(ctx context.Context, q queryer, l *linkRow, m members) (*person, error) {
	if m.user == nil && m.fc == nil && m.lp == nil {
		return nil, errNotFound
	}
	p := &person{Link: *l, User: m.user, FC: m.fc, LP: m.lp}
	if m.fc != nil {
		var err error
		if p.Billing, err = s.fcPrimaryAddress(ctx, q, m.fc.ID, "billing"); err != nil {
			return nil, err
		}
		if p.Shipping, err = s.fcPrimaryAddress(ctx, q, m.fc.ID, "shipping"); err != nil {
			return nil, err
		}
	}
	return p, nil
}
