package userfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// keepXattrs copies every extended attribute of the file name (a POSIX
// ACL is one, system.posix_acl_access) onto f, after its mode is set: a
// chmod would otherwise recompute the ACL's mask. An attribute that cannot
// be copied leaves the user's file alone.
func keepXattrs(name string, f *os.File) error {
	list, err := listXattrs(name)
	if err != nil {
		return err
	}
	for _, k := range list {
		v, err := getXattr(name, k)
		if err == nil {
			err = unix.Fsetxattr(int(f.Fd()), k, v, 0)
		}
		if err != nil {
			return fmt.Errorf("cannot keep its extended attribute %s: %w", k, err)
		}
	}
	return nil
}

func listXattrs(name string) ([]string, error) {
	n, err := unix.Llistxattr(name, nil)
	if errors.Is(err, unix.ENOTSUP) || n == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	if n, err = unix.Llistxattr(name, buf); err != nil {
		return nil, err
	}
	var out []string
	for _, k := range bytes.Split(buf[:n], []byte{0}) {
		if len(k) > 0 {
			out = append(out, string(k))
		}
	}
	return out, nil
}

func getXattr(name, key string) ([]byte, error) {
	n, err := unix.Lgetxattr(name, key, nil)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	n, err = unix.Lgetxattr(name, key, buf)
	return buf[:n], err
}
