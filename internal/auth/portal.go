package auth

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/apitoken"
	"github.com/scoopa/webhooks/ent/portallink"
	"github.com/scoopa/webhooks/internal/audit"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/store"
)

// Portal links: an admin mints a link for a partner (PortalLinks.Create);
// the partner opens it once (Authenticator.OpenPortal) and is in a console
// session of a PARTNER token made for the link, without ever handling the
// token.
//
//  1. Minting stores, in one transaction, the PARTNER token (as
//     Tokens.Create does, token.create in the audit log), the link (only
//     the SHA-256 of its secret) and the entry portal_link.create. The
//     token expires SessionConfig.MaxAge after the link, so a session
//     opened at the link's last moment lives its full length.
//  2. The link is PortalConfig.PublicURL + "/portal#" + the secret: in the
//     fragment, which browsers send to no server (not in logs, not in a
//     Referer). The console reads it and posts it to /api/session/portal.
//  3. Opening marks the link used by compare-and-set (used_at set where it
//     is unset and the link unexpired: of two openings, one wins), then
//     starts a session of its token exactly as a sign-in does, remembering
//     the link's title, in the same transaction. A link unknown, malformed,
//     expired or used is one error, problem.ErrUnauthenticated, throttled
//     as a failed sign-in.

// PortalLinkPrefix starts every portal link's secret, so a leaked one is
// recognisable.
const PortalLinkPrefix = "spl_"

// The bounds and defaults of a portal link.
const (
	// DefaultPortalTitle is SCOOPA_PORTAL_TITLE's default.
	DefaultPortalTitle = "Webhooks"
	// DefaultPortalLinkName names a link's token when no name is given.
	DefaultPortalLinkName = "Portal link"
	// MaxPortalLinkValidity bounds, and is the default of, how long a
	// link may be opened.
	MaxPortalLinkValidity = 24 * time.Hour
	// MaxPortalTitle bounds a link's title, in characters.
	MaxPortalTitle = 120
)

// ErrPortalLink is the one answer to a link that does not open: unknown,
// malformed, expired or already used alike, so that nobody learns which.
var ErrPortalLink = fmt.Errorf("portal link expired, already used or unknown: %w", problem.ErrUnauthenticated)

// PortalConfig is what portal links are made with.
type PortalConfig struct {
	// PublicURL is the base of the links (SCOOPA_PUBLIC_URL).
	PublicURL string
	// Title is the partner view's title when its link gives none
	// (SCOOPA_PORTAL_TITLE); DefaultPortalTitle if empty.
	Title string
}

// WithDefaults fills the zero fields with the defaults.
func (c PortalConfig) WithDefaults() PortalConfig {
	if c.Title == "" {
		c.Title = DefaultPortalTitle
	}
	return c
}

// PortalLinks mints portal links.
type PortalLinks struct {
	tokens   *Tokens
	sessions *Sessions
	cfg      PortalConfig
	log      *slog.Logger
}

// NewPortalLinks returns the portal links of tokens, whose sessions are
// those of sessions, made with cfg.
func NewPortalLinks(tokens *Tokens, sessions *Sessions, cfg PortalConfig) *PortalLinks {
	return &PortalLinks{tokens: tokens, sessions: sessions, cfg: cfg.WithDefaults(), log: tokens.log}
}

// CreatePortalLinkInput is a new portal link.
type CreatePortalLinkInput struct {
	// WebhookIDs are the partner's webhooks (1 to MaxPartnerWebhooks);
	// Manage its grant to change their delivery settings (default false).
	WebhookIDs []int
	Manage     *bool
	// Title is the partner view's title (trimmed, at most MaxPortalTitle
	// characters); default PortalConfig.Title.
	Title *string
	// ValidFor is how long the link may be opened, a Go duration above 0
	// and at most MaxPortalLinkValidity, its default.
	ValidFor *string
	// Name is the partner's name, the token's; default
	// DefaultPortalLinkName.
	Name *string
}

// CreatedPortalLink is a new portal link: its URL, shown only this once,
// when it stops opening, and the PARTNER token of its session.
type CreatedPortalLink struct {
	URL       string
	ExpiresAt time.Time
	Token     *ent.APIToken
}

