package files

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/problem"
)

func FuzzLinkCheck(f *testing.F) {
	f.Add([]byte("key"), "42", int64(1700003600), int64(1700000000), "43", "1700003601", "sig")
	f.Add([]byte{}, "sample", int64(1), int64(0), "sample", "+1", "")
	f.Add([]byte(strings.Repeat("k", 100)), "a/b:1", int64(2), int64(1), "a/b", "1:2", "x")
	f.Add([]byte("\x00"), "", int64(-5), int64(-10), "", "-5", "-")
	f.Add([]byte("k"), "x", int64(1<<62), int64(1<<61), "x", "04611686018427387904", "")
	f.Fuzz(func(t *testing.T, key []byte, id string, exp, now int64, mutID, mutExp, mutSig string) {
		const base = "https://files.example.test"
		ls := NewLinkSigner(key, base)
		link := ls.DownloadURL(id, time.Unix(exp, 0))
		gotID, gotExp, gotSig := linkParts(t, base, link)
		if gotID != id || gotExp != strconv.FormatInt(exp, 10) {
			t.Fatalf("DownloadURL(%q, %d) = %q: id %q, expires %q", id, exp, link, gotID, gotExp)
		}
		at := time.Unix(now, 0)
		err := ls.CheckDownload(gotID, gotExp, gotSig, at)
		if wantOK := exp > 0 && now <= exp; (err == nil) != wantOK {
			t.Fatalf("CheckDownload(own link %q) at %d = %v, want ok=%v", link, now, err, wantOK)
		}
		if err != nil && !errors.Is(err, problem.ErrBadSignature) {
			t.Fatalf("CheckDownload = %v, want an problem.ErrBadSignature", err)
		}
		// Anything but the exact values is refused.
		for _, c := range [][3]string{
			{mutID, gotExp, gotSig}, {gotID, mutExp, gotSig}, {gotID, gotExp, mutSig},
			{mutID, mutExp, gotSig}, {mutID, mutExp, mutSig}, {gotID + mutID, gotExp, gotSig},
			{gotID, gotExp + mutExp, gotSig}, {gotID, gotExp, gotSig + mutSig},
		} {
			if c == [3]string{gotID, gotExp, gotSig} {
				continue
			}
			if err := ls.CheckDownload(c[0], c[1], c[2], at); !errors.Is(err, problem.ErrBadSignature) {
				t.Fatalf("CheckDownload(%q, %q, %q) = %v for a link of (%q, %q, %q), want problem.ErrBadSignature",
					c[0], c[1], c[2], err, gotID, gotExp, gotSig)
			}
		}
		// Another key refuses the link. (Flipping a byte keeps the keys
		// distinct for HMAC, which pads short keys with zeros.)
		other := append([]byte{}, key...)
		if len(other) == 0 {
			other = []byte("other")
		} else {
			other[0] ^= 0x80
		}
		if err := NewLinkSigner(other, base).CheckDownload(gotID, gotExp, gotSig, at); !errors.Is(err, problem.ErrBadSignature) {
			t.Fatalf("CheckDownload with another key = %v, want problem.ErrBadSignature", err)
		}
	})
}
