/*
 * har_split.h - streaming splitter for HAR files.
 *
 * A HAR log can be hundreds of megabytes, nearly all of it in
 * log.entries[].  The splitter reads the file in fixed-size chunks and runs
 * a byte-at-a-time JSON validator over it that knows where it is in the
 * document.  It hands back, one at a time, the complete text of each object
 * the importer needs -- every log.entries[i], every log.pages[i] and
 * log.creator -- in file order, whatever order the producer wrote them in.
 * Everything else is validated and skipped without being kept.  Peak memory
 * is one reused buffer as large as the largest item, not the file.
 *
 * The whole file is checked against the JSON grammar (RFC 8259), so every
 * syntax error is reported with the line and column of the offending byte
 * (columns count characters, not bytes), and the captured text handed to
 * cJSON is always well-formed.  Strings must be valid UTF-8 (invalid
 * sequences, overlong forms, encoded surrogates and unpaired \u surrogates
 * are rejected, not replaced).  Nesting is limited to HAR_SPLIT_MAX_DEPTH
 * and one captured item to HAR_SPLIT_MAX_ITEM bytes.  A UTF-8 byte-order
 * mark at the start is skipped.
 */
#ifndef PM_HAR_SPLIT_H
#define PM_HAR_SPLIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define HAR_SPLIT_MAX_DEPTH 512
#define HAR_SPLIT_MAX_ITEM ((size_t)512 << 20)

enum har_item_kind {
    HAR_ITEM_END = 0, /* the file is complete and valid */
    HAR_ITEM_ENTRY,   /* one element of log.entries */
    HAR_ITEM_PAGE,    /* one element of log.pages */
    HAR_ITEM_CREATOR  /* the log.creator object */
};

struct har_item {
    enum har_item_kind kind;
    const char *text;  /* the item's JSON text; valid until the next call */
    size_t len;
    long index;        /* 0-based position within entries / pages */
    long line, col;    /* where the item starts in the file */
    int64_t offset;    /* bytes of the file consumed so far */
};

struct har_split;

/*
 * Start splitting fp (positioned at byte 0).  path is used in error
 * messages.  chunk is the read size (0 = default); tests pass small values to
 * exercise items that straddle chunk boundaries.
 */
struct har_split *har_split_new(FILE *fp, const char *path, size_t chunk);
void har_split_free(struct har_split *sp);

/*
 * Advance to the next item.  Returns PM_OK with item->kind == HAR_ITEM_END
 * once the whole file has been read and found valid (and it has a "log"
 * object).  Errors come back as "FILE:LINE:COL: what was expected"; inside
 * an entry the message starts with "entry N: ".
 */
enum pm_rc har_split_next(struct har_split *sp, struct har_item *item,
                          struct pm_err *err);

/*
 * The current item's text is no longer needed: give back its buffer if one
 * very large item made it grow, so the rest of the import does not carry it.
 */
void har_split_trim(struct har_split *sp);

/* Entries seen so far (also after HAR_ITEM_END). */
long har_split_entry_count(const struct har_split *sp);

/*
 * log.version as read so far (printable ASCII, other bytes as '?', at most
 * HAR_SPLIT_VERSION_MAX characters), or NULL when the log has no version
 * string (yet).  Valid until the next call.
 */
#define HAR_SPLIT_VERSION_MAX 32
const char *har_split_log_version(struct har_split *sp);

#endif
