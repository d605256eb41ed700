// Package graph is the GraphQL API: the schema (*.graphqls), the resolvers
// (thin calls into package worker) and the HTTP handler that serves them.
package graph

import (
	"log/slog"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/worker"
)

// Resolver holds the dependencies of the resolvers.
type Resolver struct {
	db             *ent.Client
	svc            *worker.Service
	broker         *worker.Broker
	maxUploadBytes int64
	log            *slog.Logger
}
