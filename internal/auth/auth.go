// Package auth says who a request acts for: API tokens (minted, stored as
// hashes, revoked, expired), the principal a token stands for and its role,
// and the one Authenticator that every way into the API goes through
// (bearer header, session cookie, websocket init, export, download), and
// the console's sessions (session.go).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/apitoken"
	"github.com/scoopa/webhooks/ent/schema"
	"github.com/scoopa/webhooks/ent/session"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/internal/audit"
	"github.com/scoopa/webhooks/internal/guard"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/rules"
	"github.com/scoopa/webhooks/internal/store"
)

// API tokens are "scp_" followed by 32 random bytes in base64url (256 bits).
// Only their SHA-256 is stored; the token is shown once.

// TokenPrefix starts every API token, so a leaked one is recognisable.
const TokenPrefix = "scp_"

// Principal is who a request acts for.
type Principal struct {
	Role      apitoken.Role
	TokenName string
	TokenID   int // 0 for the bootstrap admin token
	// SessionID is the console session the request came in through; 0
	// for a bearer token.
	SessionID int
	// Addr is the client address the request came from.
	Addr string
	// Webhooks are, for a PARTNER, the IDs of the webhooks it sees (its
	// scope, scope.go); Manage whether it may change their delivery
	// settings.
	Webhooks []int
	Manage   bool
	// PortalTitle is, for a console session opened with a portal link,
	// the link's title ("" for the default); nil otherwise.
	PortalTitle *string
}

// IsPartner reports whether p sees only its webhooks.
func (p *Principal) IsPartner() bool { return p != nil && p.Role == apitoken.RolePARTNER }

// Sees reports whether p may see the webhook whose ID is id: every
// principal but a PARTNER sees every webhook.
func (p *Principal) Sees(id int) bool { return !p.IsPartner() || slices.Contains(p.Webhooks, id) }

// Actor is p as the audit log records who made a change; a nil p is
// "unknown".
func (p *Principal) Actor() audit.Actor {
	if p == nil {
		return audit.Actor{Name: p.Name()}
	}
	return audit.Actor{Name: p.Name(), TokenID: p.TokenID, Role: string(p.Role), Addr: p.Addr}
}

// ActorFrom is the actor of the principal of ctx (Actor).
func ActorFrom(ctx context.Context) audit.Actor { return PrincipalFrom(ctx).Actor() }

// IsAdmin reports whether p may change things.
func (p *Principal) IsAdmin() bool { return p != nil && p.Role == apitoken.RoleADMIN }

// Name is the token's name, as rows record who did something.
func (p *Principal) Name() string {
	if p == nil || p.TokenName == "" {
		return "unknown"
	}
	return p.TokenName
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal of ctx, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

const base64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// ParseToken checks the form of a token and returns its hash.
func ParseToken(token string) (string, error) {
	rest, ok := strings.CutPrefix(token, TokenPrefix)
	if !ok {
		return "", fmt.Errorf("token must start with %q: %w", TokenPrefix, problem.ErrUnauthenticated)
	}
	// The decoder skips CR and LF: check the alphabet first.
	if len(rest) != 43 || strings.Trim(rest, base64URLAlphabet) != "" {
		return "", fmt.Errorf("token is malformed: %w", problem.ErrUnauthenticated)
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) != 32 {
		return "", fmt.Errorf("token is malformed: %w", problem.ErrUnauthenticated)
	}
	return hashToken(token), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Tokens keeps the API tokens.
type Tokens struct {
	db  *ent.Client
	now func() time.Time
	log *slog.Logger
}

// NewTokens returns the tokens stored in db; now is the clock that expiry
// and last use are read on.
func NewTokens(db *ent.Client, now func() time.Time, log *slog.Logger) *Tokens {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Tokens{db: db, now: now, log: log}
}

// Authenticate returns the principal of a bearer token: the bootstrap admin
// token, or a stored token that is neither revoked nor expired.
func (s *Tokens) Authenticate(ctx context.Context, token string, adminToken string) (*Principal, error) {
	if token == "" {
		return nil, fmt.Errorf("no token given: %w", problem.ErrUnauthenticated)
	}
	if adminToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(adminToken)) == 1 {
		return &Principal{Role: apitoken.RoleADMIN, TokenName: "bootstrap"}, nil
	}
	hash, err := ParseToken(token)
	if err != nil {
		return nil, err
	}
	t, err := s.db.APIToken.Query().Where(apitoken.Hash(hash)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fmt.Errorf("unknown token: %w", problem.ErrUnauthenticated)
	} else if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	// The lookup was by hash; compare again in constant time all the same.
	if subtle.ConstantTimeCompare([]byte(t.Hash), []byte(hash)) != 1 {
		return nil, fmt.Errorf("unknown token: %w", problem.ErrUnauthenticated)
	}
	now := s.now()
	if why := unusable(t, now); why != "" {
		return nil, fmt.Errorf("token %s: %w", why, problem.ErrUnauthenticated)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		// At most one write a minute per token.
		if err := s.db.APIToken.UpdateOne(t).SetLastUsedAt(now).Exec(ctx); err != nil {
			s.log.WarnContext(ctx, "token last use not recorded", "token_id", t.ID, "err", err)
		}
	}
	return principalOf(ctx, s.db, t)
}

// principalOf returns the principal of the stored token t, with its
// webhooks when it is a PARTNER's.
func principalOf(ctx context.Context, db *ent.Client, t *ent.APIToken) (*Principal, error) {
	pr := &Principal{Role: t.Role, TokenName: t.Name, TokenID: t.ID}
	if pr.IsPartner() {
		ids, err := db.APIToken.QueryWebhooks(t).IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("authenticate: %w", err)
		}
		if ids == nil {
			ids = []int{}
		}
		slices.Sort(ids)
		pr.Webhooks, pr.Manage = ids, t.Manage
	}
	return pr, nil
}

