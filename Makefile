# pmscope - terminal workbench for cross-origin postMessage traffic.
#
#   make            build ./pmscope (installs missing Debian packages first)
#   make run        build and open the TUI on the bundled sample trace
#   make check      build, then run unit + CLI + TUI tests, also under ASan+UBSan
#   make install    PREFIX=/usr/local DESTDIR=
#   make samples    re-record sample-traces/ from the demo site with Chromium
#   make bench      benchmarks side by side (slow; not part of check)
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS each

PREFIX     ?= /usr/local
DESTDIR    ?=
PKG_CONFIG ?= pkg-config
INSTALL    ?= install
CC         ?= cc
VERSION    := 0.1.0

# Build the two trees and the tests in parallel by default.
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)

PKGS := ncursesw sqlite3 libcjson libcurl libcrypto
# Debian packages that provide the pkg-config names above, plus tools the
# tests drive (tmux for the TUI, cmark and cmark-gfm for Markdown structure
# checks: CommonMark, then GitHub's tables).  TEST_TOOLS are the commands
# whose absence makes `deps` install the lists.
DEB_BUILD := pkg-config libncurses-dev libsqlite3-dev libcjson-dev \
             libcurl4-openssl-dev libssl-dev
DEB_TEST  := libcmocka-dev tmux cmark cmark-gfm openssl python3 curl clang \
             valgrind cppcheck clang-tidy jq
TEST_TOOLS := tmux cmark cmark-gfm openssl python3 curl clang valgrind \
              cppcheck clang-tidy jq

ifeq ($(CI),true)
WERROR ?= 1
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARN += -Werror
endif

PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

PM_CPPFLAGS = -D_GNU_SOURCE -DPM_VERSION=\"$(VERSION)\" -Isrc -Iimporters -Iui
PM_CFLAGS   = -std=c11 $(WARN) -g -O2 $(PKG_CFLAGS) -MMD -MP
SAN_FLAGS   = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined

CORE_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard importers/*.c)
UI_SRC   := $(wildcard ui/*.c)
APP_SRC  := $(CORE_SRC) $(UI_SRC)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_HELPERS := $(filter-out $(TEST_SRC),$(wildcard tests/*.c))

# Two build trees: $(BUILD) (normal) and $(SAN_BUILD) (ASan + UBSan).
# Override them to keep parallel work in separate trees.
BUILD     ?= build
SAN_BUILD ?= build-san
define build_tree
$(1)/obj/%.o: %.c | deps
	@mkdir -p $$(dir $$@)
	$$(CC) $$(PM_CPPFLAGS) $$(CPPFLAGS) $$(PM_CFLAGS) $(2) $$(CFLAGS) -c -o $$@ $$<

$(1)/pmscope: $(1)/obj/src/main.o $(patsubst %.c,$(1)/obj/%.o,$(APP_SRC))
	$$(CC) $(2) $$(LDFLAGS) -o $$@ $$^ $$(PKG_LIBS) $$(LDLIBS)

$(1)/tests/%: $(1)/obj/tests/%.o $(patsubst %.c,$(1)/obj/%.o,$(APP_SRC) $(TEST_HELPERS)) | deps
	@mkdir -p $$(dir $$@)
	$$(CC) $(2) $$(LDFLAGS) -o $$@ $$^ $$(PKG_LIBS) -lcmocka $$(LDLIBS)

$(1)/tests-all: $(1)/pmscope $(patsubst tests/%.c,$(1)/tests/%,$(TEST_SRC))
endef

$(eval $(call build_tree,$(BUILD),))
$(eval $(call build_tree,$(SAN_BUILD),$(SAN_FLAGS)))

all: pmscope

pmscope: $(BUILD)/pmscope
	cp $(BUILD)/pmscope pmscope

# Install what a fresh Debian machine lacks; elsewhere, say what is missing.
# The stamp is redone when the Makefile changes, so a tool added to the
# lists above is installed on machines that were set up before.
deps: .deps-ok
.deps-ok: Makefile
	@missing=""; \
	for p in $(PKGS); do $(PKG_CONFIG) --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	[ -f /usr/include/cmocka.h ] || missing="$$missing cmocka"; \
	for c in $(TEST_TOOLS); do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing missing packages for:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_BUILD) $(DEB_TEST) >/dev/null || exit 1; \
	  else \
	    echo "missing:$$missing -- install (Debian): $(DEB_BUILD) $(DEB_TEST)" >&2; exit 1; \
	  fi; \
	fi
	@touch $@

# Chromium is only needed for capture and its tests.
chromium-dep: deps
	@command -v chromium >/dev/null || { \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "capture needs Chromium: apt-get install chromium" >&2; exit 1; fi; }

SAMPLE_WS := build/sample.pmscope

run: pmscope
	@rm -f $(SAMPLE_WS) $(SAMPLE_WS)-wal $(SAMPLE_WS)-shm
	./pmscope import -w $(SAMPLE_WS) sample-traces/*.jsonl sample-traces/*.har
	./pmscope tui -w $(SAMPLE_WS)

check: pmscope $(BUILD)/tests-all $(SAN_BUILD)/tests-all chromium-dep
	@bash tests/run.sh $(BUILD) $(SAN_BUILD)

bench: pmscope
	@bash bench/run.sh

samples: pmscope chromium-dep
	@bash sample-traces/record.sh

# libFuzzer's runtime (libclang_rt.fuzzer) comes with libclang-rt-14-dev.
fuzz: deps
	@ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing libFuzzer"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libclang-rt-14-dev >/dev/null; \
	  else echo "fuzz needs libFuzzer: apt-get install libclang-rt-14-dev" >&2; exit 1; fi; }
	@bash fuzz/run.sh $(FUZZ_SECONDS)

install: pmscope
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin
	$(INSTALL) -m 0755 pmscope $(DESTDIR)$(PREFIX)/bin/pmscope

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pmscope

clean:
	rm -rf build build-san build-* pmscope .deps-ok

.PHONY: all deps chromium-dep run check bench samples fuzz install uninstall clean
.SECONDARY:

-include $(shell find $(BUILD) $(SAN_BUILD) -name '*.d' 2>/dev/null)
