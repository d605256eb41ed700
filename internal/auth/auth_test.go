package auth_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/scoopa/webhooks/ent/apitoken"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/testenv"
)

// InvalidTokens names the revoked, expired and unknown tokens among those
// asked about, and only those.
func TestInvalidTokens(t *testing.T) {
	t.Parallel()
	_, client, err := app.OpenPostgres(testenv.NewPostgresDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	tokens := auth.NewTokens(client, time.Now, testenv.Logger(t, 0))
	ctx := context.Background()
	mint := func(name string, expires *time.Time) int {
		tok, _, err := tokens.Create(ctx, auth.CreateAPITokenInput{Name: name, Role: apitoken.RoleADMIN, ExpiresAt: expires})
		if err != nil {
			t.Fatal(err)
		}
		return tok.ID
	}
	later := time.Now().Add(time.Hour)
	valid, expiring, revoked, expired := mint("valid", nil), mint("expiring", &later), mint("revoked", nil), mint("expired", &later)
	if _, err := tokens.Revoke(ctx, revoked); err != nil {
		t.Fatal(err)
	}
	if err := client.APIToken.UpdateOneID(expired).SetExpiresAt(time.Now().Add(-time.Second)).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	const unknown = 999999
	got, err := tokens.Invalid(ctx, []int{valid, expiring, revoked, expired, unknown})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{revoked, expired, unknown}; !slices.Equal(got, want) {
		t.Errorf("InvalidTokens = %v, want %v", got, want)
	}
}
