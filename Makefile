# trgen's build. `make help` lists the targets.
#
# The version is stamped into the binary; -trimpath and an empty build id keep
# builds reproducible (same source, same binary).

GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -buildid= -X github.com/trgen/trgen/internal/cli.Version=$(VERSION)
EXAMPLES := $(sort $(filter-out examples/invalid,$(wildcard examples/*)))

.PHONY: help build test lint fmt bench update demo generate fuzz docs clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build bin/trgen
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/trgen ./cmd/trgen

test: ## run every test (CI=true makes tests that need an external tool fail instead of skip)
	$(GO) test -count=1 ./...

lint: ## go vet, gofmt, go mod tidy and staticcheck (pinned in tools.mod)
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) tool -modfile=tools.mod staticcheck ./...

fmt: ## format Go code and the example deployments
	gofmt -w $$(git ls-files '*.go')
	$(GO) run ./cmd/trgen fmt examples/small
	$(GO) run ./cmd/trgen fmt examples/enterprise

# Goldens are rewritten only when UPDATE_GOLDEN is set, so `go test ./...`
# never changes the tree; CI runs this and fails if git sees a difference.
update: ## rewrite golden files, out/ and generated docs from the current code
	UPDATE_GOLDEN=1 $(GO) test -count=1 ./...

docs: update ## regenerate docs/language.md (part of update)

bench: build ## benchmarks: validation vs the HCL parse-only floor, in-process and as whole processes
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./internal/bench/

# out/ is committed, so it is written by an unstamped build ("dev"): the
# manifests then do not change with every commit.
generate: ## regenerate out/ from every example (what TestExamplesOut compares)
	@for ex in $(EXAMPLES); do $(GO) run ./cmd/trgen generate $$ex -o out || exit 1; done

demo: build generate ## validate every bundled example and regenerate its output in out/
	@for ex in $(EXAMPLES); do echo "== trgen validate $$ex"; ./bin/trgen validate $$ex || exit 1; done
	@echo "Outputs: $$(ls -d out/*/)"

fuzz: ## run each fuzz target for FUZZTIME (default 30s)
	$(GO) test -run '^$$' -fuzz '^FuzzValidate$$' -fuzztime $${FUZZTIME:-30s} -fuzzminimizetime 0s ./internal/check/
	$(GO) test -run '^$$' -fuzz '^FuzzPSQuote$$' -fuzztime $${FUZZTIME:-30s} -fuzzminimizetime 0s ./internal/pslex/
	$(GO) test -run '^$$' -fuzz '^FuzzGenerate$$' -fuzztime $${FUZZTIME:-30s} -fuzzminimizetime 0s ./internal/generate/

clean: ## remove build output
	rm -rf bin
