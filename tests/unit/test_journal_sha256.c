/*
 * test_journal_sha256.c: the roster fingerprint's SHA-256 against the test
 * vectors of FIPS 180-4 and its examples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gcprov/journal.h"
#include "journal_sha256.h"

static void hash_text(const char *text, char out[65])
{
    struct gcp_sha256 ctx;

    gcp_sha256__init(&ctx);
    gcp_sha256__update(&ctx, text, strlen(text));
    gcp_sha256__hex(&ctx, out);
}

static void the_empty_message_hashes_to_the_standard_value(void **state)
{
    char hex[65];

    hash_text("", hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                             "27ae41e4649b934ca495991b7852b855");
}

static void abc_hashes_to_the_standard_value(void **state)
{
    char hex[65];

    hash_text("abc", hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
                             "b00361a396177a9cb410ff61f20015ad");
}

static void a_two_block_message_hashes_to_the_standard_value(void **state)
{
    char hex[65];

    hash_text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039"
                             "a33ce45964ff2167f6ecedd419db06c1");
}

static void a_million_a_fed_in_odd_pieces_hashes_right(void **state)
{
    struct gcp_sha256 ctx;
    char piece[997];
    size_t left = 1000000;
    char hex[65];

    memset(piece, 'a', sizeof(piece));
    gcp_sha256__init(&ctx);
    while (left > 0) {
        size_t n = left < sizeof(piece) ? left : sizeof(piece);

        gcp_sha256__update(&ctx, piece, n);
        left -= n;
    }
    gcp_sha256__hex(&ctx, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
                             "f1809a48a497200e046d39ccc7112cd0");
}

static void a_file_hashes_like_its_content(void **state)
{
    char path[] = "/tmp/gcprov-sha-XXXXXX";
    int fd = mkstemp(path);
    char hex[GCP_SHA256_HEX_SIZE];

    assert_true(fd >= 0);
    assert_int_equal(write(fd, "abc", 3), 3);
    close(fd);
    assert_int_equal(gcp_sha256_file(hex, path), 0);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
                             "b00361a396177a9cb410ff61f20015ad");
    unlink(path);
    assert_int_equal(gcp_sha256_file(hex, path), GCP_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_empty_message_hashes_to_the_standard_value),
        cmocka_unit_test(abc_hashes_to_the_standard_value),
        cmocka_unit_test(a_two_block_message_hashes_to_the_standard_value),
        cmocka_unit_test(a_million_a_fed_in_odd_pieces_hashes_right),
        cmocka_unit_test(a_file_hashes_like_its_content),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
