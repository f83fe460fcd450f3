package auditrule

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/rule"
)

// got renders findings as "line:col severity rule".
func got(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		out = append(out, fmt.Sprintf("%d:%d %s %s", d.Subject.Start.Line, d.Subject.Start.Column, sev, rule.Of(d)))
	}
	sort.Strings(out)
	return out
}

// TestBrokenFiles: each broken file is caught at the right line and column.
func TestBrokenFiles(t *testing.T) {
	protected := []string{"/opt/Tanium/TaniumClient/extensions/recorder/recorder.db", "/opt/Tanium/TaniumClient/extensions/recorder/recorder.auditpipe"}
	tests := map[string]struct {
		src  string
		site bool
		want []string
	}{
		"unknown option":        {"-D\n-a always,exit -F arch=b64 -S open -Z x\n", false, []string{"2:36 error audit-syntax"}},
		"missing value":         {"-b\n", false, []string{"1:1 error audit-syntax"}},
		"bad list":              {"-a always,entry -F arch=b64 -S open\n", false, []string{"1:4 error audit-syntax"}},
		"operator typo =>":      {"-a always,exit -F arch=b64 -S open -F uid=>1000\n", false, []string{"1:42 error audit-operator-invalid"}},
		"operator typo ==":      {"-a always,exit -F arch=b64 -S open -F auid==1000\n", false, []string{"1:43 error audit-operator-invalid"}},
		"pid not a number":      {"-a always,exit -F arch=b64 -S open -F pid=init\n", false, []string{"1:39 error audit-syntax"}},
		"values auditctl reads": {"-a always,exit -F arch=b64 -S open -F uid=root -F auid>=1000 -F auid!=unset -F exit=-EACCES -F a0=0x10 -F msgtype=SYSCALL -F gid=-1\n", false, nil},
		"path too long":         {"-w /" + strings.Repeat("a", 4096) + " -p wa -k x\n", false, []string{"1:4 error audit-syntax"}},
		"too many fields":       {"-a always,exit -F arch=b64 -S open" + strings.Repeat(" -F pid=1", 64) + "\n", false, []string{"1:1 error audit-syntax"}},
		"unknown field":         {"-a always,exit -F arch=b64 -S open -F auidd>=1000\n", false, []string{"1:39 error audit-field-unknown"}},
		"bad operator":          {"-a always,exit -F arch=b64 -S open -F path>=/etc\n", false, []string{"1:43 error audit-operator-invalid"}},
		"no operator":           {"-a always,exit -F arch=b64 -S open -F success\n", false, []string{"1:39 error audit-operator-invalid"}},
		"syscall b64":           {"-a always,exit -F arch=b64 -S open,stime -k t\n", false, []string{"1:36 error audit-syscall-unknown"}},
		"syscall b32 ok":        {"-a always,exit -F arch=b32 -S open,stime -k t\n", false, nil},
		"no arch":               {"-a always,exit -S open -k t\n", false, []string{"1:1 warning audit-arch-missing"}},
		"-S all no arch":        {"-a always,exit -S all -F exit=-EINVAL -k e\n", false, nil},
		"failure mode 2":        {"-D\n-f 2\n", false, []string{"2:4 error audit-failure-mode-2"}},
		"immutable not last":    {"-D\n-e 2\n-w /etc/passwd -p wa -k identity\n", false, []string{"2:1 error audit-immutable-not-last", "3:1 error audit-rule-after-immutable"}},
		"enable twice":          {"-e 1\n-e 1\n", false, []string{"2:1 warning audit-enable-duplicate"}},
		"delete not first":      {"-w /etc/passwd -p wa -k identity\n-D\n", false, []string{"2:1 error audit-delete-not-first"}},
		"duplicate rule":        {"-w /etc/passwd -p wa -k identity\n# again\n-w  /etc/passwd -p wa -k identity\n", false, []string{"3:1 error audit-duplicate-rule"}},
		"duplicate after -c":    {"-c\n-w /etc/passwd -p wa -k identity\n-w /etc/passwd -p wa -k identity\n", false, []string{"3:1 warning audit-duplicate-rule"}},
		"watch recorder db":     {"-w /opt/Tanium/TaniumClient/extensions/recorder/recorder.db -p wa -k x\n", false, []string{"1:4 error audit-watch-recorder"}},
		"watch client dir":      {"-w /opt/Tanium/TaniumClient/ -p wa -k x\n", false, []string{"1:4 error audit-watch-recorder"}},
		"dir= recorder":         {"-a always,exit -F arch=b64 -F dir=/opt/Tanium/TaniumClient/extensions -k x\n", false, []string{"1:31 error audit-watch-recorder"}},
		"watch binary ok":       {"-w /opt/Tanium/TaniumClient/TaniumCX -p wa -k tanium\n", false, nil},
		"watch relative":        {"-w etc/passwd -p wa\n", false, []string{"1:4 error audit-syntax"}},
		"bad perms":             {"-w /etc/passwd -p rwz\n", false, []string{"1:19 error audit-syntax"}},
		"site control":          {"-b 8192\n-w /etc/passwd -p wa -k identity\n", true, []string{"1:1 error audit-site-control"}},
		"attached key":          {"-w /etc/shadow -p wa -kshadow\n", false, nil},
		"long option value":     {"--backlog_wait_time=60000\n", false, nil},
		"bad -e":                {"-e 3\n", false, []string{"1:4 error audit-syntax"}},
		"quote in key":          {"-w /etc/passwd -p wa -k 'id'\n", false, []string{"1:25 warning audit-quoted-value"}},
		"key too long":          {"-w /etc/passwd -p wa -k " + strings.Repeat("k", 257) + "\n", false, []string{"1:25 error audit-syntax"}},
		"key at the limit":      {"-w /etc/passwd -p wa -k " + strings.Repeat("k", 256) + "\n", false, nil},
		"two keys too long":     {"-a always,exit -F arch=b64 -S open -k " + strings.Repeat("a", 128) + " -k " + strings.Repeat("b", 128) + "\n", false, []string{"1:171 error audit-syntax"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			diags, _ := Lint([]File{{Name: "t.rules", Data: []byte(tc.src)}}, Options{Protected: protected, Site: tc.site})
			if diff := cmp.Diff(tc.want, got(diags)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestAcrossFiles: files are linted as one stream, in order, as augenrules
// concatenates them; positions name the right file.
func TestAcrossFiles(t *testing.T) {
	diags, _ := Lint([]File{
		{Name: "10-base.rules", Data: []byte("-D\n-b 8192\n")},
		{Name: "99-final.rules", Data: []byte("-e 2\n")},
		{Name: "99-zz-late.rules", Data: []byte("-w /etc/passwd -p wa -k id\n")},
	}, Options{})
	if len(diags) != 2 || diags[0].Subject.Filename != "99-final.rules" || rule.Of(diags[0]) != rule.AuditImmutableLast ||
		diags[1].Subject.Filename != "99-zz-late.rules" || rule.Of(diags[1]) != rule.AuditAfterImmutable {
		t.Fatalf("got %v", diags)
	}
}
