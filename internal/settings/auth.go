package settings

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/rules"
	"github.com/scoopa/webhooks/internal/secrets"
)

// How a webhook authenticates to its receiver, besides its signature and
// its extra headers:
//
//   - OAuth2 client credentials: each call carries "Authorization: Bearer
//     <token>", a token obtained from the webhook's token URL with the
//     client-credentials grant and shared by every worker until shortly
//     before it expires (internal/sender);
//   - mutual TLS: the webhook's client certificate is presented to the
//     receiver, and the receiver's certificate may be checked against CA
//     certificates of the webhook's own (internal/sender).
//
// Both apply to deliveries and validations alike, and the token endpoint is
// called through the webhook's own transport (so with its certificate and
// CA, and behind the same SSRF guard as its URL). The client secret and the
// key are stored sealed (internal/secrets) and never read back; the API shows the
// secret masked and the certificates by subject and expiry.

// OAuth2Input is the OAuth2 client-credentials setting of a webhook. In an
// update, a nil ClientSecret keeps the stored one.
type OAuth2Input struct {
	TokenURL     string
	ClientID     string
	ClientSecret *string
	Scopes       []string
	Audience     *string
}

// ClientCertificateInput is the client certificate of a webhook, in PEM. In
// an update, a nil Key keeps the stored key (it must match Certificate).
type ClientCertificateInput struct {
	Certificate string
	Key         *string
}

// OAuth2Settings is a webhook's OAuth2 setting as the API shows it: the
// client secret masked.
type OAuth2Settings struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string
	Audience     *string
}

// CertificateInfo describes a certificate without its bytes.
type CertificateInfo struct {
	Subject   string
	Issuer    string
	NotBefore time.Time
	NotAfter  time.Time
	// Fingerprint is the SHA-256 of the certificate, in hex.
	Fingerprint string
}

// CertificateExpiryWarning is how long before its client certificate
// expires the operator is told (webhook.certificate_expiring).
const CertificateExpiryWarning = 14 * 24 * time.Hour

const (
	maxPEM       = 64 << 10
	maxScopes    = 20
	maxSecretLen = 4096
	maxAudience  = 2048
)

// checkOAuth2 checks an OAuth2 setting; needSecret is set when no stored
// secret can stand in for a missing one.
func checkOAuth2(in *OAuth2Input, needSecret bool) error {
	if in == nil {
		return nil
	}
	errs := []error{rules.CheckURL("oauth2.tokenURL", in.TokenURL)}
	switch {
	case strings.TrimSpace(in.ClientID) == "":
		errs = append(errs, problem.Invalid("oauth2.clientID", "must not be empty"))
	default:
		errs = append(errs, rules.CheckText("oauth2.clientID", in.ClientID))
	}
	switch {
	case in.ClientSecret == nil && needSecret:
		errs = append(errs, problem.Invalid("oauth2.clientSecret", "must be given"))
	case in.ClientSecret == nil:
	case *in.ClientSecret == "":
		errs = append(errs, problem.Invalid("oauth2.clientSecret", "must not be empty"))
	case len(*in.ClientSecret) > maxSecretLen:
		errs = append(errs, problem.Invalid("oauth2.clientSecret", "must be at most %d bytes", maxSecretLen))
	case strings.ContainsAny(*in.ClientSecret, "\x00\r\n"):
		errs = append(errs, problem.Invalid("oauth2.clientSecret", "must not contain NUL or line breaks"))
	}
	if len(in.Scopes) > maxScopes {
		errs = append(errs, problem.Invalid("oauth2.scopes", "at most %d scopes are allowed", maxScopes))
	}
	for i, sc := range in.Scopes {
		if sc == "" || len(sc) > rules.MaxNameLen || strings.ContainsFunc(sc, func(r rune) bool { return r <= ' ' || r == '"' || r == '\\' || r > '~' }) {
			errs = append(errs, problem.Invalid(fmt.Sprintf("oauth2.scopes.%d", i), "scope %q must be 1 to %d printable ASCII characters without spaces, quotes or backslashes", rules.Truncate(sc, 64), rules.MaxNameLen))
		}
	}
	if in.Audience != nil {
		if len(*in.Audience) > maxAudience || strings.ContainsAny(*in.Audience, "\x00\r\n") {
			errs = append(errs, problem.Invalid("oauth2.audience", "must be at most %d characters, without NUL or line breaks", maxAudience))
		}
	}
	return problem.Gather(errs...)
}

