package userfile

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// posixACL encodes an access ACL as the kernel stores it in
// system.posix_acl_access (linux/posix_acl_xattr.h: a version-2 header,
// then tag, permissions and id per entry): the owner rw, user 1234 r,
// the group r, mask r, others nothing.
func posixACL() []byte {
	const undefined = 0xffffffff
	b := binary.LittleEndian.AppendUint32(nil, 2)
	for _, e := range []struct {
		tag, perm uint16
		id        uint32
	}{{0x01, 6, undefined}, {0x02, 4, 1234}, {0x04, 4, undefined}, {0x10, 4, undefined}, {0x20, 0, undefined}} {
		b = binary.LittleEndian.AppendUint16(b, e.tag)
		b = binary.LittleEndian.AppendUint16(b, e.perm)
		b = binary.LittleEndian.AppendUint32(b, e.id)
	}
	return b
}

// TestReplaceKeepsExtendedAttributes (issue 29): a POSIX ACL and a user
// extended attribute survive the rewrite.
func TestReplaceKeepsExtendedAttributes(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "d.hcl")
	if err := os.WriteFile(name, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	attrs := map[string][]byte{"user.reviewed-by": []byte("netsec"), "system.posix_acl_access": posixACL()}
	for k, v := range attrs {
		if err := unix.Setxattr(name, k, v, 0); err != nil {
			if errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP) {
				t.Skipf("this file system takes no %s: %v", k, err)
			}
			t.Fatalf("setting %s: %v", k, err)
		}
	}
	if err := Replace(name, []byte("new")); err != nil {
		t.Fatal(err)
	}
	for k, v := range attrs {
		buf := make([]byte, 256)
		n, err := unix.Getxattr(name, k, buf)
		if err != nil {
			t.Errorf("%s lost: %v", k, err)
			continue
		}
		if string(buf[:n]) != string(v) {
			t.Errorf("%s = %x, want %x", k, buf[:n], v)
		}
	}
	noLeftovers(t, dir, "d.hcl")
}
