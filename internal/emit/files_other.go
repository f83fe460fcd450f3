//go:build !linux

package emit

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// tree creates files inside one new, empty directory.
type tree struct {
	root string
	mu   sync.Mutex // directory creation
}

func openTree(root string) (*tree, error) { return &tree{root: root}, nil }

// create writes the new file p (a checked relative path) with data and
// mode, creating its parent directories.
func (t *tree) create(p string, data []byte, mode fs.FileMode) error {
	full := filepath.Join(t.root, filepath.FromSlash(p))
	t.mu.Lock()
	err := os.MkdirAll(filepath.Dir(full), 0o755)
	t.mu.Unlock()
	if err != nil {
		return err
	}
	// O_EXCL: never follow or overwrite anything already there.
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Chmod(mode) // not subject to the umask
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}

func (t *tree) close() error { return nil }

// openRegular opens the file at p for reading and returns it with what
// it is; regular is false, and nothing is open, for anything but a
// regular file.
func openRegular(p string) (f io.ReadCloser, info fileInfo, regular bool, err error) {
	if st, err := os.Lstat(p); err != nil || !st.Mode().IsRegular() {
		return nil, info, false, err
	}
	file, err := os.Open(p)
	if err != nil {
		return nil, info, false, err
	}
	st, err := file.Stat()
	if err != nil || !st.Mode().IsRegular() {
		file.Close()
		return nil, info, false, err
	}
	return file, fileInfo{size: st.Size(), perm: st.Mode().Perm()}, true, nil
}

// fileID is empty: outside Linux, a run writes every file (link never
// links).
type fileID struct{}

// link reports false: the tree writes every file.
func (t *tree) link(old, p string, id fileID) bool { return false }
