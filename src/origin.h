/*
 * origin.h - URL to origin serialization, per the WHATWG URL standard's
 * "ASCII serialization of an origin".
 *
 *   https://User@A.Example:443/p?q#f   -> https://a.example
 *   http://[::1]:8080/                 -> http://[::1]:8080
 *   data:, file:, javascript:, sandboxed -> null
 *   blob:https://a.example/uuid        -> https://a.example
 *   about:blank, about:srcdoc          -> the parent's origin (or null)
 */
#ifndef PM_ORIGIN_H
#define PM_ORIGIN_H

#include <stddef.h>

#include "err.h"

#define PM_ORIGIN_MAX 320

/*
 * How a message's targetOrigin is shown when the input did not record one
 * (a window message seen only at its receiver) or it has none (port,
 * broadcast and worker messages): the CLI's tables, `show` and `flow` all
 * print this.
 */
#define PM_TARGET_UNKNOWN "?"

/*
 * Serialize the origin of url into out.  parent_origin is the origin that
 * about:blank / about:srcdoc inherit (NULL = none, giving "null").
 * Returns PM_ERR_PARSE with a message naming what is wrong for a URL that
 * cannot be parsed (out is then "").
 */
enum pm_rc origin_from_url(const char *url, const char *parent_origin,
                           char out[PM_ORIGIN_MAX], struct pm_err *err);

/* 1 when the two serialized origins are the same site (same registrable
 * domain approximation: same scheme and same last two host labels). */
int origin_same_site(const char *a, const char *b);

#endif
