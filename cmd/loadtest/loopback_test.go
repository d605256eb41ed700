package main

import "testing"

func TestCheckLoopbackURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.0.0.1", true},
		{"https://127.9.8.7:443/base", true},
		{"http://localhost:8080", true},
		{"http://LocalHost:8080", true},
		{"http://[::1]:8080", true},
		{"http://[::ffff:127.0.0.1]:8080", true},
		{"http://10.0.0.1:8080", false},
		{"http://192.168.1.1", false},
		{"http://0.0.0.0:8080", false},
		{"http://[::]:8080", false},
		{"http://example.com", false},
		{"http://127.0.0.1.nip.io", false},
		{"http://localhost.example.com", false},
		{"http://127.0.0.1@example.com", false}, // the host is example.com
		{"http://user:pw@127.0.0.1", false},
		{"http://[fe80::1%25lo]:80", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
		{"", false},
		{"http://", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := checkLoopbackURL(tt.url)
			if (err == nil) != tt.want {
				t.Errorf("checkLoopbackURL(%q) = %v, want ok %v", tt.url, err, tt.want)
			}
		})
	}
}

func TestCheckLoopbackAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:0", true},
		{"127.0.0.2:18190", true},
		{"localhost:0", true},
		{"[::1]:0", true},
		{":0", false}, // every interface
		{"0.0.0.0:0", false},
		{"[::]:0", false},
		{"10.1.2.3:0", false},
		{"example.com:80", false},
		{"127.0.0.1", false},
		{"127.0.0.1:", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := checkLoopbackAddr(tt.addr)
			if (err == nil) != tt.want {
				t.Errorf("checkLoopbackAddr(%q) = %v, want ok %v", tt.addr, err, tt.want)
			}
		})
	}
}

func FuzzCheckLoopbackURL(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:8080", "http://[::1]/", "http://localhost", "http://a@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if checkLoopbackURL(raw) != nil {
			return
		}
		// Whatever was accepted must have a loopback host.
		u := mustParse(t, raw)
		if !isLoopbackHost(u) {
			t.Errorf("accepted %q with host %q", raw, u)
		}
	})
}
