package calllog

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/scoopa/webhooks/ent/folder"
	"github.com/scoopa/webhooks/ent/predicate"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/problem"
)

// MaxSearchLen is the longest search text, in characters: longer ones are
// refused (no name is longer than 255, no URL longer than 2,048).
const MaxSearchLen = 255

// searchText trims a search text and checks its length. An empty text
// (after trimming) means no search: ok is false.
func searchText(field, s string) (text string, ok bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false, nil
	}
	if !utf8.ValidString(s) {
		return "", false, problem.Invalid(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > MaxSearchLen {
		return "", false, problem.Invalid(field, "is %d characters long, at most %d are allowed", n, MaxSearchLen)
	}
	return s, true, nil
}

// FolderSearch returns the predicate of a folder search: folders whose name
// contains s, ignoring case (and surrounding spaces of s); % and _ match
// themselves. On PostgreSQL it is an ILIKE '%s%' that the trigram index
// folder_name_trgm answers; on SQLite case is folded for ASCII letters only.
// An empty s matches every folder (nil predicate).
func FolderSearch(s string) (predicate.Folder, error) {
	s, ok, err := searchText("search", s)
	if !ok {
		return nil, err
	}
	return folder.NameContainsFold(s), nil
}

// WebhookSearch returns the predicate of a webhook search: webhooks whose
// name, URL or one of whose folders' names contains s, ignoring case; %
// and _ match themselves. The URL is searched for admins only: for anyone
// else it may hold credentials (see MaskURL) that a search would let them
// guess. An empty s matches every webhook (nil predicate).
func WebhookSearch(ctx context.Context, s string) (predicate.Webhook, error) {
	s, ok, err := searchText("search", s)
	if !ok {
		return nil, err
	}
	or := []predicate.Webhook{
		webhook.NameContainsFold(s),
		webhook.HasFoldersWith(folder.NameContainsFold(s)),
	}
	if auth.PrincipalFrom(ctx).IsAdmin() {
		or = append(or, webhook.URLContainsFold(s))
	}
	return webhook.Or(or...), nil
}
