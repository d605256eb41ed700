package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// TestTokenEndpoint asks the token endpoint as scoopa does (the
// client-credentials grant of golang.org/x/oauth2, the library scoopa's
// worker uses) and checks that the webhook accepts only the tokens it
// issued, until they expire.
func TestTokenEndpoint(t *testing.T) {
	issuer := newTokenIssuer("scoopa", "s3cret", testLogger(t))
	now := time.Now()
	issuer.now = func() time.Time { return now }
	queue := make(chan delivery, 1)
	mux := http.NewServeMux()
	mux.Handle("/oauth/token", issuer)
	mux.Handle("/", issuer.requireBearer(newHandler([]byte("key"), queue, testLogger(t))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	cc := clientcredentials.Config{ClientID: "scoopa", ClientSecret: "s3cret", TokenURL: srv.URL + "/oauth/token",
		Scopes: []string{"webhooks:write"}, EndpointParams: url.Values{"audience": {"https://you.example"}}, AuthStyle: oauth2.AuthStyleInHeader}
	tok, err := cc.Token(t.Context())
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	if tok.AccessToken == "" || tok.Type() != "Bearer" || time.Until(tok.Expiry) < 50*time.Minute {
		t.Errorf("token %+v, want a bearer token for an hour", tok)
	}

	call := func(authorization string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(validationBody(t, "https://scoopa.example/files/1/download")))
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := call("Bearer " + tok.AccessToken); got != http.StatusOK {
		t.Errorf("call with the issued token: %d, want 200", got)
	}
	for name, h := range map[string]string{"no token": "", "unknown token": "Bearer nope", "basic": "Basic c2Nvb3BhOnMzY3JldA=="} {
		if got := call(h); got != http.StatusUnauthorized {
			t.Errorf("call with %s: %d, want 401", name, got)
		}
	}
	now = now.Add(tokenLife)
	if got := call("Bearer " + tok.AccessToken); got != http.StatusUnauthorized {
		t.Errorf("call with an expired token: %d, want 401 (scoopa then takes a new one)", got)
	}

	// Refusals, as RFC 6749 §5.2 spells them; scoopa shows them in the
	// call log ("oauth2: token endpoint answered 401 invalid_client").
	for _, tc := range []struct {
		name       string
		form       url.Values
		basic      [2]string
		wantStatus int
		wantError  string
	}{
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}}, [2]string{"scoopa", "wrong"}, 401, "invalid_client"},
		{"unknown client", url.Values{"grant_type": {"client_credentials"}}, [2]string{"other", "s3cret"}, 401, "invalid_client"},
		{"no credentials", url.Values{"grant_type": {"client_credentials"}}, [2]string{}, 401, "invalid_client"},
		{"other grant", url.Values{"grant_type": {"password"}}, [2]string{"scoopa", "s3cret"}, 400, "unsupported_grant_type"},
		{"credentials in the form", url.Values{"grant_type": {"client_credentials"}, "client_id": {"scoopa"}, "client_secret": {"s3cret"}}, [2]string{}, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.basic[0] != "" {
				req.SetBasicAuth(tc.basic[0], tc.basic[1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct{ Error, AccessToken string }
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != tc.wantStatus || body.Error != tc.wantError {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, body.Error, tc.wantStatus, tc.wantError)
			}
		})
	}
	if resp, err := http.Get(srv.URL + "/oauth/token"); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /oauth/token: %v %v, want 405", resp.StatusCode, err)
	}
}

