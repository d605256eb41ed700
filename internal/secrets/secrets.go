// Package secrets keeps what partners entrust to the platform sealed at
// rest: the extra header values of webhooks (their credentials), signing
// secrets, OAuth2 client secrets, client keys and cached OAuth2 tokens. A
// Keyring seals with the newest key and opens with any; each value is bound
// to its use by its associated data; Reencrypt seals every row again after
// a key rotation; Opened gives the plain copy of a webhook that is sent.
package secrets

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookheader"
	"github.com/scoopa/webhooks/internal/rules"
)

// Secrets at rest: the extra header values of webhooks (partners'
// credentials) and the signing secrets (the current one and the previous
// one kept during a rotation) are stored sealed with AES-256-GCM as
//
//	enc:v<version>:<base64url(nonce || ciphertext || tag)>
//
// The version names the key of the Keyring that sealed the value, so keys
// can be rotated: the newest key seals, every key opens, and Reencrypt
// seals every row again with the newest one. Values are opened only where
// they are sent (deliveries, validations, the signing secret shown to an
// admin) or compared (an update that keeps or changes a header).

// encPrefix starts every sealed value.
const encPrefix = "enc:v"

// Keyring holds the keys that seal and open stored secrets, by version.
type Keyring struct {
	keys    map[int]cipher.AEAD
	current int
}

// DerivedKeyVersion is the version of the key derived from the link secret
// key (SCOOPA_SECRET_KEY), used when no encryption key is configured.
const DerivedKeyVersion = 0

// NewKeyring returns a keyring of keys (version → 32-byte key) and of the
// key derived from secretKey as version 0. The highest version seals.
func NewKeyring(secretKey []byte, keys map[int][]byte) (*Keyring, error) {
	k := &Keyring{keys: map[int]cipher.AEAD{}, current: DerivedKeyVersion}
	add := func(v int, key []byte) error {
		block, err := aes.NewCipher(key)
		if err != nil {
			return fmt.Errorf("encryption key version %d: %w", v, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return fmt.Errorf("encryption key version %d: %w", v, err)
		}
		k.keys[v] = aead
		k.current = max(k.current, v)
		return nil
	}
	if len(secretKey) > 0 {
		derived, err := hkdf.Key(sha256.New, secretKey, nil, "scoopa-webhooks secrets at rest v0", 32)
		if err != nil {
			return nil, fmt.Errorf("derive encryption key: %w", err)
		}
		if err := add(DerivedKeyVersion, derived); err != nil {
			return nil, err
		}
	}
	for v, key := range keys {
		if v < 1 {
			return nil, fmt.Errorf("encryption key version %d: versions start at 1", v)
		}
		if len(key) != 32 {
			return nil, fmt.Errorf("encryption key version %d: want 32 bytes, have %d", v, len(key))
		}
		if err := add(v, key); err != nil {
			return nil, err
		}
	}
	if len(k.keys) == 0 {
		return nil, errors.New("no encryption key: set a secret key or an encryption key")
	}
	return k, nil
}

// ParseEncryptionKeys parses a comma-separated list of version:key pairs,
// such as "1:<64 hex digits>,2:<base64 of 32 bytes>".
func ParseEncryptionKeys(s string) (map[int][]byte, error) {
	keys := map[int][]byte{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		vs, ks, ok := strings.Cut(part, ":")
		v, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(vs), "v"))
		if !ok || err != nil || v < 1 || v > 999999 {
			return nil, fmt.Errorf("%q: want version:key with a version from 1, e.g. 1:$(openssl rand -hex 32)", rules.Truncate(vs, 16))
		}
		if _, dup := keys[v]; dup {
			return nil, fmt.Errorf("version %d is given twice", v)
		}
		key, err := decodeKey(strings.TrimSpace(ks))
		if err != nil {
			return nil, fmt.Errorf("key version %d: %w", v, err)
		}
		keys[v] = key
	}
	if len(keys) == 0 {
		return nil, errors.New("no key given")
	}
	return keys, nil
}

func decodeKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)")
}

// Current returns the version of the key that seals.
func (k *Keyring) Current() int { return k.current }

