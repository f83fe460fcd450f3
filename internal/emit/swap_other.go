//go:build !linux

package emit

import (
	"errors"
	"os"
)

// swap puts the directory tmp in place of target with two renames.
func swap(tmp, target string) error {
	if _, err := os.Lstat(target); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, target)
	}
	return swapByRename(tmp, target)
}
