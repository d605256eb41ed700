// Package graph is the GraphQL API: the schema (*.graphqls), the resolvers
// (thin calls into package webhooks, the domain) and the HTTP handler that serves them.
package graph

import (
	"log/slog"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/events"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// Resolver holds the dependencies of the resolvers.
type Resolver struct {
	db             *ent.Client
	svc            *webhooks.Service
	broker         *events.Broker
	maxUploadBytes int64
	log            *slog.Logger
}
