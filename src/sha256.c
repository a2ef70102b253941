/*
 * sha256.c - SHA-256 through libcrypto's EVP interface (the only includer of
 * OpenSSL headers).  Used for source de-duplication and body hashing.
 */
#include "sha256.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

struct pm_sha256 {
    EVP_MD_CTX *ctx;
};

struct pm_sha256 *
sha256_new(void)
{
    struct pm_sha256 *h = malloc(sizeof *h);
    if (h == NULL)
        abort();
    h->ctx = EVP_MD_CTX_new();
    if (h->ctx == NULL || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
        abort();
    return h;
}

void
sha256_update(struct pm_sha256 *h, const void *p, size_t n)
{
    EVP_DigestUpdate(h->ctx, p, n);
}

void
sha256_finish(struct pm_sha256 *h, char out[PM_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(h->ctx, md, &len);
    for (unsigned int i = 0; i < len && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

void
sha256_hex(const void *p, size_t n, char out[PM_SHA256_HEX])
{
    struct pm_sha256 *h = sha256_new();
    sha256_update(h, p, n);
    sha256_finish(h, out);
}
