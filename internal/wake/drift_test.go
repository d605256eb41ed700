package wake_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/wake"
	"google.golang.org/protobuf/encoding/protowire"
)

// The lane writes and reads Asynq's private Redis layout (see the package
// comment). These tests fail when Asynq's layout drifts from the one the
// lane was checked against: a new Asynq version (TestAsynqVersionIsTheCheckedOne),
// other scripts or other keys and values for the same task
// (TestScriptWritesWhatAsynqWrites, TestFinishDeletesAsAsynqDoes), or an
// Asynq server that no longer runs what the script scheduled
// (TestAsynqRunsWhatTheScriptScheduled).

// recheck says what to read again in Asynq's source when a test fails.
const recheck = `Re-check in Asynq's source at the new version, against internal/wake/wake.go:
  - internal/rdb/rdb.go: scheduleCmd and RDB.Schedule, which scheduleAndWake copies (the task hash
    asynq:{<queue>}:t:<id> with fields msg and state "scheduled", the sorted set asynq:{<queue>}:scheduled
    scored in Unix seconds, the set asynq:queues), and forwardCmd, which moves due tasks from that set
    to pending (the lane's take and finish move the task's score in it);
  - internal/proto/asynq.proto, TaskMessage: taskMessage.encode writes fields 1-5, 8, 9, 12 and 15;
  - internal/rdb/inspect.go: deleteTaskCmd, which the lane's finish copies;
then update the copies, asynqScheduleCmd and asynqDeleteTaskCmd below, and checkedAsynq in wake.go.`

// asynqScheduleCmd is Asynq's script that schedules a task (scheduleCmd in
// internal/rdb/rdb.go), as of wake.CheckedAsynq, byte for byte.
const asynqScheduleCmd = `
if redis.call("EXISTS", KEYS[1]) == 1 then
	return 0
end
redis.call("HSET", KEYS[1],
           "msg", ARGV[1],
           "state", "scheduled")
redis.call("ZADD", KEYS[2], ARGV[2], ARGV[3])
return 1
`

// asynqDeleteTaskCmd is the SHA-1 of Asynq's script that deletes a task
// (deleteTaskCmd in internal/rdb/inspect.go), as of wake.CheckedAsynq.
const asynqDeleteTaskCmd = "ffa79e9140e5aafb8e967e8d3e5f4eaefb648091"

func sha(script string) string {
	s := sha1.Sum([]byte(script))
	return hex.EncodeToString(s[:])
}

// The Asynq in the build is the one the lane's scripts were checked
// against. Test binaries carry no list of modules (debug.ReadBuildInfo),
// so the version is read in the module's go.mod, which names the version
// of every module the build uses (Go 1.17 and later).
func TestAsynqVersionIsTheCheckedOne(t *testing.T) {
	const path = "github.com/hibiken/asynq"
	version, replaced := "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == path {
				version = m.Version
				if m.Replace != nil {
					replaced = m.Replace.Path + " " + m.Replace.Version
				}
			}
		}
	}
	if version == "" {
		version, replaced = goModVersion(t, path)
	}
	switch {
	case replaced != "":
		t.Fatalf("%s %s is replaced by %s; the wake lane was checked against %s.\n%s", path, version, replaced, wake.CheckedAsynq, recheck)
	case version != wake.CheckedAsynq:
		t.Fatalf("%s is %s in this build; the wake lane was checked against %s.\n%s", path, version, wake.CheckedAsynq, recheck)
	}
}

// goModVersion returns the version the module's go.mod requires of path,
// and what replaces it, if a replace directive names it.
func goModVersion(t *testing.T, path string) (version, replaced string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	for {
		if b, err = os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	block := ""
	for _, line := range strings.Split(string(b), "\n") {
		line, _, _ = strings.Cut(line, "//")
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
			continue
		case len(f) == 2 && f[1] == "(":
			block = f[0]
			continue
		case f[0] == ")":
			block = ""
			continue
		}
		directive := block
		if directive == "" {
			directive, f = f[0], f[1:]
		}
		if len(f) == 0 || f[0] != path {
			continue
		}
		switch directive {
		case "require":
			if len(f) > 1 {
				version = f[1]
			}
		case "replace":
			replaced = strings.Join(f[1:], " ")
			if _, to, ok := strings.Cut(replaced, "=>"); ok {
				replaced = strings.TrimSpace(to)
			}
		}
	}
	if version == "" {
		t.Fatalf("%s/go.mod does not require %s", dir, path)
	}
	return version, replaced
}

