package sender

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/problem"
)

func FuzzVerify(f *testing.F) {
	f.Add([]byte("k"), byte(0), vectorMsgID, int64(vectorTS), []byte(vectorBody), vectorSecret, strconv.Itoa(vectorTS), vectorSig)
	f.Add([]byte{}, byte(3), "", int64(0), []byte{}, "whsec_", "", "")
	f.Add([]byte("x"), byte(255), "msg.1", int64(-1), []byte("\x00"), "!!!", "+1", "v1, v1,, ,v1 v1,AAAA")
	f.Add([]byte("x"), byte(7), "m", int64(1<<62), []byte("{}"), "whsec_AA==", "9223372036854775807", "v1,"+strings.Repeat("A", 44))
	f.Fuzz(func(t *testing.T, keySeed []byte, flip byte, msgID string, sec int64, body []byte,
		secret, timestamp, signature string) {
		now := time.Unix(sec, 0)
		// Arbitrary input never panics.
		if err := Verify(secret, msgID, timestamp, signature, body, now, tolerance); err == nil {
			// Only a signature made with this secret for these values verifies;
			// the fuzzer cannot forge one, so it must be one of the seeds.
			// (Compared decoded: the decoder ignores the unused trailing bits.)
			// Signed for the header's timestamp, which may differ from now
			// within the tolerance.
			hdrSec, _ := strconv.ParseInt(timestamp, 10, 64)
			want, serr := Sign(msgID, time.Unix(hdrSec, 0), body, secret)
			wantMAC, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(want, "v1,"))
			found := false
			for _, part := range strings.Fields(signature) {
				got, derr := base64.StdEncoding.DecodeString(strings.TrimPrefix(part, "v1,"))
				found = found || (serr == nil && derr == nil && strings.HasPrefix(part, "v1,") && bytes.Equal(got, wantMAC))
			}
			if !found {
				t.Fatalf("Verify accepted %q for secret %q, which Sign does not make (%q)", signature, secret, want)
			}
		}

		keyA := fuzzKey(keySeed)
		keyB := append([]byte{}, keyA...)
		keyB[int(flip)%len(keyB)] ^= 1 << (flip % 8)
		secretA := SecretPrefix + base64.StdEncoding.EncodeToString(keyA)
		secretB := SecretPrefix + base64.StdEncoding.EncodeToString(keyB)
		ts := strconv.FormatInt(sec, 10)
		sigB, err := Sign(msgID, now, body, secretB)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(secretB, msgID, ts, sigB, body, now, tolerance); err != nil {
			t.Fatalf("Verify(Sign(...)) = %v, want nil", err)
		}
		if err := Verify(secretA, msgID, ts, sigB, body, now, tolerance); !errors.Is(err, problem.ErrBadSignature) {
			t.Fatalf("Verify accepted a signature made with another secret: %v", err)
		}
		if err := Verify(secretA, msgID, ts, signature+" "+sigB, body, now, tolerance); err == nil {
			t.Fatalf("Verify accepted %q + a signature made with another secret", signature)
		}
	})
}

// fuzzKey makes a 24-byte signing key, the size NewSigningSecret makes,
// from arbitrary bytes.
func fuzzKey(b []byte) []byte {
	k := make([]byte, 24)
	copy(k, b)
	return k
}
