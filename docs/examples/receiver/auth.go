package main

// Two optional ways to make sure a call comes from your scoopa webhook,
// beside its signature (see docs/RECEIVING.md, "OAuth2 client credentials
// and mutual TLS"):
//
//   - OAuth2 client credentials: with SCOOPA_OAUTH2_CLIENT_ID and
//     SCOOPA_OAUTH2_CLIENT_SECRET set, the receiver is its own token
//     endpoint at POST /oauth/token (give scoopa https://you/oauth/token as
//     the token URL) and refuses, with 401, a call without one of the
//     bearer tokens it issued. A real deployment has an authorization
//     server issue the tokens and checks them here.
//   - Mutual TLS: with -tls-cert and -tls-key the receiver serves HTTPS;
//     with -client-ca as well, the TLS handshake requires a client
//     certificate signed by that CA (give scoopa a certificate it signed).

import (
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// tokenLife is how long an issued token is accepted; scoopa takes a new
// one shortly before it expires.
const tokenLife = time.Hour

// tokenIssuer is a minimal OAuth2 token endpoint for the client-credentials
// grant (RFC 6749 §4.4) with one client, and the check of the tokens it
// issued. Tokens live in memory: a restart makes scoopa's token answer 401
// once, and scoopa then takes a new one and sends the call again.
type tokenIssuer struct {
	clientID, clientSecret string
	now                    func() time.Time
	log                    *slog.Logger

	mu     sync.Mutex
	tokens map[string]time.Time // token -> expiry
}

func newTokenIssuer(clientID, clientSecret string, log *slog.Logger) *tokenIssuer {
	return &tokenIssuer{clientID: clientID, clientSecret: clientSecret, now: time.Now, log: log, tokens: map[string]time.Time{}}
}

// oauthError answers as RFC 6749 §5.2 says.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": description})
}

// ServeHTTP issues a token to the client whose ID and secret come in HTTP
// Basic authentication (as scoopa sends them) or in the form.
func (ti *tokenIssuer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "POST the token request")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	// Compare both in constant time, and both always.
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(ti.clientID))
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(ti.clientSecret))
	if idOK&secretOK != 1 {
		ti.log.Warn("token refused: unknown client or wrong secret", "client_id", id)
		oauthError(w, http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant_type %q: only client_credentials is supported", gt))
		return
	}
	tok := rand.Text() + rand.Text()
	now := ti.now()
	ti.mu.Lock()
	for t, exp := range ti.tokens {
		if !now.Before(exp) {
			delete(ti.tokens, t)
		}
	}
	ti.tokens[tok] = now.Add(tokenLife)
	ti.mu.Unlock()
	ti.log.Info("token issued", "client_id", id, "scope", r.PostForm.Get("scope"), "audience", r.PostForm.Get("audience"))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(tokenLife / time.Second)})
}

// valid reports whether tok is a token this issuer issued and that has not
// expired.
func (ti *tokenIssuer) valid(tok string) bool {
	ti.mu.Lock()
	defer ti.mu.Unlock()
	exp, ok := ti.tokens[tok]
	return ok && ti.now().Before(exp)
}

// requireBearer passes on calls carrying a valid bearer token and answers
// the others 401, which makes scoopa take a new token and send the call
// again, once, within the same attempt.
func (ti *tokenIssuer) requireBearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !ti.valid(tok) {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			http.Error(w, "a valid bearer token is required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// serverTLS returns the TLS setting of -tls-cert, -tls-key and -client-ca:
// nil for plain HTTP, a server certificate, and with a client CA, a
// handshake that requires a client certificate it signed.
func serverTLS(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		if clientCAFile != "" {
			return nil, errors.New("-client-ca needs -tls-cert and -tls-key: client certificates are only asked for over TLS")
		}
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, errors.New("-tls-cert and -tls-key go together")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("-tls-cert/-tls-key: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCAFile != "" {
		pool, err := clientCAs(clientCAFile)
		if err != nil {
			return nil, err
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// clientCAs reads the CA certificates of -client-ca.
func clientCAs(file string) (*x509.CertPool, error) {
	pemText, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("-client-ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemText) {
		return nil, fmt.Errorf("-client-ca: %s holds no PEM certificate", file)
	}
	return pool, nil
}
