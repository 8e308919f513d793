# The front door. `make demo` and `make test` each work on a fresh Debian
# machine: they install what is missing, build with CMake and run.
PREFIX ?= /usr/local
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
BUILD  ?= build
ASAN   ?= build-asan
FUZZ   ?= build-fuzz
CTEST_FLAGS ?= --output-on-failure -j $(JOBS)
C_FILES = $(shell git ls-files -co --exclude-standard '*.c' '*.h' 2>/dev/null || \
                  find include src tests bench examples -name '*.[ch]')

.PHONY: all build deps test test-asan test-fuzz format format-check demo \
        bench install clean

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD)/Makefile: CMakeLists.txt
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

format:
	clang-format -i $(C_FILES)

format-check:
	@clang-format --dry-run -Werror $(C_FILES) && \
	    echo "format-check: $(words $(C_FILES)) files follow .clang-format"

# The suite: format, the normal build, then the same tests again under
# AddressSanitizer and UBSan, then each fuzz target for a bounded time.
test: deps format-check build
	cd $(BUILD) && ctest $(CTEST_FLAGS)
	$(MAKE) test-asan
	$(MAKE) test-fuzz

test-asan:
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DGCP_SANITIZE=ON \
	    -DCMAKE_C_COMPILER=clang >/dev/null
	cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    GCPROV_SANITIZED=1 ctest $(CTEST_FLAGS) -LE nosan

test-fuzz:
	cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=Debug -DGCP_FUZZ=ON \
	    -DCMAKE_C_COMPILER=clang >/dev/null
	cmake --build $(FUZZ) -j $(JOBS)
	cd $(FUZZ) && ctest $(CTEST_FLAGS) -L fuzz

demo: deps build
	./scripts/demo.sh $(BUILD)/gcprov

bench: deps build
	./bench/run.sh $(BUILD)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)
