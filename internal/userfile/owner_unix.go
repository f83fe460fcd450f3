//go:build unix

package userfile

import (
	"io/fs"
	"os"
	"syscall"
)

type owner struct{ uid, gid, links int }

func ownerOf(info fs.FileInfo) (owner, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return owner{}, false
	}
	return owner{uid: int(st.Uid), gid: int(st.Gid), links: int(st.Nlink)}, true
}

// keepOwner gives f the owner and group o, unless it has them already.
func keepOwner(f *os.File, o owner) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if now, ok := ownerOf(info); ok && now.uid == o.uid && now.gid == o.gid {
		return nil
	}
	return f.Chown(o.uid, o.gid)
}