// recorder keeps the commands a client sends while it records, each as
// its name and arguments, a script's body as its SHA-1.
type recorder struct {
	mu   sync.Mutex
	on   bool
	cmds [][]string
}

func (r *recorder) DialHook(next redis.DialHook) redis.DialHook { return next }
func (r *recorder) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.add(cmd)
		return next(ctx, cmd)
	}
}
func (r *recorder) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.add(cmds...)
		return next(ctx, cmds)
	}
}

func (r *recorder) add(cmds ...redis.Cmder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.on {
		return
	}
	for _, cmd := range cmds {
		var args []string
		for _, a := range cmd.Args() {
			if b, ok := a.([]byte); ok {
				a = string(b)
			}
			args = append(args, fmt.Sprint(a))
		}
		switch args[0] {
		case "hello", "auth", "select", "client":
			continue
		case "eval", "evalsha", "evalsha_ro", "eval_ro":
			// The same script run either way: EVALSHA, or EVAL after NOSCRIPT.
			if args[0] == "eval" || args[0] == "eval_ro" {
				args[1] = sha(args[1])
			}
			args[0] = "evalsha"
			if len(r.cmds) > 0 && slices.Equal(r.cmds[len(r.cmds)-1], args) {
				continue
			}
		}
		r.cmds = append(r.cmds, args)
	}
}

// record returns the commands sent by f.
func (r *recorder) record(f func()) [][]string {
	r.mu.Lock()
	r.on, r.cmds = true, nil
	r.mu.Unlock()
	f()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return r.cmds
}

// recordedClient is a new client of the tests' Redis, recording.
func recordedClient(t *testing.T) (redis.UniversalClient, *recorder) {
	t.Helper()
	opts, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	rec := &recorder{}
	rdb.AddHook(rec)
	return rdb, rec
}

// message is a task's message (the hash's field "msg") field by field in
// wire order, each with its wire type, the queue's name as <queue>, and
// the headers' entries sorted (protocol buffers write a map in any order).
func message(t *testing.T, b []byte, queue string) string {
	t.Helper()
	var fields, headers []string
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("message: %v", protowire.ParseError(n))
		}
		b = b[n:]
		var f string
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				t.Fatalf("message: %v", protowire.ParseError(n))
			}
			b, f = b[n:], fmt.Sprintf("%d:varint:%d", num, v)
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				t.Fatalf("message: %v", protowire.ParseError(n))
			}
			b = b[n:]
			s := string(v)
			if num == 4 && s == queue {
				s = "<queue>"
			}
			f = fmt.Sprintf("%d:bytes:%q", num, s)
			if num == 15 {
				headers = append(headers, f)
				continue
			}
		default:
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				t.Fatalf("message: %v", protowire.ParseError(n))
			}
			b, f = b[n:], fmt.Sprintf("%d:type%d:%x", num, typ, b[:n])
		}
		fields = append(fields, f)
	}
	sort.Strings(headers)
	return strings.Join(append(fields, headers...), " ")
}

