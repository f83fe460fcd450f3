package osversion

import "testing"

// TestExportForms reads the operating system strings real exports hold, in
// the formats their documentation gives (docs/fleet.md names each source):
//
//   - wmi: Win32_OperatingSystem's Caption, alone or with Version
//     ("10.0.19045") and CSDVersion ("Service Pack 1"), as Tanium's
//     Operating System sensor and Get-CimInstance report them
//     (learn.microsoft.com, Win32_OperatingSystem class); Windows Server
//     2008's caption carries the ® signs.
//   - release: Windows 10 and 11 feature-update names and builds
//     (learn.microsoft.com, Windows release health: release information).
//   - dotnet: .NET's Environment.OSVersion.VersionString
//     ("Microsoft Windows NT 10.0.19045.0").
//   - sw_vers: ProductName, ProductVersion and BuildVersion (sw_vers(1)),
//     and the marketing names Apple gives each release; Darwin's uname -r.
//   - os-release: PRETTY_NAME, or NAME and VERSION_ID (os-release(5));
//     SLES's VERSION ("15-SP5").
//   - redhat-release: /etc/redhat-release, /etc/system-release.
func TestExportForms(t *testing.T) {
	cases := []struct{ source, os, in, want string }{
		{"wmi", "windows", "Microsoft Windows 10 Enterprise", "Windows 10"},
		{"wmi", "windows", "Microsoft Windows 10 Enterprise 10.0.19045", "Windows 10"},
		{"wmi", "windows", "Microsoft Windows 11 Pro 10.0.22631", "Windows 11"},
		{"wmi", "windows", "Microsoft Windows Server 2019 Datacenter 10.0.17763", "Windows Server 2019"},
		{"wmi", "windows", "Microsoft Windows Server 2012 R2 Datacenter 6.3.9600", "Windows Server 2012 R2"},
		{"wmi", "windows", "Microsoft Windows Server 2022 Standard", "Windows Server 2022"},
		{"wmi", "windows", "Microsoft Windows Server 2022 Datacenter: Azure Edition", "Windows Server 2022"},
		{"wmi", "windows", "Microsoft Windows Server 2016 Essentials", "Windows Server 2016"},
		{"wmi", "windows", "Microsoft Windows Server 2025 Datacenter 10.0.26100", "Windows Server 2025"},
		{"wmi", "windows", "Microsoft Windows 10 IoT Enterprise LTSC", "Windows 10"},
		{"wmi", "windows", "Microsoft Windows 10 Enterprise 2016 LTSB", "Windows 10"},
		{"wmi", "windows", "Microsoft Windows 10 Education", "Windows 10"},
		{"wmi", "windows", "Microsoft Windows 11 Enterprise multi-session", "Windows 11"},
		{"wmi", "windows", "Microsoft Windows 8.1 Pro", "Windows 8.1"},
		{"wmi", "windows", "Microsoft Windows 7 Professional Service Pack 1", "Windows 7"},
		{"wmi", "windows", "Microsoft Windows 7 Enterprise 6.1.7601", "Windows 7"},
		{"wmi", "windows", "Microsoft Windows Server 2008 R2 Standard 6.1.7601 Service Pack 1", "Windows Server 2008 R2"},
		{"wmi", "windows", "Microsoft® Windows Server® 2008 Enterprise", "Windows Server 2008"},
		{"wmi", "windows", "Microsoft Windows XP Professional", "Windows XP"},
		{"release", "windows", "Windows 10 22H2", "Windows 10"},
		{"release", "windows", "Windows 11 Enterprise 23H2", "Windows 11"},
		{"release", "windows", "Windows 10 Version 1909", "Windows 10"},
		{"release", "windows", "Windows 10 Pro 10.0.22621", "Windows 11"}, // ProductName reads Windows 10 on 11
		{"release", "windows", "Windows Server 10.0.20348", "Windows Server 2022"},
		{"dotnet", "windows", "Microsoft Windows NT 10.0.19045.0", "Windows 10"},
		{"dotnet", "windows", "Microsoft Windows NT 6.1.7601 Service Pack 1", "Windows 7"},
		{"dotnet", "windows", "Microsoft Windows NT 10.0.22631.0", "Windows 11"},
		{"sw_vers", "macos", "macOS 14.2.1 (23C71)", "macOS 14"},
		{"sw_vers", "macos", "macOS Ventura 13.6.1", "macOS 13"},
		{"sw_vers", "macos", "Mac OS X 10.15.7", "macOS 10.15"},
		{"sw_vers", "macos", "Mac OS X 10.15.7 (19H2)", "macOS 10.15"},
		{"sw_vers", "macos", "OS X 10.11.6", "macOS 10.11"},
		{"sw_vers", "macos", "14.2.1", "macOS 14"},
		{"sw_vers", "macos", "10.15.7", "macOS 10.15"},
		{"sw_vers", "macos", "macOS Sonoma", "macOS 14"},
		{"sw_vers", "macos", "macOS 15.1 Sequoia", "macOS 15"},
		{"sw_vers", "macos", "macOS High Sierra 10.13.6", "macOS 10.13"},
		{"sw_vers", "macos", "ProductName: macOS ProductVersion: 14.2.1 BuildVersion: 23C71", "macOS 14"},
		{"sw_vers", "macos", "Darwin 23.2.0", "macOS 14"},
		{"sw_vers", "macos", "Darwin 19.6.0", "macOS 10.15"},
		{"os-release", "linux", "Ubuntu 22.04.3 LTS", "Ubuntu 22.04.3"},
		{"os-release", "linux", "Ubuntu 22.04", "Ubuntu 22.04"},
		{"os-release", "linux", "Red Hat Enterprise Linux 8.9 (Ootpa)", "RHEL 8.9"},
		{"os-release", "linux", "Red Hat Enterprise Linux 8.9", "RHEL 8.9"},
		{"os-release", "linux", "CentOS Linux 7 (Core)", "CentOS 7"},
		{"os-release", "linux", "CentOS Stream 9", "CentOS 9"},
		{"os-release", "linux", "Debian GNU/Linux 12 (bookworm)", "Debian 12"},
		{"os-release", "linux", "Debian GNU/Linux 11", "Debian 11"},
		{"os-release", "linux", "Debian bookworm", "Debian 12"},
		{"os-release", "linux", "Amazon Linux 2", "Amazon Linux 2"},
		{"os-release", "linux", "Amazon Linux 2023", "Amazon Linux 2023"},
		{"os-release", "linux", "Amazon Linux 2023.3.20240122", "Amazon Linux 2023.3.20240122"},
		{"os-release", "linux", "Amazon Linux AMI 2018.03", "Amazon Linux 2018.03"},
		{"os-release", "linux", "Oracle Linux Server 8.9", "Oracle Linux 8.9"},
		{"os-release", "linux", "SUSE Linux Enterprise Server 15 SP5", "SLES 15 SP5"},
		{"os-release", "linux", "SLES 15-SP5", "SLES 15 SP5"},
		{"os-release", "linux", "SLES 12.5", "SLES 12.5"},
		{"os-release", "linux", "Rocky Linux 9.3 (Blue Onyx)", "Rocky Linux 9.3"},
		{"os-release", "linux", "AlmaLinux 9.3 (Shamrock Pink)", "AlmaLinux 9.3"},
		{"os-release", "linux", "Fedora Linux 39 (Server Edition)", "Fedora 39"},
		{"redhat-release", "linux", "Red Hat Enterprise Linux Server release 7.9 (Maipo)", "RHEL 7.9"},
		{"redhat-release", "linux", "Red Hat Enterprise Linux release 8.9 (Ootpa)", "RHEL 8.9"},
		{"redhat-release", "linux", "CentOS Linux release 7.9.2009 (Core)", "CentOS 7.9.2009"},
		{"redhat-release", "linux", "Oracle Linux Server release 7.9", "Oracle Linux 7.9"},
		{"redhat-release", "linux", "Rocky Linux release 9.3 (Blue Onyx)", "Rocky Linux 9.3"},
		{"redhat-release", "linux", "Amazon Linux release 2 (Karoo)", "Amazon Linux 2"},
	}
	perSource := map[string][2]int{}
	for _, c := range cases {
		n := perSource[c.source]
		n[1]++
		got, err := Parse(c.os, c.in)
		switch {
		case err != nil:
			t.Errorf("%s: Parse(%q, %q): %v", c.source, c.os, c.in, err)
		case got.Canonical != c.want:
			t.Errorf("%s: Parse(%q, %q) = %q, want %q", c.source, c.os, c.in, got.Canonical, c.want)
		default:
			n[0]++
		}
		perSource[c.source] = n
	}
	for src, n := range perSource {
		t.Logf("%s: %d of %d forms read", src, n[0], n[1])
	}
}