// Authenticator authenticates every way into the API: the bearer token of
// a request, a websocket's connection_init and the operations run over
// that socket, the call log export and the console's sign-in present their
// token to its Authenticate; the console's session cookie (on the same
// ways in) goes to AuthenticateSession.
type Authenticator struct {
	tokens     *Tokens
	sessions   *Sessions
	adminToken string
	throttle   *guard.Throttle
}

// NewAuthenticator returns the authenticator of tokens, of their console
// sessions and of adminToken, the bootstrap admin token (none if empty).
// Failed authentications are throttled per client address by throttle;
// nil throttles nothing.
func NewAuthenticator(tokens *Tokens, sessions *Sessions, adminToken string, throttle *guard.Throttle) *Authenticator {
	return &Authenticator{tokens: tokens, sessions: sessions, adminToken: adminToken, throttle: throttle}
}

// SignIn authenticates token as Authenticate does and starts a console
// session of it, for the client c. It returns the principal and the
// session ID, which the session cookie holds instead of the token.
func (a *Authenticator) SignIn(ctx context.Context, token string, c Client) (*Principal, string, error) {
	pr, err := a.Authenticate(ctx, token, c.Addr)
	if err != nil {
		return nil, "", err
	}
	var bootstrap string
	if pr.TokenID == 0 {
		bootstrap = hashToken(a.adminToken)
	}
	id, sess, err := a.sessions.start(ctx, pr, bootstrap, c)
	if err != nil {
		return nil, "", err
	}
	pr.SessionID = sess.ID
	return pr, id, nil
}

// AuthenticateSession returns the principal of the console session whose
// ID is id, presented from addr: a session neither ended nor expired, of a
// token still valid. It is throttled as Authenticate is.
func (a *Authenticator) AuthenticateSession(ctx context.Context, id, addr string) (pr *Principal, err error) {
	if id == "" {
		return nil, fmt.Errorf("no session given: %w", problem.ErrUnauthenticated)
	}
	err = a.throttle.Check(addr, id, func() error {
		pr, err = a.sessions.authenticate(ctx, id, a.adminToken)
		if pr != nil {
			pr.Addr = addr
		}
		return err
	}, func(err error) bool { return errors.Is(err, problem.ErrUnauthenticated) })
	return pr, err
}

// SignOut ends the console session whose ID is id, if there is one: it no
// longer authenticates anywhere.
func (a *Authenticator) SignOut(ctx context.Context, id string) error {
	return a.sessions.endID(ctx, id, session.EndedReasonSIGNED_OUT)
}

