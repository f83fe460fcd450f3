package emit

import "os"

// swapByRename moves target aside, tmp into place, then deletes the old
// folder; if the second rename fails, the old folder is put back.
func swapByRename(tmp, target string) error {
	old := tmp + ".old"
	if err := os.Rename(target, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, target); err != nil {
		if rerr := os.Rename(old, target); rerr != nil {
			return rerr
		}
		return err
	}
	return os.RemoveAll(old)
}
