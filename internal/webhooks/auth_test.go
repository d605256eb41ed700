package webhooks_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/operator"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/settings"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// tokenEndpoint is a real OAuth2 token endpoint (client credentials): it
// hands out tok-1, tok-2, ... to client "scoopa" with secret "s3cret", and
// answers 400 invalid_client to anyone else.
type tokenEndpoint struct {
	*httptest.Server
	fetches atomic.Int64
	mu      sync.Mutex
	forms   []string
}

func newTokenEndpoint(t *testing.T) *tokenEndpoint {
	te := &tokenEndpoint{}
	te.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		_ = r.ParseForm()
		te.mu.Lock()
		te.forms = append(te.forms, r.PostForm.Encode())
		te.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if !ok || id != "scoopa" || secret != "s3cret" || r.PostForm.Get("grant_type") != "client_credentials" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"invalid_client","error_description":"unknown client"}`)
			return
		}
		n := te.fetches.Add(1)
		fmt.Fprintf(w, `{"access_token":"tok-%d","token_type":"Bearer","expires_in":3600}`, n)
	}))
	t.Cleanup(te.Close)
	return te
}

func oauthInput(tokenURL, secret string) *settings.OAuth2Input {
	aud := "https://receiver.example"
	return &settings.OAuth2Input{TokenURL: tokenURL, ClientID: "scoopa", ClientSecret: &secret, Scopes: []string{"webhooks:write"}, Audience: &aud}
}

// bearerReceiver accepts calls whose bearer token is not refused, and
// answers 401 to the others.
type bearerReceiver struct {
	*httptest.Server
	mu      sync.Mutex
	refused map[string]bool
	seen    []string
}

func newBearerReceiver(t *testing.T, refused ...string) *bearerReceiver {
	br := &bearerReceiver{refused: map[string]bool{}}
	for _, r := range refused {
		br.refused[r] = true
	}
	br.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		br.mu.Lock()
		defer br.mu.Unlock()
		auth := r.Header.Get("Authorization")
		br.seen = append(br.seen, auth)
		tok, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || br.refused[tok] {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(br.Close)
	return br
}

func (br *bearerReceiver) authorizations() []string {
	br.mu.Lock()
	defer br.mu.Unlock()
	return append([]string(nil), br.seen...)
}

// 500 deliveries through 3 workers (and the validation made by the server)
// cost one fetch at the token endpoint: the token is shared through Redis.
func TestOAuth2OneTokenForManyDeliveries(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t)
	rc := testenv.NewReceiver(t)
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1"})
	for range 3 {
		testenv.StartWorker(t, s, nil)
	}
	ctx := context.Background()
	dir, err := s.Service().Settings().CreateFolder(ctx, "oauth")
	if err != nil {
		t.Fatal(err)
	}
	active := true
	wh, err := s.Service().Settings().CreateWebhook(ctx, settings.CreateWebhookInput{Name: "oauth", URL: rc.URL, Active: &active,
		FolderIDs: []int{dir.ID}, OAuth2: oauthInput(te.URL, "s3cret")})
	if err != nil {
		t.Fatal(err)
	}
	if wh.ValidationStatus != "VALID" {
		t.Fatalf("validation: %s %v", wh.ValidationStatus, derefS(wh.LastValidationError))
	}
	const n = 500
	for i := range n {
		if r := s.Upload(t, fmt.Sprint(dir.ID), fmt.Sprintf("f-%03d.bin", i), "application/octet-stream", []byte("x")); len(r.Errors) > 0 {
			t.Fatalf("upload %d: %+v", i, r.Errors)
		}
	}
	waitAllSucceeded(t, s, n, 120*time.Second)
	for _, d := range append(rc.Deliveries(), rc.Validations()...) {
		if got := d.Header.Get("Authorization"); got != "Bearer tok-1" {
			t.Fatalf("Authorization %q, want Bearer tok-1", got)
		}
	}
	if got := te.fetches.Load(); got != 1 {
		t.Errorf("token endpoint fetched %d times for %d deliveries on 3 workers, want 1", got, n)
	}
	te.mu.Lock()
	form := te.forms[0]
	te.mu.Unlock()
	if !strings.Contains(form, "scope=webhooks%3Awrite") || !strings.Contains(form, "audience=https%3A%2F%2Freceiver.example") {
		t.Errorf("token request form %q lacks the scope or the audience", form)
	}
}

// A receiver that refuses the token (401) makes the attempt take a new one
// and send again, once, within the same attempt; later calls use the new
// token. A change of the client secret takes a new token.
func TestOAuth2RefreshAfter401(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t)
	br := newBearerReceiver(t, "tok-1")
	_, _, svc := newPostgresService(t, webhooks.Config{AllowPrivateTargets: true, ValidationTimeout: 5 * time.Second})
	ctx := context.Background()
	wh, err := svc.Settings().CreateWebhook(ctx, settings.CreateWebhookInput{Name: "oauth", URL: br.URL, OAuth2: oauthInput(te.URL, "s3cret")})
	if err != nil {
		t.Fatal(err)
	}
	if wh.ValidationStatus != "VALID" {
		t.Fatalf("validation: %s %v, want VALID after a refresh", wh.ValidationStatus, derefS(wh.LastValidationError))
	}
	if _, err := svc.Validations().Validate(ctx, wh.ID); err != nil {
		t.Fatal(err)
	}
	want := []string{"Bearer tok-1", "Bearer tok-2", "Bearer tok-2"}
	if got := br.authorizations(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("authorizations %q, want %q", got, want)
	}
	if got := te.fetches.Load(); got != 2 {
		t.Errorf("%d token fetches, want 2", got)
	}
	// Receivers refusing every token: the attempt fails after one refresh.
	br.mu.Lock()
	br.refused["tok-3"] = true
	br.refused["tok-2"] = true
	br.mu.Unlock()
	wh, err = svc.Validations().Validate(ctx, wh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if msg := derefS(wh.LastValidationError); wh.ValidationStatus != "INVALID" || !strings.Contains(msg, "HTTP 401 (a new OAuth2 token was refused too)") {
		t.Errorf("validation %s %q, want INVALID with a refused token", wh.ValidationStatus, msg)
	}
	// A new secret is a new token.
	before := te.fetches.Load()
	newSecret := "s3cret"
	if _, err := svc.Settings().UpdateWebhook(ctx, wh.ID, settings.UpdateWebhookInput{OAuth2: &settings.OAuth2Input{TokenURL: te.URL + "/", ClientID: "scoopa", ClientSecret: &newSecret}}); err != nil {
		t.Fatal(err)
	}
	if te.fetches.Load() == before {
		t.Error("a changed OAuth2 setting reused the cached token")
	}
}

// The token endpoint's refusal is the attempt's error, phrased for the log.
func TestOAuth2TokenEndpointError(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t)
	rc := testenv.NewReceiver(t)
	_, _, svc := newPostgresService(t, webhooks.Config{AllowPrivateTargets: true, ValidationTimeout: 5 * time.Second})
	wh, err := svc.Settings().CreateWebhook(context.Background(), settings.CreateWebhookInput{Name: "oauth", URL: rc.URL, OAuth2: oauthInput(te.URL, "wrong")})
	if err != nil {
		t.Fatal(err)
	}
	want := "oauth2: token endpoint answered 400 invalid_client: unknown client"
	if wh.ValidationStatus != "INVALID" || derefS(wh.LastValidationError) != want {
		t.Errorf("validation %s %q, want INVALID %q", wh.ValidationStatus, derefS(wh.LastValidationError), want)
	}
	if n := len(rc.Validations()); n != 0 {
		t.Errorf("the receiver got %d calls without a token", n)
	}
}

// A token endpoint that does not answer in time is reported with the
// attempt's timeout, not with what was left of it when it ran out.
func TestOAuth2TokenEndpointTimeout(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(done) })
	rc := testenv.NewReceiver(t)
	_, _, svc := newPostgresService(t, webhooks.Config{AllowPrivateTargets: true, ValidationTimeout: 300 * time.Millisecond})
	wh, err := svc.Settings().CreateWebhook(context.Background(), settings.CreateWebhookInput{Name: "oauth", URL: rc.URL, OAuth2: oauthInput(slow.URL, "s3cret")})
	if err != nil {
		t.Fatal(err)
	}
	want := "oauth2: token endpoint: timeout after 300ms"
	if wh.ValidationStatus != "INVALID" || derefS(wh.LastValidationError) != want {
		t.Errorf("validation %s %q, want INVALID %q", wh.ValidationStatus, derefS(wh.LastValidationError), want)
	}
}

// The token URL passes the SSRF guard of target URLs: a loopback token
// endpoint is refused when private targets are not allowed.
func TestOAuth2PrivateTokenURLRefused(t *testing.T) {
	t.Parallel()
	te := newTokenEndpoint(t)
	_, _, svc := newPostgresService(t, webhooks.Config{ValidationTimeout: 5 * time.Second})
	wh, err := svc.Settings().CreateWebhook(context.Background(), settings.CreateWebhookInput{Name: "oauth", URL: "https://receiver.example/hook", OAuth2: oauthInput(te.URL, "s3cret")})
	if err != nil {
		t.Fatal(err)
	}
	want := "oauth2: token endpoint: target address refused: 127.0.0.1 is a loopback address"
	if derefS(wh.LastValidationError) != want {
		t.Errorf("validation error %q, want %q", derefS(wh.LastValidationError), want)
	}
	if got := te.fetches.Load(); got != 0 {
		t.Errorf("the token endpoint was reached %d times", got)
	}
}

// testCA makes certificates for mTLS tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	PEM  string
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(365 * 24 * time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, PEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
}

// client returns a client certificate and its key, in PEM, valid until
// notAfter.
func (ca *testCA) client(t *testing.T, cn string, notAfter time.Time) (certPEM, keyPEM string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn, Organization: []string{"Scoopa"}},
		NotBefore: time.Now().Add(-2 * time.Hour), NotAfter: notAfter, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
}

// newMTLSReceiver starts an HTTPS receiver that requires a client
// certificate signed by ca, and returns it with its own certificate (PEM),
// which webhooks give as their CA.
func newMTLSReceiver(t *testing.T, ca *testCA) (*httptest.Server, string, *atomic.Int64) {
	var served atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})), &served
}

// An mTLS receiver accepts the calls of a webhook with the certificate it
// trusts; without one, or with another CA's, the attempt fails with a
// clear error.
func TestMutualTLS(t *testing.T) {
	t.Parallel()
	ca, other := newTestCA(t, "partner CA"), newTestCA(t, "someone else")
	srv, serverCA, served := newMTLSReceiver(t, ca)
	_, _, svc := newPostgresService(t, webhooks.Config{AllowPrivateTargets: true, ValidationTimeout: 5 * time.Second})
	ctx := context.Background()
	cert, key := ca.client(t, "scoopa-webhooks", time.Now().Add(90*24*time.Hour))
	good, err := svc.Settings().CreateWebhook(ctx, settings.CreateWebhookInput{Name: "mtls", URL: srv.URL,
		ClientCertificate: &settings.ClientCertificateInput{Certificate: cert, Key: &key}, CACertificate: &serverCA})
	if err != nil {
		t.Fatal(err)
	}
	if good.ValidationStatus != "VALID" {
		t.Fatalf("with the certificate: %s %q, want VALID", good.ValidationStatus, derefS(good.LastValidationError))
	}
	info, err := settings.ClientCertificateOf(good)
	if err != nil || info.Subject != "CN=scoopa-webhooks,O=Scoopa" {
		t.Errorf("certificate info %+v %v", info, err)
	}
	none, err := svc.Settings().CreateWebhook(ctx, settings.CreateWebhookInput{Name: "no cert", URL: srv.URL, CACertificate: &serverCA})
	if err != nil {
		t.Fatal(err)
	}
	wantErr := "TLS: the receiver refused the handshake (remote error: tls: certificate required): it wants a client certificate it accepts"
	if none.ValidationStatus != "INVALID" || derefS(none.LastValidationError) != wantErr {
		t.Errorf("without a certificate: %s %q, want INVALID %q", none.ValidationStatus, derefS(none.LastValidationError), wantErr)
	}
	ocert, okey := other.client(t, "intruder", time.Now().Add(90*24*time.Hour))
	wrong, err := svc.Settings().CreateWebhook(ctx, settings.CreateWebhookInput{Name: "other CA", URL: srv.URL,
		ClientCertificate: &settings.ClientCertificateInput{Certificate: ocert, Key: &okey}, CACertificate: &serverCA})
	if err != nil {
		t.Fatal(err)
	}
	if wrong.ValidationStatus != "INVALID" || !strings.HasPrefix(derefS(wrong.LastValidationError), "TLS: the receiver refused the handshake") {
		t.Errorf("with another CA's certificate: %s %q", wrong.ValidationStatus, derefS(wrong.LastValidationError))
	}
	if got := served.Load(); got != 1 {
		t.Errorf("the receiver served %d requests, want 1 (the webhook with the certificate)", got)
	}
	// Removing the certificate rebuilds the webhook's transport.
	yes := true
	again, err := svc.Settings().UpdateWebhook(ctx, good.ID, settings.UpdateWebhookInput{ClearClientCertificate: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if again.ValidationStatus != "INVALID" {
		t.Errorf("after removing the certificate: %s, want INVALID", again.ValidationStatus)
	}
}

// Bad certificates and keys are refused on their fields.
func TestClientCertificateInput(t *testing.T) {
	t.Parallel()
	_, _, svc := newPostgresService(t, webhooks.Config{AllowPrivateTargets: true, ValidationTimeout: 5 * time.Second})
	ca := newTestCA(t, "partner CA")
	cert, key := ca.client(t, "a", time.Now().Add(24*time.Hour))
	_, otherKey := ca.client(t, "b", time.Now().Add(24*time.Hour))
	expired, expiredKey := ca.client(t, "c", time.Now().Add(-time.Hour))
	garbage := "not a key"
	// Inputs that are too large, too many, or not what they claim.
	huge := strings.Repeat(cert, 10<<20/len(cert)+1) // 10 MB of PEM
	thousand := strings.Repeat(ca.PEM, 1000)         // 1,000 certificates
	tinyBlocks := strings.Repeat("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n", 1000)
	hugeKey := strings.Repeat(key, 10<<20/len(key)+1)
	encrypted := "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n"
	legacyEncrypted := "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,6D3C0B8F6E1B1F2A3C4D5E6F708192A3\n\nAAAA\n-----END EC PRIVATE KEY-----\n"
	badDER := "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
	binary := "\x00\xff\xfe-----BEGIN CERTIFICATE-----\x00"
	for _, tc := range []struct {
		name, cert string
		key        *string
		ca         string
		field      string
		want       string
	}{
		{"garbage text", "hello, I am a certificate", &key, "", "clientCertificate.certificate", "is not a PEM certificate"},
		{"binary", binary, &key, "", "clientCertificate.certificate", "is not a PEM certificate"},
		{"empty certificate", "", &key, "", "clientCertificate.certificate", "is not a PEM certificate"},
		{"10 MB certificate", huge, &key, "", "clientCertificate.certificate", "must be at most 64 KiB"},
		{"1,000 certificates", thousand, &key, "", "clientCertificate.certificate", "must be at most 64 KiB"},
		{"1,000 empty certificates", tinyBlocks, &key, "", "clientCertificate.certificate", "certificate 1 does not parse"},
		{"key in the certificate's place", key, &key, "", "clientCertificate.certificate", `holds a PEM block of type "PRIVATE KEY"`},
		{"text after the certificate", cert + "trailing words", &key, "", "clientCertificate.certificate", "has text after the last PEM block"},
		{"10 MB key", cert, &hugeKey, "", "clientCertificate.key", "must be at most 64 KiB"},
		{"encrypted key (PKCS #8)", cert, &encrypted, "", "clientCertificate.key", "is encrypted"},
		{"encrypted key (legacy PEM)", cert, &legacyEncrypted, "", "clientCertificate.key", "is encrypted"},
		{"certificate in the key's place", cert, &cert, "", "clientCertificate.key", `holds a PEM block of type "CERTIFICATE"`},
		{"key that does not parse", cert, &badDER, "", "clientCertificate.key", "is not usable with the certificate"},
		{"CA garbage text", cert, &key, "not a CA", "caCertificate", "is not a PEM certificate"},
		{"10 MB CA", cert, &key, huge, "caCertificate", "must be at most 64 KiB"},
		{"1,000 CA certificates", cert, &key, thousand, "caCertificate", "must be at most 64 KiB"},
		{"1,000 empty CA certificates", cert, &key, tinyBlocks, "caCertificate", "certificate 1 does not parse"},
		{"key as CA", cert, &key, key, "caCertificate", `holds a PEM block of type "PRIVATE KEY"`},
		{"bad PEM", "hello", &key, "", "clientCertificate.certificate", "is not a PEM certificate"},
		{"key of another certificate", cert, &otherKey, "", "clientCertificate.key", "does not match the certificate"},
		{"no key", cert, nil, "", "clientCertificate.key", "must be given"},
		{"key not PEM", cert, &garbage, "", "clientCertificate.key", "is not a PEM private key"},
		{"expired", expired, &expiredKey, "", "clientCertificate.certificate", "expired on"},
		{"bad CA", cert, &key, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "caCertificate", "does not parse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := settings.CreateWebhookInput{Name: "x", URL: "https://example.com/", ClientCertificate: &settings.ClientCertificateInput{Certificate: tc.cert, Key: tc.key}}
			if tc.ca != "" {
				in.CACertificate = &tc.ca
			}
			_, err := svc.Settings().CreateWebhook(context.Background(), in)
			var ie problem.InputErrors
			var one *problem.InputError
			switch {
			case errors.As(err, &ie):
				for _, e := range ie {
					if e.Field == tc.field && strings.Contains(e.Message, tc.want) {
						return
					}
				}
			case errors.As(err, &one) && one.Field == tc.field && strings.Contains(one.Message, tc.want):
				return
			}
			t.Errorf("error %v, want %s: %s", err, tc.field, tc.want)
		})
	}
}

// A key as "openssl ecparam -genkey" writes it, its EC PARAMETERS block
// before the key, is accepted, as crypto/tls reads it.
func TestClientKeyWithECParameters(t *testing.T) {
	t.Parallel()
	_, _, svc := newPostgresService(t, webhooks.Config{AllowPrivateTargets: true, ValidationTimeout: 5 * time.Second})
	ca := newTestCA(t, "partner CA")
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "ecparam"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	sec1, _ := x509.MarshalECPrivateKey(key)
	// The DER of the named curve P-256 (OID 1.2.840.10045.3.1.7).
	params := []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: params})) +
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}))
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	if _, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM)); err != nil {
		t.Fatalf("crypto/tls refuses the pair: %v", err)
	}
	_, err = svc.Settings().CreateWebhook(context.Background(), settings.CreateWebhookInput{Name: "ecparam", URL: "https://example.com/",
		ClientCertificate: &settings.ClientCertificateInput{Certificate: certPEM, Key: &keyPEM}})
	if err != nil {
		t.Fatalf("CreateWebhook with an EC PARAMETERS block before the key: %v", err)
	}
}

// A client certificate expiring within 14 days is told to the operator
// webhook once, however many scans see it; a new certificate is told anew.
func TestClientCertificateExpiryWarning(t *testing.T) {
	t.Parallel()
	// Whole seconds: a certificate's validity is, so that 20 days from the
	// clock's now is exactly 20 days, not 19.99 after the certificate's
	// encoding drops the fraction.
	base := time.Now().Truncate(time.Second)
	clock := testenv.NewClock(base)
	op := testenv.NewReceiver(t)
	s := testenv.StartServerWith(t, testenv.Postgres, testenv.Options{Clock: clock, Env: map[string]string{
		"SCOOPA_OPERATOR_WEBHOOK_URL":    op.URL + "/ops",
		"SCOOPA_OPERATOR_WEBHOOK_SECRET": operatorSecret,
	}})
	ctx := context.Background()
	svc := s.Service()
	ca := newTestCA(t, "partner CA")
	cert, key := ca.client(t, "soon", base.Add(20*24*time.Hour))
	wh, err := svc.Settings().CreateWebhook(ctx, settings.CreateWebhookInput{Name: "mtls", URL: "https://example.com/", ClientCertificate: &settings.ClientCertificateInput{Certificate: cert, Key: &key}})
	if err != nil {
		t.Fatal(err)
	}
	scan := func() int {
		n, err := svc.Validations().WarnExpiringCertificates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := scan(); n != 0 {
		t.Fatalf("20 days ahead: %d warnings, want 0", n)
	}
	clock.Advance(7 * 24 * time.Hour) // 13 days left
	if n := scan() + scan(); n != 1 {
		t.Fatalf("13 days ahead, two scans: %d warnings, want 1", n)
	}
	if _, err := svc.Validations().RevalidateDue(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 30*time.Second, "the operator event", func() bool { return len(op.Deliveries()) >= 1 })
	var ev struct {
		Type string
		Data operator.CertificateExpiringData
	}
	if err := json.Unmarshal(op.Deliveries()[0].Body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Type != "webhook.certificate_expiring" || ev.Data.WebhookID != wh.ID || ev.Data.DaysLeft != 13 || ev.Data.Subject != "CN=soon,O=Scoopa" {
		t.Errorf("event %+v", ev)
	}
	// A new certificate, also expiring soon, is told again.
	cert2, key2 := ca.client(t, "soon again", base.Add(20*24*time.Hour))
	if _, err := svc.Settings().UpdateWebhook(ctx, wh.ID, settings.UpdateWebhookInput{ClientCertificate: &settings.ClientCertificateInput{Certificate: cert2, Key: &key2}}); err != nil {
		t.Fatal(err)
	}
	if n := scan(); n != 1 {
		t.Errorf("new certificate: %d warnings, want 1", n)
	}
}

func derefS(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// A token is bound to the origin it was fetched for: a webhook moved to
// another host needs its client secret again, and the new host then gets a
// token fetched for it, never the one the old host got.
func TestOAuth2TokenDoesNotFollowTheURL(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			te := newTokenEndpoint(t)
			oldHost, newHost := newBearerReceiver(t), newBearerReceiver(t)
			s := testenv.StartServer(t, kind, nil)
			ctx := context.Background()
			wh, err := s.Service().Settings().CreateWebhook(ctx, settings.CreateWebhookInput{Name: "oauth", URL: oldHost.URL, OAuth2: oauthInput(te.URL, "s3cret")})
			if err != nil {
				t.Fatal(err)
			}
			if wh.ValidationStatus != "VALID" {
				t.Fatalf("validation: %s %v", wh.ValidationStatus, derefS(wh.LastValidationError))
			}
			// Moved without the secret (the OAuth2 setting not given, or
			// given without it): refused on oauth2.clientSecret, naming the
			// new origin.
			newURL := newHost.URL + "/in"
			kept := *oauthInput(te.URL, "")
			kept.ClientSecret = nil
			for name, in := range map[string]settings.UpdateWebhookInput{
				"oauth2 not given":        {URL: &newURL},
				"oauth2 without a secret": {URL: &newURL, OAuth2: &kept},
			} {
				_, err := s.Service().Settings().UpdateWebhook(ctx, wh.ID, in)
				var p *problem.InputError
				if !errors.As(err, &p) || p.Field != "oauth2.clientSecret" || !strings.Contains(p.Message, newHost.URL) {
					t.Errorf("%s: %v, want a problem on oauth2.clientSecret naming %s", name, err, newHost.URL)
				}
			}
			if got := newHost.authorizations(); len(got) != 0 {
				t.Fatalf("the new host was called: %q", got)
			}
			// The same origin (another path) keeps the secret and the token.
			otherPath := oldHost.URL + "/other"
			if _, err := s.Service().Settings().UpdateWebhook(ctx, wh.ID, settings.UpdateWebhookInput{URL: &otherPath}); err != nil {
				t.Fatalf("same host, other path: %v", err)
			}
			// The secret given again (the same one): accepted, and the new
			// host gets a token fetched for it.
			wh, err = s.Service().Settings().UpdateWebhook(ctx, wh.ID, settings.UpdateWebhookInput{URL: &newURL, OAuth2: oauthInput(te.URL, "s3cret")})
			if err != nil {
				t.Fatalf("secret given again: %v", err)
			}
			if wh.ValidationStatus != "VALID" {
				t.Fatalf("validation at the new host: %s %v", wh.ValidationStatus, derefS(wh.LastValidationError))
			}
			if got, want := oldHost.authorizations(), []string{"Bearer tok-1", "Bearer tok-1"}; strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("old host got %q, want %q", got, want)
			}
			if got := newHost.authorizations(); len(got) != 1 || got[0] != "Bearer tok-2" {
				t.Errorf("new host got %q, want a fresh token (Bearer tok-2)", got)
			}
		})
	}
}
