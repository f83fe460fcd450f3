package emit

import "golang.org/x/sys/unix"

// exchange swaps two paths atomically with renameat2's RENAME_EXCHANGE;
// tests replace it to take the path of file systems without it.
var exchange = func(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
