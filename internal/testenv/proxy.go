package testenv

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Proxy forwards the TCP connections of a local port to a target (a
// PostgreSQL, a Redis, an S3 server), and can be taken down (the port
// refuses connections, those open are cut) and brought up again on the
// same port: a dependency going away and coming back.
type Proxy struct {
	// Addr is the proxy's address, host:port.
	Addr   string
	target string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
	// upstream are the proxy's connections to the target.
	upstream map[net.Conn]struct{}
	// hung: connections are taken and kept open, and nothing answers.
	hung bool
}

// StartProxy returns a proxy to target on a free port, up when up is true
// (else the port refuses until Up). It is taken down when the test ends.
func StartProxy(t testing.TB, target string, up bool) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{Addr: ln.Addr().String(), target: target, conns: map[net.Conn]struct{}{}, upstream: map[net.Conn]struct{}{}}
	if up {
		p.serve(ln)
	} else {
		ln.Close()
	}
	t.Cleanup(p.Down)
	return p
}

// Up makes the proxy forward again, on its port.
func (p *Proxy) Up(t testing.TB) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port may linger a moment after Down
		if ln, err = net.Listen("tcp", p.Addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("proxy up on %s: %v", p.Addr, err)
	}
	p.serve(ln)
}

// Hang makes the target silent rather than gone, as a host cut off by the
// network: the connections open stay open and new ones are taken, but no
// byte reaches the target and nothing answers, until Down.
func (p *Proxy) Hang() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hung = true
	for u := range p.upstream {
		u.Close()
		delete(p.upstream, u)
	}
}

// Down closes the port and cuts the connections open through it.
func (p *Proxy) Down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hung = false
	for u := range p.upstream {
		u.Close()
		delete(p.upstream, u)
	}
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) forward(c net.Conn) {
	if !p.track(c) {
		return
	}
	p.mu.Lock()
	hung := p.hung
	p.mu.Unlock()
	if hung {
		return // kept open, unanswered, until Down
	}
	u, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil || p.hung {
		p.mu.Unlock()
		u.Close()
		return
	}
	p.upstream[u] = struct{}{}
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(u, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, u); done <- struct{}{} }()
	<-done
	u.Close()
	p.mu.Lock()
	delete(p.upstream, u)
	if !p.hung {
		c.Close()
		delete(p.conns, c)
	}
	p.mu.Unlock()
}