// parseCertificates reads every certificate of a PEM text. field names the
// input in errors.
func parseCertificates(field, text string) ([]*x509.Certificate, error) {
	if len(text) > maxPEM {
		return nil, problem.Invalid(field, "must be at most %d KiB", maxPEM>>10)
	}
	var certs []*x509.Certificate
	rest := []byte(text)
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, problem.Invalid(field, "holds a PEM block of type %q; want only CERTIFICATE blocks", rules.Truncate(b.Type, 40))
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, problem.Invalid(field, "certificate %d does not parse: %v", len(certs)+1, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, problem.Invalid(field, "is not a PEM certificate (want -----BEGIN CERTIFICATE-----)")
	}
	if strings.TrimSpace(string(rest)) != "" {
		return nil, problem.Invalid(field, "has text after the last PEM block that is not PEM")
	}
	return certs, nil
}

// checkKeyPEM checks that text is one unencrypted PEM private key, after
// the EC PARAMETERS block that "openssl ecparam -genkey" writes before it
// (crypto/tls skips it too).
func checkKeyPEM(field, text string) error {
	if len(text) > maxPEM {
		return problem.Invalid(field, "must be at most %d KiB", maxPEM>>10)
	}
	b, rest := pem.Decode([]byte(text))
	if b != nil && b.Type == "EC PARAMETERS" {
		b, _ = pem.Decode(rest)
	}
	switch {
	case b == nil:
		return problem.Invalid(field, "is not a PEM private key (want -----BEGIN PRIVATE KEY-----)")
	case b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] != "":
		return problem.Invalid(field, "is encrypted; give the key without its passphrase (openssl pkey -in key.pem -out plain.pem)")
	case !strings.HasSuffix(b.Type, "PRIVATE KEY"):
		return problem.Invalid(field, "holds a PEM block of type %q; want a PRIVATE KEY", rules.Truncate(b.Type, 40))
	}
	return nil
}

// checkClientCertificate checks a client certificate and its key (the
// stored one, plain, when in.Key is nil) at now.
func checkClientCertificate(in *ClientCertificateInput, storedKey *string, now time.Time) error {
	if in == nil {
		return nil
	}
	certs, err := parseCertificates("clientCertificate.certificate", in.Certificate)
	key := in.Key
	if key == nil {
		key = storedKey
	}
	var keyErr error
	if key == nil {
		keyErr = problem.Invalid("clientCertificate.key", "must be given")
	} else {
		keyErr = checkKeyPEM("clientCertificate.key", *key)
	}
	if err != nil || keyErr != nil {
		return problem.Gather(err, keyErr)
	}
	leaf := certs[0]
	switch {
	case now.After(leaf.NotAfter):
		return problem.Invalid("clientCertificate.certificate", "expired on %s", leaf.NotAfter.UTC().Format(time.RFC3339))
	case now.Before(leaf.NotBefore):
		return problem.Invalid("clientCertificate.certificate", "is not valid before %s", leaf.NotBefore.UTC().Format(time.RFC3339))
	}
	if _, err := tls.X509KeyPair([]byte(in.Certificate), []byte(*key)); err != nil {
		if strings.Contains(err.Error(), "does not match") {
			return problem.Invalid("clientCertificate.key", "does not match the certificate (its public key is another one)")
		}
		return problem.Invalid("clientCertificate.key", "is not usable with the certificate: %v", strings.TrimPrefix(err.Error(), "tls: "))
	}
	return nil
}

// checkCertScheme refuses a client certificate on a webhook whose URL is
// http: the certificate is presented only in a TLS handshake, which a call
// to an http URL never makes, so it would be stored and never used. The
// error is on the certificate when given (certGiven), else on the URL.
func checkCertScheme(rawURL string, hasCert, certGiven bool) error {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if !hasCert || err != nil || !strings.EqualFold(u.Scheme, "http") {
		return nil
	}
	if certGiven {
		return problem.Invalid("clientCertificate.certificate", "client certificates only apply to https URLs, and the URL is http: use an https URL or no client certificate")
	}
	return problem.Invalid("url", "is http, but the webhook has a client certificate, which only applies to https URLs: use an https URL or remove the client certificate (clearClientCertificate)")
}

