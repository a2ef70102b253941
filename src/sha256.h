/*
 * sha256.h - SHA-256 as lower-case hex, through OpenSSL's libcrypto.
 */
#ifndef PM_SHA256_H
#define PM_SHA256_H

#include <stddef.h>

#define PM_SHA256_HEX 65 /* 64 hex digits + NUL */

struct pm_sha256;

struct pm_sha256 *sha256_new(void);
void sha256_update(struct pm_sha256 *h, const void *p, size_t n);
/* Write the digest as hex into out and free h. */
void sha256_finish(struct pm_sha256 *h, char out[PM_SHA256_HEX]);
/* One-shot convenience. */
void sha256_hex(const void *p, size_t n, char out[PM_SHA256_HEX]);

#endif