// Seal encrypts plain with the newest key, bound to aad.
func (k *Keyring) Seal(plain, aad string) string {
	aead := k.keys[k.current]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	_, _ = rand.Read(nonce)
	sealed := aead.Seal(nonce, nonce, []byte(plain), []byte(aad))
	return encPrefix + strconv.Itoa(k.current) + ":" + base64.RawURLEncoding.EncodeToString(sealed)
}

// Open decrypts a stored value sealed for aad. A value that is not sealed
// (a row from before encryption, not yet migrated) is returned as it is.
func (k *Keyring) Open(stored, aad string) (string, error) {
	v, data, sealed := k.parse(stored)
	if !sealed {
		return stored, nil
	}
	aead, ok := k.keys[v]
	if !ok {
		return "", fmt.Errorf("sealed with encryption key version %d, which is not configured (SCOOPA_ENCRYPTION_KEYS)", v)
	}
	raw, err := base64.RawURLEncoding.DecodeString(data)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return "", errors.New("sealed value is malformed")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(aad))
	if err != nil {
		return "", fmt.Errorf("sealed value does not open with encryption key version %d", v)
	}
	return string(plain), nil
}

// parse splits a stored value into its key version and data.
func (k *Keyring) parse(stored string) (version int, data string, sealed bool) {
	rest, ok := strings.CutPrefix(stored, encPrefix)
	if !ok {
		return 0, "", false
	}
	vs, data, ok := strings.Cut(rest, ":")
	v, err := strconv.Atoi(vs)
	if !ok || err != nil {
		return 0, "", false
	}
	return v, data, true
}

// UpToDate reports whether stored is sealed at all (!all: a start-up only
// seals plain rows, and never stops on a row it cannot open), or sealed
// with the newest key and opening (all).
func (k *Keyring) UpToDate(stored, aad string, all bool) bool {
	v, _, sealed := k.parse(stored)
	if !sealed || !all {
		return sealed
	}
	if v != k.current {
		return false
	}
	_, err := k.Open(stored, aad)
	return err == nil
}

// Reseal returns stored sealed with the newest key.
func (k *Keyring) Reseal(stored, aad string) (string, error) {
	plain, err := k.Open(stored, aad)
	if err != nil {
		return "", err
	}
	return k.Seal(plain, aad), nil
}

// The associated data binds a sealed value to its use: a header value to
// its header name, a signing secret to being one, and so on.
const (
	SigningSecretAAD     = "webhook-signing-secret"
	OAuthClientSecretAAD = "webhook-oauth2-client-secret"
	ClientKeyAAD         = "webhook-tls-client-key"
	// OAuthTokenAAD, followed by ":" and the cache key, binds a cached
	// OAuth2 access token to the settings it was fetched with.
	OAuthTokenAAD = "webhook-oauth2-token"
)

// HeaderAAD is the associated data of the value of header name.
func HeaderAAD(name string) string { return "webhook-header:" + http.CanonicalHeaderKey(name) }

// SealHeader returns the stored form of a header value.
func (k *Keyring) SealHeader(name, value string) string { return k.Seal(value, HeaderAAD(name)) }

// SealSigningSecret returns the stored form of a signing secret.
func (k *Keyring) SealSigningSecret(secret string) string { return k.Seal(secret, SigningSecretAAD) }

// Header returns the plain value of a stored header.
func (k *Keyring) Header(h *ent.WebhookHeader) (string, error) {
	v, err := k.Open(h.Value, HeaderAAD(h.Name))
	if err != nil {
		return "", fmt.Errorf("header %q: %w", h.Name, err)
	}
	return v, nil
}

// MaskedHeader returns a stored header value as the API shows it.
func (k *Keyring) MaskedHeader(h *ent.WebhookHeader) (string, error) {
	v, err := k.Header(h)
	if err != nil {
		return "", err
	}
	return Mask(v), nil
}

// SigningSecret returns the plain current signing secret of wh.
func (k *Keyring) SigningSecret(wh *ent.Webhook) (string, error) {
	v, err := k.Open(wh.SigningSecret, SigningSecretAAD)
	if err != nil {
		return "", fmt.Errorf("signing secret of webhook %d: %w", wh.ID, err)
	}
	return v, nil
}

