//go:build !unix

package emit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// lock is DIR/.<deployment>.lock, created exclusively and removed at the
// end of the run. Without flock(2) a killed run leaves the file behind:
// the error says to remove it once no trgen run is writing the folder.
type lock struct{ path string }

// tryLock makes one attempt at the lock at path.
func tryLock(path string) (*lock, string, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrNotExist) {
		// The run that held the lock created DIR and removed it again.
		if err = os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
			f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		}
	}
	if err == nil {
		fmt.Fprintf(f, "pid %d since %s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339))
		f.Close()
		return &lock{path: path}, "", nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, "", fmt.Errorf("locking the output folder: %w", err)
	}
	return nil, "another trgen run (remove the file if none is running)", nil
}

func (l *lock) release() {
	if l != nil && l.path != "" {
		os.Remove(l.path)
		l.path = ""
	}
}
