package sender

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/rules"
	"github.com/scoopa/webhooks/internal/secrets"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// OAuth2 tokens of webhooks: a call to a webhook with an OAuth2 setting
// carries "Authorization: Bearer <token>". The token comes from:
//
//  1. this process's memory, while it is fresh;
//  2. else Redis, where every worker shares it, sealed with the keyring
//     (a token is a credential like a header value);
//  3. else the token endpoint, with the client-credentials grant (client ID
//     and secret in HTTP Basic authentication, scopes and audience in the
//     form), by the one worker that takes the fetch lock; the others wait
//     for the token it stores. So a burst on ten workers costs one fetch.
//
// A token is fresh until shortly before it expires: a quarter of its life,
// at most a minute. A token without expires_in is kept five minutes. The
// cache key holds a digest of the token URL, client ID, client secret,
// scopes and audience, so changing any of them takes a new token, and of
// the origin (scheme, host and port) of the URL the token is sent to: a
// token fetched while the webhook pointed at one host is never sent to
// another. When the
// receiver answers 401, the token it refused is dropped (here and in Redis,
// if it is still the one stored) and a new one is fetched once, and the
// request is made again, within the same attempt.

// tokenLockTTL bounds how long a fetch lock is held by a worker that died
// holding it.
const tokenLockTTL = 15 * time.Second

// tokenNoExpiry is how long a token without expires_in is used.
const tokenNoExpiry = 5 * time.Minute

// tokenPoll is how often a worker waiting for another's fetch looks for the
// token.
const tokenPoll = 20 * time.Millisecond

// tokenCache fetches and shares OAuth2 tokens.
type tokenCache struct {
	rdb    redis.UniversalClient // nil: tokens are shared in this process only
	prefix string
	keys   *secrets.Keyring
	now    func() time.Time

	mu    sync.Mutex
	local map[string]bearerToken
	// fetching serialises fetches of one key in this process (without
	// Redis, and to spare Redis polls).
	fetching map[string]*sync.Mutex

	// fetches counts calls to token endpoints (tests, metrics).
	fetches atomic.Int64
}

// bearerToken is a token and until when it is used.
type bearerToken struct {
	Access string    `json:"access_token"`
	Until  time.Time `json:"until"`
}

func newTokenCache(rdb redis.UniversalClient, queue string, keys *secrets.Keyring) *tokenCache {
	return &tokenCache{rdb: rdb, prefix: "scoopa:{" + queue + "}:oauth2:", keys: keys, now: time.Now,
		local: map[string]bearerToken{}, fetching: map[string]*sync.Mutex{}}
}

// TokenFetches returns how many tokens this sender fetched from token
// endpoints.
func (s *Sender) TokenFetches() int64 { return s.tokens.fetches.Load() }

