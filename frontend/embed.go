// Package frontend embeds the built admin console (frontend/dist/app, made
// by `make console`) and serves it, and the GraphQL playground built with it.
package frontend

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// notBuilt is served at / when the binary was built without the console.
const notBuilt = `<!doctype html><meta charset="utf-8"><title>scoopa webhooks</title>
<h1>The console is not built into this binary</h1>
<p>Build it with <code>make console</code> (or <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>)
and rebuild the server; <code>make run</code> does both. The GraphQL API is at <a href="/graphql">/graphql</a>.</p>`

// playgroundNotBuilt is served at /playground when the binary was built
// without the console, which bundles the playground.
const playgroundNotBuilt = `<!doctype html><meta charset="utf-8"><title>scoopa webhooks – GraphQL playground</title>
<h1>The GraphQL playground is not built into this binary</h1>
<p>It is built with the console: <code>make console</code> (or <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>),
then rebuild the server. The GraphQL API is at <a href="/graphql">/graphql</a>.</p>`

// Playground serves the GraphQL playground (GraphiQL, frontend/playground.html
// as built) to GET and HEAD. Its scripts, styles and workers are files of the
// console's build under /assets/, which Handler serves: the page loads
// nothing from another origin.
func Playground() http.Handler {
	app, _ := fs.Sub(dist, "dist/app")
	return playground(app)
}

func playground(app fs.FS) http.Handler {
	page, err := fs.ReadFile(app, "playground.html")
	if err != nil {
		page = []byte(playgroundNotBuilt)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed: the playground answers GET and HEAD", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		if err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_, _ = w.Write(page)
	})
}

// Handler serves the console to GET and HEAD: files of the build, hashed
// assets cached as immutable, and index.html for every other path
// (client-side routes; the console shows its own "not found" page). Other
// methods get 405 with an Allow header: the console never answers a POST,
// so a webhook pointed at it cannot pass as a receiver.
func Handler() http.Handler {
	app, _ := fs.Sub(dist, "dist/app")
	return handler(app)
}

func handler(app fs.FS) http.Handler {
	index, err := fs.ReadFile(app, "index.html")
	files := http.FileServerFS(app)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed: the console answers GET and HEAD", http.StatusMethodNotAllowed)
			return
		}
		if err != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(notBuilt))
			return
		}
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p != "" && p != "index.html" {
			if st, statErr := fs.Stat(app, p); statErr == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(w, r)
				return
			}
			if strings.HasPrefix(p, "assets/") {
				http.NotFound(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(index)
	})
}

// The console's typed GraphQL documents (src/gql) are generated from the
// schema in graph/; without node_modules the step is skipped with a notice.
//go:generate sh -c "if [ -d node_modules ]; then npm run --silent codegen; else echo 'frontend: node_modules missing, codegen skipped (npm ci)'; fi"