// Authenticate returns the principal of token, presented from the client
// address addr: the bootstrap admin token, or a stored token that is
// neither revoked nor expired. A bad token is problem.ErrUnauthenticated and counts
// as a failure of addr; once addr failed too often, its tokens get a
// *guard.ThrottledError without being looked at (but for those that
// authenticated from it before).
func (a *Authenticator) Authenticate(ctx context.Context, token, addr string) (pr *Principal, err error) {
	err = a.throttle.Check(addr, token, func() error {
		pr, err = a.tokens.Authenticate(ctx, token, a.adminToken)
		if pr != nil {
			pr.Addr = addr
		}
		return err
	}, func(err error) bool { return errors.Is(err, problem.ErrUnauthenticated) })
	return pr, err
}

// CreateAPITokenInput is a new API token.
type CreateAPITokenInput struct {
	Name      string
	Role      apitoken.Role
	ExpiresAt *time.Time
	// WebhookIDs are a PARTNER token's webhooks (at least one); Manage
	// its grant to change their delivery settings.
	WebhookIDs []int
	Manage     *bool
}

// checkPartner checks the webhooks and grant of a new token: only a
// PARTNER token has them, and it has at least one webhook, each existing.
func checkPartner(ctx context.Context, db *ent.Client, in CreateAPITokenInput) error {
	if in.Role != apitoken.RolePARTNER {
		if len(in.WebhookIDs) > 0 {
			return problem.Invalid("webhookIDs", "only a PARTNER token has webhooks")
		}
		if in.Manage != nil && *in.Manage {
			return problem.Invalid("manage", "only a PARTNER token has the manage grant")
		}
		return nil
	}
	if len(in.WebhookIDs) == 0 {
		return problem.Invalid("webhookIDs", "a PARTNER token needs at least one webhook")
	}
	if len(in.WebhookIDs) > MaxPartnerWebhooks {
		return problem.Invalid("webhookIDs", "at most %d webhooks", MaxPartnerWebhooks)
	}
	found, err := db.Webhook.Query().Where(webhook.IDIn(in.WebhookIDs...)).IDs(ctx)
	if err != nil {
		return err
	}
	var missing []string
	for _, id := range in.WebhookIDs {
		if !slices.Contains(found, id) {
			missing = append(missing, strconv.Itoa(id))
		}
	}
	if len(missing) > 0 {
		return problem.Invalid("webhookIDs", "no webhook %s", strings.Join(missing, ", "))
	}
	return nil
}

// MaxPartnerWebhooks bounds the webhooks of one PARTNER token.
const MaxPartnerWebhooks = 100