// cacheKey names the token of wh's OAuth2 setting (opened) for calls to
// target.
func (c *tokenCache) cacheKey(wh *ent.Webhook, target string) string {
	h := sha256.New()
	for _, v := range []string{deref(wh.OauthTokenURL), deref(wh.OauthClientID), deref(wh.OauthClientSecret),
		strings.Join(wh.OauthScopes, " "), deref(wh.OauthAudience), rules.Origin(target)} {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("%s%d:%s", c.prefix, wh.ID, hex.EncodeToString(h.Sum(nil))[:32])
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// token returns a fresh token for wh (opened) to send to target, fetched
// with client. refused, if not empty, is a token the receiver refused: it
// is dropped and another one is taken. timeout is the attempt's, which
// ctx's deadline enforces; an error names it.
func (c *tokenCache) token(ctx context.Context, wh *ent.Webhook, target string, client *http.Client, refused string, timeout time.Duration) (string, error) {
	key := c.cacheKey(wh, target)
	c.mu.Lock()
	t, ok := c.local[key]
	if ok && (t.Access == refused || !c.now().Before(t.Until)) {
		delete(c.local, key)
		ok = false
	}
	fetch := c.fetching[key]
	if fetch == nil {
		if len(c.fetching) > 10000 {
			c.fetching = map[string]*sync.Mutex{}
			c.local = map[string]bearerToken{}
		}
		fetch = &sync.Mutex{}
		c.fetching[key] = fetch
	}
	c.mu.Unlock()
	if ok {
		return t.Access, nil
	}
	fetch.Lock()
	defer fetch.Unlock()
	// Another goroutine here may have got one meanwhile.
	c.mu.Lock()
	t, ok = c.local[key]
	c.mu.Unlock()
	if ok && t.Access != refused && c.now().Before(t.Until) {
		return t.Access, nil
	}
	if c.rdb == nil {
		t, err := c.fetch(ctx, wh, client, timeout)
		if err != nil {
			return "", err
		}
		c.keep(key, t)
		return t.Access, nil
	}
	return c.shared(ctx, key, wh, client, refused, timeout)
}

// keep remembers a token in this process.
func (c *tokenCache) keep(key string, t bearerToken) {
	c.mu.Lock()
	c.local[key] = t
	c.mu.Unlock()
}

// dropIfSame deletes key if it still holds value: a token refused by a
// receiver, unless another worker already replaced it.
var dropIfSame = redis.NewScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`)

// shared takes the token from Redis, or fetches it under the lock that
// makes one worker fetch while the others wait.
func (c *tokenCache) shared(ctx context.Context, key string, wh *ent.Webhook, client *http.Client, refused string, timeout time.Duration) (string, error) {
	lock := key + ":lock"
	aad := secrets.OAuthTokenAAD + ":" + key
	for {
		stored, err := c.rdb.Get(ctx, key).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return "", fmt.Errorf("oauth2: token cache: %w", err)
		}
		if err == nil {
			var t bearerToken
			plain, oerr := c.keys.Open(stored, aad)
			if oerr == nil {
				oerr = json.Unmarshal([]byte(plain), &t)
			}
			switch {
			case oerr != nil || t.Access == refused || !c.now().Before(t.Until):
				if err := dropIfSame.Run(ctx, c.rdb, []string{key}, stored).Err(); err != nil {
					return "", fmt.Errorf("oauth2: token cache: %w", err)
				}
			default:
				c.keep(key, t)
				return t.Access, nil
			}
		}
		owner := fmt.Sprintf("%d", time.Now().UnixNano())
		took, err := c.rdb.SetNX(ctx, lock, owner, tokenLockTTL).Result()
		if err != nil {
			return "", fmt.Errorf("oauth2: token cache: %w", err)
		}
		if took {
			t, err := c.fetch(ctx, wh, client, timeout)
			if err == nil {
				c.keep(key, t)
				plain, _ := json.Marshal(t)
				if ttl := time.Until(t.Until); ttl > 0 {
					if serr := c.rdb.Set(ctx, key, c.keys.Seal(string(plain), aad), ttl).Err(); serr != nil {
						err = fmt.Errorf("oauth2: token cache: %w", serr)
					}
				}
			}
			_ = dropIfSame.Run(context.WithoutCancel(ctx), c.rdb, []string{lock}, owner).Err()
			if err != nil {
				return "", err
			}
			return t.Access, nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("oauth2: timeout after %s waiting for another worker's token fetch", timeout)
		case <-time.After(tokenPoll):
		}
	}
}

// fetch asks the token endpoint of wh for a token, through client, within
// ctx's deadline, which is the attempt's timeout.
func (c *tokenCache) fetch(ctx context.Context, wh *ent.Webhook, client *http.Client, timeout time.Duration) (bearerToken, error) {
	cfg := clientcredentials.Config{
		ClientID:     deref(wh.OauthClientID),
		ClientSecret: deref(wh.OauthClientSecret),
		TokenURL:     deref(wh.OauthTokenURL),
		Scopes:       slices.Clone(wh.OauthScopes),
		AuthStyle:    oauth2.AuthStyleInHeader,
	}
	if a := deref(wh.OauthAudience); a != "" {
		cfg.EndpointParams = url.Values{"audience": {a}}
	}
	c.fetches.Add(1)
	start := c.now()
	tok, err := cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, client))
	if err != nil {
		return bearerToken{}, describeTokenError(err, timeout)
	}
	until := start.Add(tokenNoExpiry)
	if !tok.Expiry.IsZero() {
		life := tok.Expiry.Sub(start)
		until = tok.Expiry.Add(-min(time.Minute, life/4))
	}
	if !strings.EqualFold(tok.Type(), "Bearer") {
		return bearerToken{}, fmt.Errorf("oauth2: token endpoint answered a token of type %q; only Bearer tokens are supported", rules.Truncate(tok.TokenType, 40))
	}
	return bearerToken{Access: tok.AccessToken, Until: until}, nil
}

// describeTokenError phrases a failed token request for the call log:
// "oauth2: token endpoint answered 400 invalid_client", or why no answer
// came ("oauth2: token endpoint: connection refused", "oauth2: token
// endpoint: timeout after 10s", naming the attempt's timeout).
func describeTokenError(err error, timeout time.Duration) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		code := re.ErrorCode
		if code == "" {
			code = http.StatusText(re.Response.StatusCode)
		}
		msg := fmt.Sprintf("oauth2: token endpoint answered %d %s", re.Response.StatusCode, code)
		if d := strings.TrimSpace(re.ErrorDescription); d != "" {
			msg += ": " + rules.Truncate(strings.ToValidUTF8(d, "?"), 200)
		}
		return errors.New(msg)
	}
	msg := describe(err, timeout).Error()
	if strings.HasPrefix(msg, "request failed: oauth2: ") {
		return errors.New(strings.TrimPrefix(msg, "request failed: "))
	}
	return fmt.Errorf("oauth2: token endpoint: %s", msg)
}

// SendTo makes one attempt's request to wh (opened) with its authentication:
// through its own TLS client if it has one, with a bearer token if it has
// an OAuth2 setting. A 401 makes it take a new token and send again once.
// The whole takes at most req.Timeout.
func (s *Sender) SendTo(ctx context.Context, wh *ent.Webhook, req Request) Response {
	ctx, cancel := context.WithTimeout(ctx, req.Timeout)
	defer cancel()
	client, err := s.clientFor(wh)
	if err != nil {
		return Response{Err: err, RequestHeaders: s.requestHeaders(req)}
	}
	req.Client = client
	if wh.OauthTokenURL == nil {
		return s.Send(ctx, req)
	}
	// A static Authorization header gives way to the token.
	base := slices.DeleteFunc(slices.Clone(req.Credentials), func(h [2]string) bool {
		return http.CanonicalHeaderKey(h[0]) == "Authorization"
	})
	withToken := func(tok string) Request {
		r := req
		r.Credentials = append(slices.Clip(base), [2]string{"Authorization", "Bearer " + tok})
		return r
	}
	tok, err := s.tokens.token(ctx, wh, req.URL, client, "", req.Timeout)
	if err != nil {
		return Response{Err: err, RequestHeaders: s.requestHeaders(withToken(""))}
	}
	resp := s.Send(ctx, withToken(tok))
	if resp.Status != http.StatusUnauthorized {
		return resp
	}
	s.log.InfoContext(ctx, "receiver refused the OAuth2 token; taking a new one", "webhook_id", wh.ID)
	fresh, err := s.tokens.token(ctx, wh, req.URL, client, tok, req.Timeout)
	if err != nil {
		resp.Err = fmt.Errorf("%w; a new token was refused too: %w", resp.Err, err)
		return resp
	}
	again := s.Send(ctx, withToken(fresh))
	again.Duration += resp.Duration
	if again.Status == http.StatusUnauthorized {
		again.Err = fmt.Errorf("%w (a new OAuth2 token was refused too)", again.Err)
	}
	return again
}
