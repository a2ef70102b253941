# pmscope - terminal workbench for cross-origin postMessage traffic.
#
#   make            build ./pmscope (installs missing build packages first)
#   make run        build and open the TUI on the bundled sample trace
#   make check      build, then run unit + CLI + TUI tests, also under ASan+UBSan
#                   (installs the test tools and Chromium, and fetches the
#                   Mermaid checker, first)
#   make install    PREFIX=/usr/local DESTDIR=: binary, man page, bash completion
#   make docs       regenerate docs/pmscope.1 and docs/pmscope.bash from ./pmscope
#   make samples    re-record sample-traces/ from the demo site with Chromium
#   make bench      benchmarks side by side (slow; not part of check)
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS each

PREFIX     ?= /usr/local
DESTDIR    ?=
PKG_CONFIG ?= pkg-config
INSTALL    ?= install
CC         ?= cc
VERSION    := 0.1.0

# The first rule below is a pattern rule; name the default goal outright.
.DEFAULT_GOAL := all

# Build the two trees and the tests in parallel by default.
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)

PKGS := ncursesw sqlite3 libcjson libcurl libcrypto libidn2 tree-sitter
# Debian packages that provide the pkg-config names above, and npm (which
# fetches the JavaScript grammar: grammar.mk; installed on its own, only
# when no npm is on PATH, so a Node.js from elsewhere is left alone), are
# enough to build; DEB_TEST is what the tests need on top: cmocka, and the tools they drive (tmux for
# the TUI, cmark and cmark-gfm for Markdown structure checks: CommonMark,
# then GitHub's tables; graphviz, whose dot renders `pmscope graph`;
# valgrind, the analysers).
DEB_BUILD := pkg-config libncurses-dev libsqlite3-dev libcjson-dev \
             libcurl4-openssl-dev libssl-dev libidn2-dev libtree-sitter-dev
DEB_TEST  := libcmocka-dev tmux cmark cmark-gfm openssl python3 curl clang \
             valgrind cppcheck clang-tidy jq graphviz
TEST_TOOLS := tmux cmark cmark-gfm openssl python3 curl clang valgrind \
              cppcheck clang-tidy jq dot

ifeq ($(CI),true)
WERROR ?= 1
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARN += -Werror
endif

# Shell text ending a deps recipe: with $$missing set, apt-get install the
# packages $(1) as root on Debian, else name them and fail.
define install_missing
if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing missing packages for:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null || exit 1; \
	  else \
	    echo "missing:$$missing -- install (Debian): $(1)" >&2; exit 1; \
	  fi; \
	fi
endef

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

# The JavaScript grammar's generated parser (grammar.mk), fetched into the
# normal tree once and compiled in each tree as vendor code: its own
# flags, none of the project's warnings.
TSJS_ROOT = $(BUILD)/vendor
include grammar.mk
$(TSJS_DIR)/src/parser.c: | deps
TSJS_OBJ = $(1)/obj/vendor/tsjs/parser.o $(1)/obj/vendor/tsjs/scanner.o
define build_tree
$(1)/obj/%.o: %.c | deps
	@mkdir -p $$(dir $$@)
	$$(CC) $$(PM_CPPFLAGS) $$(CPPFLAGS) $$(PM_CFLAGS) $(2) $$(CFLAGS) -c -o $$@ $$<

$(1)/obj/vendor/tsjs/%.o: $(TSJS_DIR)/src/%.c | deps
	@mkdir -p $$(dir $$@)
	$$(CC) -std=gnu11 -g -O2 $(2) -I$(TSJS_DIR)/src -c -o $$@ $$<

$(1)/pmscope: $(1)/obj/src/main.o $(patsubst %.c,$(1)/obj/%.o,$(APP_SRC)) $(call TSJS_OBJ,$(1))
	$$(CC) $(2) $$(LDFLAGS) -o $$@ $$^ $$(PKG_LIBS) $$(LDLIBS)

$(1)/obj/tests/%.o: tests/%.c | test-deps
	@mkdir -p $$(dir $$@)
	$$(CC) $$(PM_CPPFLAGS) $$(CPPFLAGS) $$(PM_CFLAGS) $(2) $$(CFLAGS) -c -o $$@ $$<

$(1)/tests/%: $(1)/obj/tests/%.o $(patsubst %.c,$(1)/obj/%.o,$(APP_SRC) $(TEST_HELPERS)) $(call TSJS_OBJ,$(1)) | test-deps
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
# Building needs only DEB_BUILD; the tests (make check) also DEB_TEST.  Each
# check leaves a stamp in $(BUILD), so it runs once per build tree, and again
# when the Makefile changes (a package added to the lists above).
deps: $(BUILD)/.deps-ok
$(BUILD)/.deps-ok: Makefile
	@missing=""; \
	for p in $(PKGS); do $(PKG_CONFIG) --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	$(call install_missing,$(DEB_BUILD))
	@missing=""; command -v npm >/dev/null || missing=" npm"; \
	$(call install_missing,npm)
	@mkdir -p $(dir $@) && touch $@

