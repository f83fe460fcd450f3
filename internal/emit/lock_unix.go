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
		f, err := openLock(path)
		if errors.Is(err, fs.ErrNotExist) {
			// The run that held the lock created DIR and removed it again,
			// or removed the lock file between two calls: again.
			if err = os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
				continue
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

// openLock creates the lock file, or opens the one another run created.
// An existing file is used only if it can be trgen's: a regular file of
// this user with one link, empty or holding a holder record. Anything
// else (a hard link to a user's file, a link, a pipe) is refused whole:
// recording the holder would truncate it, and releasing would unlink it.
func openLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
	if !errors.Is(err, fs.ErrExist) {
		return f, err
	}
	f, err = os.OpenFile(path, os.O_RDWR|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENXIO) {
			return nil, notLock(path, "it is not a regular file")
		}
		return nil, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		f.Close()
		return nil, err
	}
	why := ""
	switch {
	case st.Nlink == 0:
		f.Close() // its holder removed it between our open and now: again
		return nil, fs.ErrNotExist
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		why = "it is not a regular file"
	case st.Nlink != 1:
		why = fmt.Sprintf("it has %d hard links", st.Nlink)
	case int(st.Uid) != os.Geteuid():
		why = fmt.Sprintf("it belongs to user %d", st.Uid)
	case st.Size > 128:
		why = fmt.Sprintf("it holds %d bytes", st.Size)
	default:
		buf := make([]byte, st.Size)
		n, _ := f.ReadAt(buf, 0)
		if n > 0 && !strings.HasPrefix(string(buf[:n]), "pid ") {
			why = "it does not hold a trgen run's record"
		}
	}
	if why != "" {
		f.Close()
		return nil, notLock(path, why)
	}
	return f, nil
}

func notLock(path, why string) error {
	return fmt.Errorf("%s is not trgen's lock file (%s); trgen neither writes nor removes it: move it away if no trgen run uses it", path, why)
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
