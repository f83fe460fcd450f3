package emit

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// tree creates files inside one new, empty directory. On Linux it works
// relative to a descriptor of that directory with plain system calls: no
// path walk from the root per file, and none of the os package's per-file
// poller registration, which regular files never need. A generate run
// creates thousands of files, and those per-file costs were most of its
// system time.
type tree struct {
	root  string
	dir   int
	umask uint32
	known bool // umask was read; files need no chmod when it masks nothing

	mu   sync.Mutex
	made map[string]bool

	noLink atomic.Bool // a link failed other than for its one file
}

func openTree(root string) (*tree, error) {
	dir, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: root, Err: err}
	}
	t := &tree{root: root, dir: dir, made: map[string]bool{".": true}}
	t.umask, t.known = processUmask()
	return t, nil
}

// create writes the new file p (a checked relative path) with data and
// mode, creating its parent directories.
func (t *tree) create(p string, data []byte, mode fs.FileMode) error {
	t.mu.Lock()
	err := t.mkdirParents(path.Dir(p))
	t.mu.Unlock()
	if err != nil {
		return err
	}
	// O_EXCL with O_NOFOLLOW: never follow or overwrite anything already there.
	fd, err := unix.Openat(t.dir, p, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(mode))
	if err != nil {
		return &fs.PathError{Op: "create", Path: t.root + "/" + p, Err: err}
	}
	err = writeAll(fd, data)
	if err == nil && (!t.known || uint32(mode)&t.umask != 0) {
		err = unix.Fchmod(fd, uint32(mode)) // not subject to the umask
	}
	if cerr := unix.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		return &fs.PathError{Op: "write", Path: t.root + "/" + p, Err: err}
	}
	return nil
}

// mkdirParents creates d and its missing parents; t.mu is held.
func (t *tree) mkdirParents(d string) error {
	if t.made[d] {
		return nil
	}
	if err := t.mkdirParents(path.Dir(d)); err != nil {
		return err
	}
	if err := unix.Mkdirat(t.dir, d, 0o755); err != nil {
		return &fs.PathError{Op: "mkdir", Path: t.root + "/" + d, Err: err}
	}
	t.made[d] = true
	return nil
}

func (t *tree) close() error {
	if t.dir < 0 {
		return nil
	}
	err := unix.Close(t.dir)
	t.dir = -1
	return err
}

// writeAll writes data to fd, retrying short writes and interrupted calls.
func writeAll(fd int, data []byte) error {
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// openRegular opens the file at p for reading, without following a
// symbolic link or waiting on a FIFO, and returns it with what it is;
// regular is false, and nothing is open, for anything but a regular file.
// Like tree, it makes plain system calls: a run that replaces its
// previous output reads every file of it first.
func openRegular(p string) (f io.ReadCloser, info fileInfo, regular bool, err error) {
	fd, err := unix.Open(p, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, info, false, &fs.PathError{Op: "open", Path: p, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		unix.Close(fd)
		return nil, info, false, err
	}
	info = fileInfo{
		size:     st.Size,
		perm:     fs.FileMode(st.Mode & 0o7777), // a set-id or sticky bit differs from every Mode
		id:       idOf(&st),
		linkable: st.Nlink == 1 && int(st.Uid) == os.Geteuid(),
	}
	return fdFile(fd), info, true, nil
}

// fileID tells one version of a file from another: its inode and, since
// a write changes them, its size and modification time.
type fileID struct {
	dev, ino uint64
	size     int64
	mtime    unix.Timespec
}

func idOf(st *unix.Stat_t) fileID {
	return fileID{dev: uint64(st.Dev), ino: st.Ino, size: st.Size, mtime: st.Mtim}
}

// link puts the previous output's file old/p into the tree at p as a
// second link to it, instead of writing the same bytes again, if that
// file is still the version inspected (id). It reports whether it did;
// when not, the tree holds nothing at p. After a file system refuses a
// link, the tree stops trying.
func (t *tree) link(old, p string, id fileID) bool {
	if t.noLink.Load() {
		return false
	}
	t.mu.Lock()
	err := t.mkdirParents(path.Dir(p))
	t.mu.Unlock()
	if err != nil {
		return false
	}
	// Without AT_SYMLINK_FOLLOW: a symbolic link put in its place would be
	// linked itself, and then fail the identity check below.
	if err := unix.Linkat(unix.AT_FDCWD, old+"/"+p, t.dir, p, 0); err != nil {
		if !errors.Is(err, unix.ENOENT) && !errors.Is(err, unix.EMLINK) {
			t.noLink.Store(true)
		}
		return false
	}
	var st unix.Stat_t
	if err := unix.Fstatat(t.dir, p, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || idOf(&st) != id {
		unix.Unlinkat(t.dir, p, 0)
		return false
	}
	return true
}

// fdFile is an open file descriptor as an io.ReadCloser.
type fdFile int

func (f fdFile) Read(b []byte) (int, error) {
	for {
		n, err := unix.Read(int(f), b)
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(b) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f fdFile) Close() error { return unix.Close(int(f)) }

// processUmask reads the umask from /proc/self/status without changing
// it (unix.Umask can only set it). known is false when the kernel does
// not report it; files are then always chmod-ed.
func processUmask() (mask uint32, known bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "Umask:"); ok {
			m, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32)
			return uint32(m), err == nil
		}
	}
	return 0, false
}