// layout is what Redis holds in a queue's Asynq keys (asynq:{<queue>}:*)
// and of the queue in Asynq's set of queues: each key, the queue's name
// as <queue>, with its type and content, a task's message by message.
func layout(t *testing.T, rdb redis.UniversalClient, queue string) map[string]string {
	t.Helper()
	ctx := context.Background()
	prefix := "asynq:{" + queue + "}:"
	keys, err := scanKeys(ctx, rdb, prefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range keys {
		typ := rdb.Type(ctx, k).Val()
		var v []string
		switch typ {
		case "hash":
			for f, s := range rdb.HGetAll(ctx, k).Val() {
				if f == "msg" {
					s = message(t, []byte(s), queue)
				}
				v = append(v, f+"="+s)
			}
			sort.Strings(v)
		case "zset":
			for _, z := range rdb.ZRangeWithScores(ctx, k, 0, -1).Val() {
				v = append(v, fmt.Sprintf("%v@%v", z.Member, z.Score))
			}
		case "list":
			v = rdb.LRange(ctx, k, 0, -1).Val()
		case "set":
			v = rdb.SMembers(ctx, k).Val()
			sort.Strings(v)
		case "string":
			v = []string{rdb.Get(ctx, k).Val()}
		default:
			v = []string{"(not compared)"}
		}
		out["asynq:{<queue>}:"+strings.TrimPrefix(k, prefix)] = typ + " " + strings.Join(v, " | ")
	}
	out["asynq:queues has <queue>"] = fmt.Sprint(rdb.SIsMember(ctx, "asynq:queues", queue).Val())
	return out
}

func scanKeys(ctx context.Context, rdb redis.UniversalClient, match string) ([]string, error) {
	var keys []string
	var cursor uint64
	for {
		ks, next, err := rdb.Scan(ctx, cursor, match, 1000).Result()
		if err != nil {
			return nil, err
		}
		keys = append(keys, ks...)
		if cursor = next; cursor == 0 {
			return keys, nil
		}
	}
}

// diff lists what differs between two layouts, ours and Asynq's.
func diff(ours, asynqs map[string]string, by, asynqBy string) []string {
	var d []string
	for k, w := range asynqs {
		if g, ok := ours[k]; !ok {
			d = append(d, fmt.Sprintf("%s: missing; %s: %s", k, asynqBy, w))
		} else if g != w {
			d = append(d, fmt.Sprintf("%s:\n\t%-18s %s\n\t%-18s %s", k, by+":", g, asynqBy+":", w))
		}
	}
	for k, g := range ours {
		if _, ok := asynqs[k]; !ok {
			d = append(d, fmt.Sprintf("%s: %s, not %s: %s", k, by, asynqBy, g))
		}
	}
	sort.Strings(d)
	return d
}

// The same tasks, enqueued through the lane's script in one queue and
// through Asynq's client in another, are the same in Redis: Asynq's
// client runs the script the lane copies, with the keys and arguments the
// lane gives its own, and leaves the same keys, types, fields and values
// (the message field by field). Asynq's keys only: the lane's own are
// its business.
func TestScriptWritesWhatAsynqWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb, rec := recordedClient(t)
	client := asynq.NewClientFromRedisClient(rdb)
	queue := wake.NewQueue(client, rdb)
	queue.Backstop = time.Hour
	ours, theirs := testenv.NewQueue(t), testenv.NewQueue(t)
	deadline := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	for i, tc := range []struct {
		name string
		task *asynq.Task
		opts []asynq.Option
	}{
		{"no options", asynq.NewTask("test:run", []byte(`{"a":1}`)), nil},
		{"a delivery's", asynq.NewTask("test:run", []byte("x")), []asynq.Option{asynq.MaxRetry(25), asynq.Timeout(90 * time.Second)}},
		{"no payload", asynq.NewTask("test:run", nil), nil},
		{"no retries", asynq.NewTask("test:run", []byte("x")), []asynq.Option{asynq.MaxRetry(0)}},
		{"deadline", asynq.NewTask("test:run", []byte("x")), []asynq.Option{asynq.Deadline(deadline)}},
		{"retention", asynq.NewTask("test:run", []byte("x")), []asynq.Option{asynq.Retention(time.Hour)}},
		{"headers", asynq.NewTaskWithHeaders("test:run", []byte("x"), map[string]string{"a": "1", "b": "two", "c": ""}), nil},
		{"due soon", asynq.NewTask("test:run", []byte("x")), []asynq.Option{asynq.ProcessIn(2 * time.Second)}},
	} {
		id := fmt.Sprint("drift-", i)
		var info *asynq.TaskInfo
		script := rec.record(func() {
			var err error
			info, err = queue.EnqueueContext(ctx, tc.task, append([]asynq.Option{asynq.Queue(ours), asynq.TaskID(id)}, tc.opts...)...)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		})
		opts := append([]asynq.Option{asynq.Queue(theirs), asynq.TaskID(id)}, tc.opts...)
		asynqs := rec.record(func() {
			if _, err := client.EnqueueContext(ctx, tc.task, append(opts, asynq.ProcessAt(info.NextProcessAt))...); err != nil {
				t.Fatalf("%s: Asynq's client: %v", tc.name, err)
			}
		})
		if err := sameCommands(t, script, asynqs, ours, theirs); err != nil {
			t.Errorf("%s: %v\nthe script sent %q\nAsynq's client %q\n%s", tc.name, err, script, asynqs, recheck)
		}
	}
	if d := diff(layout(t, rdb, ours), layout(t, rdb, theirs), "the script", "Asynq's client"); len(d) > 0 {
		t.Errorf("the tasks in Redis differ:\n%s\n%s", strings.Join(d, "\n"), recheck)
	}
}

