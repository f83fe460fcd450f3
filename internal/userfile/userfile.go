// Package userfile rewrites a file that belongs to the user (a deployment
// file trgen fmt formats) so that only its content changes: owner, group,
// mode, extended attributes (POSIX ACLs among them) and hard links stay
// as they were, or the file is left alone with
// the reason. The new content replaces the old in one rename; no
// temporary file is left behind, and every error names the user's file.
package userfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Replace writes data over the regular file name. It refuses a file that
// is not regular, is read-only (no owner write bit, whoever runs trgen),
// has more than one hard link (a rename would split them) or whose owner
// cannot be kept.
func Replace(name string, data []byte) error {
	info, err := os.Lstat(name)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file; not rewriting it", name)
	}
	if info.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("%s is read-only; not rewriting it (make it writable to let trgen format it)", name)
	}
	owner, ok := ownerOf(info)
	if ok && owner.links > 1 {
		return fmt.Errorf("%s has %d hard links, which rewriting it would split; not rewriting it (trgen fmt -diff shows the change)", name, owner.links)
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".trgen-fmt-*")
	if err != nil {
		return fmt.Errorf("cannot rewrite %s: its folder does not take a new file: %w", name, bare(err))
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename, there is nothing to remove
	_, err = f.Write(data)
	if err == nil && ok {
		if err = keepOwner(f, owner); err != nil {
			err = fmt.Errorf("cannot keep its owner and group (%d:%d): %w", owner.uid, owner.gid, bare(err))
		}
	}
	if err == nil { // after chown, which clears set-id bits
		err = f.Chmod(info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky))
	}
	if err == nil { // after chmod, which would recompute an ACL's mask
		err = keepXattrs(name, f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		return fmt.Errorf("cannot rewrite %s: %w; the file is unchanged", name, bare(err))
	}
	return nil
}

// bare is err without the temporary file's path, which means nothing to
// the user.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
