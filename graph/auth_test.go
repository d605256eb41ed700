package graph_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/testenv"
)

// selfSigned returns a certificate and its key in PEM.
func selfSigned(t *testing.T, cn string, notAfter time.Time) (string, string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn}, NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
}

// The OAuth2 client secret and the client key are stored sealed and never
// read back: the API shows the secret masked and the certificate by
// subject and expiry. Bad input is refused on its field.
func TestWebhookAuthenticationAPI(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, nil)
	const secret = "oauth-client-secret-0123456789"
	notAfter := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)
	cert, key := selfSigned(t, "scoopa-client", notAfter)
	const fields = `id oauth2 { tokenURL clientID clientSecret scopes audience } clientCertificate { subject notAfter fingerprint } caCertificates { subject }`
	var out struct {
		CreateWebhook struct {
			ID     string
			OAuth2 struct {
				TokenURL, ClientID, ClientSecret string
				Scopes                           []string
				Audience                         *string
			}
			ClientCertificate struct {
				Subject     string
				NotAfter    time.Time
				Fingerprint string
			}
			CaCertificates []struct{ Subject string }
		}
	}
	s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { `+fields+` } }`, map[string]any{"in": map[string]any{
		"name": "auth", "url": "https://127.0.0.1:1/hook",
		"oauth2":            map[string]any{"tokenURL": "http://127.0.0.1:1/token", "clientID": "scoopa", "clientSecret": secret, "scopes": []string{"a", "b"}},
		"clientCertificate": map[string]any{"certificate": cert, "key": key},
		"caCertificate":     cert,
	}}, &out)
	w := out.CreateWebhook
	if w.OAuth2.ClientSecret != "••••••••6789" || w.OAuth2.ClientID != "scoopa" || strings.Join(w.OAuth2.Scopes, " ") != "a b" {
		t.Errorf("oauth2 %+v", w.OAuth2)
	}
	if w.ClientCertificate.Subject != "CN=scoopa-client" || !w.ClientCertificate.NotAfter.Equal(notAfter) || len(w.ClientCertificate.Fingerprint) != 64 {
		t.Errorf("client certificate %+v", w.ClientCertificate)
	}
	if len(w.CaCertificates) != 1 || w.CaCertificates[0].Subject != "CN=scoopa-client" {
		t.Errorf("CA certificates %+v", w.CaCertificates)
	}
	// At rest: sealed.
	db, _, err := app.OpenPostgres(s.Env["SCOOPA_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var storedSecret, storedKey string
	if err := db.QueryRow(`SELECT oauth_client_secret, client_key FROM webhooks`).Scan(&storedSecret, &storedKey); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(storedSecret, "enc:v") || !strings.HasPrefix(storedKey, "enc:v") || strings.Contains(storedKey, "PRIVATE KEY") {
		t.Errorf("stored in the clear: %q / %.40q", storedSecret, storedKey)
	}
	// An update that keeps the secret and the key, then one moving the
	// token URL to another host without the secret: refused.
	s.MustDo(t, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { id } }`, map[string]any{"id": w.ID, "in": map[string]any{
		"oauth2": map[string]any{"tokenURL": "http://127.0.0.1:1/token2", "clientID": "scoopa2"}, "clientCertificate": map[string]any{"certificate": cert}}}, nil)
	r := s.Do(t, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { id } }`, map[string]any{"id": w.ID, "in": map[string]any{
		"oauth2": map[string]any{"tokenURL": "https://elsewhere.example/token", "clientID": "scoopa"}}})
	if r.Code() != "BAD_USER_INPUT" || !strings.Contains(errorsOf(r), "oauth2.clientSecret") {
		t.Errorf("token URL moved without the secret: %s", errorsOf(r))
	}
	// Field errors, each on its field.
	expired, expiredKey := selfSigned(t, "old", time.Now().Add(-time.Minute))
	r = s.Do(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "bad", "url": "http://127.0.0.1:1/hook",
		"oauth2":            map[string]any{"tokenURL": "ftp://x", "clientID": ""},
		"clientCertificate": map[string]any{"certificate": expired, "key": expiredKey},
		"caCertificate":     "nope",
	}})
	for _, want := range []string{"oauth2.tokenURL", "oauth2.clientID", "oauth2.clientSecret", "clientCertificate.certificate", "expired on", "caCertificate"} {
		if !strings.Contains(errorsOf(r), want) {
			t.Errorf("errors lack %q: %s", want, errorsOf(r))
		}
	}
}

// Certificates and keys that are huge, many, encrypted or mismatched get
// field errors through the API, never an internal error.
func TestClientCertificateBadPEM(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		cert, key := selfSigned(t, "a", time.Now().Add(24*time.Hour))
		_, otherKey := selfSigned(t, "b", time.Now().Add(24*time.Hour))
		encrypted := "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n"
		big := strings.Repeat(cert, 900<<10/len(cert)) // under the request's limit of 1 MiB
		for _, tc := range []struct {
			name              string
			cert, key, ca     string
			field, wantInText string
		}{
			{"garbage", "garbage", key, "", "clientCertificate.certificate", "is not a PEM certificate"},
			{"900 KiB certificate", big, key, "", "clientCertificate.certificate", "must be at most 64 KiB"},
			{"1,000 CA certificates", cert, key, strings.Repeat(cert, 1000), "caCertificate", "must be at most 64 KiB"},
			{"key of another certificate", cert, otherKey, "", "clientCertificate.key", "does not match the certificate"},
			{"encrypted key", cert, encrypted, "", "clientCertificate.key", "is encrypted"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := map[string]any{"name": "mtls", "url": "http://127.0.0.1:1/hook",
					"clientCertificate": map[string]any{"certificate": tc.cert, "key": tc.key}}
				if tc.ca != "" {
					in["caCertificate"] = tc.ca
				}
				r := s.Do(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": in})
				if r.Status != 200 || r.Code() != "BAD_USER_INPUT" || !strings.Contains(errorsOf(r), tc.field) || !strings.Contains(errorsOf(r), tc.wantInText) {
					t.Errorf("status %d, errors %s; want BAD_USER_INPUT on %s: %s", r.Status, errorsOf(r), tc.field, tc.wantInText)
				}
			})
		}
	})
}

// errorsOf returns the errors of r as JSON, fields and messages.
func errorsOf(r *testenv.Response) string {
	b, _ := json.Marshal(r.Errors)
	return string(b)
}

// A client certificate is only presented in a TLS handshake: on an http
// URL it would be stored and never sent, so it is refused, on the
// certificate when it is given, on the URL when the URL changes.
func TestClientCertificateNeedsHTTPS(t *testing.T) {
	t.Parallel()
	eachBackend(t, map[string]string{"TEST_NO_WORKER": "1"}, func(t *testing.T, s *testenv.Server) {
		cert, key := selfSigned(t, "mtls", time.Now().Add(24*time.Hour))
		const create = `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`
		const update = `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { id url clientCertificate { subject } } }`
		refused := func(what string, r *testenv.Response, field string) {
			t.Helper()
			if r.Code() != "BAD_USER_INPUT" || !strings.Contains(errorsOf(r), field) || !strings.Contains(errorsOf(r), "only appl") || !strings.Contains(errorsOf(r), "https") {
				t.Errorf("%s: errors %s; want BAD_USER_INPUT on %s saying client certificates need https", what, errorsOf(r), field)
			}
		}
		withCert := map[string]any{"certificate": cert, "key": key}
		for _, u := range []string{"http://127.0.0.1:1/hook", "HTTP://127.0.0.1:1/hook"} {
			refused("create on "+u, s.Do(t, create, map[string]any{"in": map[string]any{"name": "mtls", "url": u, "clientCertificate": withCert}}), "clientCertificate.certificate")
		}

		var made struct{ CreateWebhook struct{ ID string } }
		s.MustDo(t, create, map[string]any{"in": map[string]any{"name": "mtls", "url": "https://127.0.0.1:1/hook", "clientCertificate": withCert}}, &made)
		id := made.CreateWebhook.ID
		refused("URL moved to http", s.Do(t, update, map[string]any{"id": id, "in": map[string]any{"url": "http://127.0.0.1:1/hook"}}), "url")
		// Moving to http while removing the certificate is fine.
		var out struct {
			UpdateWebhook struct {
				URL               string
				ClientCertificate *struct{ Subject string }
			}
		}
		s.MustDo(t, update, map[string]any{"id": id, "in": map[string]any{"url": "http://127.0.0.1:1/hook", "clearClientCertificate": true}}, &out)
		if out.UpdateWebhook.URL != "http://127.0.0.1:1/hook" || out.UpdateWebhook.ClientCertificate != nil {
			t.Errorf("after moving to http without the certificate: %+v", out.UpdateWebhook)
		}
		// Adding a certificate to the http webhook: refused.
		refused("certificate added on http", s.Do(t, update, map[string]any{"id": id, "in": map[string]any{"clientCertificate": withCert}}), "clientCertificate.certificate")
	})
}