// checkCA checks the CA certificates of a webhook.
func checkCA(pemText *string) error {
	if pemText == nil || *pemText == "" {
		return nil
	}
	_, err := parseCertificates("caCertificate", *pemText)
	return err
}

// describeCertificate returns what the API shows of c.
func describeCertificate(c *x509.Certificate) *CertificateInfo {
	sum := sha256.Sum256(c.Raw)
	return &CertificateInfo{
		Subject: c.Subject.String(), Issuer: c.Issuer.String(),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(),
		Fingerprint: hex.EncodeToString(sum[:]),
	}
}

// ClientCertificateOf describes the client certificate of wh; nil if it
// has none.
func ClientCertificateOf(wh *ent.Webhook) (*CertificateInfo, error) {
	if wh.ClientCert == nil {
		return nil, nil
	}
	certs, err := parseCertificates("clientCertificate", *wh.ClientCert)
	if err != nil {
		return nil, fmt.Errorf("client certificate of webhook %d: %w", wh.ID, err)
	}
	return describeCertificate(certs[0]), nil
}

// CACertificatesOf describes the CA certificates of wh.
func CACertificatesOf(wh *ent.Webhook) ([]*CertificateInfo, error) {
	if wh.CaCert == nil {
		return nil, nil
	}
	certs, err := parseCertificates("caCertificate", *wh.CaCert)
	if err != nil {
		return nil, fmt.Errorf("CA certificates of webhook %d: %w", wh.ID, err)
	}
	out := make([]*CertificateInfo, len(certs))
	for i, c := range certs {
		out[i] = describeCertificate(c)
	}
	return out, nil
}

// OAuth2Of returns the OAuth2 setting of wh as the API shows it; nil if it
// has none.
func (s *Service) OAuth2Of(wh *ent.Webhook) (*OAuth2Settings, error) {
	if wh.OauthTokenURL == nil {
		return nil, nil
	}
	out := &OAuth2Settings{TokenURL: *wh.OauthTokenURL, Scopes: wh.OauthScopes, Audience: wh.OauthAudience}
	if out.Scopes == nil {
		out.Scopes = []string{}
	}
	if wh.OauthClientID != nil {
		out.ClientID = *wh.OauthClientID
	}
	if wh.OauthClientSecret != nil {
		v, err := s.keys.Open(*wh.OauthClientSecret, secrets.OAuthClientSecretAAD)
		if err != nil {
			return nil, fmt.Errorf("OAuth2 client secret of webhook %d: %w", wh.ID, err)
		}
		out.ClientSecret = secrets.Mask(v)
	}
	return out, nil
}

// notAfter returns when the first certificate of a checked PEM text
// expires.
func notAfter(pemText string) (time.Time, error) {
	certs, err := parseCertificates("clientCertificate.certificate", pemText)
	if err != nil {
		return time.Time{}, err
	}
	return certs[0].NotAfter.UTC(), nil
}

// setAuth sets the authentication of a new webhook (checked).
func (s *Service) setAuth(c *ent.WebhookCreate, in CreateWebhookInput) error {
	if o := in.OAuth2; o != nil {
		c.SetOauthTokenURL(o.TokenURL).SetOauthClientID(strings.TrimSpace(o.ClientID)).
			SetOauthClientSecret(s.keys.Seal(*o.ClientSecret, secrets.OAuthClientSecretAAD)).SetNillableOauthAudience(emptyNil(o.Audience))
		if len(o.Scopes) > 0 {
			c.SetOauthScopes(o.Scopes)
		}
	}
	if cc := in.ClientCertificate; cc != nil {
		na, err := notAfter(cc.Certificate)
		if err != nil {
			return err
		}
		c.SetClientCert(cc.Certificate).SetClientKey(s.keys.Seal(*cc.Key, secrets.ClientKeyAAD)).SetClientCertNotAfter(na)
	}
	if in.CACertificate != nil && *in.CACertificate != "" {
		c.SetCaCert(*in.CACertificate)
	}
	return nil
}

