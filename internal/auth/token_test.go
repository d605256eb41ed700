package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/problem"
)

func TestParseToken(t *testing.T) {
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	valid := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{name: "valid", token: valid, ok: true},
		{name: "all URL alphabet", token: TokenPrefix + strings.Repeat("-_", 21) + "A", ok: true},
		{name: "empty", token: ""},
		{name: "prefix only", token: TokenPrefix},
		{name: "no prefix", token: strings.TrimPrefix(valid, TokenPrefix)},
		{name: "upper-case prefix", token: "SCP_" + strings.TrimPrefix(valid, TokenPrefix)},
		{name: "bearer scheme kept", token: "Bearer " + valid},
		{name: "42 characters", token: valid[:len(valid)-1]},
		{name: "44 characters", token: valid + "A"},
		{name: "padded", token: valid + "="},
		{name: "standard alphabet", token: TokenPrefix + strings.Repeat("+/", 21) + "A"},
		{name: "space inside", token: valid[:10] + " " + valid[10:]},
		{name: "trailing space", token: valid + " "},
		{name: "LF inside", token: valid[:10] + "\n" + valid[10:]},
		{name: "CRLF at the end", token: valid + "\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hash, err := ParseToken(tt.token)
			if !tt.ok {
				if !errors.Is(err, problem.ErrUnauthenticated) {
					t.Errorf("ParseToken(%q) = %q, %v; want problem.ErrUnauthenticated", tt.token, hash, err)
				}
				return
			}
			sum := sha256.Sum256([]byte(tt.token))
			if want := hex.EncodeToString(sum[:]); err != nil || hash != want {
				t.Errorf("ParseToken(%q) = %q, %v; want %q, nil", tt.token, hash, err, want)
			}
		})
	}
}

func FuzzParseToken(f *testing.F) {
	f.Add(TokenPrefix + strings.Repeat("A", 43))
	f.Add(TokenPrefix + strings.Repeat("-_", 21) + "B")
	f.Add(TokenPrefix + strings.Repeat("A", 42) + "=")
	f.Add(TokenPrefix + strings.Repeat("A", 44))
	f.Add(TokenPrefix + strings.Repeat("+/", 22))
	f.Add("scp" + strings.Repeat("A", 44))
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		hash, err := ParseToken(token)
		if err != nil {
			if hash != "" || !errors.Is(err, problem.ErrUnauthenticated) {
				t.Fatalf("ParseToken(%q) = %q, %v; want \"\" and an problem.ErrUnauthenticated", token, hash, err)
			}
			return
		}
		rest, ok := strings.CutPrefix(token, TokenPrefix)
		if !ok || len(rest) != 43 || strings.Trim(rest, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			t.Fatalf("ParseToken accepted %q, not %q + 43 base64url characters", token, TokenPrefix)
		}
		if hash != hashToken(token) {
			t.Fatalf("ParseToken(%q) = %q, want its SHA-256 %q", token, hash, hashToken(token))
		}
	})
}
