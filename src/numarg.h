/*
 * numarg.h - the one strict parser for numbers given on the command line
 * (option values such as --limit, --after, --width, --parallel, and ids).
 *
 * strtoll and strtod alone accept what a user did not mean: leading
 * spaces and signs ("-1" as a limit), trailing junk when the end pointer
 * is not checked ("1e3" read as 1), exponents, hex, "inf", and values that
 * overflow silently.  These accept only what they say.
 */
#ifndef PM_NUMARG_H
#define PM_NUMARG_H

/*
 * Whole number: decimal digits only (no sign, space, exponent), within
 * lo..hi.  Returns 0 and sets *out, or -1.
 */
int numarg_whole(const char *text, long long lo, long long hi, long long *out);

/*
 * Decimal number: digits with an optional fraction ("30", "0.5"), within
 * lo..hi.  Returns 0 and sets *out, or -1.
 */
int numarg_decimal(const char *text, double lo, double hi, double *out);

/*
 * Report a rejected option value on stderr, terminal-safe:
 *   pmscope: bad --limit '-1': expected a whole number from 1 to 1000000000
 * and return 2, the exit code for a usage error.
 */
int numarg_usage(const char *option, const char *text, const char *expected);

#endif
