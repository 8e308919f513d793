/*
 * fuzz_sandbox_token.c: the OAuth token endpoint on arbitrary input. The
 * first line is the Authorization header's value (Basic credentials, or
 * anything), the second the Content-Type, the rest the form body. A token
 * it issues is then used once, so that what the endpoint stored is read.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_sandbox_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next line of [*p, end) as a new string ("" past the end). */
static char *take_line(const char **p, const char *end)
{
    const char *lf = memchr(*p, '\n', (size_t)(end - *p));
    size_t len = lf ? (size_t)(lf - *p) : (size_t)(end - *p);
    char *line = strndup(*p, len);

    *p = lf ? lf + 1 : end;
    return line;
}

static void use_token(struct fz *f, const struct sbx_reply *r)
{
    const char *token =
        json_string_value(json_object_get(r->body, "access_token"));
    char bearer[600];
    struct sbx_kv auth = {"Authorization", bearer};

    if (token == NULL)
        return;
    snprintf(bearer, sizeof(bearer), "Bearer %s", token);
    fz_request(f, "GET", "/api/v2/users/" FZ_ADA, NULL, &auth, 1, NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    char *auth = take_line(&p, end);
    char *type = take_line(&p, end);
    struct sbx_reply r = {0};
    struct fz f;

    if (auth != NULL && type != NULL) {
        struct sbx_kv headers[] = {{"Authorization", auth},
                                   {"Content-Type", type}};
        fz_open(&f);
        if (sbx_handle_raw(&r, f.sbx, "POST", "/oauth/token", NULL, headers, 2,
                           p, (size_t)(end - p)) < 0)
            fz_die("sbx_handle_raw failed", 0, NULL);
        use_token(&f, &r);
        fz_check(&r);
        fz_close(&f);
    }
    free(auth);
    free(type);
    return 0;
}
