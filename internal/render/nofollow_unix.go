//go:build unix

package render

import "syscall"

// openNoFollow opens without following a link or waiting on a pipe that
// replaced a checked file.
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
