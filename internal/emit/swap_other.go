//go:build !linux

package emit

import "errors"

// exchange would swap two paths atomically; only Linux has it here, so
// swap always takes the two-rename path.
var exchange = func(a, b string) error { return errors.ErrUnsupported }
