# Firedrill: `make demo` and `make test` work on a fresh Debian machine with Swift installed.
SWIFT ?= swift
BIN_DEBUG := .build/debug/firedrill
BIN_RELEASE := .build/release/firedrill

.PHONY: all build release demo test fuzz deps-build deps-test deps-demo bench clean

all: build

deps-build:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

deps-demo:
	@scripts/install-deps.sh demo

build: deps-build
	$(SWIFT) build

# The release binary links the Swift runtime and Foundation statically: it starts in about half the time.
release: deps-build
	$(SWIFT) build -c release --static-swift-stdlib

## demo: install what is missing, build, run a real experiment and a real drill against a local sandbox.
demo: deps-demo release
	@scripts/demo.sh $(BIN_RELEASE)

## test: everything, real servers included, then a short fuzz run of the loader (scripts/run-tests.sh).
test: deps-test
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/run-tests.sh

## fuzz: 20,000 mutated plans through `validate` and `plan` (not in CI; about half an hour on 2 cores).
fuzz: deps-build
	$(SWIFT) build
	python3 fuzz/fuzz.py --binary $(BIN_DEBUG) --cases 20000

bench: deps-test release
	@echo "see bench/README.md: each bench/*.sh prints its figures next to its target"

clean:
	rm -rf .build reports/*/
