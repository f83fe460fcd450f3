//go:build !windows

package toolcheck

import (
	"fmt"

	"github.com/elastic/go-libaudit/v2/rule"
	"github.com/elastic/go-libaudit/v2/rule/flags"
)

// BuildAuditRule parses one watch or syscall rule with go-libaudit and
// builds its kernel wire format.
func BuildAuditRule(line string) error {
	r, err := flags.Parse(line)
	if err != nil {
		return fmt.Errorf("parsing %q: %w", line, err)
	}
	if _, err := rule.Build(r); err != nil {
		return fmt.Errorf("building %q: %w", line, err)
	}
	return nil
}
