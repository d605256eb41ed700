//go:build ignore

// This program writes a new migration file for what ent/schema changed
// since the last migration, replaying the directory on an empty dev
// database. Run it through `make migration NAME=...`.
package main

import (
	"context"
	"flag"
	"log"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	"github.com/scoopa/webhooks/ent/migrate"
)

func main() {
	name := flag.String("name", "", "name of the migration")
	dev := flag.String("dev-url", "", "URL of an empty PostgreSQL database to replay the migrations on")
	dir := flag.String("dir", "ent/migrate/migrations", "migration directory")
	flag.Parse()
	if *name == "" || *dev == "" {
		log.Fatal("need -name and -dev-url")
	}
	d, err := atlas.NewLocalDir(*dir)
	if err != nil {
		log.Fatal(err)
	}
	err = migrate.NamedDiff(context.Background(), *dev, *name,
		schema.WithDir(d),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialect.Postgres),
		schema.WithFormatter(atlas.DefaultFormatter),
		schema.WithDropIndex(true),
		schema.WithDropColumn(true),
	)
	if err != nil {
		log.Fatal(err)
	}
}
