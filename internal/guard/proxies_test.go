package guard

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Behind trusted proxies the client is the right-most X-Forwarded-For
// address that is not itself a trusted proxy; from any other peer the
// header is ignored.
func TestTrustProxies(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.0/8, 192.0.2.7 ,fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, proxies, peer string
		xff                 []string
		want                string
	}{
		{"no proxies: the peer", "", "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"untrusted peer: a spoofed header is ignored", "10.0.0.0/8", "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"trusted peer: the address it added", "10.0.0.0/8", "10.1.2.3:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"what the client wrote is not believed", "10.0.0.0/8", "10.1.2.3:4000", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"proxies in a chain are skipped", "all", "10.1.2.3:4000", []string{"1.2.3.4, 198.51.100.1, 192.0.2.7", "10.9.9.9"}, "198.51.100.1"},
		{"IPv6 client and proxy", "all", "[fd00::1]:443", []string{"2001:db8::5"}, "2001:db8::5"},
		{"entries with ports", "all", "10.1.2.3:4000", []string{"[2001:db8::5]:1234", "198.51.100.1:80"}, "198.51.100.1"},
		{"no header: the proxy", "all", "10.1.2.3:4000", nil, "10.1.2.3"},
		{"only proxies: the left-most", "all", "10.1.2.3:4000", []string{"10.0.0.9, 192.0.2.7"}, "10.0.0.9"},
		{"garbage stops the walk", "all", "10.1.2.3:4000", []string{"198.51.100.1, unknown"}, "10.1.2.3"},
		{"IPv4-mapped peer", "all", "[::ffff:10.1.2.3]:4000", []string{"198.51.100.1"}, "198.51.100.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := proxies
			if tc.proxies != "all" {
				if ps, err = ParseProxies(tc.proxies); err != nil {
					t.Fatal(err)
				}
			}
			var got string
			h := TrustProxies(ps, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = ClientAddr(r) }))
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if got != tc.want {
				t.Errorf("client %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseProxies(t *testing.T) {
	for _, bad := range []string{"proxy.example", "10.0.0.0/33", "10.0.0.1/", "fe80::1%eth0"} {
		if _, err := ParseProxies("10.0.0.0/8," + bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	ps, err := ParseProxies(" , 10.1.2.3/8,::1")
	if err != nil || len(ps) != 2 || ps[0].String() != "10.0.0.0/8" || ps[1].String() != "::1/128" {
		t.Errorf("%v %v", ps, err)
	}
}
