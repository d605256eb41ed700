//go:build ignore

// This program writes a new migration file for what ent/schema changed
// since the last migration, replaying the directory on an empty dev
// database. Run it through `make migration NAME=...`.
//
// After editing a migration file by hand (reviewed SQL that Atlas cannot
// write, such as CREATE EXTENSION), write atlas.sum anew with
//
//	go run -mod=mod ./ent/migrate/migrations/diff.go -rehash
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
	rehash := flag.Bool("rehash", false, "only write atlas.sum anew for the files of the directory")
	flag.Parse()
	d, err := atlas.NewLocalDir(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if *rehash {
		sum, err := d.Checksum()
		if err != nil {
			log.Fatal(err)
		}
		if err := atlas.WriteSumFile(d, sum); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *name == "" || *dev == "" {
		log.Fatal("need -name and -dev-url")
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
