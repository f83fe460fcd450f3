//go:build unix

package emit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// lock is an exclusive flock(2) on DIR/.<deployment>.lock, held for a
// whole run. The kernel releases it when its holder dies, so a killed run
// never leaves a stale lock. The file is unlinked by its holder before the
// lock is released; a waiter that then wins the lock on the unlinked file
// notices that the path no longer names it and tries again.
type lock struct {
	f    *os.File
	path string
}

// tryLock makes one attempt at the lock at path: the lock, or the
// holder's description when another run has it.
func tryLock(path string) (*lock, string, error) {
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
		if errors.Is(err, fs.ErrNotExist) {
			// The run that held the lock created DIR and removed it again.
			if err = os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
				f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
			}
		}
		if err != nil {
			return nil, "", fmt.Errorf("locking the output folder: %w", err)
		}
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			if sameFile(f, path) {
				l := &lock{f: f, path: path}
				l.record()
				return l, "", nil
			}
			f.Close() // won the lock on a file its holder had removed: again
			continue
		}
		holder := readHolder(f)
		f.Close()
		if !errors.Is(err, unix.EWOULDBLOCK) {
			return nil, "", fmt.Errorf("locking the output folder: %s: %w", path, err)
		}
		return nil, holder, nil
	}
}

// sameFile reports whether path still names the open file f.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Lstat(path)
	return err == nil && os.SameFile(a, b)
}

// record writes the holder's process id and start time into the lock
// file, for the message another run prints while it waits.
func (l *lock) record() {
	l.f.Truncate(0)
	l.f.WriteAt([]byte(fmt.Sprintf("pid %d since %s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339))), 0)
}

func readHolder(f *os.File) string {
	buf := make([]byte, 128)
	n, _ := f.ReadAt(buf, 0)
	s := strings.TrimSpace(string(buf[:n]))
	if !strings.HasPrefix(s, "pid ") {
		return "another trgen run"
	}
	if pid, err := strconv.Atoi(strings.Fields(s)[1]); err == nil && pid == os.Getpid() {
		return "this process (another writer)"
	}
	return "trgen " + s
}

// release removes the lock file and then releases the lock.
func (l *lock) release() {
	if l == nil || l.f == nil {
		return
	}
	os.Remove(l.path)
	l.f.Close()
	l.f = nil
}
