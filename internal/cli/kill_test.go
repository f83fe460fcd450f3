package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trgen/trgen/internal/bench"
	"github.com/trgen/trgen/internal/emit"
)

// treeDigest hashes every file path and content under root.
func treeDigest(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	var paths []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return nil
	})
	sort.Strings(paths)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		h.Write([]byte(rel + "\x00"))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestKilledRunLeavesOutputIntact kills `trgen generate` of a large
// deployment at several moments while it runs. Each time the output folder
// must be exactly the previous output or exactly the new one, never a mix;
// the next run cleans up what the killed one left.
func TestKilledRunLeavesOutputIntact(t *testing.T) {
	if testing.Short() {
		t.Skip("builds trgen and runs it many times")
	}
	bin := filepath.Join(buildTrgen(t), "trgen")
	dir := t.TempDir()
	oldSrc := bench.Deployment(bench.Size{Groups: 1500, Zones: 10, NetworksPerGroup: 2})
	newSrc := []byte(strings.Replace(string(oldSrc), `"10.0.0.11"`, `"10.0.0.12"`, 1)) // every flow to the Module Server changes
	cfg := filepath.Join(dir, "d.hcl")
	out := filepath.Join(dir, "out")
	gen := func(src []byte) {
		os.WriteFile(cfg, src, 0o644)
		if b, err := exec.Command(bin, "generate", cfg, "-o", out).CombinedOutput(); err != nil {
			t.Fatalf("generate: %v\n%s", err, b)
		}
	}
	gen(newSrc)
	newDigest := treeDigest(t, filepath.Join(out, "synthetic"))
	gen(oldSrc)
	oldDigest := treeDigest(t, filepath.Join(out, "synthetic"))
	if oldDigest == newDigest {
		t.Fatal("the two deployments give the same output")
	}
	os.WriteFile(cfg, newSrc, 0o644)
	kills, sawNew := 0, false
	for _, delay := range []time.Duration{20, 60, 100, 140, 180, 220, 260, 300, 360, 420} {
		cmd := exec.Command(bin, "generate", cfg, "-o", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		if cmd.Process.Kill() == nil {
			kills++
		}
		cmd.Wait()
		got := treeDigest(t, filepath.Join(out, "synthetic"))
		switch got {
		case oldDigest:
		case newDigest:
			sawNew = true
			gen(oldSrc) // back to the old output for the next kill
			os.WriteFile(cfg, newSrc, 0o644)
		default:
			t.Fatalf("after a kill at %v the output is neither the old nor the new one", delay*time.Millisecond)
		}
	}
	// Kills that certainly land while the new folder is being written:
	// each waits until the run's staging folder holds files, and counts
	// only if the killed run left that folder behind (so it died before
	// its swap). Fixed delays alone could all miss the write on a faster
	// or slower machine.
	during := 0
	for range 3 {
		cmd := exec.Command(bin, "generate", cfg, "-o", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if staged, _ := filepath.Glob(filepath.Join(out, ".synthetic.new-*", "*")); len(staged) > 0 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Kill()
		cmd.Wait()
		if left, _ := filepath.Glob(filepath.Join(out, ".synthetic.new-*")); len(left) > 0 {
			during++
		}
		switch treeDigest(t, filepath.Join(out, "synthetic")) {
		case oldDigest:
		case newDigest:
			gen(oldSrc)
			os.WriteFile(cfg, newSrc, 0o644)
		default:
			t.Fatal("after a kill during the write the output is neither the old nor the new one")
		}
	}
	if during == 0 {
		t.Error("no kill landed while the new folder was being written: the test did not test the write")
	}
	t.Logf("%d kills at fixed delays (the run completed before one: %v); %d of 3 during the write", kills, sawNew, during)
	gen(newSrc)
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left behind after a clean run: %v", names)
	}
}

// TestConcurrentRunsSerialised runs pairs of `trgen generate` on the same
// -o at once. Each run must succeed and the output must be exactly one
// run's (both write the same files): the lock makes the second wait
// instead of deleting the first one's staging folder.
func TestConcurrentRunsSerialised(t *testing.T) {
	if testing.Short() {
		t.Skip("builds trgen and runs it many times")
	}
	bin := filepath.Join(buildTrgen(t), "trgen")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "d.hcl")
	os.WriteFile(cfg, bench.Deployment(bench.Size{Groups: 300, Zones: 4, NetworksPerGroup: 2}), 0o644)
	out := filepath.Join(dir, "out")
	for i := range 6 {
		cmds := []*exec.Cmd{exec.Command(bin, "generate", cfg, "-o", out), exec.Command(bin, "generate", cfg, "-o", out)}
		outputs := make([]*strings.Builder, len(cmds))
		for j, c := range cmds {
			outputs[j] = &strings.Builder{}
			c.Stdout, c.Stderr = outputs[j], outputs[j]
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
		}
		for j, c := range cmds {
			if err := c.Wait(); err != nil {
				t.Fatalf("pair %d, run %d: %v\n%s", i, j, err, outputs[j])
			}
		}
		if b, err := exec.Command(bin, "generate", cfg, "-o", out, "--check").CombinedOutput(); err != nil {
			t.Fatalf("pair %d: the output is not a complete one: %v\n%s", i, err, b)
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Errorf("left beside the output: %v", entries)
	}
}

// TestLockTimeout: while another process holds the output folder's lock,
// --lock-timeout gives up with a message naming the holder; without it
// the run waits, says so, and completes once the lock is released.
func TestLockTimeout(t *testing.T) {
	bin := filepath.Join(buildTrgen(t), "trgen")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "d.hcl")
	os.WriteFile(cfg, bench.Deployment(bench.Size{Groups: 2, Zones: 1, NetworksPerGroup: 1}), 0o644)
	out := filepath.Join(dir, "out")
	holder, err := (&emit.Writer{}).Begin(out, "synthetic", emit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(bin, "generate", cfg, "-o", out, "--lock-timeout", "200ms").CombinedOutput()
	if err == nil || !strings.Contains(string(b), "the output folder is locked by trgen pid ") || !strings.Contains(string(b), "gave up after 200ms") {
		t.Fatalf("--lock-timeout: %v\n%s", err, b)
	}
	waiter := exec.Command(bin, "generate", cfg, "-o", out)
	buf := &syncBuffer{}
	waiter.Stdout, waiter.Stderr = buf, buf
	if err := waiter.Start(); err != nil {
		t.Fatal(err)
	}
	// Release the lock only once the second run says it is waiting for
	// it: on a loaded machine the run may take long to get there, and
	// releasing earlier would test nothing.
	for deadline := time.Now().Add(2 * time.Minute); !strings.Contains(buf.String(), "Waiting for trgen pid "); {
		if time.Now().After(deadline) {
			waiter.Process.Kill()
			t.Fatalf("the second run never said it was waiting:\n%s", buf.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	holder.Abort()
	if err := waiter.Wait(); err != nil {
		t.Fatalf("waiting run: %v\n%s", err, buf.String())
	}
	if !strings.Contains(buf.String(), "Waiting for trgen pid ") || !strings.Contains(buf.String(), "Wrote ") {
		t.Errorf("waiting run said:\n%s", buf.String())
	}
}

// syncBuffer is a buffer a child process writes to while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
