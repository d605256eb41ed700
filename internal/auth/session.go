package auth

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/apitoken"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/schema"
	"github.com/scoopa/webhooks/ent/session"
	"github.com/scoopa/webhooks/internal/audit"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/store"
)

// Console sessions: signing in with a token starts a session, and the
// session cookie holds its ID, "scs_" and 32 random bytes in base64url
// (256 bits), never the token. Only the ID's SHA-256 is stored. A session
// authenticates as its token while the token is valid, until it is ended
// (sign-out, an admin, the token's revocation), idle for IdleTimeout or
// MaxAge old.

// SessionPrefix starts every session ID.
const SessionPrefix = "scs_"

// The defaults of SessionConfig.
const (
	DefaultSessionIdleTimeout = 2 * time.Hour
	DefaultSessionMaxAge      = 12 * time.Hour
)

// lastSeenEvery is how stale a session's last_seen_at may be before a use
// writes it again: at most one write a minute per session.
const lastSeenEvery = time.Minute

// SessionConfig bounds the console's sessions.
type SessionConfig struct {
	// IdleTimeout ends a session unused this long (counted from its last
	// use, recorded to the minute).
	IdleTimeout time.Duration
	// MaxAge ends a session this long after sign-in, however used.
	MaxAge time.Duration
}

// WithDefaults fills the zero fields with the defaults.
func (c SessionConfig) WithDefaults() SessionConfig {
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultSessionIdleTimeout
	}
	if c.MaxAge <= 0 {
		c.MaxAge = DefaultSessionMaxAge
	}
	return c
}

// Sessions keeps the console's sessions.
type Sessions struct {
	db  *ent.Client
	now func() time.Time
	log *slog.Logger
	cfg SessionConfig
}

// NewSessions returns the sessions stored in db, bounded by cfg; now is
// the clock their expiries are read on.
func NewSessions(db *ent.Client, now func() time.Time, log *slog.Logger, cfg SessionConfig) *Sessions {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sessions{db: db, now: now, log: log, cfg: cfg.WithDefaults()}
}

// Config is the sessions' configuration, defaults filled in.
func (s *Sessions) Config() SessionConfig { return s.cfg }

