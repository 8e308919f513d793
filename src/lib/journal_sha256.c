/*
 * journal_sha256.c: SHA-256 as FIPS 180-4 describes it, and the hash of a
 * file. See journal_sha256.h for why it is written here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gcprov/journal.h"
#include "journal_sha256.h"

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

/* Fills the 64-word message schedule from one 64-byte block. */
static void sha256_schedule(uint32_t w[64], const unsigned char *block)
{
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)block[i * 4] << 24 | (uint32_t)block[i * 4 + 1] << 16 |
               (uint32_t)block[i * 4 + 2] << 8 | (uint32_t)block[i * 4 + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 =
            rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 =
            rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);

        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
}

static void sha256_compress(uint32_t state[8], const unsigned char *block)
{
    uint32_t w[64];
    uint32_t v[8];

    sha256_schedule(w, block);
    memcpy(v, state, sizeof(v));
    for (int i = 0; i < 64; i++) {
        uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
        uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        uint32_t t1 = v[7] + s1 + ch + round_constants[i] + w[i];
        uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
        uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);

        memmove(v + 1, v, 7 * sizeof(v[0]));
        v[4] += t1;
        v[0] = t1 + s0 + maj;
    }
    for (int i = 0; i < 8; i++)
        state[i] += v[i];
}

void gcp_sha256__init(struct gcp_sha256 *ctx)
{
    static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                        0xa54ff53a, 0x510e527f, 0x9b05688c,
                                        0x1f83d9ab, 0x5be0cd19};

    memcpy(ctx->state, initial, sizeof(initial));
    ctx->length = 0;
    ctx->used = 0;
}

void gcp_sha256__update(struct gcp_sha256 *ctx, const void *data, size_t len)
{
    const unsigned char *p = data;

    ctx->length += len;
    while (len > 0) {
        size_t take = sizeof(ctx->block) - ctx->used;

        if (take > len)
            take = len;
        memcpy(ctx->block + ctx->used, p, take);
        ctx->used += take;
        p += take;
        len -= take;
        if (ctx->used == sizeof(ctx->block)) {
            sha256_compress(ctx->state, ctx->block);
            ctx->used = 0;
        }
    }
}

void gcp_sha256__hex(struct gcp_sha256 *ctx, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    uint64_t bits = ctx->length * 8;
    unsigned char tail[8];

    /* Padding: a one bit, zeros up to 56 mod 64, the length in bits. */
    gcp_sha256__update(ctx, "\x80", 1);
    while (ctx->used != 56)
        gcp_sha256__update(ctx, "", 1);
    for (int i = 0; i < 8; i++)
        tail[i] = (unsigned char)(bits >> (56 - 8 * i));
    gcp_sha256__update(ctx, tail, sizeof(tail));
    for (int i = 0; i < 32; i++) {
        unsigned char byte =
            (unsigned char)(ctx->state[i / 4] >> (24 - 8 * (i % 4)));

        out[i * 2] = digits[byte >> 4];
        out[i * 2 + 1] = digits[byte & 0xf];
    }
    out[64] = '\0';
}

int gcp_sha256_file(char out[GCP_SHA256_HEX_SIZE], const char *path)
{
    struct gcp_sha256 ctx;
    unsigned char buf[65536];
    FILE *f = fopen(path, "rb");
    size_t n;
    int failed;

    if (f == NULL)
        return errno == ENOENT ? GCP_ENOTFOUND : GCP_EIO;
    gcp_sha256__init(&ctx);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        gcp_sha256__update(&ctx, buf, n);
    failed = ferror(f);
    fclose(f);
    if (failed)
        return GCP_EIO;
    gcp_sha256__hex(&ctx, out);
    return 0;
}
