# The two commands of the quick start: `make run` and `make test`. Both install what they need.
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
DATA_DIR ?= steward-data
LISTEN ?= 127.0.0.1:8080
STEWARD := ./$(BUILD_DIR)/steward --dir $(DATA_DIR)

.PHONY: all setup build run test test-asan bench clean

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
	@echo "Admin token for http://$(LISTEN)/v1/admin/... (send it as 'Authorization: Bearer <token>'):"
	@$(STEWARD) token create --role admin --label "make run" 2>/dev/null
	@echo
	@exec $(STEWARD) serve

# Every test (unit and end-to-end, real sockets and processes), then again under ASan/UBSan.
test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2 --timeout 300
	@$(MAKE) --no-print-directory test-asan

test-asan: setup
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTEWARD_SANITIZE=ON -DSTEWARD_BUILD_BENCH=OFF > /dev/null
	@cmake --build $(ASAN_DIR)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_DIR) --output-on-failure -j2 --timeout 600

bench: build
	bench/intake/run

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR)