// sameCommands tells whether the script's commands (those of one enqueue)
// are Asynq client's for the same task: the queue's name added to
// asynq:queues at the queue's first task, then asynqScheduleCmd, whose
// keys and arguments are the first of the script's (the message compared
// field by field).
func sameCommands(t *testing.T, script, asynqs [][]string, ours, theirs string) error {
	if len(script) != len(asynqs) {
		return fmt.Errorf("%d commands, Asynq's client %d", len(script), len(asynqs))
	}
	n := len(asynqs)
	if n == 2 {
		if want := []string{"sadd", "asynq:queues", theirs}; !slices.Equal(asynqs[0], want) {
			return fmt.Errorf("Asynq's client sent %q, want %q", asynqs[0], want)
		}
		if want := []string{"sadd", "asynq:queues", ours}; !slices.Equal(script[0], want) {
			return fmt.Errorf("the script's Queue sent %q, want %q", script[0], want)
		}
	} else if n != 1 {
		return fmt.Errorf("Asynq's client sent %d commands, want its script (after SADD at a queue's first task)", n)
	}
	a, s := asynqs[n-1], script[n-1]
	if a[0] != "evalsha" || a[1] != sha(asynqScheduleCmd) {
		return fmt.Errorf("Asynq's client ran %q, not the script the lane copies (SHA-1 %s)", a[:min(2, len(a))], sha(asynqScheduleCmd))
	}
	// evalsha sha numkeys keys... args...
	if a[2] != "2" || len(a) != 8 {
		return fmt.Errorf("Asynq's client ran its script with %s keys and %d arguments, want 2 and 3", a[2], len(a)-5)
	}
	if s[0] != "evalsha" || s[2] != "3" || len(s) != 11 {
		return fmt.Errorf("the script's Queue ran %q, want a script with 3 keys and 5 arguments", s)
	}
	norm := func(v []string, queue string) []string {
		return []string{
			strings.ReplaceAll(v[0], queue, "<queue>"), strings.ReplaceAll(v[1], queue, "<queue>"),
			message(t, []byte(v[2]), queue), v[3], v[4],
		}
	}
	if got, want := norm(slices.Concat(s[3:5], s[6:9]), ours), norm(slices.Concat(a[3:5], a[5:8]), theirs); !slices.Equal(got, want) {
		return fmt.Errorf("keys and arguments of the schedule:\n\tthe script     %q\n\tAsynq's client %q", got, want)
	}
	return nil
}

