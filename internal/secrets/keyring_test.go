package secrets

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestKeyring(t *testing.T) {
	k1 := map[int][]byte{1: []byte(strings.Repeat("1", 32))}
	k12 := map[int][]byte{1: k1[1], 2: []byte(strings.Repeat("2", 32))}
	secret := []byte("link-secret-key-0123456789abcdef")
	derived, err := NewKeyring(secret, nil)
	if err != nil || derived.Current() != 0 {
		t.Fatalf("NewKeyring(secret, nil) = %v, %v; want the derived key, version 0", derived, err)
	}
	ring1, _ := NewKeyring(secret, k1)
	ring12, _ := NewKeyring(secret, k12)
	ring2, _ := NewKeyring([]byte("another-link-secret-key-01234567"), map[int][]byte{2: k12[2]})

	sealed := ring1.Seal("Bearer abc", "webhook-header:Authorization")
	if !strings.HasPrefix(sealed, "enc:v1:") || strings.Contains(sealed, "abc") {
		t.Fatalf("Seal = %q, want enc:v1: and no plaintext", sealed)
	}
	if again := ring1.Seal("Bearer abc", "webhook-header:Authorization"); again == sealed {
		t.Error("two seals of one value are equal: the nonce is not fresh")
	}
	for _, tt := range []struct {
		name   string
		ring   *Keyring
		stored string
		aad    string
		want   string
		err    string
	}{
		{name: "same key", ring: ring1, stored: sealed, aad: "webhook-header:Authorization", want: "Bearer abc"},
		{name: "older key kept", ring: ring12, stored: sealed, aad: "webhook-header:Authorization", want: "Bearer abc"},
		{name: "key dropped", ring: ring2, stored: sealed, aad: "webhook-header:Authorization", err: "key version 1, which is not configured"},
		{name: "other use", ring: ring1, stored: sealed, aad: "webhook-header:X-Other", err: "does not open"},
		{name: "tampered", ring: ring1, stored: sealed[:len(sealed)-2] + "AA", aad: "webhook-header:Authorization", err: "does not open"},
		{name: "truncated", ring: ring1, stored: "enc:v1:" + base64.RawURLEncoding.EncodeToString([]byte("short")), aad: "x", err: "malformed"},
		{name: "plain (before migration)", ring: ring1, stored: "Bearer plain", aad: "x", want: "Bearer plain"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.ring.Open(tt.stored, tt.aad)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Open = %q, %v; want an error containing %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Open = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if !strings.HasPrefix(ring12.Seal("x", "y"), "enc:v2:") {
		t.Error("the highest version does not seal")
	}
}

func TestParseEncryptionKeys(t *testing.T) {
	hexKey := strings.Repeat("0f", 32)
	b64Key := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32)))
	keys, err := ParseEncryptionKeys(" 1:" + hexKey + ", v2:" + b64Key + ",")
	if err != nil || len(keys) != 2 || len(keys[1]) != 32 || string(keys[2]) != strings.Repeat("k", 32) {
		t.Fatalf("ParseEncryptionKeys = %v, %v", keys, err)
	}
	for _, bad := range []string{"", hexKey, "x:" + hexKey, "0:" + hexKey, "1:abc", "1:" + hexKey + ",1:" + hexKey} {
		if _, err := ParseEncryptionKeys(bad); err == nil {
			t.Errorf("ParseEncryptionKeys(%q) accepted", bad)
		}
	}
}
