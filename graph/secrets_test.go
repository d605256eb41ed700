package graph_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/testenv"
)

// partnerCredential is a header value that must never be stored readable.
const partnerCredential = "Bearer partner-credential-0123456789"

// rawSecrets reads, with plain SQL as a backup would, every stored header
// value, signing secret, OAuth2 client secret and client key of the
// server's database.
func rawSecrets(t *testing.T, s *testenv.Server) []string {
	t.Helper()
	var (
		db  *sql.DB
		err error
	)
	if s.Kind == testenv.Postgres {
		db, _, err = app.OpenPostgres(s.Env["SCOOPA_DATABASE_URL"])
	} else {
		db, _, err = app.OpenSQLite(testenv.DataFile(s.Env, "scoopa.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	for _, q := range []string{
		`SELECT value FROM webhook_headers`,
		`SELECT signing_secret FROM webhooks`,
		`SELECT previous_signing_secret FROM webhooks WHERE previous_signing_secret IS NOT NULL`,
		`SELECT oauth_client_secret FROM webhooks WHERE oauth_client_secret IS NOT NULL`,
		`SELECT client_key FROM webhooks WHERE client_key IS NOT NULL`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// execRaw runs a statement on the server's database, as an older version
// (or an operator) would have written it.
func execRaw(t *testing.T, s *testenv.Server, q string, args ...any) {
	t.Helper()
	var (
		db  *sql.DB
		err error
	)
	if s.Kind == testenv.Postgres {
		db, _, err = app.OpenPostgres(s.Env["SCOOPA_DATABASE_URL"])
	} else {
		db, _, err = app.OpenSQLite(testenv.DataFile(s.Env, "scoopa.db"))
		q = strings.NewReplacer("$1", "?", "$2", "?", "$3", "?").Replace(q)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// defaultKeyVersion is the key version that seals without
// SCOOPA_ENCRYPTION_KEYS: the key kept in the data dir (1) in embedded mode,
// the one derived from SCOOPA_SECRET_KEY (0) in production mode.
func defaultKeyVersion(s *testenv.Server) int {
	if s.Kind == testenv.Postgres {
		return 0
	}
	return 1
}

// checkEncrypted fails when a stored value is readable or not sealed with
// key version want.
func checkEncrypted(t *testing.T, s *testenv.Server, want int, plain ...string) {
	t.Helper()
	stored := rawSecrets(t, s)
	if len(stored) == 0 {
		t.Fatal("no secrets stored")
	}
	prefix := fmt.Sprintf("enc:v%d:", want)
	for _, v := range stored {
		if !strings.HasPrefix(v, prefix) {
			t.Errorf("stored value %q does not start with %q", v, prefix)
		}
		for _, p := range plain {
			if strings.Contains(v, p) || strings.Contains(v, strings.TrimPrefix(p, "whsec_")) {
				t.Errorf("stored value %q holds the plaintext %q", v, p)
			}
		}
	}
}

// secretsWebhook sets up a folder and an active webhook to rc with a
// credential header and a rotated signing secret; it returns the folder ID
// and the two secrets.
func secretsWebhook(t *testing.T, s *testenv.Server, rc *testenv.Receiver) (folderID, webhookID string, secrets []string) {
	t.Helper()
	folderID = createFolder(t, s, "Secrets")
	wh := createWebhook(t, s, map[string]any{"name": "Partner", "url": rc.URL, "active": true, "folderIDs": []string{folderID},
		"headers": []map[string]any{{"name": "Authorization", "value": partnerCredential}}})
	var rot struct{ RotateWebhookSecret webhookOut }
	s.MustDo(t, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { signingSecret } }`, map[string]any{"id": wh.ID}, &rot)
	return folderID, wh.ID, []string{*rot.RotateWebhookSecret.SigningSecret, *wh.SigningSecret}
}

// oauthClientSecret is the OAuth2 client secret of authSecretsWebhook.
const oauthClientSecret = "oauth-client-secret-0123456789"

// authSecretsWebhook creates an inactive webhook with an OAuth2 client
// secret and a client certificate and key; it returns the webhook's ID,
// the certificate and the key.
func authSecretsWebhook(t *testing.T, s *testenv.Server) (id, certPEM, keyPEM string) {
	t.Helper()
	certPEM, keyPEM = selfSigned(t, "scoopa-client", time.Now().Add(90*24*time.Hour))
	var out struct{ CreateWebhook struct{ ID string } }
	s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "Partner mTLS", "url": "https://127.0.0.1:1/hook",
		"oauth2":            map[string]any{"tokenURL": "http://127.0.0.1:1/token", "clientID": "scoopa", "clientSecret": oauthClientSecret},
		"clientCertificate": map[string]any{"certificate": certPEM, "key": keyPEM},
	}}, &out)
	return out.CreateWebhook.ID, certPEM, keyPEM
}

// checkAuthSecretsOpen fails unless the server opens the OAuth2 client
// secret (shown masked) and the client key (checked against the
// certificate when an update keeps it) of the webhook.
func checkAuthSecretsOpen(t *testing.T, s *testenv.Server, id, certPEM string) {
	t.Helper()
	r := s.Do(t, `mutation($id: ID!, $in: UpdateWebhookInput!) { updateWebhook(id: $id, input: $in) { oauth2 { clientSecret } } }`,
		map[string]any{"id": id, "in": map[string]any{"clientCertificate": map[string]any{"certificate": certPEM}}})
	if len(r.Errors) > 0 {
		t.Fatalf("update keeping the client key: %s", errorsOf(r))
	}
	var out struct {
		UpdateWebhook struct{ OAuth2 struct{ ClientSecret string } }
	}
	if err := json.Unmarshal(r.Data, &out); err != nil {
		t.Fatal(err)
	}
	if got := out.UpdateWebhook.OAuth2.ClientSecret; !strings.HasSuffix(got, oauthClientSecret[len(oauthClientSecret)-4:]) {
		t.Errorf("masked client secret %q, want it to end with the secret's last 4 characters", got)
	}
}

// deliverOne uploads a file and checks that the receiver gets the plain
// credential and a signature made with each of secrets.
func deliverOne(t *testing.T, s *testenv.Server, rc *testenv.Receiver, folderID string, secrets []string) {
	t.Helper()
	before := len(rc.Deliveries())
	if r := s.Upload(t, folderID, "clip.mov", "video/quicktime", []byte("x")); len(r.Errors) > 0 {
		t.Fatalf("upload: %+v", r.Errors)
	}
	testenv.Eventually(t, 20*time.Second, "a delivery", func() bool { return len(rc.Deliveries()) > before })
	d := rc.Deliveries()[before]
	if got := d.Header.Get("Authorization"); got != partnerCredential {
		t.Errorf("delivered Authorization %q, want %q", got, partnerCredential)
	}
	for _, secret := range secrets {
		if err := sender.Verify(secret, d.Header.Get("webhook-id"), d.Header.Get("webhook-timestamp"), d.Header.Get("webhook-signature"), d.Body, time.Now(), time.Minute); err != nil {
			t.Errorf("signature with secret %.10s…: %v", secret, err)
		}
	}
}

// Header values and signing secrets (the current and the previous one) are
// stored encrypted; deliveries carry them in plain, and the API shows the
// header masked and the secret to admins.
func TestSecretsEncryptedAtRest(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		rc := testenv.NewReceiver(t)
		folderID, webhookID, secrets := secretsWebhook(t, s, rc)
		checkEncrypted(t, s, defaultKeyVersion(s), append([]string{partnerCredential, "partner-credential"}, secrets...)...)
		deliverOne(t, s, rc, folderID, secrets)
		if v := rc.Validations(); len(v) == 0 || v[0].Header.Get("Authorization") != partnerCredential {
			t.Errorf("validation call without the plain credential")
		}
		var got struct{ Webhook webhookOut }
		s.MustDo(t, `query($id: ID!) { webhook: node(id: $id) { ... on Webhook { signingSecret headers { name value } } } }`, map[string]any{"id": webhookID}, &got)
		if *got.Webhook.SigningSecret != secrets[0] {
			t.Errorf("signingSecret %q, want %q", *got.Webhook.SigningSecret, secrets[0])
		}
		if h := got.Webhook.Headers; len(h) != 1 || h[0].Value != "••••••••6789" {
			t.Errorf("headers %+v, want Authorization masked as ••••••••6789", h)
		}
		// An update keeping the stored value keeps it sealed, and working.
		s.MustDo(t, `mutation($id: ID!) { updateWebhook(id: $id, input: {name: "Partner 2", headers: [{name: "Authorization"}]}) { id } }`, map[string]any{"id": webhookID}, nil)
		checkEncrypted(t, s, defaultKeyVersion(s), partnerCredential)
		deliverOne(t, s, rc, folderID, secrets[:1])
	})
}

// Rows stored in plain by an older version are encrypted at start-up, once.
func TestPlainSecretsEncryptedAtStart(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			rc := testenv.NewReceiver(t)
			s := testenv.StartServer(t, kind, nil)
			folderID, webhookID, _ := secretsWebhook(t, s, rc)
			s.Stop()
			id, _ := strconv.Atoi(webhookID)
			execRaw(t, s, `UPDATE webhook_headers SET value = $1`, partnerCredential)
			current, previous := sender.NewSigningSecret(), sender.NewSigningSecret()
			execRaw(t, s, `UPDATE webhooks SET signing_secret = $1, previous_signing_secret = $2 WHERE id = $3`, current, previous, id)
			if got := rawSecrets(t, s); !strings.Contains(strings.Join(got, " "), partnerCredential) {
				t.Fatalf("the plain rows were not written: %q", got)
			}
			s = testenv.StartServer(t, kind, s.Env)
			checkEncrypted(t, s, defaultKeyVersion(s), partnerCredential, current, previous)
			deliverOne(t, s, rc, folderID, []string{current, previous})
			// A second start changes nothing.
			before := rawSecrets(t, s)
			s.Stop()
			s = testenv.StartServer(t, kind, s.Env)
			if after := rawSecrets(t, s); strings.Join(after, " ") != strings.Join(before, " ") {
				t.Errorf("a second start rewrote the rows:\n%q\n%q", before, after)
			}
		})
	}
}

// rotate-key seals every row with the newest key; the older key can then
// be dropped from SCOOPA_ENCRYPTION_KEYS.
func TestRotateEncryptionKey(t *testing.T) {
	t.Parallel()
	const (
		k1 = "1:0000000000000000000000000000000000000000000000000000000000000001"
		k2 = "2:0000000000000000000000000000000000000000000000000000000000000002"
	)
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			rc := testenv.NewReceiver(t)
			s := testenv.StartServer(t, kind, map[string]string{"SCOOPA_ENCRYPTION_KEYS": k1})
			folderID, _, secrets := secretsWebhook(t, s, rc)
			authID, certPEM, keyPEM := authSecretsWebhook(t, s)
			checkEncrypted(t, s, 1, partnerCredential, oauthClientSecret, keyPEM)
			s.Stop()
			env := s.Env
			env["SCOOPA_ENCRYPTION_KEYS"] = k1 + "," + k2
			cfg, err := app.LoadConfig("test", nil, testenv.Getenv(env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			n, version, err := app.RotateKey(context.Background(), cfg, testenv.Logger(t, 0))
			// The header, both signing secrets of the first webhook; the
			// signing secret, OAuth2 client secret and client key of the second.
			if err != nil || n != 6 || version != 2 {
				t.Fatalf("RotateKey = %d, %d, %v; want 6 values sealed with version 2", n, version, err)
			}
			checkEncrypted(t, s, 2, partnerCredential, oauthClientSecret, keyPEM)
			env["SCOOPA_ENCRYPTION_KEYS"] = k2
			s = testenv.StartServer(t, kind, env)
			deliverOne(t, s, rc, folderID, secrets)
			checkAuthSecretsOpen(t, s, authID, certPEM)
		})
	}
}

// rotate-key with a key missing or wrong refuses, saying which key version
// it lacks, and rewrites nothing, not even the values it could open.
func TestRotateEncryptionKeyRefusesWithoutEveryKey(t *testing.T) {
	t.Parallel()
	const (
		k1    = "1:0000000000000000000000000000000000000000000000000000000000000001"
		k2    = "2:0000000000000000000000000000000000000000000000000000000000000002"
		k3    = "3:0000000000000000000000000000000000000000000000000000000000000003"
		wrong = "1:00000000000000000000000000000000000000000000000000000000000000ff"
	)
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			rc := testenv.NewReceiver(t)
			// The first webhook's secrets sealed with key 2, the second's
			// with key 1 (an operator who went back to an older key).
			s := testenv.StartServer(t, kind, map[string]string{"SCOOPA_ENCRYPTION_KEYS": k2})
			folderID, _, secrets := secretsWebhook(t, s, rc)
			s.Stop()
			env := s.Env
			env["SCOOPA_ENCRYPTION_KEYS"] = k1
			s = testenv.StartServer(t, kind, env)
			authID, certPEM, _ := authSecretsWebhook(t, s)
			s.Stop()
			before := rawSecrets(t, s)
			for _, tc := range []struct {
				name, keys, want string
			}{
				{name: "key 1 missing", keys: k2 + "," + k3, want: "sealed with encryption key version 1, which is not configured"},
				{name: "key 1 wrong", keys: wrong + "," + k2 + "," + k3, want: "does not open with encryption key version 1"},
				{name: "no keys", keys: "", want: "encryption key version"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					env := maps.Clone(s.Env)
					env["SCOOPA_ENCRYPTION_KEYS"] = tc.keys
					if tc.keys == "" {
						delete(env, "SCOOPA_ENCRYPTION_KEYS")
					}
					cfg, err := app.LoadConfig("test", nil, testenv.Getenv(env), io.Discard)
					if err != nil {
						t.Fatal(err)
					}
					n, _, err := app.RotateKey(context.Background(), cfg, testenv.Logger(t, 0))
					if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was rewritten") {
						t.Errorf("RotateKey = %d, %v; want an error saying %q and that nothing was rewritten", n, err, tc.want)
					}
					if n != 0 {
						t.Errorf("RotateKey rewrote %d values", n)
					}
					if after := rawSecrets(t, s); strings.Join(after, " ") != strings.Join(before, " ") {
						t.Errorf("a refused rotate-key rewrote rows:\n%q\n%q", before, after)
					}
				})
			}
			// With every key, it goes through.
			env = maps.Clone(s.Env)
			env["SCOOPA_ENCRYPTION_KEYS"] = k1 + "," + k2 + "," + k3
			cfg, err := app.LoadConfig("test", nil, testenv.Getenv(env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if n, version, err := app.RotateKey(context.Background(), cfg, testenv.Logger(t, 0)); err != nil || n != 6 || version != 3 {
				t.Fatalf("RotateKey = %d, %d, %v; want 6 values sealed with version 3", n, version, err)
			}
			checkEncrypted(t, s, 3, partnerCredential, oauthClientSecret)
			s = testenv.StartServer(t, kind, env)
			deliverOne(t, s, rc, folderID, secrets)
			checkAuthSecretsOpen(t, s, authID, certPEM)
		})
	}
}

// The longest header value the API accepts still fits once sealed.
func TestLongestHeaderValueSealed(t *testing.T) {
	t.Parallel()
	eachBackend(t, nil, func(t *testing.T, s *testenv.Server) {
		rc := testenv.NewReceiver(t)
		long := strings.Repeat("v", 8192)
		r := s.Do(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": "Long", "url": rc.URL, "headers": []map[string]any{{"name": "X-Long", "value": long}}}})
		if len(r.Errors) > 0 {
			t.Fatalf("createWebhook with an 8192-byte header value: %+v", r.Errors)
		}
		if v := rc.Validations(); len(v) != 1 || v[0].Header.Get("X-Long") != long {
			t.Errorf("the validation call did not carry the 8192-byte value")
		}
	})
}
