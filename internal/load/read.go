package load

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// OpenRegular opens name for reading if it is a regular file (symbolic
// links followed). Devices, pipes, sockets and folders are refused: a
// configuration named /dev/zero, or a .hcl link to it, would otherwise be
// read without end.
func OpenRegular(name string) (*os.File, error) { return open(name, false) }

// OpenStream opens name for reading if it is a regular file or a named
// pipe (a shell's <(zcat inventory.gz)): for input read as a stream with
// its own bounds on records, never whole.
func OpenStream(name string) (*os.File, error) { return open(name, true) }

func open(name string, pipes bool) (*os.File, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := regular(name, info, pipes); err != nil {
		return nil, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	// What was opened, not what was looked at a moment before.
	if info, err = f.Stat(); err == nil {
		err = regular(name, info, pipes)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func regular(name string, info fs.FileInfo, pipes bool) error {
	if info.Mode().IsRegular() || pipes && info.Mode()&fs.ModeNamedPipe != 0 {
		return nil
	}
	kind := "a special file"
	switch m := info.Mode(); {
	case m.IsDir():
		kind = "a folder"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		kind = "a device"
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return fmt.Errorf("%s is not a regular file (it is %s); trgen reads only regular files", name, kind)
}

// TooLargeError is a file over the size limit; only the limit plus one
// byte of it was read.
type TooLargeError struct {
	Name string
	Max  int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d bytes", e.Name, e.Max)
}

// ReadFile reads the regular file name, at most max bytes: the limit
// applies to what is read, whatever the file's size claims.
func ReadFile(name string, max int64) ([]byte, error) {
	f, err := OpenRegular(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &TooLargeError{Name: name, Max: max}
	}
	return data, nil
}