// The lane's finish of a successful task removes from Redis what Asynq's
// inspector removes when it deletes the task, and runs no other script.
func TestFinishDeletesAsAsynqDoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb, rec := recordedClient(t)
	client := asynq.NewClientFromRedisClient(rdb)
	queue := wake.NewQueue(client, rdb)
	queue.Backstop = time.Hour
	inspector := asynq.NewInspectorFromRedisClient(rdb)
	ours, theirs := testenv.NewQueue(t), testenv.NewQueue(t)
	for _, id := range []string{"kept", "done"} {
		task := asynq.NewTask("test:run", []byte(id))
		info, err := queue.EnqueueContext(ctx, task, asynq.Queue(ours), asynq.TaskID(id))
		if err != nil {
			t.Fatal(err)
		}
		// The same task, due at the same second, written as Asynq writes it.
		if _, err := client.EnqueueContext(ctx, task, asynq.Queue(theirs), asynq.TaskID(id), asynq.ProcessAt(info.NextProcessAt)); err != nil {
			t.Fatal(err)
		}
	}
	if err := wake.Finish(ctx, rdb, ours, "done", 0); err != nil {
		t.Fatal(err)
	}
	deleted := rec.record(func() {
		if err := inspector.DeleteTask(theirs, "done"); err != nil {
			t.Fatal(err)
		}
	})
	if i := slices.IndexFunc(deleted, func(c []string) bool { return c[0] == "evalsha" }); i < 0 || deleted[i][1] != asynqDeleteTaskCmd {
		t.Errorf("Asynq's inspector deleted a task with %q, not the script the lane's finish copies (SHA-1 %s)\n%s", deleted, asynqDeleteTaskCmd, recheck)
	}
	if d := diff(layout(t, rdb, ours), layout(t, rdb, theirs), "the lane's finish", "Asynq's inspector"); len(d) > 0 {
		t.Errorf("after a task's delete, Redis differs:\n%s\n%s", strings.Join(d, "\n"), recheck)
	}
}

// A task the script scheduled is Asynq's as if its client had scheduled it:
// its inspector lists it, its server runs it at its due time with the
// type, payload, headers, ID, queue, retries and timeout given, and keeps
// it completed for its retention.
func TestAsynqRunsWhatTheScriptScheduled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	queue := wake.NewQueue(asynq.NewClientFromRedisClient(rdb), rdb)
	queue.Backstop = time.Second // no lane: Asynq runs it at its backstop
	task := asynq.NewTaskWithHeaders("test:drift", []byte("payload"), map[string]string{"trace": "abc"})
	if _, err := queue.EnqueueContext(ctx, task, asynq.Queue(q), asynq.TaskID("drift"), asynq.MaxRetry(7),
		asynq.Timeout(42*time.Second), asynq.Retention(time.Hour)); err != nil {
		t.Fatal(err)
	}
	inspector := asynq.NewInspectorFromRedisClient(rdb)
	queues, err := inspector.Queues()
	if err != nil || !slices.Contains(queues, q) {
		t.Errorf("Asynq's queues %v (%v) lack %s", queues, err, q)
	}
	scheduled, err := inspector.ListScheduledTasks(q)
	if err != nil || len(scheduled) != 1 || scheduled[0].ID != "drift" {
		t.Fatalf("Asynq lists as scheduled %+v (%v), want the task", scheduled, err)
	}

	type run struct {
		typ, payload, id, queue string
		headers                 map[string]string
		maxRetry                int
		timeout                 time.Duration
	}
	ran := make(chan run, 1)
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Queues: map[string]int{q: 1}, TaskCheckInterval: 100 * time.Millisecond, DelayedTaskCheckInterval: 100 * time.Millisecond, LogLevel: asynq.FatalLevel,
	})
	if err := srv.Start(asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		r := run{typ: t.Type(), payload: string(t.Payload()), headers: t.Headers()}
		r.id, _ = asynq.GetTaskID(ctx)
		r.queue, _ = asynq.GetQueueName(ctx)
		r.maxRetry, _ = asynq.GetMaxRetry(ctx)
		if d, ok := ctx.Deadline(); ok {
			// The task's timeout, less the time since Asynq set it (less
			// than 10 s, even on a loaded machine).
			if left := time.Until(d); left > 32*time.Second && left <= 42*time.Second {
				r.timeout = 42 * time.Second
			} else {
				r.timeout = left
			}
		}
		ran <- r
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	select {
	case r := <-ran:
		want := run{typ: "test:drift", payload: "payload", id: "drift", queue: q, headers: map[string]string{"trace": "abc"}, maxRetry: 7, timeout: 42 * time.Second}
		if fmt.Sprint(r) != fmt.Sprint(want) {
			t.Errorf("Asynq's server ran\n%+v\nwant\n%+v", r, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Asynq's server did not run the task within 20s")
	}
	testenv.Eventually(t, 10*time.Second, "Asynq to keep the task completed", func() bool {
		info, err := inspector.GetTaskInfo(q, "drift")
		return err == nil && info.State == asynq.TaskStateCompleted && info.Retention == time.Hour
	})
}
