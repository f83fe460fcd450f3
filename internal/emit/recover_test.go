package emit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// twoOutputs writes an old output to dir/dep and returns it with a new one.
func twoOutputs(t *testing.T, dir string) (old, next map[string][]byte) {
	t.Helper()
	old = manifested(t, map[string][]byte{"a.txt": []byte("old a"), "sub/b.txt": []byte("old b")})
	next = manifested(t, map[string][]byte{"a.txt": []byte("new a"), "c.txt": []byte("c")})
	if _, err := (&Writer{}).Write(dir, "dep", old, Options{}); err != nil {
		t.Fatal(err)
	}
	return old, next
}

func prefixed(files map[string][]byte) map[string]string {
	out := map[string]string{}
	for p, d := range files {
		out["dep/"+p] = string(d)
	}
	return out
}

// withoutExchange makes swap take the path of file systems that lack
// RENAME_EXCHANGE (and of every other OS) for the rest of the test.
func withoutExchange(t *testing.T) {
	saved := exchange
	exchange = func(a, b string) error { return errors.New("RENAME_EXCHANGE not supported (injected)") }
	t.Cleanup(func() { exchange = saved })
}

// TestKillBetweenRenamesRestored: a run killed between the two renames
// of a swap leaves no DIR/<deployment>, only the moved-aside previous
// output and the complete new one. The next run puts the previous output
// back first — even when that run then fails, the previous output is
// there afterwards, never deleted.
func TestKillBetweenRenamesRestored(t *testing.T) {
	dir := t.TempDir()
	old, next := twoOutputs(t, dir)
	// The state a kill right after the first rename leaves behind.
	tmp := filepath.Join(dir, ".dep.new-1234")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	for p, d := range next {
		os.MkdirAll(filepath.Dir(filepath.Join(tmp, p)), 0o755)
		os.WriteFile(filepath.Join(tmp, p), d, 0o644)
	}
	if err := os.Rename(filepath.Join(dir, "dep"), tmp+".old"); err != nil {
		t.Fatal(err)
	}
	// The next run fails part-way.
	_, err := (&Writer{failAfter: 1}).Write(dir, "dep", next, Options{})
	if err == nil {
		t.Fatal("injected failure did not fail")
	}
	if diff := cmp.Diff(prefixed(old), readTree(t, dir)); diff != "" {
		t.Fatalf("after a failing run the previous output is not back in place (-want +got):\n%s", diff)
	}
	// A run that succeeds reports the restoration and the counts.
	os.Rename(filepath.Join(dir, "dep"), tmp+".old")
	sum, err := (&Writer{}).Write(dir, "dep", next, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Restored != tmp+".old" || sum.Added != 1 || sum.Changed != 1 || sum.Removed != 1 {
		t.Errorf("summary = %+v", sum)
	}
	if diff := cmp.Diff(prefixed(next), readTree(t, dir)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestKillAfterSwapCleaned: a run killed after both renames, before
// deleting the old copy, leaves the new output in place; the next run
// deletes the old copy and treats the new output as the previous one.
func TestKillAfterSwapCleaned(t *testing.T) {
	dir := t.TempDir()
	_, next := twoOutputs(t, dir)
	aside := filepath.Join(dir, ".dep.new-77.old")
	if err := os.Rename(filepath.Join(dir, "dep"), aside); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Writer{}).Write(dir, "dep", next, Options{}); err != nil {
		t.Fatal(err)
	}
	// Only now is the old copy stale: DIR/dep is complete.
	os.MkdirAll(filepath.Join(aside, "x"), 0o755)
	sum, err := (&Writer{}).Write(dir, "dep", next, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Restored != "" || sum.Added+sum.Changed+sum.Removed != 0 {
		t.Errorf("summary = %+v", sum)
	}
	if diff := cmp.Diff(prefixed(next), readTree(t, dir)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSwapByRename runs the whole two-rename path: success, a failing
// second rename rolled back, a failing rollback reported as SwapError
// (and restored by the next run), and a failing delete of the old copy
// reported as CleanupError with the new output in place.
func TestSwapByRename(t *testing.T) {
	withoutExchange(t)
	dir := t.TempDir()
	old, next := twoOutputs(t, dir)
	if _, err := (&Writer{}).Write(dir, "dep", next, Options{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(prefixed(next), readTree(t, dir)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if _, err := (&Writer{}).Write(dir, "dep", old, Options{}); err != nil {
		t.Fatal(err)
	}

	// The first rename (the previous output aside) fails: nothing moved,
	// and the new folder is gone.
	saved := rename
	t.Cleanup(func() { rename = saved })
	rename = func(a, b string) error {
		if strings.HasSuffix(b, ".old") {
			return errors.New("injected rename failure")
		}
		return saved(a, b)
	}
	if _, err := (&Writer{}).Write(dir, "dep", next, Options{}); err == nil {
		t.Fatal("a failing first rename reported success")
	}
	if diff := cmp.Diff(prefixed(old), readTree(t, dir)); diff != "" {
		t.Fatalf("first rename failed (-want +got):\n%s", diff)
	}

	// The second rename fails: rolled back, the previous output intact.
	rename = func(a, b string) error {
		if strings.Contains(filepath.Base(a), ".new-") && !strings.HasSuffix(a, ".old") {
			return errors.New("injected rename failure")
		}
		return saved(a, b)
	}
	if _, err := (&Writer{}).Write(dir, "dep", next, Options{}); err == nil || strings.Contains(err.Error(), "absent") {
		t.Fatalf("err = %v", err)
	}
	if diff := cmp.Diff(prefixed(old), readTree(t, dir)); diff != "" {
		t.Fatalf("rollback (-want +got):\n%s", diff)
	}

	// The rollback fails too: the error says where the previous output is.
	rename = func(a, b string) error {
		if strings.HasSuffix(a, ".old") || strings.Contains(filepath.Base(a), ".new-") {
			return errors.New("injected rename failure") // the new folder's rename and the rollback
		}
		return saved(a, b)
	}
	_, err := (&Writer{}).Write(dir, "dep", next, Options{})
	var se *SwapError
	if !errors.As(err, &se) || !strings.HasSuffix(se.Old, ".old") {
		t.Fatalf("err = %v, want a SwapError", err)
	}
	if _, err := os.Stat(se.Old); err != nil {
		t.Fatalf("the previous output is not where the error says: %v", err)
	}
	rename = saved
	if _, err := os.Lstat(filepath.Join(dir, "dep")); !os.IsNotExist(err) {
		t.Fatalf("after a failed rollback the target exists: %v", err)
	}
	sum, err := (&Writer{}).Write(dir, "dep", next, Options{})
	if err != nil || sum.Restored != se.Old {
		t.Fatalf("next run: %+v, %v", sum, err)
	}

	// Deleting the old copy fails: the new output is in place and says so.
	savedRemove := removeAll
	t.Cleanup(func() { removeAll = savedRemove })
	removeAll = func(string) error { return errors.New("injected remove failure") }
	sum, err = (&Writer{}).Write(dir, "dep", old, Options{})
	var ce *CleanupError
	if !errors.As(err, &ce) || sum.Files != len(old) {
		t.Fatalf("err = %v, summary %+v; want a CleanupError after a complete write", err, sum)
	}
	removeAll = savedRemove
	if got := readTree(t, filepath.Join(dir, "dep")); got["a.txt"] != "old a" {
		t.Errorf("new output not in place: %v", got)
	}
	if _, err := (&Writer{}).Write(dir, "dep", old, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ce.Old); !os.IsNotExist(err) {
		t.Errorf("the next run left the old copy %s: %v", ce.Old, err)
	}
}

// TestLock: a second writer of the same folder waits for the first and
// fails after its timeout; once the first ends, it proceeds. A writer of
// another deployment in the same DIR does not wait.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	first, err := (&Writer{}).Begin(dir, "dep", Options{})
	if err != nil {
		t.Fatal(err)
	}
	waited := ""
	_, err = (&Writer{}).Begin(dir, "dep", Options{LockTimeout: 100 * time.Millisecond, Waiting: func(h string) { waited = h }})
	var le *LockedError
	if !errors.As(err, &le) || waited == "" {
		t.Fatalf("second Begin: %v (waiting called with %q)", err, waited)
	}
	other, err := (&Writer{}).Begin(dir, "other", Options{LockTimeout: 0})
	if err != nil {
		t.Fatalf("another deployment waited: %v", err)
	}
	other.Abort()
	done := make(chan error)
	go func() {
		p, err := (&Writer{}).Begin(dir, "dep", Options{LockTimeout: -1})
		if err == nil {
			p.Abort()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("Begin did not wait for the lock: %v", err)
	default:
	}
	first.Add(ManifestName, []byte(`{"files": []}`))
	if _, err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 || entries[0].Name() != "dep" {
		t.Errorf("left beside the output: %v", entries)
	}
}

// TestStagingOfLiveRunKept: a run never deletes the staging folder of a
// run in progress (it waits for its lock instead).
func TestStagingOfLiveRunKept(t *testing.T) {
	dir := t.TempDir()
	first, err := (&Writer{}).Begin(dir, "dep", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Abort()
	if _, err := (&Writer{}).Begin(dir, "dep", Options{LockTimeout: 50 * time.Millisecond}); err == nil {
		t.Fatal("second Begin did not wait")
	}
	if err := first.Add("x", []byte("x")); err != nil {
		t.Fatalf("the first run's staging folder was disturbed: %v", err)
	}
}

// TestTrailingSlashSymlink: "lnk/" and "lnk/." name the link lnk.
func TestTrailingSlashSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	os.Mkdir(real, 0o755)
	if err := os.Symlink(real, filepath.Join(dir, "lnk")); err != nil {
		t.Skip("no symlinks:", err)
	}
	for _, o := range []string{"lnk/", "lnk/.", "lnk//", "./lnk/./"} { // not joined: filepath.Join would clean them
		if _, err := (&Writer{}).Write(dir+"/"+o, "dep", manifested(t, map[string][]byte{"x": nil}), Options{}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("-o %s: %v", o, err)
		}
	}
	if entries, _ := os.ReadDir(real); len(entries) != 0 {
		t.Errorf("written through the link: %v", entries)
	}
}