test-deps: $(BUILD)/.test-deps-ok
$(BUILD)/.test-deps-ok: Makefile | deps
	@missing=""; \
	[ -f /usr/include/cmocka.h ] || missing="$$missing cmocka"; \
	for c in $(TEST_TOOLS); do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	$(call install_missing,$(DEB_TEST))
	@mkdir -p $(dir $@) && touch $@

# Mermaid's own parser for the tests (tests/mermaid/check.mjs): the
# packages pinned in tests/mermaid/package-lock.json, fetched by `npm ci`
# (which checks each package's sha512 against the lock file, and runs no
# install scripts here) into the normal tree, never into the repository.
MERMAID_CHECK := $(BUILD)/vendor/mermaid-check
mermaid-check: $(MERMAID_CHECK)/.ok
$(MERMAID_CHECK)/.ok: tests/mermaid/package.json tests/mermaid/package-lock.json | deps
	@rm -rf $(MERMAID_CHECK) && mkdir -p $(MERMAID_CHECK)
	@cp tests/mermaid/package.json tests/mermaid/package-lock.json $(MERMAID_CHECK)/
	@cd $(MERMAID_CHECK) && npm ci --silent --no-audit --no-fund --ignore-scripts >/dev/null || \
	  { echo "fetching the Mermaid checker with npm failed" >&2; exit 1; }
	@touch $@ && echo "Mermaid checker in $(MERMAID_CHECK) (npm ci, integrity checked)"

# Chromium is only needed for capture and its tests.
chromium-dep: deps
	@command -v chromium >/dev/null || { \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "capture needs Chromium: apt-get install chromium" >&2; exit 1; fi; }

# make run keeps its workspace (and the triage done in it) across runs; it
# imports the sample again only when the sample files changed, as recorded
# by the sha256 of their names and contents in $(SAMPLE_WS).sha256.
SAMPLE_WS    ?= $(BUILD)/sample.pmscope
SAMPLE_FILES := $(wildcard sample-traces/*.jsonl sample-traces/*.har)

sample-ws: pmscope
	@mkdir -p $(dir $(SAMPLE_WS))
	@sum=$$(sha256sum $(SAMPLE_FILES) | sha256sum | cut -d' ' -f1); \
	if [ -f $(SAMPLE_WS) ] && [ "$$(cat $(SAMPLE_WS).sha256 2>/dev/null)" = "$$sum" ]; then \
	  echo "$(SAMPLE_WS): the sample is unchanged; keeping the workspace"; \
	else \
	  rm -f $(SAMPLE_WS) $(SAMPLE_WS)-wal $(SAMPLE_WS)-shm $(SAMPLE_WS).sha256 && \
	  ./pmscope import -w $(SAMPLE_WS) $(SAMPLE_FILES) && \
	  echo "$$sum" > $(SAMPLE_WS).sha256; \
	fi

run: sample-ws
	./pmscope tui -w $(SAMPLE_WS)

check: pmscope $(BUILD)/tests-all $(SAN_BUILD)/tests-all test-deps chromium-dep \
       mermaid-check
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

MAN1DIR ?= $(PREFIX)/share/man/man1
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

install: pmscope
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 0755 pmscope $(DESTDIR)$(PREFIX)/bin/pmscope
	$(INSTALL) -m 0644 docs/pmscope.1 $(DESTDIR)$(MAN1DIR)/pmscope.1
	$(INSTALL) -m 0644 docs/pmscope.bash $(DESTDIR)$(BASHCOMPDIR)/pmscope

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pmscope $(DESTDIR)$(MAN1DIR)/pmscope.1 \
	      $(DESTDIR)$(BASHCOMPDIR)/pmscope

# The man page and the completion are generated from the command table
# (pmscope help --man, --bash-completion); tests/cli/build_checks.sh fails
# when the committed copies differ from what ./pmscope prints.
docs: pmscope
	./pmscope help --man > docs/pmscope.1
	./pmscope help --bash-completion > docs/pmscope.bash

clean:
	rm -rf build build-san build-* pmscope .deps-ok

.PHONY: all deps test-deps chromium-dep mermaid-check sample-ws run docs check bench samples fuzz install uninstall clean
.SECONDARY:

-include $(shell find $(BUILD) $(SAN_BUILD) -name '*.d' 2>/dev/null)