// updateAuth applies the authentication fields of an update to u; wh is
// the stored webhook (sealed). It reports whether they changed what is
// sent, so the webhook is validated again.
func (s *Service) updateAuth(u *ent.WebhookUpdateOne, wh *ent.Webhook, in UpdateWebhookInput) (bool, error) {
	changed := false
	if in.ClearOAuth2 != nil && *in.ClearOAuth2 {
		if in.OAuth2 != nil {
			return false, problem.Invalid("clearOAuth2", "give either oauth2 or clearOAuth2, not both")
		}
		changed = changed || wh.OauthTokenURL != nil
		u.ClearOauthTokenURL().ClearOauthClientID().ClearOauthClientSecret().ClearOauthScopes().ClearOauthAudience()
	} else if o := in.OAuth2; o != nil {
		secret := wh.OauthClientSecret
		if o.ClientSecret != nil {
			sealed := s.keys.Seal(*o.ClientSecret, secrets.OAuthClientSecretAAD)
			secret = &sealed
		} else if secret == nil {
			return false, problem.Invalid("oauth2.clientSecret", "must be given: no client secret is stored")
		} else if wh.OauthTokenURL != nil && !sameOrigin(*wh.OauthTokenURL, o.TokenURL) {
			return false, problem.Invalid("oauth2.clientSecret", "the token URL moves to another host (%s): give the client secret again; a stored secret is never sent to another host", origin(o.TokenURL))
		}
		u.SetOauthTokenURL(o.TokenURL).SetOauthClientID(strings.TrimSpace(o.ClientID)).SetOauthClientSecret(*secret)
		if a := emptyNil(o.Audience); a != nil {
			u.SetOauthAudience(*a)
		} else {
			u.ClearOauthAudience()
		}
		if len(o.Scopes) > 0 {
			u.SetOauthScopes(o.Scopes)
		} else {
			u.ClearOauthScopes()
		}
		changed = true
	}
	if in.ClearClientCertificate != nil && *in.ClearClientCertificate {
		if in.ClientCertificate != nil {
			return false, problem.Invalid("clearClientCertificate", "give either clientCertificate or clearClientCertificate, not both")
		}
		changed = changed || wh.ClientCert != nil
		u.ClearClientCert().ClearClientKey().ClearClientCertNotAfter().SetClientCertExpiryWarned(false)
	} else if cc := in.ClientCertificate; cc != nil {
		key := wh.ClientKey
		if cc.Key != nil {
			sealed := s.keys.Seal(*cc.Key, secrets.ClientKeyAAD)
			key = &sealed
		} else if key != nil {
			plain, err := s.keys.Open(*key, secrets.ClientKeyAAD)
			if err != nil {
				return false, fmt.Errorf("client key of webhook %d: %w", wh.ID, err)
			}
			if err := checkClientCertificate(cc, &plain, s.now()); err != nil {
				return false, err
			}
		}
		if key == nil {
			return false, problem.Invalid("clientCertificate.key", "must be given: no key is stored")
		}
		na, err := notAfter(cc.Certificate)
		if err != nil {
			return false, err
		}
		u.SetClientCert(cc.Certificate).SetClientKey(*key).SetClientCertNotAfter(na)
		if wh.ClientCert == nil || *wh.ClientCert != cc.Certificate {
			u.SetClientCertExpiryWarned(false)
		}
		changed = true
	}
	if in.ClearCACertificate != nil && *in.ClearCACertificate {
		changed = changed || wh.CaCert != nil
		u.ClearCaCert()
	} else if in.CACertificate != nil {
		if *in.CACertificate == "" {
			changed = changed || wh.CaCert != nil
			u.ClearCaCert()
		} else {
			changed = changed || wh.CaCert == nil || *wh.CaCert != *in.CACertificate
			u.SetCaCert(*in.CACertificate)
		}
	}
	return changed, nil
}

func emptyNil(p *string) *string {
	if p == nil || strings.TrimSpace(*p) == "" {
		return nil
	}
	return p
}
