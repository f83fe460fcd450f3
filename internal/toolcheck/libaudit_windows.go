package toolcheck

import "errors"

// BuildAuditRule would parse one rule with go-libaudit, which does not
// build for Windows (its auparse package needs unix.SignalName). The
// tests that read audit rules back run on Linux; on Windows this is an
// error, never a pass.
func BuildAuditRule(line string) error {
	return errors.New("go-libaudit does not build for Windows: audit rules are read back on Linux")
}
