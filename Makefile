# The two commands of the quick start: `make run` and `make test`. Both install what they need.
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
DATA_DIR ?= steward-data
LISTEN ?= 127.0.0.1:8080
STEWARD := ./$(BUILD_DIR)/steward --dir $(DATA_DIR)

FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all setup build run test test-asan bench fuzz clean browser-deps

all: build

setup:
	@scripts/setup-deps

build: setup
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(BUILD_DIR)

# Installs, builds, creates the example company on first use, prints an admin token, serves.
run: build
	@if [ ! -f $(DATA_DIR)/steward.db ]; then $(STEWARD) init --example acme --listen $(LISTEN); fi
	@echo
	@echo "Admin token: paste it at http://$(LISTEN)/admin to sign in (or send 'Authorization: Bearer <token>' to /v1/admin/...):"
	@$(STEWARD) token create --role admin --label "make run" 2>/dev/null
	@echo
	@exec $(STEWARD) serve

# The browser tests' pinned npm packages (playwright-core; chromium itself is Debian's).
browser-deps: setup
	@[ tests/browser/node_modules/.package-lock.json -nt tests/browser/package-lock.json ] || \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

# Every test (unit, end-to-end with real sockets and processes, a real PostgreSQL server started
# in a temp dir on a free port, the web pages in headless chromium), then again under ASan/UBSan
# (screenshots of the pages in $(BUILD_DIR)/browser-artifacts).
test: browser-deps build
	@cmake -S . -B $(BUILD_DIR) > /dev/null  # picks up the browser test once its packages exist
	scripts/with-postgres ctest --test-dir $(BUILD_DIR) --output-on-failure -j2 --timeout 300
	@$(MAKE) --no-print-directory test-asan

test-asan: setup browser-deps
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTEWARD_SANITIZE=ON -DSTEWARD_BUILD_BENCH=OFF > /dev/null
	@cmake --build $(ASAN_DIR)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  scripts/with-postgres ctest --test-dir $(ASAN_DIR) --output-on-failure -j2 --timeout 600

bench: build
	bench/intake/run
	scripts/with-postgres bench/access/run
	scripts/with-postgres bench/erase/run
	scripts/with-postgres bench/retention/run
	bench/decisions/run
	bench/scan/run
	scripts/with-postgres bench/tables/run
	bench/accuracy/run

# libFuzzer on every parser of untrusted input, FUZZ_SECONDS each, growing tests/fuzz/corpus/.
fuzz: setup
	@scripts/setup-deps --fuzz
	@CC=clang-19 CXX=clang++-19 cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSTEWARD_FUZZ=ON -DSTEWARD_BUILD_TESTS=OFF -DSTEWARD_BUILD_BENCH=OFF > /dev/null
	@cmake --build $(FUZZ_DIR)
	@for t in intake_json inventory_yaml config_yaml dataset_manifest scan_text scan_csv scan_xlsx scan_xls scan_rules; do \
	  echo "fuzzing $$t for $(FUZZ_SECONDS)s"; \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(FUZZ_DIR)/tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 tests/fuzz/corpus/$$t || exit 1; \
	done

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)
