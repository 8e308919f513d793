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

.PHONY: all build deps test format format-check demo \
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

# The suite: the format check, then scripts/test-all.sh runs the tests,
# the same tests under AddressSanitizer and UBSan, and the fuzz targets.
test: deps format-check
	JOBS=$(JOBS) BUILD=$(BUILD) ASAN=$(ASAN) FUZZ=$(FUZZ) \
	    ./scripts/test-all.sh

demo: deps build
	./scripts/demo.sh $(BUILD)/gcprov

bench: deps build
	./bench/run.sh $(BUILD)

# The prefix is configured, not only passed to --install, so that the
# pkg-config file names the right folders. DESTDIR is honoured by CMake.
install:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)
