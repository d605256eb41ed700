package sender

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"sync"

	"github.com/scoopa/webhooks/ent"
)

// tlsClients keeps, per webhook with a client certificate or CA
// certificates of its own, an HTTP client whose transport presents them
// (on the sender's guarded dialer): built once, reused by every call, and
// rebuilt when the webhook's TLS settings change (the fingerprint of the
// certificate, key and CA differs from the one it was built for).
type tlsClients struct {
	mu      sync.Mutex
	clients map[int]tlsClient
}

type tlsClient struct {
	sum    [32]byte
	client *http.Client
}

// maxTLSClients bounds the clients kept; beyond it the map starts afresh.
const maxTLSClients = 10000

// clientFor returns the client that calls wh (opened: its key in plain): the
// sender's own when wh has no TLS settings.
func (s *Sender) clientFor(wh *ent.Webhook) (*http.Client, error) {
	if wh.ClientCert == nil && wh.CaCert == nil {
		return s.client, nil
	}
	h := sha256.New()
	for _, p := range []*string{wh.ClientCert, wh.ClientKey, wh.CaCert} {
		if p != nil {
			h.Write([]byte(*p))
		}
		h.Write([]byte{0})
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	s.tls.mu.Lock()
	defer s.tls.mu.Unlock()
	if c, ok := s.tls.clients[wh.ID]; ok && c.sum == sum {
		return c.client, nil
	}
	cfg, err := tlsConfigOf(wh)
	if err != nil {
		return nil, err
	}
	if old, ok := s.tls.clients[wh.ID]; ok {
		old.client.CloseIdleConnections()
	}
	if s.tls.clients == nil || len(s.tls.clients) >= maxTLSClients {
		s.tls.clients = map[int]tlsClient{}
	}
	tr := s.base.Clone()
	tr.TLSClientConfig = cfg
	c := noRedirects(tr)
	s.tls.clients[wh.ID] = tlsClient{sum: sum, client: c}
	return c, nil
}

// tlsConfigOf builds the TLS settings of wh's calls.
func tlsConfigOf(wh *ent.Webhook) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if wh.ClientCert != nil {
		if wh.ClientKey == nil {
			return nil, fmt.Errorf("TLS: the client certificate of webhook %d has no key", wh.ID)
		}
		pair, err := tls.X509KeyPair([]byte(*wh.ClientCert), []byte(*wh.ClientKey))
		if err != nil {
			return nil, fmt.Errorf("TLS: client certificate of webhook %d: %v", wh.ID, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	if wh.CaCert != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(*wh.CaCert)) {
			return nil, fmt.Errorf("TLS: the CA certificates of webhook %d hold no certificate", wh.ID)
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}
