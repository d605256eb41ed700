package graph

//go:generate sh -c "cd .. && go run -mod=mod github.com/99designs/gqlgen generate --config gqlgen.yml"
