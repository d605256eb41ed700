package wake

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// CheckedAsynq is the Asynq version the lane's scripts were checked against.
const CheckedAsynq = checkedAsynq

// Finish runs the lane's finish script: the task deleted (retryAt 0) or
// left scheduled for a retry at retryAt.
func Finish(ctx context.Context, rdb redis.UniversalClient, queue, id string, retryAt int64) error {
	return finish.Run(ctx, rdb, []string{scheduledKey(queue), taskKey(queue, id), runningKey(queue)}, id, retryAt).Err()
}

// EnqueueThroughClient enqueues a task to run now the other way, the one
// the benchmarks measure the script against: Asynq's own client schedules
// it (one script), then one pipeline pushes its wake entry. It is what
// EnqueueContext did before the script, for the options the benchmarks
// give (queue, task ID, retries, timeout).
func (q *Queue) EnqueueThroughClient(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error) {
	e := entry{Type: t.Type(), Payload: t.Payload(), MaxRetry: 25, Timeout: defaultTimeout}
	queue := "default"
	for _, o := range opts {
		switch o.Type() {
		case asynq.QueueOpt:
			queue = o.Value().(string)
		case asynq.TaskIDOpt:
			e.ID = o.Value().(string)
		case asynq.MaxRetryOpt:
			e.MaxRetry = o.Value().(int)
		case asynq.TimeoutOpt:
			e.Timeout = o.Value().(time.Duration)
		default:
			panic("EnqueueThroughClient: option not measured: " + o.String())
		}
	}
	due := time.Now().Add(q.Backstop).Add(time.Second - 1).Truncate(time.Second)
	e.Due = due.Unix()
	info, err := q.client.EnqueueContext(ctx, t, append(opts, asynq.ProcessAt(due))...)
	if err != nil {
		return nil, err
	}
	e.ID = info.ID
	b, _ := json.Marshal(e)
	key := Key(queue)
	_, err = q.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.RPush(ctx, key, b)
		p.LTrim(ctx, key, int64(-q.Max), -1)
		return nil
	})
	return info, err
}