// ParseSessionID checks the form of a session ID and returns its hash.
func ParseSessionID(id string) (string, error) {
	rest, ok := strings.CutPrefix(id, SessionPrefix)
	if !ok || len(rest) != 43 || strings.Trim(rest, base64URLAlphabet) != "" {
		return "", fmt.Errorf("session ID is malformed: %w", problem.ErrUnauthenticated)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(rest); err != nil || len(raw) != 32 {
		return "", fmt.Errorf("session ID is malformed: %w", problem.ErrUnauthenticated)
	}
	return hashToken(id), nil
}

// Client describes who signs in, as admins see it in the list of sessions.
type Client struct {
	Addr      string
	UserAgent string
}

// truncate cuts s to at most n bytes, on a rune boundary, without
// control characters.
func truncate(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// start stores a new session of pr (bootstrap is the digest of the
// bootstrap admin token when pr is its principal) and returns its ID.
func (s *Sessions) start(ctx context.Context, pr *Principal, bootstrap string, c Client) (string, *ent.Session, error) {
	var (
		id   string
		sess *ent.Session
	)
	err := store.WithTx(ctx, s.db, func(tx *ent.Tx) (err error) {
		id, sess, err = s.create(ctx, tx, s.now(), pr, bootstrap, c, nil)
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("start session: %w", err)
	}
	s.logStarted(ctx, sess, pr)
	return id, sess, nil
}

func (s *Sessions) logStarted(ctx context.Context, sess *ent.Session, pr *Principal) {
	s.log.InfoContext(ctx, "console session started", "session_id", sess.ID, "token_id", pr.TokenID, "role", pr.Role)
}

// create stores, in tx at now, a new session of pr for c, opened with the
// portal link if not nil, and returns its ID. A sign-in is in the audit
// log, written with its session: the session's token is the actor, from
// the address it signed in from.
func (s *Sessions) create(ctx context.Context, tx *ent.Tx, now time.Time, pr *Principal, bootstrap string, c Client, portal *ent.PortalLink) (string, *ent.Session, error) {
	id := newSecret(SessionPrefix)
	var (
		tokenID *int
		digest  *string
	)
	if pr.TokenID != 0 {
		tokenID = &pr.TokenID
	} else {
		digest = &bootstrap
	}
	cr := tx.Session.Create().SetHash(hashToken(id)).SetRole(session.Role(pr.Role)).
		SetTokenName(truncate(pr.TokenName, 255)).SetCreatedAt(now).SetLastSeenAt(now).
		SetExpiresAt(now.Add(s.cfg.MaxAge)).
		SetUserAgent(truncate(c.UserAgent, 256)).SetClientAddress(truncate(c.Addr, 64)).
		SetNillableTokenID(tokenID).SetNillableBootstrapDigest(digest)
	changes := audit.Snapshot{}
	if portal != nil {
		cr.SetPortalTitle(portal.Title)
		changes["portalLink"] = audit.Plain(strconv.Itoa(portal.ID))
	}
	sess, err := cr.Save(ctx)
	if err != nil {
		return "", nil, err
	}
	changes["expiresAt"] = audit.Plain(sess.ExpiresAt.UTC().Format(time.RFC3339))
	changes["userAgent"] = audit.Plain(sess.UserAgent)
	actor := pr.Actor()
	actor.Addr = truncate(c.Addr, 64)
	if err := audit.Record(ctx, tx.Client(), now, actor, audit.Entry{Action: "session.start",
		SubjectType: "Session", SubjectID: sess.ID, SubjectName: sess.TokenName,
		Changes: audit.Diff(nil, changes)}); err != nil {
		return "", nil, err
	}
	return id, sess, nil
}

// authenticate returns the principal of the session whose ID is id, if it
// is neither ended nor expired and its token still valid; adminToken is
// the bootstrap admin token now configured.
func (s *Sessions) authenticate(ctx context.Context, id, adminToken string) (*Principal, error) {
	hash, err := ParseSessionID(id)
	if err != nil {
		return nil, err
	}
	sess, err := s.db.Session.Query().Where(session.Hash(hash)).WithToken().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fmt.Errorf("unknown session: %w", problem.ErrUnauthenticated)
	} else if err != nil {
		return nil, fmt.Errorf("authenticate session: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(sess.Hash), []byte(hash)) != 1 {
		return nil, fmt.Errorf("unknown session: %w", problem.ErrUnauthenticated)
	}
	now := s.now()
	switch {
	case sess.EndedAt != nil:
		return nil, fmt.Errorf("session ended: %w", problem.ErrUnauthenticated)
	case !now.Before(sess.ExpiresAt):
		return nil, fmt.Errorf("session expired: %w", problem.ErrUnauthenticated)
	case now.Sub(sess.LastSeenAt) >= s.cfg.IdleTimeout:
		return nil, fmt.Errorf("session idle too long: %w", problem.ErrUnauthenticated)
	}
	pr := &Principal{SessionID: sess.ID}
	switch t := sess.Edges.Token; {
	case sess.TokenID != nil:
		if t == nil {
			return nil, fmt.Errorf("session's token deleted: %w", problem.ErrUnauthenticated)
		}
		if why := unusable(t, now); why != "" {
			return nil, fmt.Errorf("session's token %s: %w", why, problem.ErrUnauthenticated)
		}
		tp, err := principalOf(ctx, s.db, t)
		if err != nil {
			return nil, err
		}
		tp.SessionID, tp.PortalTitle = sess.ID, sess.PortalTitle
		pr = tp
	case sess.BootstrapDigest != "" && adminToken != "" &&
		subtle.ConstantTimeCompare([]byte(sess.BootstrapDigest), []byte(hashToken(adminToken))) == 1:
		pr.Role, pr.TokenName = apitoken.RoleADMIN, "bootstrap"
	default:
		return nil, fmt.Errorf("session's bootstrap token changed: %w", problem.ErrUnauthenticated)
	}
	if now.Sub(sess.LastSeenAt) >= lastSeenEvery {
		// At most one write a minute per session, and per its token.
		if err := s.db.Session.Update().Where(session.ID(sess.ID), session.EndedAtIsNil()).
			SetLastSeenAt(now).Exec(ctx); err != nil {
			s.log.WarnContext(ctx, "session last use not recorded", "session_id", sess.ID, "err", err)
		}
		if t := sess.Edges.Token; t != nil && (t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= lastSeenEvery) {
			if err := s.db.APIToken.UpdateOne(t).SetLastUsedAt(now).Exec(ctx); err != nil {
				s.log.WarnContext(ctx, "token last use not recorded", "token_id", t.ID, "err", err)
			}
		}
	}
	return pr, nil
}

// active are the predicates of the sessions that may still authenticate at
// now (but for a bootstrap admin token changed since).
func (s *Sessions) active(now time.Time) []predicate.Session {
	return []predicate.Session{
		session.EndedAtIsNil(), session.ExpiresAtGT(now), session.LastSeenAtGT(now.Add(-s.cfg.IdleTimeout)),
		session.Or(session.TokenIDIsNil(), session.HasTokenWith(apitoken.RevokedAtIsNil(),
			apitoken.Or(apitoken.ExpiresAtIsNil(), apitoken.ExpiresAtGT(now)))),
	}
}

// List lists the active sessions, most recently used first.
func (s *Sessions) List(ctx context.Context) ([]*ent.Session, error) {
	list, err := s.db.Session.Query().Where(s.active(s.now())...).
		Order(ent.Desc(session.FieldLastSeenAt), ent.Desc(session.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return list, nil
}

// IdleExpiry is when sess ends if it is not used again: its idle timeout
// or its absolute expiry, whichever comes first.
func (s *Sessions) IdleExpiry(sess *ent.Session) time.Time {
	idle := sess.LastSeenAt.Add(s.cfg.IdleTimeout)
	if idle.Before(sess.ExpiresAt) {
		return idle
	}
	return sess.ExpiresAt
}

// End ends the session id for reason; it no longer authenticates. Ending an
// ended session changes nothing.
func (s *Sessions) End(ctx context.Context, id int, reason session.EndedReason) (*ent.Session, error) {
	var (
		n    int
		sess *ent.Session
	)
	err := store.WithTx(ctx, s.db, func(tx *ent.Tx) error {
		now := s.now()
		var err error
		n, err = tx.Session.Update().Where(session.ID(id), session.EndedAtIsNil()).
			SetEndedAt(now).SetEndedReason(reason).Save(ctx)
		if err != nil {
			return err
		}
		if sess, err = tx.Session.Get(ctx, id); err != nil || n == 0 {
			return err
		}
		actor := ActorFrom(ctx)
		if PrincipalFrom(ctx) == nil { // signing out: the session's own token
			actor = audit.Actor{Name: sess.TokenName, Role: string(sess.Role)}
			if sess.TokenID != nil {
				actor.TokenID = *sess.TokenID
			}
		}
		return audit.Record(ctx, tx.Client(), now, actor, audit.Entry{Action: "session.end",
			SubjectType: "Session", SubjectID: id, SubjectName: sess.TokenName,
			Changes: []schema.FieldChange{{Field: "endedReason", New: ptr(string(reason))}}})
	})
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("session", id)
	} else if err != nil {
		return nil, fmt.Errorf("end session %d: %w", id, err)
	}
	if n > 0 {
		s.log.InfoContext(ctx, "console session ended", "session_id", id, "reason", reason)
	}
	return sess, nil
}

// endID ends the session whose ID is id, if there is one, for reason.
func (s *Sessions) endID(ctx context.Context, id string, reason session.EndedReason) error {
	hash, err := ParseSessionID(id)
	if err != nil {
		return nil // no such session: nothing to end
	}
	sess, err := s.db.Session.Query().Where(session.Hash(hash)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	} else if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	_, err = s.End(ctx, sess.ID, reason)
	return err
}

// Invalid returns those of ids that no longer authenticate: ended,
// expired, idle too long, of a revoked or expired token, or deleted.
// Servers ask it periodically for the sessions of their open websockets.
func (s *Sessions) Invalid(ctx context.Context, ids []int) ([]int, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	valid, err := s.db.Session.Query().Where(append(s.active(s.now()), session.IDIn(ids...))...).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("check sessions: %w", err)
	}
	var invalid []int
	for _, id := range ids {
		if !slices.Contains(valid, id) {
			invalid = append(invalid, id)
		}
	}
	return invalid, nil
}
