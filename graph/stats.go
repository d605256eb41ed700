package graph

import "github.com/scoopa/webhooks/internal/stats"

// statsOf is the GraphQL form of a webhook's delivery health.
func statsOf(s *stats.Report) *WebhookDeliveryStats {
	out := &WebhookDeliveryStats{
		From:          s.From,
		To:            s.To,
		BucketSeconds: int(s.Bucket.Seconds()),
		Buckets:       bucketsOf(s.Buckets),
		Total:         bucketOf(s.Total),
		SuccessRate:   s.SuccessRate,
		Errors:        make([]*WebhookErrorCount, len(s.Errors)),
		Fetches:       &s.Fetches,
	}
	for i, e := range s.Errors {
		out.Errors[i] = &WebhookErrorCount{Kind: e.Kind, Count: e.Count, LastSeen: e.LastSeen, LastFailedAt: e.LastFailedAt}
	}
	return out
}

func bucketsOf(bs []stats.Bucket) []*WebhookStatsBucket {
	out := make([]*WebhookStatsBucket, len(bs))
	for i, b := range bs {
		out[i] = bucketOf(b)
	}
	return out
}

func bucketOf(b stats.Bucket) *WebhookStatsBucket {
	return &WebhookStatsBucket{
		Start: b.Start, Succeeded: b.Succeeded, Failed: b.Failed, Retrying: b.Retrying,
		LatencyP50Ms: b.P50, LatencyP95Ms: b.P95,
	}
}
