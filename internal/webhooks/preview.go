package webhooks

import (
	"context"
	"fmt"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/file"
	"github.com/scoopa/webhooks/ent/folder"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/rules"
)

// PreviewFiles is how many of the newest files a preview examines.
const PreviewFiles = 1000

// PreviewNames is how many names of matched files a preview answers.
const PreviewNames = 20

// PreviewInput is a webhook's folders and filters, as it would be saved.
type PreviewInput struct {
	FolderIDs    []int
	AllFolders   *bool
	Filter       *string
	ContentTypes []string
	NameGlob     *string
	MinSizeBytes *int64
	MaxSizeBytes *int64
}

// Preview is what a webhook would have fired for among recent files.
type Preview struct {
	Matched  int
	Examined int
	// Names are the names of the first PreviewNames matched files, newest
	// first.
	Names []string
}

// Preview examines the last PreviewFiles files of the folders of in (of
// every folder with AllFolders) and counts those that a webhook with its
// filters would have fired for: the filters are checked as when a webhook
// is saved, and matched as delivery matches them (FilterOf, appliesTo).
func (s *Service) Preview(ctx context.Context, in PreviewInput) (*Preview, error) {
	wh := &ent.Webhook{Filter: in.Filter, ContentTypes: rules.NormalContentTypes(in.ContentTypes),
		NameGlob: in.NameGlob, MinSizeBytes: in.MinSizeBytes, MaxSizeBytes: in.MaxSizeBytes}
	if wh.NameGlob != nil && *wh.NameGlob == "" {
		wh.NameGlob = nil
	}
	errs := []error{rules.CheckContentTypes("contentTypes", in.ContentTypes),
		rules.CheckSizeRange("minSizeBytes", "maxSizeBytes", in.MinSizeBytes, in.MaxSizeBytes)}
	if in.Filter != nil {
		errs = append(errs, rules.CheckFilter("filter", *in.Filter))
	}
	if wh.NameGlob != nil {
		errs = append(errs, rules.CheckGlob("nameGlob", *wh.NameGlob))
	}
	if err := problem.Gather(errs...); err != nil {
		return nil, err
	}
	all := in.AllFolders != nil && *in.AllFolders
	out := &Preview{Names: []string{}}
	if !all && len(in.FolderIDs) == 0 {
		return out, nil
	}
	q := s.db.File.Query()
	if !all {
		found, err := s.db.Folder.Query().Where(folder.IDIn(in.FolderIDs...)).IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("preview: look up folders: %w", err)
		}
		if len(found) < len(dedupe(in.FolderIDs)) {
			have := map[int]bool{}
			for _, id := range found {
				have[id] = true
			}
			for _, id := range in.FolderIDs {
				if !have[id] {
					return nil, problem.Invalid("folderIDs", "folder %d does not exist", id)
				}
			}
		}
		q.Where(file.HasFolderWith(folder.IDIn(in.FolderIDs...)))
	}
	files, err := q.Order(ent.Desc(file.FieldCreatedAt), ent.Desc(file.FieldID)).Limit(PreviewFiles).
		Select(file.FieldName, file.FieldContentType, file.FieldSizeBytes).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("preview: files: %w", err)
	}
	match := FilterOf(wh)
	out.Examined = len(files)
	for _, f := range files {
		if !match.Matches(f.Name, f.ContentType, f.SizeBytes) {
			continue
		}
		out.Matched++
		if len(out.Names) < PreviewNames {
			out.Names = append(out.Names, f.Name)
		}
	}
	return out, nil
}

// dedupe answers ids without repeats.
func dedupe(ids []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