// Create mints a portal link (see above).
func (p *PortalLinks) Create(ctx context.Context, in CreatePortalLinkInput) (*CreatedPortalLink, error) {
	validFor := MaxPortalLinkValidity
	if in.ValidFor != nil {
		d, err := time.ParseDuration(strings.TrimSpace(*in.ValidFor))
		if err != nil {
			return nil, problem.Invalid("validFor", "%q is not a duration such as 30m or 24h", *in.ValidFor)
		}
		if d <= 0 || d > MaxPortalLinkValidity {
			return nil, problem.Invalid("validFor", "must be more than 0 and at most 24h")
		}
		validFor = d
	}
	var title string
	if in.Title != nil {
		title = strings.TrimSpace(*in.Title)
		if !utf8.ValidString(title) || strings.ContainsFunc(title, isControl) {
			return nil, problem.Invalid("title", "must be text without control characters")
		}
		if n := utf8.RuneCountInString(title); n > MaxPortalTitle {
			return nil, problem.Invalid("title", "at most %d characters (%d given)", MaxPortalTitle, n)
		}
	}
	name := DefaultPortalLinkName
	if in.Name != nil {
		name = *in.Name
	}
	now := p.tokens.now()
	expires := now.Add(validFor)
	tokenExpires := expires.Add(p.sessions.cfg.MaxAge)
	tin, err := p.tokens.check(ctx, CreateAPITokenInput{Name: name, Role: apitoken.RolePARTNER,
		ExpiresAt: &tokenExpires, WebhookIDs: in.WebhookIDs, Manage: in.Manage})
	if err != nil {
		return nil, err
	}
	secret := newSecret(PortalLinkPrefix)
	actor := ActorFrom(ctx)
	var (
		t    *ent.APIToken
		link *ent.PortalLink
	)
	err = store.WithTx(ctx, p.tokens.db, func(tx *ent.Tx) (err error) {
		if t, _, err = p.tokens.create(ctx, tx, now, tin); err != nil {
			return err
		}
		link, err = tx.PortalLink.Create().SetHash(hashToken(secret)).SetToken(t).SetTitle(title).
			SetCreatedAt(now).SetExpiresAt(expires).SetCreatedBy(truncate(actor.Name, 255)).Save(ctx)
		if err != nil {
			return err
		}
		changes := audit.Snapshot{
			"token":     audit.Plain(strconv.Itoa(t.ID)),
			"webhooks":  audit.Plain(fmt.Sprint(tin.WebhookIDs)),
			"manage":    audit.Plain(strconv.FormatBool(t.Manage)),
			"expiresAt": audit.Plain(expires.UTC().Format(time.RFC3339)),
		}
		if title != "" {
			changes["title"] = audit.Plain(title)
		}
		return audit.Record(ctx, tx.Client(), now, actor, audit.Entry{Action: "portal_link.create",
			SubjectType: "PortalLink", SubjectID: link.ID, SubjectName: t.Name, Changes: audit.Diff(nil, changes)})
	})
	if err != nil {
		return nil, fmt.Errorf("create portal link: %w", err)
	}
	p.log.InfoContext(ctx, "portal link created", "portal_link_id", link.ID, "token_id", t.ID, "expires_at", expires)
	return &CreatedPortalLink{URL: p.cfg.PublicURL + "/portal#" + secret, ExpiresAt: expires, Token: t}, nil
}

// Title is the partner view's title for pr: for a session opened with a
// portal link, the link's title, or PortalConfig.Title when it gave none;
// PortalConfig.Title for any other PARTNER; nil for ADMIN and VIEWER.
func (p *PortalLinks) Title(pr *Principal) *string {
	if !pr.IsPartner() {
		return nil
	}
	if pr.PortalTitle != nil && *pr.PortalTitle != "" {
		return pr.PortalTitle
	}
	title := p.cfg.Title
	return &title
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// parsePortalLink checks the form of a portal link's secret and returns
// its hash.
func parsePortalLink(link string) (string, error) {
	rest, ok := strings.CutPrefix(link, PortalLinkPrefix)
	if !ok || len(rest) != 43 || strings.Trim(rest, base64URLAlphabet) != "" {
		return "", ErrPortalLink
	}
	if raw, err := base64.RawURLEncoding.DecodeString(rest); err != nil || len(raw) != 32 {
		return "", ErrPortalLink
	}
	return hashToken(link), nil
}

// OpenPortal opens the portal link whose secret is link, for the client c:
// it is used up, and a console session of its token starts as SignIn
// starts one. It returns the principal and the session ID. A link that
// does not open is ErrPortalLink, throttled as a failed sign-in.
func (a *Authenticator) OpenPortal(ctx context.Context, link string, c Client) (pr *Principal, id string, err error) {
	err = a.throttle.Check(c.Addr, link, func() error {
		pr, id, err = a.sessions.openPortal(ctx, link, c)
		return err
	}, func(err error) bool { return errors.Is(err, problem.ErrUnauthenticated) })
	if err != nil {
		return nil, "", err
	}
	pr.Addr = c.Addr
	return pr, id, nil
}

// openPortal uses up the link and starts a session of its token, in one
// transaction: a session that fails to start leaves the link unused.
func (s *Sessions) openPortal(ctx context.Context, link string, c Client) (*Principal, string, error) {
	hash, err := parsePortalLink(link)
	if err != nil {
		return nil, "", err
	}
	var (
		pr   *Principal
		id   string
		sess *ent.Session
	)
	err = store.WithTx(ctx, s.db, func(tx *ent.Tx) error {
		now := s.now()
		// Compare and set: of two openings of one link, one updates it.
		n, err := tx.PortalLink.Update().
			Where(portallink.Hash(hash), portallink.UsedAtIsNil(), portallink.ExpiresAtGT(now)).
			SetUsedAt(now).Save(ctx)
		if err != nil {
			return err
		}
		if n != 1 {
			return ErrPortalLink
		}
		l, err := tx.PortalLink.Query().Where(portallink.Hash(hash)).WithToken().Only(ctx)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(l.Hash), []byte(hash)) != 1 {
			return ErrPortalLink
		}
		t := l.Edges.Token
		if t == nil || unusable(t, now) != "" {
			return ErrPortalLink
		}
		if pr, err = principalOf(ctx, tx.Client(), t); err != nil {
			return err
		}
		id, sess, err = s.create(ctx, tx, now, pr, "", c, l)
		return err
	})
	if errors.Is(err, ErrPortalLink) {
		return nil, "", ErrPortalLink
	} else if err != nil {
		return nil, "", fmt.Errorf("open portal link: %w", err)
	}
	pr.SessionID, pr.PortalTitle = sess.ID, sess.PortalTitle
	s.logStarted(ctx, sess, pr)
	return pr, id, nil
}