// TestExportFormsRejected: strings that name no release, or another
// system's, stay unread rather than guessed.
func TestExportFormsRejected(t *testing.T) {
	for _, c := range []struct{ os, in string }{
		{"windows", "Microsoft Windows"},
		{"windows", "Ubuntu 22.04.3 LTS"},
		{"windows", "Microsoft Windows Server 10.0"},
		{"windows", "Windows 10 Banana"},
		{"macos", "macOS"},
		{"macos", "Darwin 9.8.0"},
		{"linux", "Linux 5.15.0-91-generic"},
		{"linux", "Ubuntu LTS"},
		{"linux", "Microsoft Windows 10 Enterprise"},
	} {
		if p, err := Parse(c.os, c.in); err == nil {
			t.Errorf("Parse(%q, %q) = %q, want unread", c.os, c.in, p.Canonical)
		}
	}
}

// BenchmarkParse: the common forms of a fleet export.
func BenchmarkParse(b *testing.B) {
	forms := []struct{ os, in string }{{"windows", "Microsoft Windows 10 Enterprise 10.0.19045"}, {"linux", "Red Hat Enterprise Linux 8.9 (Ootpa)"},
		{"macos", "macOS 14.2.1 (23C71)"}, {"windows", "Microsoft Windows Server 2019 Datacenter"}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f := forms[i%len(forms)]
		if _, err := Parse(f.os, f.in); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseAllocationFree: the common forms (each of TestExportForms's
// sources) are read without a heap allocation: fleet parses the OS string
// of every distinct endpoint kind. A canonical Linux name is interned on
// first sight (AllocsPerRun's warm-up run).
func TestParseAllocationFree(t *testing.T) {
	for _, f := range []struct{ os, in string }{
		{"windows", "Microsoft Windows 10 Enterprise 10.0.19045"},
		{"windows", "Microsoft Windows Server 2012 R2 Datacenter 6.3.9600"},
		{"windows", "Microsoft® Windows Server® 2008 Enterprise"},
		{"windows", "Windows 11 Enterprise 23H2"},
		{"windows", "Microsoft Windows NT 10.0.22631.0"},
		{"macos", "macOS 14.2.1 (23C71)"},
		{"macos", "Mac OS X 10.15.7"},
		{"macos", "macOS Ventura 13.6.1"},
		{"linux", "Red Hat Enterprise Linux 8.9 (Ootpa)"},
		{"linux", "Ubuntu 22.04.3 LTS"},
		{"linux", "SUSE Linux Enterprise Server 15 SP5"},
		{"linux", "Debian GNU/Linux 12 (bookworm)"},
		{"linux", "Amazon Linux 2"},
	} {
		if _, err := Parse(f.os, f.in); err != nil {
			t.Fatalf("%q: %v", f.in, err)
		}
		if n := testing.AllocsPerRun(20, func() { Parse(f.os, f.in) }); n != 0 {
			t.Errorf("Parse(%q, %q) allocates %.0f times", f.os, f.in, n)
		}
	}
}

// TestRegisteredMarks: "(R)" and "(TM)" are dropped wherever they stand,
// Linux names included.
func TestRegisteredMarks(t *testing.T) {
	for _, c := range []struct{ os, in, want string }{
		{"linux", "Red Hat(R) Enterprise Linux(R) 8.9", "RHEL 8.9"},
		{"windows", "Microsoft(R) Windows(R) Server 2008 R2 Standard", "Windows Server 2008 R2"},
		{"windows", "Microsoft Windows(TM) 7 Professional", "Windows 7"},
	} {
		p, err := Parse(c.os, c.in)
		if err != nil || p.Canonical != c.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", c.in, p.Canonical, err, c.want)
		}
	}
}

// FuzzParse: no input panics, and a canonical name reads as itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"Microsoft Windows 10 Enterprise 10.0.19045", "macOS 14.2.1 (23C71)", "Red Hat Enterprise Linux 8.9 (Ootpa)",
		"SUSE Linux Enterprise Server 15 SP5", "Darwin 23.1.0", "Windows Server 10.0.20348", "Debian GNU/Linux 12 (bookworm)", "Microsoft® Windows Server® 2008"} {
		for _, os := range []string{"windows", "macos", "linux"} {
			f.Add(os, s)
		}
	}
	f.Fuzz(func(t *testing.T, os, s string) {
		p, err := Parse(os, s)
		if err != nil {
			return
		}
		again, err := Parse(os, p.Canonical)
		if err != nil || again.Canonical != p.Canonical {
			t.Fatalf("Parse(%q, %q) = %q, which reads as %q, %v", os, s, p.Canonical, again.Canonical, err)
		}
	})
}
