//go:build !windows

package auditrule

import (
	librule "github.com/elastic/go-libaudit/v2/rule"
	libflags "github.com/elastic/go-libaudit/v2/rule/flags"
)

// kernelForm is the rule as the kernel receives it: go-libaudit builds
// the audit_rule_data auditctl sends, in which -k and -F key= are the same
// field, syscalls a bitmask and -p letters a permission mask. ok is false
// where go-libaudit cannot build it (a user name it would resolve on this
// machine, a list it does not know): the caller falls back to the text.
func kernelForm(text string) (string, bool) {
	r, err := libflags.Parse(text)
	if err != nil {
		return "", false
	}
	wire, err := librule.Build(r)
	if err != nil {
		return "", false
	}
	return string(wire), true
}

// KernelForm is the rule as the kernel receives it (see kernelForm):
// auditctl -l's normalised listing of a rule and the rule as written
// have the same kernel form.
func KernelForm(text string) (string, bool) { return kernelForm(text) }
