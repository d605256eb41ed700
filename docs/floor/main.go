// Command floor measures what one HTTP exchange costs a Go process at a
// paced rate, without any work behind it: the least a webhook service's
// server (which receives the upload) and worker (which sends the call)
// can spend per delivery on HTTP alone. docs/run-floor.sh runs it.
//
//	floor serve ADDR          answers every POST with 204 after reading its
//	                          body; at SIGTERM prints its CPU per request
//	floor send URL RATE N [C] sends N POSTs of 1 KiB, one at a time at RATE
//	                          per second over one kept-alive connection, and
//	                          prints its CPU per request; with C, C at a time
//	                          over C connections, as fast as answered (RATE
//	                          is then ignored; 0 says so)
//	floor file DIR N          stores N blobs of 1 KiB under DIR as the local
//	                          blob store does (a file without a name,
//	                          O_TMPFILE, written then linked under its key),
//	                          then removes them; prints its CPU per blob
//	                          stored and per blob removed
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: floor serve ADDR | floor send URL RATE N [C] | floor file DIR N")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2])
	case "file":
		n := 0
		if len(os.Args) == 4 {
			n, _ = strconv.Atoi(os.Args[3])
		}
		if n <= 0 {
			fmt.Fprintln(os.Stderr, "usage: floor file DIR N (N a positive integer)")
			os.Exit(2)
		}
		if err := files(os.Args[2], n); err != nil {
			fmt.Fprintln(os.Stderr, "floor file:", err)
			os.Exit(1)
		}
	case "send":
		if len(os.Args) != 5 && len(os.Args) != 6 {
			fmt.Fprintln(os.Stderr, "usage: floor send URL RATE N [C]")
			os.Exit(2)
		}
		rate, err1 := strconv.Atoi(os.Args[3])
		n, err2 := strconv.Atoi(os.Args[4])
		if len(os.Args) == 6 {
			c, err3 := strconv.Atoi(os.Args[5])
			if err2 != nil || err3 != nil || n <= 0 || c <= 0 {
				fmt.Fprintln(os.Stderr, "floor send: N and C are positive integers")
				os.Exit(2)
			}
			sendAtOnce(os.Args[2], n, c)
			return
		}
		if err1 != nil || err2 != nil || rate <= 0 || n <= 0 {
			fmt.Fprintln(os.Stderr, "floor send: RATE and N are positive integers")
			os.Exit(2)
		}
		send(os.Args[2], rate, n)
	default:
		fmt.Fprintf(os.Stderr, "floor: unknown mode %q\n", os.Args[1])
		os.Exit(2)
	}
}

// cpu is the process's CPU time so far (user and system).
func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func serve(addr string) {
	var served, start atomic.Int64 // start: the CPU time at the first request
	srv := &http.Server{Addr: addr, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start.CompareAndSwap(0, int64(cpu())) // start-up excluded
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
		served.Add(1)
	})}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		if err := srv.ListenAndServe(); err != http.ErrServerClosed {
			fmt.Fprintln(os.Stderr, "floor serve:", err)
			os.Exit(1)
		}
	}()
	<-ctx.Done()
	n := served.Load()
	used := cpu() - time.Duration(start.Load())
	if n > 1 {
		fmt.Printf("serve: %d requests, CPU %.3f ms per request\n", n, float64(used.Microseconds())/1000/float64(n-1))
	}
	_ = srv.Close()
}

// poster returns a function that POSTs 1 KiB to url with client and checks
// the answer; a failed POST ends the program.
func poster(client *http.Client, url string) func() {
	body := bytes.Repeat([]byte("0123456789abcdef"), 64)
	post := func() error {
		resp, err := client.Post(url, "application/octet-stream", bytes.NewReader(body))
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			return fmt.Errorf("answer %s", resp.Status)
		}
		return nil
	}
	return func() {
		if err := post(); err != nil {
			fmt.Fprintln(os.Stderr, "floor send:", err)
			os.Exit(1)
		}
	}
}

func send(url string, rate, n int) {
	post := poster(&http.Client{Timeout: 10 * time.Second}, url)
	post() // the connection made
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	start := cpu()
	for i := 0; i < n; i++ {
		<-tick.C
		post()
	}
	used := cpu() - start
	fmt.Printf("send: %d requests at %d/s, CPU %.3f ms per request\n", n, rate, float64(used.Microseconds())/1000/float64(n))
}

// sendAtOnce sends n POSTs, c at a time over c kept-alive connections, as
// fast as they are answered: the load of a busy system, where the
// processes rarely sleep between requests.
func sendAtOnce(url string, n, c int) {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c}}
	post := poster(client, url)
	var wg sync.WaitGroup
	for range c { // the connections made
		wg.Go(post)
	}
	wg.Wait()
	var left atomic.Int64
	left.Store(int64(n))
	start, t0 := cpu(), time.Now()
	for range c {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				post()
			}
		})
	}
	wg.Wait()
	used, took := cpu()-start, time.Since(t0)
	fmt.Printf("send: %d requests, %d at a time, %.0f/s, CPU %.3f ms per request\n", n, c, float64(n)/took.Seconds(), float64(used.Microseconds())/1000/float64(n))
}