// Create stores a new token and returns it with its secret, which
// is not kept.
func (s *Tokens) Create(ctx context.Context, in CreateAPITokenInput) (*ent.APIToken, string, error) {
	in, err := s.check(ctx, in)
	if err != nil {
		return nil, "", err
	}
	var (
		t      *ent.APIToken
		secret string
	)
	err = store.WithTx(ctx, s.db, func(tx *ent.Tx) (err error) {
		t, secret, err = s.create(ctx, tx, s.now(), in)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("create token: %w", err)
	}
	s.log.InfoContext(ctx, "api token created", "token_id", t.ID, "role", t.Role)
	return t, secret, nil
}

// check checks a new token and returns it as create takes it: its
// webhooks sorted, each once.
func (s *Tokens) check(ctx context.Context, in CreateAPITokenInput) (CreateAPITokenInput, error) {
	if err := rules.CheckName("name", in.Name); err != nil {
		return in, err
	}
	if err := apitoken.RoleValidator(in.Role); err != nil {
		return in, problem.Invalid("role", "must be ADMIN, VIEWER or PARTNER")
	}
	in.WebhookIDs = slices.Compact(slices.Sorted(slices.Values(in.WebhookIDs)))
	if err := checkPartner(ctx, s.db, in); err != nil {
		return in, err
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(s.now()) {
		return in, problem.Invalid("expiresAt", "must be in the future")
	}
	return in, nil
}

// create stores the token in (checked) in tx at now, with its entry
// token.create in the audit log, and returns it with its secret.
func (s *Tokens) create(ctx context.Context, tx *ent.Tx, now time.Time, in CreateAPITokenInput) (*ent.APIToken, string, error) {
	secret := newSecret(TokenPrefix)
	t, err := tx.APIToken.Create().SetCreatedAt(now).SetName(strings.TrimSpace(in.Name)).SetRole(in.Role).
		SetPrefix(secret[:len(TokenPrefix)+6]).SetHash(hashToken(secret)).SetNillableExpiresAt(in.ExpiresAt).
		SetNillableManage(in.Manage).AddWebhookIDs(in.WebhookIDs...).
		Save(ctx)
	if err != nil {
		return nil, "", err
	}
	changes := audit.Snapshot{"name": audit.Plain(t.Name), "role": audit.Plain(string(t.Role)), "prefix": audit.Plain(t.Prefix)}
	if t.Role == apitoken.RolePARTNER {
		changes["webhooks"] = audit.Plain(fmt.Sprint(in.WebhookIDs))
		changes["manage"] = audit.Plain(strconv.FormatBool(t.Manage))
	}
	if t.ExpiresAt != nil {
		changes["expiresAt"] = audit.Plain(t.ExpiresAt.UTC().Format(time.RFC3339))
	}
	if err := audit.Record(ctx, tx.Client(), now, ActorFrom(ctx), audit.Entry{Action: "token.create",
		SubjectType: "APIToken", SubjectID: t.ID, SubjectName: t.Name, Changes: audit.Diff(nil, changes)}); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// newSecret is prefix followed by 32 random bytes in base64url (256 bits):
// an API token's, a session ID's or a portal link's secret.
func newSecret(prefix string) string {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	return prefix + base64.RawURLEncoding.EncodeToString(raw)
}

// Revoke revokes a token; it is refused from then on, and the console
// sessions started with it end.
func (s *Tokens) Revoke(ctx context.Context, id int) (*ent.APIToken, error) {
	tx, err := s.db.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("revoke token %d: %w", id, err)
	}
	defer tx.Rollback()
	now := s.now()
	t, err := tx.APIToken.UpdateOneID(id).SetRevokedAt(now).Save(ctx)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("API token", id)
	} else if err != nil {
		return nil, fmt.Errorf("revoke token %d: %w", id, err)
	}
	ended, err := tx.Session.Update().Where(session.TokenID(id), session.EndedAtIsNil()).
		SetEndedAt(now).SetEndedReason(session.EndedReasonTOKEN_REVOKED).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("revoke token %d: end its sessions: %w", id, err)
	}
	if err := audit.Record(ctx, tx.Client(), now, ActorFrom(ctx), audit.Entry{Action: "token.revoke",
		SubjectType: "APIToken", SubjectID: id, SubjectName: t.Name,
		Changes: []schema.FieldChange{{Field: "revokedAt", New: ptr(now.UTC().Format(time.RFC3339))}}}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("revoke token %d: %w", id, err)
	}
	s.log.InfoContext(ctx, "api token revoked", "token_id", id, "sessions_ended", ended)
	return t, nil
}

// List lists the tokens, newest first.
func (s *Tokens) List(ctx context.Context) ([]*ent.APIToken, error) {
	return s.db.APIToken.Query().Order(ent.Desc(apitoken.FieldID)).All(ctx)
}

// Invalid returns those of ids that no longer authenticate: revoked,
// expired or deleted. Servers ask it periodically for the tokens of their
// open websockets, so that a revocation made on any instance, or an
// expiry, ends those connections.
func (s *Tokens) Invalid(ctx context.Context, ids []int) ([]int, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	valid, err := s.db.APIToken.Query().
		Where(apitoken.IDIn(ids...), apitoken.RevokedAtIsNil(),
			apitoken.Or(apitoken.ExpiresAtIsNil(), apitoken.ExpiresAtGT(s.now()))).
		IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("check tokens: %w", err)
	}
	var invalid []int
	for _, id := range ids {
		if !slices.Contains(valid, id) {
			invalid = append(invalid, id)
		}
	}
	return invalid, nil
}

func ptr(s string) *string { return &s }

// unusable says why t no longer authenticates at now ("revoked" or
// "expired"), or "" if it does: for itself and for the sessions started
// with it alike.
func unusable(t *ent.APIToken, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case t.ExpiresAt != nil && now.After(*t.ExpiresAt):
		return "expired"
	}
	return ""
}
