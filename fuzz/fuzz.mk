# fuzz/fuzz.mk - build rules for the libFuzzer harnesses (fuzz/fuzz_*.c)
# and their replay binaries.  Used by fuzz/run.sh and tests/cli/fuzz_smoke.sh:
#
#   make -f fuzz/fuzz.mk FUZZ_BUILD=DIR fuzzers
#       clang -fsanitize=fuzzer,address,undefined: DIR/fuzz_<name>
#   make -f fuzz/fuzz.mk FUZZ_BUILD=DIR OBJ_TREE=build-san \
#        REPLAY_CC=gcc REPLAY_FLAGS='-fsanitize=address,undefined' replays
#       DIR/replay/replay_<name>: the harness with fuzz/replay_main.c,
#       linked against the objects of an existing build tree (the tree's
#       own compiler and sanitizer flags; REPLAY_FLAGS must match them)
#
# The product's objects go into a static archive so a harness links only
# the modules it reaches (no curses, no command table).

PKG_CONFIG ?= pkg-config
PKGS := ncursesw sqlite3 libcjson libcurl libcrypto libidn2 tree-sitter
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

FUZZ_BUILD ?= build-fuzz
FUZZ_CC    ?= clang
FUZZ_FLAGS ?= -O1 -g -fno-omit-frame-pointer \
              -fsanitize=address,undefined -fno-sanitize-recover=undefined
# Coverage features beyond libFuzzer's defaults, or removed from them:
# FUZZ_COVERAGE=-fno-sanitize-coverage=trace-cmp builds a variant with edge
# coverage only (see fuzz/run.sh, FUZZ_VARIANT=edge).
FUZZ_COVERAGE ?=
CPPFLAGS_PM := -D_GNU_SOURCE -DPM_VERSION=\"fuzz\" -Isrc -Iimporters -Iui -Ifuzz
CFLAGS_PM   := -std=c11 -Wall -Wextra -Wshadow -Wno-format-nonliteral \
               $(PKG_CFLAGS) -MMD -MP

CORE_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard importers/*.c)
HARNESS_SRC := $(wildcard fuzz/fuzz_*.c)
HARNESSES := $(filter-out fuzz_common,$(patsubst fuzz/%.c,%,$(HARNESS_SRC)))

CORE_OBJ := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(CORE_SRC))

# The JavaScript grammar (grammar.mk), fetched into the fuzz tree and
# compiled as vendor code: instrumented, none of the project's warnings.
TSJS_ROOT := $(FUZZ_BUILD)/vendor
include grammar.mk
TSJS_FUZZ_OBJ := $(FUZZ_BUILD)/obj/vendor/tsjs/parser.o $(FUZZ_BUILD)/obj/vendor/tsjs/scanner.o

$(FUZZ_BUILD)/obj/vendor/tsjs/%.o: $(TSJS_DIR)/src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 -g $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -I$(TSJS_DIR)/src -c -o $@ $<

fuzzers: $(addprefix $(FUZZ_BUILD)/,$(HARNESSES))

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS_PM) $(CFLAGS_PM) $(FUZZ_FLAGS) \
	    -fsanitize=fuzzer-no-link $(FUZZ_COVERAGE) -c -o $@ $<

$(FUZZ_BUILD)/libpm.a: $(CORE_OBJ) $(TSJS_FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/obj/fuzz/fuzz_%.o \
                      $(FUZZ_BUILD)/obj/fuzz/fuzz_common.o $(FUZZ_BUILD)/libpm.a
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

# ---- replay binaries over an existing build tree's objects ------------
OBJ_TREE     ?= build
REPLAY_CC    ?= cc
REPLAY_FLAGS ?=
REPLAY_DIR   := $(FUZZ_BUILD)/replay
TREE_OBJ     := $(patsubst %.c,$(OBJ_TREE)/obj/%.o,$(CORE_SRC)) \
                $(OBJ_TREE)/obj/vendor/tsjs/parser.o $(OBJ_TREE)/obj/vendor/tsjs/scanner.o

replays: $(patsubst fuzz_%,$(REPLAY_DIR)/replay_%,$(HARNESSES))

$(REPLAY_DIR)/libpm.a: $(TREE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(REPLAY_DIR)/obj/%.o: fuzz/%.c
	@mkdir -p $(dir $@)
	$(REPLAY_CC) $(CPPFLAGS_PM) $(CFLAGS_PM) -g -O1 $(REPLAY_FLAGS) -c -o $@ $<

$(REPLAY_DIR)/replay_%: $(REPLAY_DIR)/obj/fuzz_%.o $(REPLAY_DIR)/obj/fuzz_common.o \
                        $(REPLAY_DIR)/obj/replay_main.o $(REPLAY_DIR)/libpm.a
	$(REPLAY_CC) $(REPLAY_FLAGS) -o $@ $^ $(PKG_LIBS)

list:
	@echo $(patsubst fuzz_%,%,$(HARNESSES))

.PHONY: fuzzers replays list
.SECONDARY:
-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
