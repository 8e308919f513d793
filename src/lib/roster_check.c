/*
 * roster_check.c: the pure checks behind roster validation: the input
 * cursor (UTF-8 and positions), e-mail addr-specs and E.164 numbers.
 *
 * Addresses: RFC 5321/5322 dot-atom local part (no quoted strings, no
 * comments), at most 64 bytes; a domain of at least two LDH labels of at
 * most 63 bytes, not numeric at the top, no IP literals; at most 254 bytes
 * in all. Non-ASCII addresses are refused: Genesys logins are ASCII.
 */
#include <string.h>

#include "roster_int.h"

void roster__cursor_init(struct roster_cursor *cur)
{
    memset(cur, 0, sizeof(*cur));
    cur->next.line = 1;
    cur->next.column = 1;
}

/* Sets up the expected continuation bytes for a lead byte; -1: invalid. */
static int utf8_lead(struct roster_cursor *cur, unsigned char b)
{
    cur->lo = 0x80;
    cur->hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF)
        cur->need = 1;
    else if (b >= 0xE0 && b <= 0xEF)
        cur->need = 2;
    else if (b >= 0xF0 && b <= 0xF4)
        cur->need = 3;
    else
        return -1;
    /* Overlong forms, surrogates and code points past U+10FFFF. */
    if (b == 0xE0)
        cur->lo = 0xA0;
    else if (b == 0xED)
        cur->hi = 0x9F;
    else if (b == 0xF0)
        cur->lo = 0x90;
    else if (b == 0xF4)
        cur->hi = 0x8F;
    return 0;
}

static void cursor_newline(struct roster_cursor *cur, unsigned char b)
{
    if (b == '\n' && cur->prev_cr) {
        cur->prev_cr = 0;
        return;
    }
    cur->next.line++;
    cur->next.column = 1;
    cur->prev_cr = b == '\r';
}

int roster__cursor_step(struct roster_cursor *cur, unsigned char b)
{
    cur->offset++;
    if (cur->need > 0) {
        if (b < cur->lo || b > cur->hi)
            return -1;
        cur->lo = 0x80;
        cur->hi = 0xBF;
        cur->need--;
        return 0;
    }
    cur->seq_offset = cur->offset - 1;
    cur->seq_pos = cur->next;
    if (b == '\n' || b == '\r') {
        cursor_newline(cur, b);
        return 0;
    }
    cur->prev_cr = 0;
    cur->next.column++;
    if (b < 0x80)
        return 0;
    return utf8_lead(cur, b);
}

int roster__utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    struct roster_cursor cur;

    roster__cursor_init(&cur);
    for (size_t i = 0; i < len; i++) {
        if (roster__cursor_step(&cur, (unsigned char)s[i]) != 0) {
            if (bad_offset != NULL)
                *bad_offset = (size_t)cur.seq_offset;
            return 0;
        }
    }
    if (cur.need > 0) {
        if (bad_offset != NULL)
            *bad_offset = (size_t)cur.seq_offset;
        return 0;
    }
    return 1;
}

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* RFC 5322 atext: letters, digits and these specials. */
static int is_atext(unsigned char c)
{
    return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int local_valid(const char *s, size_t len)
{
    if (len == 0 || len > ROSTER_EMAIL_LOCAL_MAX)
        return 0;
    if (s[0] == '.' || s[len - 1] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '.' && s[i + 1] == '.')
            return 0;
        if (c != '.' && !is_atext(c))
            return 0;
    }
    return 1;
}

static int label_valid(const char *s, size_t len)
{
    if (len == 0 || len > 63 || s[0] == '-' || s[len - 1] == '-')
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
            return 0;
    return 1;
}

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int domain_valid(const char *s, size_t len)
{
    size_t labels = 0;
    size_t start = 0;

    if (len == 0 || len > 253)
        return 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '.')
            continue;
        if (!label_valid(s + start, i - start))
            return 0;
        labels++;
        if (i == len && all_digits(s + start, i - start))
            return 0; /* a numeric top label: an IP address, not a name */
        start = i + 1;
    }
    return labels >= 2;
}

int roster__email_valid(const char *s, size_t len)
{
    const char *at;

    if (len == 0 || len > ROSTER_EMAIL_MAX || memchr(s, '\0', len))
        return 0;
    at = memchr(s, '@', len);
    if (at == NULL)
        return 0;
    return local_valid(s, (size_t)(at - s)) &&
           domain_valid(at + 1, len - (size_t)(at - s) - 1);
}

/*
 * E.164: '+', a country code not starting with 0, 7 to 15 digits in all.
 * Spaces, dots, hyphens and parentheses between digits are dropped, as
 * HR systems write them. Writes the normalized number to `out`.
 */
int roster__e164_normalize(const char *s, size_t len, char *out,
                           size_t out_size)
{
    size_t digits = 0;

    if (len == 0 || s[0] != '+' || out_size < 17)
        return 0;
    out[0] = '+';
    for (size_t i = 1; i < len; i++) {
        char c = s[i];

        if (c >= '0' && c <= '9') {
            if (digits == 15 || (digits == 0 && c == '0'))
                return 0;
            out[1 + digits++] = c;
        } else if (!strchr(" .-()", c) || c == '\0') {
            return 0;
        }
    }
    out[1 + digits] = '\0';
    return digits >= 7;
}
