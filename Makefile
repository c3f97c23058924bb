# The two commands of the Quick start (README.md): `make run` and `make test`. Both install the
# Debian packages they need when they are missing, so they work on a fresh Debian 12 machine.
# dpkg-dev (dpkg-shlibdeps), file, systemd (systemd-analyze) and groff-base (the man page check)
# are for the Debian package: `make deb` and its test (tests/packaging). chromium is the browser
# the console's tests drive (tests/console). postgresql is the server the PostgreSQL store's tests
# start as their own cluster (tests/postgres).

DEBS := cmake g++ ninja-build pkg-config curl sqlite3 openssl \
        libboost-dev libboost-system-dev rapidjson-dev libphonenumber-dev libsqlite3-dev \
        libpq-dev libcurl4-openssl-dev libssl-dev libtomlplusplus-dev libcli11-dev libspdlog-dev \
        libgtest-dev libgmock-dev libbenchmark-dev wrk clang-16 libclang-rt-16-dev libjemalloc-dev \
        dpkg-dev file systemd groff-base chromium postgresql

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 10
# Most tests wait on sockets and child processes, so one more than the cores keeps both busy.
TEST_JOBS ?= $(shell echo $$(( $$(nproc) + 1 )))

.PHONY: deps release run deb test unit fuzz bench clean

# node and npm run the interop tests (tests/interop) and, at build time, `npm ci` and esbuild
# bundle the console (console/, src/console/CMakeLists.txt). Checked as commands, not packages: a
# NodeSource nodejs bundles npm, and Debian's npm package would conflict with it.
NODE_DEBS := nodejs npm

# Installs the packages in $$missing (a shell variable) when there are any. Installing must not
# start the packages' system services (PostgreSQL's cluster on port 5432; for `make bench` nginx on
# port 80 and Kannel's bearerbox): a policy-rc.d that refuses every start is put in place for the
# install when there is none, and removed afterwards. The tests start their own PostgreSQL
# (tests/postgres/server.sh).
APT_INSTALL_MISSING = if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then \
	    trap 'rm -f /usr/sbin/policy-rc.d' EXIT; trap 'exit 130' INT TERM; \
	    printf '\#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d; \
	  fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

deps:
	@missing=$$(for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing="$$missing $(NODE_DEBS)"; fi; \
	$(APT_INSTALL_MISSING)

release: deps
	cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSMSGW_TESTS=OFF
	cmake --build build/release -j $(JOBS)

run: release
	./build/release/src/app/smsgw serve

# The Debian package (docs/operations.md), from the Release build: CPack's DEB generator as
# configured in cmake/Packaging.cmake writes build/release/smsgw_<version>_<arch>.deb.
deb: release
	cd build/release && cpack

# Unit, component, store-contract, integration and interop tests (npm `smpp` from
# tests/interop/package-lock.json; the OpenAPI checks' ajv from tests/openapi/package-lock.json;
# the console's browser tests' playwright-core from tests/console/package-lock.json)
# under ASan+UBSan, then the fuzz targets for a bounded time. The sanitizer build's binary is the
# one the integration and OpenAPI tests start. -O0 -g1: compiling,
# not running, is what takes the time (Beast/Asio coroutines are slow to optimise): -O0 compiles
# ~40% faster than -O1, which was half of -O2 -g; the tests still run in about a minute.
test: deps
	cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" \
	  -DSMSGW_SANITIZE=ON
	cmake --build build/test -j $(JOBS)
	cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSMSGW_FUZZ=ON -DSMSGW_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build build/fuzz -j $(JOBS)
	ctest --test-dir build/fuzz --output-on-failure -j $(JOBS)
	cd tests/interop && npm ci --no-audit --no-fund
	cd tests/openapi && npm ci --no-audit --no-fund
	cd tests/console && npm ci --no-audit --no-fund
	ctest --test-dir build/test --output-on-failure -j $(TEST_JOBS)

# What bench/compare.sh runs next to smsgw (Kannel, nginx as the HTTP limit and the callback
# receiver), perf for profiling, and valgrind for bench/accept_cost.sh; installed without starting
# their services (APT_INSTALL_MISSING).
BENCH_DEBS := kannel nginx-light linux-perf valgrind

bench: release
	@missing=$$(for p in $(BENCH_DEBS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	$(APT_INSTALL_MISSING)
	bash bench/accept.sh
	bash bench/accept_cost.sh
	bash bench/syscalls.sh
	./build/release/bench/smsgw_bench_smpp
	bash bench/e2e.sh
	bash bench/backlog.sh
	bash bench/compare.sh

clean:
	rm -rf build
