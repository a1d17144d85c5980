# attain: the commands people type. The build itself is CMake (CMakeLists.txt); this file
# only names the builds:
#   build/        release (-O2), gcc           `make`
#   build-debug/  ASan + UBSan, gcc            `make debug`
#   build-test/   ASan + UBSan + libFuzzer, clang: every test under ctest   `make test`
#   build-gcc/    gcc -Werror compile of everything (the other compiler)  `make test`
JOBS  ?= $(shell nproc)
DEMO_DIR ?= demo
DEMO_SEED ?= 42
PREFIX ?= /usr/local
CMAKE_Q = cmake -Wno-dev --log-level=WARNING

.PHONY: all deps debug test test-unit bench demo install clean

all: build/attain

build/attain: FORCE
	@$(CMAKE_Q) -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=gcc -DATTAIN_TESTS=OFF >/dev/null
	@cmake --build build -j $(JOBS) --target attain -- --no-print-directory

deps:
	@scripts/install-deps.sh build

debug:
	@$(CMAKE_Q) -S . -B build-debug -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc -DATTAIN_SANITIZE=ON >/dev/null
	@cmake --build build-debug -j $(JOBS)

test:
	@scripts/install-deps.sh test
	@echo "== gcc: compile everything with -Wall -Wextra -Werror"
	@$(CMAKE_Q) -S . -B build-gcc -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=gcc >/dev/null
	@cmake --build build-gcc -j $(JOBS) >/dev/null || cmake --build build-gcc -j 1
	@echo "== clang: ASan + UBSan + libFuzzer build, then every test"
	@$(CMAKE_Q) -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
	    -DATTAIN_SANITIZE=ON -DATTAIN_FUZZ=ON >/dev/null
	@cmake --build build-test -j $(JOBS) >/dev/null || cmake --build build-test -j 1
	@cd build-test && ctest --output-on-failure -j $(JOBS)

bench: build/attain
	@scripts/install-deps.sh bench
	@$(CMAKE_Q) -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=gcc >/dev/null
	@cmake --build build-bench -j $(JOBS)
	@bench/run-all.sh build-bench

demo: deps all
	@scripts/demo.sh build/attain $(DEMO_DIR) $(DEMO_SEED)

install: all
	@cmake --install build --prefix $(PREFIX)

clean:
	rm -rf build build-debug build-test build-gcc build-bench

FORCE:
