package emit

import (
	"errors"
	"io/fs"
	"os"
)

// swap puts the directory tmp in place of target and returns where the
// old folder now is ("" if there was none). Where the file system can
// exchange two names atomically the two trade places in one step;
// elsewhere two renames leave a window in which target is absent (never
// half-written), which the next run's recoverSwap closes.
func swap(tmp, target string) (string, error) {
	if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(tmp, target)
	}
	if err := exchange(tmp, target); err == nil {
		return tmp, nil // tmp now holds the old folder
	}
	return swapByRename(tmp, target)
}

// swapByRename moves target aside, then tmp into place, and returns where
// the old folder now is. If the second rename fails, the old folder is put
// back; if that fails too, it is a *SwapError and the next run's
// recoverSwap puts it back.
func swapByRename(tmp, target string) (string, error) {
	old := tmp + ".old"
	if err := rename(target, old); err != nil {
		return "", err
	}
	if err := rename(tmp, target); err != nil {
		if rerr := rename(old, target); rerr != nil {
			return "", &SwapError{Target: target, Old: old, Err: err}
		}
		return "", err
	}
	return old, nil
}

// rename is os.Rename, for swapByRename's three renames; tests replace
// it to inject failures.
var rename = os.Rename
