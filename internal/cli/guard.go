package cli

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"time"
)

// The last line of defence behind the input limits: whatever an input
// makes trgen build, the process stops with a message, exit 2, once its
// heap passes maxMemory, or once evaluating a configuration has taken
// longer than evalTimeout. The limits in internal/load catch every known
// case first, with a located diagnostic; this catches what they cannot
// foresee (nested for expressions, say), instead of the kernel's OOM
// killer or a run that never ends.
//
// The memory limit is 512 MiB of heap (the 5,000-group benchmark
// deployment peaks near 400 MiB), or TRGEN_MAX_MEMORY_MIB; the garbage
// collector is told to keep the heap below four fifths of it. The Go
// runtime reserves about 1.2 GiB of address space at start (its page
// allocator's summaries), so 512 MiB of heap keeps the process within
// the 2 GiB of address space docs/security.md promises. The
// time limit is 10 seconds (the 5,000-group deployment validates in about
// a second), or TRGEN_EVAL_TIMEOUT.
const (
	maxMemory   = 512 << 20
	evalTimeout = 10 * time.Second
)

// evalLimit is evalTimeout, or TRGEN_EVAL_TIMEOUT (a Go duration) when
// set to a positive one.
func evalLimit(getenv func(string) string) time.Duration {
	if d, err := time.ParseDuration(getenv("TRGEN_EVAL_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return evalTimeout
}

// memoryLimit is maxMemory, or TRGEN_MAX_MEMORY_MIB when set to a
// positive number.
func memoryLimit(getenv func(string) string) uint64 {
	if n, err := strconv.ParseUint(getenv("TRGEN_MAX_MEMORY_MIB"), 10, 32); err == nil && n > 0 {
		return n << 20
	}
	return maxMemory
}

// guardMemory watches the heap until stop is called.
func guardMemory(stderr io.Writer, limit uint64) (stop func()) {
	done := make(chan struct{})
	debug.SetMemoryLimit(int64(limit) * 4 / 5) // collect harder before the stop
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(sample)
				if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > limit {
					fmt.Fprintf(stderr, "trgen: stopped: this run needed more than %d MiB of memory. An input builds far more than any deployment needs (nested for expressions over large ranges?); reduce it.\n", limit>>20)
					os.Exit(ExitUsage)
				}
			}
		}
	}()
	return func() { close(done) }
}

// guardTime stops the process if stop is not called within d.
func guardTime(stderr io.Writer, d time.Duration, what string) (stop func()) {
	t := time.AfterFunc(d, func() {
		fmt.Fprintf(stderr, "trgen: stopped: %s took longer than %v. An input asks for far more work than any deployment needs (nested for expressions over large ranges?); reduce it.\n", what, d)
		os.Exit(ExitUsage)
	})
	return func() { t.Stop() }
}
