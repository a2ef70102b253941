# grammar.mk - the JavaScript grammar of tree-sitter, fetched at build time
# (never kept in the repository).  Included by the Makefile and by
# fuzz/fuzz.mk.
#
# tree-sitter-javascript 0.21.4 generates parsers of ABI 14, the newest
# that Debian 12's libtree-sitter (0.20.7) loads.  `npm pack` downloads the
# package's tarball into $(TSJS_DIR); its SHA-256 must equal TSJS_SHA256
# or the build stops.  Only src/parser.c, src/scanner.c and the header
# they include are extracted.  TSJS_TGZ=FILE uses a tarball already at hand
# (checked the same way) instead of the registry.

TSJS_VERSION := 0.21.4
TSJS_SHA256  := b1533b5e3e331d252fc40bd24965ca9da242d25418ff5113202840306eaad445
TSJS_ROOT    ?= build/vendor
TSJS_DIR     := $(TSJS_ROOT)/tree-sitter-javascript-$(TSJS_VERSION)
TSJS_TGZ     ?=
TSJS_SRC     := $(TSJS_DIR)/src/parser.c $(TSJS_DIR)/src/scanner.c

$(TSJS_DIR)/src/parser.c:
	@rm -rf $(TSJS_DIR).part && mkdir -p $(TSJS_DIR).part
	@if [ -n "$(TSJS_TGZ)" ]; then cp "$(TSJS_TGZ)" $(TSJS_DIR).part/grammar.tgz; \
	else (cd $(TSJS_DIR).part && npm pack --silent tree-sitter-javascript@$(TSJS_VERSION) >/dev/null && \
	      mv tree-sitter-javascript-$(TSJS_VERSION).tgz grammar.tgz) || \
	     { echo "fetching tree-sitter-javascript@$(TSJS_VERSION) with npm failed" >&2; exit 1; }; fi
	@sum=$$(sha256sum $(TSJS_DIR).part/grammar.tgz | cut -d' ' -f1); \
	if [ "$$sum" != "$(TSJS_SHA256)" ]; then \
	  echo "tree-sitter-javascript@$(TSJS_VERSION): sha256 $$sum, expected $(TSJS_SHA256)" >&2; exit 1; fi
	@tar -xzf $(TSJS_DIR).part/grammar.tgz -C $(TSJS_DIR).part --strip-components=1 \
	    package/src/parser.c package/src/scanner.c package/src/tree_sitter/parser.h
	@rm -f $(TSJS_DIR).part/grammar.tgz && rm -rf $(TSJS_DIR) && mv $(TSJS_DIR).part $(TSJS_DIR)
	@echo "tree-sitter-javascript@$(TSJS_VERSION) in $(TSJS_DIR) (sha256 checked)"

$(TSJS_DIR)/src/scanner.c: $(TSJS_DIR)/src/parser.c
	@test -f $@
