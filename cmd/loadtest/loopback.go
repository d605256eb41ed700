package main

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// The tool sends a burst of traffic and opens a listener: both are kept on
// this machine. A host is accepted when it is "localhost" or a literal
// loopback address (127.0.0.0/8, ::1, or 127.x mapped into IPv6).

// isLoopbackHost reports whether host (without port or brackets) is
// localhost or a loopback IP address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	if err != nil || a.Zone() != "" {
		return false
	}
	return a.Unmap().IsLoopback()
}

// checkLoopbackURL accepts an absolute http or https URL on a loopback host.
func checkLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%q is not an absolute http or https URL", raw)
	}
	if u.User != nil {
		return fmt.Errorf("%q must not contain credentials; use -token", raw)
	}
	if !isLoopbackHost(u.Hostname()) {
		return fmt.Errorf("host %q is not loopback (127.0.0.0/8, ::1 or localhost): the load test only runs against this machine", u.Hostname())
	}
	return nil
}

// checkLoopbackAddr accepts a host:port listen address on a loopback host.
// An empty host (":8080") would listen on every interface, so it is refused.
func checkLoopbackAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %w", addr, err)
	}
	if port == "" {
		return fmt.Errorf("%q has no port (use 0 for any free port)", addr)
	}
	if !isLoopbackHost(host) {
		return fmt.Errorf("host %q is not loopback (127.0.0.0/8, ::1 or localhost)", host)
	}
	return nil
}

// checkLocalServiceURL accepts a postgres:// or redis:// URL (scheme one of
// schemes) on a loopback host: the backends' CPU time is read on this
// machine. Credentials in it are allowed (a database password).
func checkLocalServiceURL(raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	ok := false
	for _, s := range schemes {
		ok = ok || u.Scheme == s
	}
	if !ok || u.Host == "" {
		return fmt.Errorf("not a %s URL with a host", strings.Join(schemes, " or "))
	}
	if !isLoopbackHost(u.Hostname()) {
		return fmt.Errorf("host %q is not loopback (127.0.0.0/8, ::1 or localhost): the CPU time of its processes is read on this machine", u.Hostname())
	}
	return nil
}