// Opened returns a copy of wh, with its headers (if loaded), whose header
// values, signing secrets, OAuth2 client secret and client key are plain,
// for sending. It is never saved.
func (k *Keyring) Opened(wh *ent.Webhook) (*ent.Webhook, error) {
	out := *wh
	var err error
	if out.SigningSecret, err = k.SigningSecret(wh); err != nil {
		return nil, err
	}
	for _, o := range []struct {
		p    **string
		aad  string
		what string
	}{
		{&out.PreviousSigningSecret, SigningSecretAAD, "previous signing secret"},
		{&out.OauthClientSecret, OAuthClientSecretAAD, "OAuth2 client secret"},
		{&out.ClientKey, ClientKeyAAD, "client key"},
	} {
		if *o.p == nil {
			continue
		}
		v, err := k.Open(**o.p, o.aad)
		if err != nil {
			return nil, fmt.Errorf("%s of webhook %d: %w", o.what, wh.ID, err)
		}
		*o.p = &v
	}
	if wh.Edges.Headers != nil {
		out.Edges.Headers = make([]*ent.WebhookHeader, len(wh.Edges.Headers))
		for i, h := range wh.Edges.Headers {
			c := *h
			if c.Value, err = k.Header(h); err != nil {
				return nil, fmt.Errorf("webhook %d: %w", wh.ID, err)
			}
			out.Edges.Headers[i] = &c
		}
	}
	return &out, nil
}

// Mask shows at most the last 4 characters of a secret value, fewer when
// the value is short, so that a masked value never reveals most of it.
func Mask(v string) string {
	r := []rune(v)
	show := 4
	if len(r) < 16 {
		show = len(r) / 4 // short values: a quarter at most
	}
	return strings.Repeat("•", 8) + string(r[len(r)-show:])
}

// MaskURL masks what a URL may hold as a credential, as Mask masks a
// header value: the value of each query parameter and the password. The
// rest (scheme, host, path, parameter names) stays readable. A value that
// is not a URL is masked whole.
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return Mask(raw)
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			name, value, ok := strings.Cut(p, "=")
			if ok && value != "" {
				if v, err := url.QueryUnescape(value); err == nil {
					value = v
				}
				parts[i] = name + "=" + Mask(value)
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	return u.String()
}

// Reencrypt seals the stored secrets that need it and returns how
// many it rewrote (header values, signing secrets, OAuth2 client secrets
// and client keys): those stored in plain (rows from before encryption; run
// at every start, it changes nothing once they are sealed), and with all,
// every one not sealed with the newest key (`scoopa-server rotate-key`).
// It first opens every value it is to rewrite: if one does not open (a key
// missing from the keyring, or a wrong one), it rewrites nothing and says
// which values and key versions failed. Then it writes them in one
// transaction. Each row is rewritten only if it still holds what was read,
// so processes may run it at once.
func Reencrypt(ctx context.Context, db *ent.Client, k *Keyring, all bool) (int, error) {
	writes, err := planReencrypt(ctx, db, k, all)
	if err != nil || len(writes) == 0 {
		return 0, err
	}
	tx, err := db.Tx(ctx)
	if err != nil {
		return 0, fmt.Errorf("re-encrypt secrets: %w", err)
	}
	n := 0
	for _, w := range writes {
		m, err := w(ctx, tx.Client())
		if err != nil {
			return 0, errors.Join(err, tx.Rollback())
		}
		n += m
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("re-encrypt secrets: %w", err)
	}
	return n, nil
}

// reencryptWrite rewrites one row with the values sealed by planReencrypt
// and returns how many values it rewrote: none if the row changed
// meanwhile.
type reencryptWrite func(context.Context, *ent.Client) (int, error)

