# The two commands of the README:
#   make run    start the whole system (embedded backends, console included)
#   make test   run every test (Go on PostgreSQL + Redis and embedded, console, browser)

GO      ?= go
BIN     := bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/scoopa/webhooks/internal/app.Version=$(VERSION)
GENERATED := ent graph frontend/src/gql

.PHONY: run build console test vet check-generate generate test-go test-console test-e2e test-faults test-multinode clean

run: console build
	@mkdir -p data
	$(BIN)/scoopa-server

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/scoopa-server ./cmd/server
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/scoopa-worker ./cmd/worker
	$(GO) build -o $(BIN)/scoopa-listen ./cmd/scoopa-listen

# The console is built when its sources are newer than the build, and
# skipped with a notice where Node.js is missing (the server then says how
# to build it).
console: frontend/dist/app/index.html

frontend/dist/app/index.html: $(shell find frontend/src frontend/index.html frontend/package.json -type f 2>/dev/null)
	@if command -v npm >/dev/null 2>&1; then \
		cd frontend && { [ -d node_modules ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; } && npm run build; \
	else \
		echo "npm not found: the console is not built (install Node.js 20+ and run make console)"; \
	fi

generate:
	$(GO) generate ./...

# Generated code is committed: regenerating must change nothing.
check-generate:
	$(GO) generate ./...
	@if [ -n "$$(git status --porcelain -- $(GENERATED))" ]; then \
		echo "generated code is out of date; run 'go generate ./...' and commit:"; \
		git status --porcelain -- $(GENERATED); exit 1; \
	fi

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

# Four test packages at a time, eight tests of each: they mostly wait
# (servers starting, timers, receivers), not compute, so on two cores this
# cuts the wall time (measured: 2 m 17 s with -p 4 alone, 1 m 31 s).
# PostgreSQL's connections peaked at 63 of its 100 with -parallel 8.
test-go:
	$(GO) test -count=1 -p 4 -parallel 8 ./...

# The console's packages, installed from the lock file (never a browser).
frontend/node_modules: frontend/package-lock.json
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@

test-console: frontend/node_modules
	cd frontend && npm run check-engines && npm run typecheck && npm run test

test-e2e: frontend/node_modules
	cd frontend && npm run e2e

test-faults:
	$(GO) test -count=1 -tags faults -run Fault ./internal/webhooks/...

# Two servers and three workers as separate processes on one PostgreSQL,
# Redis and blob store, killed during a burst; -v prints its figures.
test-multinode:
	$(GO) test -count=1 -v -timeout 15m -tags multinode -run TestMultinode ./internal/webhooks/

test: frontend/node_modules vet check-generate test-go test-faults test-multinode test-console test-e2e

clean:
	rm -rf $(BIN) frontend/dist/app

# A new versioned migration for what ent/schema changed (needs PostgreSQL):
#   make migration NAME=add_something [DEV_DB=scratch_database_name]
DEV_DB ?= scoopa_migration_dev
migration:
	@test -n "$(NAME)" || { echo "usage: make migration NAME=..."; exit 1; }
	psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $(DEV_DB)" -c "CREATE DATABASE $(DEV_DB)"
	$(GO) run -mod=mod ./ent/migrate/migrations/diff.go -name $(NAME) -dev-url "postgres://postgres@127.0.0.1:5432/$(DEV_DB)?sslmode=disable"
	psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE $(DEV_DB)"
