/*
 * journal_sha256.h: SHA-256 (FIPS 180-4), used to fingerprint the roster a
 * run read. None of the allowed dependencies exposes a hash publicly
 * (libcurl, Jansson and SQLite keep theirs internal, and OpenSSL is not a
 * dependency), so this small implementation lives here; its tests check
 * the standard's test vectors.
 */
#ifndef GCP_JOURNAL_SHA256_H
#define GCP_JOURNAL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct gcp_sha256 {
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    unsigned char block[64];
    size_t used; /* bytes waiting in block */
};

void gcp_sha256__init(struct gcp_sha256 *ctx);
void gcp_sha256__update(struct gcp_sha256 *ctx, const void *data, size_t len);

/* Finishes the hash and writes 64 lower-case hex digits and a NUL. */
void gcp_sha256__hex(struct gcp_sha256 *ctx, char out[65]);

#endif