// planReencrypt reads every stored secret, seals again those Reencrypt is
// to rewrite, and returns the writes; or, if any does not open, an error
// naming them, and no writes.
func planReencrypt(ctx context.Context, db *ent.Client, k *Keyring, all bool) ([]reencryptWrite, error) {
	var (
		writes   []reencryptWrite
		failed   int
		shown    []string // the first few failures
		versions = map[int]bool{}
	)
	fail := func(what string, stored string, err error) {
		if v, _, sealed := k.parse(stored); sealed {
			versions[v] = true
		}
		if failed++; len(shown) < 5 {
			shown = append(shown, fmt.Sprintf("%s: %v", what, err))
		}
	}
	headers, err := db.WebhookHeader.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("re-encrypt secrets: %w", err)
	}
	for _, h := range headers {
		aad := HeaderAAD(h.Name)
		if k.UpToDate(h.Value, aad, all) {
			continue
		}
		v, err := k.Reseal(h.Value, aad)
		if err != nil {
			fail(fmt.Sprintf("header %d (%s)", h.ID, rules.Truncate(h.Name, 64)), h.Value, err)
			continue
		}
		id, old := h.ID, h.Value
		writes = append(writes, func(ctx context.Context, c *ent.Client) (int, error) {
			m, err := c.WebhookHeader.Update().Where(webhookheader.ID(id), webhookheader.Value(old)).SetValue(v).Save(ctx)
			if err != nil {
				return 0, fmt.Errorf("re-encrypt header %d: %w", id, err)
			}
			return m, nil
		})
	}
	hooks, err := db.Webhook.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("re-encrypt secrets: %w", err)
	}
	for _, wh := range hooks {
		// The values of one webhook: the signing secret, and the optional
		// ones: the previous signing secret, the OAuth2 client secret and
		// the client key. Cached OAuth2 tokens are not rewritten: they live
		// minutes, and one that no key opens any more is dropped and
		// fetched again.
		type value struct {
			stored *string
			aad    string
			what   string
			same   func(string) predicate.Webhook
			set    func(*ent.WebhookUpdate, string) *ent.WebhookUpdate
		}
		var (
			where  = []predicate.Webhook{webhook.ID(wh.ID)}
			sets   []func(*ent.WebhookUpdate) *ent.WebhookUpdate
			broken bool
		)
		for _, o := range []value{
			{&wh.SigningSecret, SigningSecretAAD, "signing secret", webhook.SigningSecret, (*ent.WebhookUpdate).SetSigningSecret},
			{wh.PreviousSigningSecret, SigningSecretAAD, "previous signing secret", webhook.PreviousSigningSecret, (*ent.WebhookUpdate).SetPreviousSigningSecret},
			{wh.OauthClientSecret, OAuthClientSecretAAD, "OAuth2 client secret", webhook.OauthClientSecret, (*ent.WebhookUpdate).SetOauthClientSecret},
			{wh.ClientKey, ClientKeyAAD, "client key", webhook.ClientKey, (*ent.WebhookUpdate).SetClientKey},
		} {
			if o.stored == nil {
				continue
			}
			where = append(where, o.same(*o.stored))
			if k.UpToDate(*o.stored, o.aad, all) {
				continue
			}
			v, err := k.Reseal(*o.stored, o.aad)
			if err != nil {
				fail(fmt.Sprintf("%s of webhook %d", o.what, wh.ID), *o.stored, err)
				broken = true
				continue
			}
			set := o.set
			sets = append(sets, func(u *ent.WebhookUpdate) *ent.WebhookUpdate { return set(u, v) })
		}
		if broken || len(sets) == 0 {
			continue
		}
		id, updatedAt := wh.ID, wh.UpdatedAt
		writes = append(writes, func(ctx context.Context, c *ent.Client) (int, error) {
			// Keep updated_at: re-encrypting changes nothing a user sees.
			u := c.Webhook.Update().Where(where...).SetUpdatedAt(updatedAt)
			for _, set := range sets {
				u = set(u)
			}
			m, err := u.Save(ctx)
			if err != nil {
				return 0, fmt.Errorf("re-encrypt secrets of webhook %d: %w", id, err)
			}
			if m == 0 {
				return 0, nil
			}
			return len(sets), nil
		})
	}
	if failed == 0 {
		return writes, nil
	}
	var vs []string
	for _, v := range slices.Sorted(maps.Keys(versions)) {
		vs = append(vs, strconv.Itoa(v))
	}
	list := strings.Join(shown, "; ")
	if failed > len(shown) {
		list += fmt.Sprintf("; and %d more", failed-len(shown))
	}
	return nil, fmt.Errorf("%d stored values do not open with the configured keys, so nothing was rewritten: %s. "+
		"SCOOPA_ENCRYPTION_KEYS (and SCOOPA_SECRET_KEY, which gives key version 0) must hold every key that sealed them (version %s), each under its own version",
		failed, list, strings.Join(vs, ", "))
}
