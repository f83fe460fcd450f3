package check

import (
	"fmt"

	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
)

// auditd checks the Linux audit daemon settings the recorder depends on.
func (c *checker) auditd(g *model.EndpointGroup) {
	a := g.Auditd
	if a == nil {
		return
	}
	la := c.cat.LinuxAudit
	if g.OS != model.OSLinux {
		c.add(rule.AuditdNotLinux, a.TypeRange, fmt.Sprintf("auditd block on a %s group", g.OS),
			fmt.Sprintf("auditd settings apply to Linux endpoints only. Remove the auditd block from the group %q.", g.Name), &la.Packages)
		return
	}
	c.parseVersion(a.Version, "auditd version", `"3.0.7" (auditctl -v prints it)`, a.VersionRange)
	if a.FailureMode != nil && *a.FailureMode == la.FailurePanic.FailureMode {
		c.add(rule.AuditdFailureMode, a.FailureModeRange, "The recorder adds no audit rules with failure mode 2",
			fmt.Sprintf("With %s the kernel panics when an audit message is lost, and the recorder does not add audit rules when it detects this setting. Use failure_mode 0 or 1 on the group %q.", la.FailurePanic.Flag, g.Name), &la.FailurePanic.Source)
	}
	if model.Bool(a.Immutable, false) {
		c.add(rule.AuditdImmutable, a.ImmutableRange, "Endpoints must be restarted after the recorder is enabled",
			fmt.Sprintf("With %s the recorder adds its audit rules in front of the immutable flag, and the endpoints of the group %q must be restarted after the recorder is enabled. Accepting this means planning that restart; set immutable = false to avoid it.", la.Immutable.Flag, g.Name), &la.Immutable.Source)
	}
}
