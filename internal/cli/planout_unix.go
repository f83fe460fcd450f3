//go:build unix

package cli

import (
	"os"
	"syscall"
)

// openNoFollow opens without following a symbolic link or waiting on a
// named pipe that replaced a checked file.
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

func links(info os.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}
