package groupcommit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestGroupWritesEveryItemOnce: many callers at once, a slow write: every
// item is written exactly once, each caller gets its own item's result, no
// batch is larger than max, and items were written together.
func TestGroupWritesEveryItemOnce(t *testing.T) {
	const callers, most = 200, 16
	var (
		mu       sync.Mutex
		written  = map[int]int{}
		batches  int
		largest  int
		release  = make(chan struct{})
		firstIn  = make(chan struct{})
		firstOne sync.Once
	)
	g := New(most, func(ctx context.Context, items []int) []Result[string] {
		firstOne.Do(func() { close(firstIn); <-release }) // the first write waits for the others to queue
		mu.Lock()
		defer mu.Unlock()
		batches++
		largest = max(largest, len(items))
		out := make([]Result[string], len(items))
		for i, it := range items {
			written[it]++
			if it%7 == 0 {
				out[i].Err = fmt.Errorf("item %d refused", it)
			} else {
				out[i].Val = fmt.Sprint("ok ", it)
			}
		}
		return out
	})
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	call := func(i int) {
		v, err := g.Do(context.Background(), i)
		switch {
		case i%7 == 0 && (err == nil || err.Error() != fmt.Sprintf("item %d refused", i)):
			errs <- fmt.Errorf("item %d: got %q, %v; want its own error", i, v, err)
		case i%7 != 0 && (err != nil || v != fmt.Sprint("ok ", i)):
			errs <- fmt.Errorf("item %d: got %q, %v", i, v, err)
		}
	}
	wg.Go(func() { call(0) })
	<-firstIn
	for i := 1; i < callers; i++ {
		wg.Go(func() { call(i) })
	}
	// Let the others queue behind the first write, then release it.
	for {
		g.mu.Lock()
		n := len(g.pending)
		g.mu.Unlock()
		if n == callers-1 {
			break
		}
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := range callers {
		if written[i] != 1 {
			t.Errorf("item %d written %d times", i, written[i])
		}
	}
	if largest > most {
		t.Errorf("a batch of %d items, more than %d", largest, most)
	}
	// 1 alone, then 199 waiting in batches of at most 16: 13 more.
	if want := 1 + (callers-1+most-1)/most; batches != want {
		t.Errorf("%d batches, want %d", batches, want)
	}
}

// TestGroupAloneWritesAtOnce: an item with nobody writing is written by
// its own caller, in a batch of its own; a canceled caller still gets its
// item written.
func TestGroupAloneWritesAtOnce(t *testing.T) {
	var sizes []int
	g := New(8, func(ctx context.Context, items []string) []Result[int] {
		if err := ctx.Err(); err != nil {
			return []Result[int]{{Err: err}}
		}
		sizes = append(sizes, len(items))
		return []Result[int]{{Val: len(items[0])}}
	})
	for _, s := range []string{"a", "bb", "ccc"} {
		if n, err := g.Do(context.Background(), s); err != nil || n != len(s) {
			t.Fatalf("Do(%q) = %d, %v", s, n, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n, err := g.Do(ctx, "dddd"); err != nil || n != 4 {
		t.Fatalf("Do with a canceled context = %d, %v; the write must not see the cancelation", n, err)
	}
	if fmt.Sprint(sizes) != "[1 1 1 1]" {
		t.Errorf("batch sizes %v, want four of 1", sizes)
	}
	short := New(8, func(ctx context.Context, items []string) []Result[int] { return nil })
	if _, err := short.Do(context.Background(), "x"); !errors.Is(err, errGroupShort) {
		t.Errorf("a write answering nothing: err %v, want errGroupShort", err)
	}
}
