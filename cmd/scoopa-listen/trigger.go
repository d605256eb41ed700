package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
)

// lastFileQuery finds the file of the webhook's latest delivery that still
// has its file.
const lastFileQuery = `query LastFile($id: ID!) {
  webhookCalls(first: 1, orderBy: {field: CREATED_AT, direction: DESC}, where: {webhookID: $id, kind: DELIVERY, hasFile: true}) {
    edges { node { file { id name } } }
  }
}`

// trigger sends a test delivery of a file to the webhook (sendTestFile):
// the file given, or the one its latest delivery carried.
func trigger(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("trigger", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base, token, hook := commonFlags(fs, getenv)
	file := fs.String("file", "", "the ID of the file to send (default: the file of the webhook's latest delivery)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	id, err := webhookID(*hook)
	if err != nil {
		return err
	}
	if *file != "" {
		if _, err := strconv.ParseInt(*file, 10, 64); err != nil {
			return fmt.Errorf("--file %q: not a file ID (a number, as the console and the API show it)", *file)
		}
	}
	c, err := newClient(*base, *token)
	if err != nil {
		return err
	}
	wh, err := c.webhook(ctx, id)
	if err != nil {
		return err
	}
	fileID := *file
	if fileID == "" {
		var got struct {
			WebhookCalls struct {
				Edges []struct {
					Node struct{ File struct{ ID, Name string } }
				}
			}
		}
		if err := c.query(ctx, lastFileQuery, map[string]any{"id": id}, &got); err != nil {
			return err
		}
		if len(got.WebhookCalls.Edges) == 0 {
			return fmt.Errorf("webhook %s has delivered no file yet: name one with --file", id)
		}
		fileID = got.WebhookCalls.Edges[0].Node.File.ID
	}
	var sent struct {
		SendTestFile struct {
			ID       string
			FileName *string
		}
	}
	err = c.query(ctx, `mutation Trigger($webhook: ID!, $file: ID!) { sendTestFile(webhookID: $webhook, fileID: $file) { id fileName } }`,
		map[string]any{"webhook": id, "file": fileID}, &sent)
	var qe *queryError
	if errors.As(err, &qe) && qe.Extensions.Code == "NOT_FOUND" {
		return fmt.Errorf("no file %s for this token: %s", fileID, qe.Message)
	} else if err != nil {
		return err
	}
	name := ""
	if sent.SendTestFile.FileName != nil {
		name = *sent.SendTestFile.FileName
	}
	fmt.Fprintf(stdout, "test call=%s file=%q webhook=%q (%s) queued\n", sent.SendTestFile.ID, name, wh.Name, wh.ID)
	return nil
}
