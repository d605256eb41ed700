package webhooks_test

import (
	"context"
	"errors"
	"testing"

	"github.com/scoopa/webhooks/ent/file"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// A folder is read from the database once for all the uploads to it; a
// folder that does not exist is asked for every time (it may be created).
func TestUploadsReadTheirFolderOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, client, svc := newPostgresService(t, webhooks.Config{})
	fol := client.Folder.Create().SetName("cached").SaveX(ctx)
	for i := range 3 {
		if _, _, err := svc.StoreFile(ctx, fol.ID, "f.mov", nil); err != nil {
			t.Fatalf("upload %d: %v", i, err)
		}
		if i == 0 {
			// The folder is renamed behind the service's back (no API
			// does this): the uploads after the first do not read it.
			client.Folder.UpdateOneID(fol.ID).SetName("renamed behind its back").ExecX(ctx)
		}
	}
	names := client.File.Query().Where(file.HasFolder()).CountX(ctx)
	if names != 3 {
		t.Fatalf("%d files stored, want 3", names)
	}
	got, _, err := svc.StoreFile(ctx, fol.ID, "g.mov", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := got.Edges.Folder.Name; n != "cached" {
		t.Errorf("the upload's folder is %q, want the one read first (%q): the folder was read again", n, "cached")
	}
	if _, _, err := svc.StoreFile(ctx, fol.ID+1000, "h.mov", nil); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("upload to a folder that does not exist: %v, want not found", err)
	}
}
