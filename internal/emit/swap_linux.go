package emit

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// swap puts the directory tmp in place of target. With renameat2's
// RENAME_EXCHANGE the two trade places in one atomic step; where the file
// system lacks it, two renames leave a window in which target is absent
// (never half-written).
func swap(tmp, target string) error {
	if _, err := os.Lstat(target); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, target)
	}
	if err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, target, unix.RENAME_EXCHANGE); err == nil {
		return os.RemoveAll(tmp) // tmp now holds the old folder
	}
	return swapByRename(tmp, target)
}
