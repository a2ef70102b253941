/*
 * ls_out.h - how `ls` kinds and other commands print what came from an
 * input: text with control characters, invalid bytes and bidi escaped
 * (term_text), and --json arrays whose strings hide nothing either.
 * src/ls_out.c sits below the ls table (src/cmd_ls.c) and its kinds
 * (src/ls_*.c), which call it.
 */
#ifndef PM_LS_OUT_H
#define PM_LS_OUT_H

#include <stdint.h>
#include <stdio.h>

struct cJSON;
struct pm_message_row;

/* --json output: a string or null; an id or null when <= 0. */
void ls_json_str(struct cJSON *o, const char *k, const char *v);
void ls_json_id(struct cJSON *o, const char *k, int64_t v);
/* A message's fields as `ls messages --json` and `show message --json`
 * print them (id to flow); each caller adds what it has beyond them. */
struct cJSON *ls_json_message(const struct pm_message_row *r);
/* Print an array built by a kind (hidden characters escaped), free it;
 * returns the exit code. */
int ls_json_finish(struct cJSON *arr);

/* Print untrusted text with control characters and bidi escaped. */
void ls_put(FILE *out, const char *s);
/* Same, cut to cols terminal columns with an ellipsis (and padded). */
void ls_put_cols(FILE *out, const char *s, int cols, int pad);

#endif
