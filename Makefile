# trgen's build. `make help` lists the targets.
#
# The version is stamped into the binary; -trimpath and an empty build id keep
# builds reproducible (same source, same binary); CGO_ENABLED=0 makes the
# binary static, with no C thread stacks in its address space (docs/security.md).

GO       ?= go
# go.mod's toolchain line names the Go release trgen is built and tested
# with (the oldest without known standard-library vulnerabilities the code
# reaches); auto lets go fetch it from the module proxy where the machine
# defaults to GOTOOLCHAIN=local.
export GOTOOLCHAIN := auto
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -buildid= -X github.com/trgen/trgen/internal/cli.Version=$(VERSION)
EXAMPLES := $(patsubst %/,%,$(sort $(filter-out examples/invalid/,$(wildcard examples/*/))))

# Tests find Debian's extracted auditd package here once `make auditd-pkg` ran.
export TRGEN_AUDITD_ROOT ?= $(if $(wildcard $(CURDIR)/.cache/auditd/usr/bin/ausyscall),$(CURDIR)/.cache/auditd)

export TRGEN_NODE_BIN ?= $(if $(wildcard $(CURDIR)/.cache/npm/node_modules/.bin/mmdc),$(CURDIR)/.cache/npm/node_modules/.bin)

# The npm tools the Markdown and Mermaid checks use, pinned.
NODE_TOOLS := markdownlint-cli2@0.24.1 @mermaid-js/mermaid-cli@12.2.0 tree-sitter-powershell@0.26.4 web-tree-sitter@0.25.10

.PHONY: coverage cross help build test lint fmt bench bench-fleet update demo generate fuzz fuzz-keep vulncheck reproducible docs syscalls syscalls-upstream auditd-pkg node-tools clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build bin/trgen
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/trgen ./cmd/trgen

test: ## run every test (CI=true makes tests that need an external tool fail instead of skip)
	$(GO) test -count=1 ./...

lint: ## go vet, gofmt, go mod tidy and staticcheck (pinned in tools.mod)
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) tool -modfile=tools.mod staticcheck ./...

coverage: ## run the whole suite with -coverpkg=./... and rewrite docs/coverage.md (coverage by package)
	mkdir -p .cache
	$(GO) test -count=1 -coverpkg=./... -coverprofile=.cache/cover.out ./... > .cache/coverage.txt 2>&1; status=$$?; tail -40 .cache/coverage.txt; [ $$status -eq 0 ]
	$(GO) run ./internal/coverage .cache/cover.out > docs/coverage.md.tmp && mv docs/coverage.md.tmp docs/coverage.md

# The Windows and macOS builds are what the non-Linux code paths
# (emit's swap by two renames, userfile's owner handling) compile in; vet
# covers their tests too.
cross: ## go vet and go build for windows/amd64 and darwin/arm64
	GOOS=windows GOARCH=amd64 $(GO) vet ./...
	GOOS=windows GOARCH=amd64 $(GO) build ./...
	GOOS=darwin GOARCH=arm64 $(GO) vet ./...
	GOOS=darwin GOARCH=arm64 $(GO) build ./...

fmt: ## format Go code and the example deployments
	gofmt -w $$(git ls-files '*.go')
	$(GO) run ./cmd/trgen fmt examples/small
	$(GO) run ./cmd/trgen fmt examples/enterprise

# Goldens are rewritten only when UPDATE_GOLDEN is set, so `go test ./...`
# never changes the tree; CI runs this and fails if git sees a difference.
# -short leaves out the subprocess tests (kills, concurrent runs, bounded
# answers), which write no golden and which `make test` has just run.
update: ## rewrite golden files, out/ and generated docs from the current code
	UPDATE_GOLDEN=1 $(GO) test -short -count=1 ./...

docs: update ## regenerate docs/language.md (part of update)

bench: build ## benchmarks: validation vs the HCL parse-only floor, in-process and as whole processes; verify vs an encoding/csv read of the same results
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./internal/bench/
	$(GO) test -run '^$$' -bench BenchmarkResults -benchtime 2x -timeout 20m ./internal/verify/

# out/ is committed, so it is written by an unstamped build ("dev"): the
# manifests then do not change with every commit.
generate: ## regenerate out/ from every example (what TestExamplesOut compares)
	@for ex in $(EXAMPLES); do $(GO) run ./cmd/trgen generate $$ex -o out || exit 1; done

bench-fleet: build ## trgen fleet vs a bare encoding/csv read and Miller, on 100k/1M/5M generated rows (needs mlr: apt-get install miller)
	$(GO) build -o bin/fleet-gen ./internal/fleet/gen
	$(GO) build -o bin/fleet-bareread ./internal/fleet/bareread
	$(GO) run ./internal/fleet/benchfleet

demo: build generate ## validate every bundled example and regenerate its output in out/
	@for ex in $(EXAMPLES); do echo "== trgen validate $$ex"; ./bin/trgen validate $$ex || exit 1; done
	@echo "Outputs: $$(ls -d out/*/)"

# Every fuzz target, as package:Func; TestFuzzTargetsListed keeps the list
# complete. Each runs for FUZZTIME; the corpus go test -fuzz builds is kept
# in GOCACHE (CI caches it), failures land in the package's testdata/fuzz.
FUZZ_TARGETS := internal/check:FuzzValidate internal/generate:FuzzGenerate internal/pslex:FuzzPSQuote \
	internal/render:FuzzSHQuote internal/render:FuzzXMLText internal/render:FuzzCSVRow internal/render:FuzzMDCell \
	internal/render:FuzzMermaidLabel internal/render:FuzzCapircaText internal/render:FuzzPSQuoteDoubling internal/render:FuzzSVGText internal/auditrule:FuzzLint internal/auditrule:FuzzMerge internal/fleet:FuzzInventory \
	internal/load:FuzzScanDepth internal/fleet:FuzzParseSize internal/osversion:FuzzParse internal/changes:FuzzRead \
	internal/verify:FuzzRow internal/verify:FuzzResults
# A run that ends in a bare "context deadline exceeded", with no failing
# input written, is Go's fuzz coordinator racing its own -fuzztime deadline
# (golang/go#75804, fixed in Go 1.27): that target runs once more; any
# other failure, or the race twice, fails.
fuzz: ## run each fuzz target for FUZZTIME (default 30s)
	@for t in $(FUZZ_TARGETS); do \
	  echo "== $${t#*:} ($${t%%:*}, $${FUZZTIME:-30s})"; \
	  for try in 1 2; do \
	    mkdir -p .cache && $(GO) test -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $${FUZZTIME:-30s} -fuzzminimizetime 10s ./$${t%%:*}/ > .cache/fuzz.log 2>&1 && break; \
	    if [ $$try = 1 ] && grep -q 'context deadline exceeded' .cache/fuzz.log && ! grep -q 'Failing input written' .cache/fuzz.log; then \
	      echo "(the fuzz coordinator's deadline race, golang/go#75804: once more)"; continue; fi; \
	    cat .cache/fuzz.log; exit 1; \
	  done; \
	  grep '^fuzz: elapsed' .cache/fuzz.log | grep -v '(0/sec)' | tail -1; \
	done

# The corpus is kept in the repository: testdata/fuzz/<Func> entries are
# regression cases for every go test and seeds for the next fuzz run.
fuzz-keep: ## copy the corpus the fuzzers built (in GOCACHE) into each package's testdata/fuzz
	@cache=$$($(GO) env GOCACHE)/fuzz/github.com/trgen/trgen; \
	for t in $(FUZZ_TARGETS); do \
	  src=$$cache/$${t%%:*}/$${t#*:}; dst=$${t%%:*}/testdata/fuzz/$${t#*:}; \
	  test -d $$src || continue; mkdir -p $$dst && cp $$src/* $$dst/ && echo "$$dst: $$(ls $$dst | wc -l) entries"; \
	done

# govulncheck needs the Go vulnerability database, normally fetched from
# vuln.go.dev. Here it is built from the newest golang.org/x/vulndb module
# on the module proxy (its data/osv folder is the database's source) with
# vulndb's own indexdb command, so the check runs where only the proxy is
# reachable.
VULNDB_DIR := $(CURDIR)/.cache/vulndb
vulncheck: ## govulncheck (pinned in tools.mod) against the newest Go vulnerability database from the module proxy
	@v=$$($(GO) list -m -f '{{.Version}}' golang.org/x/vulndb@latest) && \
	dir=$$($(GO) mod download -json golang.org/x/vulndb@$$v | sed -n 's/^\t"Dir": "\(.*\)",$$/\1/p') && \
	test -d "$$dir/data/osv" && echo "vulnerability database: golang.org/x/vulndb@$$v, $$(ls $$dir/data/osv | wc -l) entries" && \
	rm -rf $(VULNDB_DIR) && $(GO) run golang.org/x/vulndb/cmd/indexdb@$$v -vulns $$dir/data/osv -out $(VULNDB_DIR)
	$(GO) tool -modfile=tools.mod govulncheck -db file://$(VULNDB_DIR) ./...

# Two builds of the same source, each with its own empty build cache, must
# give the same bytes.
reproducible: ## build bin/trgen twice with separate build caches and compare the hashes
	@rm -rf .cache/repro && mkdir -p .cache/repro/a .cache/repro/b
	CGO_ENABLED=0 GOCACHE=$(CURDIR)/.cache/repro/a/cache $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o .cache/repro/a/trgen ./cmd/trgen
	CGO_ENABLED=0 GOCACHE=$(CURDIR)/.cache/repro/b/cache $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o .cache/repro/b/trgen ./cmd/trgen
	@a=$$(sha256sum < .cache/repro/a/trgen) && b=$$(sha256sum < .cache/repro/b/trgen) && echo "build 1: $$a" && echo "build 2: $$b" && test "$$a" = "$$b"
	@.cache/repro/a/trgen version

# Debian's auditd package, extracted (never installed: installing may start
# the daemon and load rules into this kernel). Tests find ausyscall and the
# upstream sample rules through TRGEN_AUDITD_ROOT.
AUDITD_ROOT ?= $(CURDIR)/.cache/auditd
auditd-pkg: ## download and extract (not install) Debian's auditd package into .cache/auditd
	@test -x $(AUDITD_ROOT)/usr/bin/ausyscall || (mkdir -p $(AUDITD_ROOT) && cd $(AUDITD_ROOT)/.. && apt-get download auditd && dpkg-deb -x auditd_*.deb $(AUDITD_ROOT) && rm -f auditd_*.deb)

# The syscall tables the audit linter checks names against, one folder per
# auditd line (schema/syscalls/<line>/<arch>.txt). The 3.0 line is what
# Debian's packaged ausyscall prints (TestSyscallTables compares it in CI);
# the lines Debian 12 cannot run (2.8, 3.1, 4.x) are transcribed from
# audit-userspace's lib/<arch>_table.h at each line's newest tag, with
# syscalls-upstream and a clone of that repository.
SYSCALL_ARCHES   := x86_64 i386 aarch64 arm
SYSCALL_UPSTREAM := 2.8:v2.8.5 3.1:v3.1.5 4.0:v4.0.5 4.1:v4.1.4 4.2:v4.2.1
syscalls: auditd-pkg ## regenerate schema/syscalls/3.0/ from the real ausyscall --dump
	@mkdir -p schema/syscalls/3.0 && for a in $(SYSCALL_ARCHES); do { echo "# Generated by: ausyscall $$a --dump, from Debian's auditd package ($$(zcat $(AUDITD_ROOT)/usr/share/doc/auditd/changelog.Debian.gz | head -1 | cut -d' ' -f2))."; echo "# Regenerate with: make syscalls (TestSyscallTables compares this file with ausyscall in CI)."; $(AUDITD_ROOT)/usr/bin/ausyscall $$a --dump | tail -n +2; } > schema/syscalls/3.0/$$a.txt; done

syscalls-upstream: ## regenerate the other lines of schema/syscalls/ from AUDIT_SRC, a git clone of linux-audit/audit-userspace
	@test -n "$(AUDIT_SRC)" || { echo "AUDIT_SRC=<a clone of linux-audit/audit-userspace> is needed"; exit 2; }
	@for spec in $(SYSCALL_UPSTREAM); do line=$${spec%%:*}; tag=$${spec#*:}; mkdir -p schema/syscalls/$$line; \
	  for a in $(SYSCALL_ARCHES); do { echo "# Transcribed from linux-audit/audit-userspace, lib/$${a}_table.h at tag $$tag"; \
	    echo "# (https://github.com/linux-audit/audit-userspace/blob/$$tag/lib/$${a}_table.h): number and name of every _S entry, by number."; \
	    echo "# Regenerate with: make syscalls-upstream AUDIT_SRC=<a clone of audit-userspace>."; \
	    git -C $(AUDIT_SRC) show $$tag:lib/$${a}_table.h | sed -n 's/^_S(\([0-9]*\), *"\([^"]*\)").*/\1\t\2/p' | sort -n -s; } > schema/syscalls/$$line/$$a.txt; done; done

node-tools: ## install markdownlint-cli2, mermaid-cli and the PowerShell grammar into .cache/npm (uses Debian's chromium)
	@test -x .cache/npm/node_modules/.bin/mmdc -a -f .cache/npm/node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm || PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix .cache/npm --no-audit --no-fund --loglevel=error $(NODE_TOOLS)

clean: ## remove build output
	rm -rf bin