// testCA is a certificate authority made for a test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// client returns a client certificate signed by ca, as scoopa presents it.
func (ca *testCA) client(t *testing.T, cn string) tls.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: cn}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// writeFile writes data into a file of dir and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMutualTLS serves the receiver with the TLS setting of -tls-cert,
// -tls-key and -client-ca: a call is accepted only with a client
// certificate the client CA signed.
func TestMutualTLS(t *testing.T) {
	dir := t.TempDir()
	serverCA := newTestCA(t, "receiver CA")
	clientCA := newTestCA(t, "partner CA")
	// The server's own certificate, for 127.0.0.1.
	skey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	stpl := &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "receiver"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	sder, err := x509.CreateCertificate(rand.Reader, stpl, serverCA.cert, &skey.PublicKey, serverCA.key)
	if err != nil {
		t.Fatal(err)
	}
	skder, _ := x509.MarshalPKCS8PrivateKey(skey)
	certFile := writeFile(t, dir, "server.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: sder}))
	keyFile := writeFile(t, dir, "server-key.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: skder}))
	caFile := writeFile(t, dir, "client-ca.pem", clientCA.pem)

	cfg, err := serverTLS(certFile, keyFile, caFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(newHandler([]byte("key"), make(chan delivery, 1), testLogger(t)))
	srv.TLS = cfg
	srv.StartTLS()
	t.Cleanup(srv.Close)

	roots := x509.NewCertPool()
	roots.AddCert(serverCA.cert) // scoopa's caCertificate setting
	call := func(certs ...tls.Certificate) error {
		t.Helper()
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: certs}}}
		defer c.CloseIdleConnections()
		resp, err := c.Post(srv.URL, "application/json", bytes.NewReader(validationBody(t, "https://scoopa.example/files/1/download")))
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status %d, want 200", resp.StatusCode)
		}
		return nil
	}
	if err := call(clientCA.client(t, "scoopa")); err != nil {
		t.Errorf("call with the partner CA's certificate: %v", err)
	}
	if err := call(); err == nil || !strings.Contains(err.Error(), "certificate required") {
		t.Errorf("call without a certificate: %v, want the handshake refused (certificate required)", err)
	}
	if err := call(newTestCA(t, "other CA").client(t, "scoopa")); err == nil {
		t.Error("call with a certificate of another CA: accepted, want the handshake refused")
	}
}

// TestRunAuthSettings checks the start-up errors of the TLS flags and the
// OAuth2 variables, and that a good setting starts and stops.
func TestRunAuthSettings(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, "partner CA")
	caFile := writeFile(t, dir, "ca.pem", ca.pem)
	notPEM := writeFile(t, dir, "not.pem", []byte("hello"))
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	srv.Close()
	cert := srv.TLS.Certificates[0]
	kder, _ := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	certFile := writeFile(t, dir, "server.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}))
	keyFile := writeFile(t, dir, "server-key.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
	secret := "whsec_" + "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{name: "mTLS and OAuth2", args: []string{"-tls-cert", certFile, "-tls-key", keyFile, "-client-ca", caFile},
			env: map[string]string{"SCOOPA_OAUTH2_CLIENT_ID": "scoopa", "SCOOPA_OAUTH2_CLIENT_SECRET": "s3cret"}},
		{name: "client CA without TLS", args: []string{"-client-ca", caFile}, wantErr: "-client-ca needs -tls-cert"},
		{name: "certificate without key", args: []string{"-tls-cert", certFile}, wantErr: "-tls-cert and -tls-key go together"},
		{name: "key of another file", args: []string{"-tls-cert", certFile, "-tls-key", caFile}, wantErr: "-tls-cert/-tls-key"},
		{name: "client CA not PEM", args: []string{"-tls-cert", certFile, "-tls-key", keyFile, "-client-ca", notPEM}, wantErr: "holds no PEM certificate"},
		{name: "client CA missing", args: []string{"-tls-cert", certFile, "-tls-key", keyFile, "-client-ca", filepath.Join(dir, "nope.pem")}, wantErr: "-client-ca"},
		{name: "client ID without secret", env: map[string]string{"SCOOPA_OAUTH2_CLIENT_ID": "scoopa"}, wantErr: "SCOOPA_OAUTH2_CLIENT_SECRET"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			args := append([]string{"-addr", "127.0.0.1:0", "-dir", filepath.Join(t.TempDir(), "downloads")}, tc.args...)
			getenv := func(k string) string {
				if k == "SCOOPA_WEBHOOK_SECRET" {
					return secret
				}
				return tc.env[k]
			}
			err := run(ctx, args, getenv, t.Output())
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("run: %v, want a clean stop", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("run: %v, want an error mentioning %q", err, tc.wantErr)
			}
		})
	}
}
