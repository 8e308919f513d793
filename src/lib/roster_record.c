/*
 * roster_record.c: turning one row or object into a person. The readers
 * hand over field values with their positions; this file names the
 * fields, validates every value, keeps the record when it has no error
 * and, once the whole input is read, reports duplicate people.
 *
 * Values are trimmed of spaces and tabs at both ends. A person's key is
 * the employee id, or the lower-cased email when there is none.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "roster_int.h"

/* Field names compared without case, '_', '-' or spaces. */
static const struct {
    const char *name;
    enum roster_field field;
} field_names[] = {
    {"employeeid", RF_EMPLOYEE_ID},
    {"name", RF_NAME},
    {"firstname", RF_FIRST_NAME},
    {"lastname", RF_LAST_NAME},
    {"email", RF_EMAIL},
    {"department", RF_DEPARTMENT},
    {"title", RF_TITLE},
    {"phonework", RF_PHONE_WORK},
    {"extension", RF_EXTENSION},
    {"manageremail", RF_MANAGER_EMAIL},
    {"emailmanager", RF_MANAGER_EMAIL}, /* the admin UI import */
    {"division", RF_DIVISION},
    {"roles", RF_ROLES},
    {"rolesdivisions", RF_ROLES}, /* the admin UI import */
    {"licenses", RF_LICENSES},
    {"state", RF_STATE},
    {"locationwork", RF_IGNORED},
    {"queues", RF_IGNORED},
    {"skills", RF_IGNORED},
};

static const char *const canonical[RF_COUNT] = {
    "employee_id", "name",  "first_name", "last_name", "email",
    "department",  "title", "phone_work", "extension", "manager_email",
    "division",    "roles", "licenses",   "state",
};

const char *roster__field_name(enum roster_field f)
{
    return f < RF_COUNT ? canonical[f] : "";
}

/* Writes the comparable form of a name; returns its length or 0. */
static size_t normalize(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '_' || c == '-' || c == ' ' || c == '\t')
            continue;
        if (n + 1 >= size)
            return 0;
        out[n++] = (char)tolower(c);
    }
    out[n] = '\0';
    return n;
}

enum roster_field roster__field_plain(const char *s, size_t len)
{
    char norm[32];

    if (normalize(s, len, norm, sizeof(norm)) == 0)
        return RF_UNKNOWN;
    for (size_t i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
        if (strcmp(field_names[i].name, norm) == 0)
            return field_names[i].field;
    return RF_UNKNOWN;
}

static int same_name(const char *a, size_t alen, const char *b)
{
    while (alen > 0 && (*a == ' ' || *a == '\t'))
        a++, alen--;
    while (alen > 0 && (a[alen - 1] == ' ' || a[alen - 1] == '\t'))
        alen--;
    return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}

enum roster_field roster__field_lookup(const gcp_roster *r, const char *name,
                                       size_t len)
{
    const gcp_roster_column_map *map = r->opts.map;
    enum roster_field f;

    for (size_t i = 0; i < r->opts.map_count; i++) {
        if (same_name(name, len, map[i].column))
            return roster__field_plain(map[i].field, strlen(map[i].field));
    }
    f = roster__field_plain(name, len);
    /* A field mapped to another column no longer comes from its own. */
    for (size_t i = 0; f < RF_COUNT && i < r->opts.map_count; i++)
        if (roster__field_plain(map[i].field, strlen(map[i].field)) == f)
            return RF_UNKNOWN;
    return f;
}

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t'))
        (*s)++, (*len)--;
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

void roster__rec_begin(gcp_roster *r, struct roster_pos pos)
{
    struct roster_record *rec = &r->rec;

    memset(rec->v, 0, sizeof(rec->v));
    rec->pos = pos;
    rec->roles.count = 0;
    rec->roles.col = NULL;
    rec->licenses.count = 0;
    rec->licenses.col = NULL;
    rec->errors = 0;
}

static int has_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 1;
    return 0;
}

/* Checks what every value must satisfy; 0 when it may be used. */
static int check_value(gcp_roster *r, const char *col, const char *s,
                       size_t len, struct roster_pos pos)
{
    if (len > r->opts.max_field_bytes) {
        roster__diag(r, GCP_ROSTER_ERROR, pos, col, NULL, 0,
                     "is longer than %zu bytes", r->opts.max_field_bytes);
        return -1;
    }
    if (has_control(s, len)) {
        roster__diag(r, GCP_ROSTER_ERROR, pos, col, s, len,
                     "contains a line break or control character");
        return -1;
    }
    return 0;
}

static int list_push(struct rec_list *l, const struct rec_item *item)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct rec_item *grown = realloc(l->items, cap * sizeof(*grown));

        if (grown == NULL)
            return GCP_ENOMEM;
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->count++] = *item;
    return 0;
}

/* Splits "Role@Division" and checks both halves. */
static int add_role_text(gcp_roster *r, const char *col, const char *s,
                         size_t len, struct roster_pos pos)
{
    const char *at = memchr(s, '@', len);
    size_t role_len = at ? (size_t)(at - s) : len;
    const char *div = at ? at + 1 : NULL;
    size_t div_len = at ? len - role_len - 1 : 0;

    trim(&s, &role_len);
    if (div != NULL)
        trim(&div, &div_len);
    if (role_len == 0)
        return roster__diag(r, GCP_ROSTER_ERROR, pos, col, s, len,
                            "has no role name before '@'");
    if (div != NULL && div_len == 0)
        return roster__diag(r, GCP_ROSTER_ERROR, pos, col, s, len,
                            "has no division after '@'");
    return roster__rec_add(r, RF_ROLES, col, s, role_len, div, div_len, pos);
}

/*
 * A CSV-style list: items separated by ';' or a line break (spreadsheets
 * put one item per line in a cell), empty items skipped.
 */
static int set_list(gcp_roster *r, enum roster_field f, const char *col,
                    const char *s, size_t len, struct roster_pos pos)
{
    size_t start = 0;
    int rc = 0;

    for (size_t i = 0; i <= len && rc == 0; i++) {
        const char *item = s + start;
        size_t n = i - start;

        if (i < len && s[i] != ';' && s[i] != '\n' && s[i] != '\r')
            continue;
        start = i + 1;
        trim(&item, &n);
        if (n == 0)
            continue;
        if (f == RF_ROLES)
            rc = add_role_text(r, col, item, n, pos);
        else
            rc = roster__rec_add(r, f, col, item, n, NULL, 0, pos);
    }
    return rc;
}

int roster__rec_set(gcp_roster *r, enum roster_field f, const char *col,
                    const char *s, size_t len, struct roster_pos pos)
{
    struct rec_value *v = &r->rec.v[f];

    trim(&s, &len);
    v->present = 1;
    v->col = col;
    v->pos = pos;
    v->s = s;
    v->len = len;
    if (f == RF_ROLES || f == RF_LICENSES) {
        struct rec_list *l = f == RF_ROLES ? &r->rec.roles : &r->rec.licenses;

        l->col = col;
        l->pos = pos;
        return set_list(r, f, col, s, len, pos); /* items are checked */
    }
    v->bad = check_value(r, col, s, len, pos) != 0;
    return 0;
}

int roster__rec_add(gcp_roster *r, enum roster_field f, const char *col,
                    const char *name, size_t name_len, const char *division,
                    size_t division_len, struct roster_pos pos)
{
    struct rec_list *l = f == RF_ROLES ? &r->rec.roles : &r->rec.licenses;
    struct rec_item item = {name, name_len, division, division_len, pos};

    if (l->col == NULL) {
        l->col = col;
        l->pos = pos;
    }
    if (check_value(r, col, name, name_len, pos) != 0 ||
        (division && check_value(r, col, division, division_len, pos) != 0))
        return 0;
    return list_push(l, &item);
}

/* Returns the value when present, usable and not empty, else NULL. */
static const struct rec_value *usable(const struct roster_record *rec,
                                      enum roster_field f)
{
    const struct rec_value *v = &rec->v[f];

    return v->present && !v->bad && v->len > 0 ? v : NULL;
}

static void check_email(gcp_roster *r, enum roster_field f)
{
    const struct rec_value *v = usable(&r->rec, f);

    if (v == NULL || roster__email_valid(v->s, v->len))
        return;
    if (v->len > ROSTER_EMAIL_MAX)
        roster__diag(r, GCP_ROSTER_ERROR, v->pos, v->col, v->s, v->len,
                     "is too long for an address (%d bytes at most)",
                     ROSTER_EMAIL_MAX);
    else
        roster__diag(r, GCP_ROSTER_ERROR, v->pos, v->col, v->s, v->len,
                     "'%.*s' is not a valid address", (int)v->len, v->s);
}

static void check_required(gcp_roster *r)
{
    const struct roster_record *rec = &r->rec;
    const struct rec_value *email = &rec->v[RF_EMAIL];

    if (r->header_lacks) {
        r->rec.errors++; /* said once, at the header: never valid */
        return;
    }
    if (!email->present)
        roster__diag(r, GCP_ROSTER_ERROR, rec->pos, NULL, NULL, 0,
                     "missing 'email': every person needs an address");
    else if (email->len == 0 && !email->bad)
        roster__diag(r, GCP_ROSTER_ERROR, email->pos, email->col, "", 0,
                     "is empty: every person needs an address");
    if (usable(rec, RF_NAME) || rec->v[RF_NAME].bad)
        return;
    if (usable(rec, RF_FIRST_NAME) && usable(rec, RF_LAST_NAME))
        return;
    if (rec->v[RF_FIRST_NAME].bad || rec->v[RF_LAST_NAME].bad)
        return;
    roster__diag(r, GCP_ROSTER_ERROR, rec->pos, NULL, NULL, 0,
                 "missing name: give 'name', or 'first_name' and "
                 "'last_name'");
}

static void check_phone(gcp_roster *r, char *normalized, size_t size)
{
    const struct rec_value *v = usable(&r->rec, RF_PHONE_WORK);

    if (v == NULL || roster__e164_normalize(v->s, v->len, normalized, size))
        return;
    roster__diag(r, GCP_ROSTER_ERROR, v->pos, v->col, v->s, v->len,
                 "'%.*s' is not an E.164 number like +14155550100", (int)v->len,
                 v->s);
}

static void check_extension(gcp_roster *r)
{
    const struct rec_value *v = usable(&r->rec, RF_EXTENSION);

    if (v == NULL)
        return;
    for (size_t i = 0; i < v->len; i++) {
        if (v->s[i] < '0' || v->s[i] > '9') {
            roster__diag(r, GCP_ROSTER_ERROR, v->pos, v->col, v->s, v->len,
                         "'%.*s' is not an extension: digits only", (int)v->len,
                         v->s);
            return;
        }
    }
}

static int parse_state(const struct rec_value *v, gcp_person_state *out)
{
    *out = GCP_PERSON_ACTIVE;
    if (v == NULL || (v->len == 6 && strncasecmp(v->s, "active", 6) == 0))
        return 0;
    if (v->len == 8 && strncasecmp(v->s, "inactive", 8) == 0) {
        *out = GCP_PERSON_INACTIVE;
        return 0;
    }
    return -1;
}

static void check_state(gcp_roster *r)
{
    const struct rec_value *v = usable(&r->rec, RF_STATE);
    gcp_person_state state;

    if (parse_state(v, &state) != 0)
        roster__diag(r, GCP_ROSTER_ERROR, v->pos, v->col, v->s, v->len,
                     "'%.*s' is not a state: use 'active' or 'inactive'",
                     (int)v->len, v->s);
}

static void check_manager(gcp_roster *r)
{
    const struct rec_value *m = usable(&r->rec, RF_MANAGER_EMAIL);
    const struct rec_value *e = usable(&r->rec, RF_EMAIL);

    check_email(r, RF_MANAGER_EMAIL);
    if (m && e && m->len == e->len && strncasecmp(m->s, e->s, m->len) == 0)
        roster__diag(r, GCP_ROSTER_ERROR, m->pos, m->col, m->s, m->len,
                     "a person cannot be their own manager");
}

/* Copies an optional value into the arena; NULL when absent or empty. */
static int copy_opt(gcp_roster *r, enum roster_field f, int interned,
                    const char **out)
{
    const struct rec_value *v = usable(&r->rec, f);

    *out = NULL;
    if (v == NULL)
        return 0;
    *out = interned ? roster__intern(r, &r->intern, v->s, v->len)
                    : roster__strndup(r, v->s, v->len);
    return *out ? 0 : GCP_ENOMEM;
}

static int copy_name(gcp_roster *r, const char **out)
{
    const struct rec_value *first, *last;
    char *name;

    if (usable(&r->rec, RF_NAME))
        return copy_opt(r, RF_NAME, 0, out);
    first = usable(&r->rec, RF_FIRST_NAME);
    last = usable(&r->rec, RF_LAST_NAME);
    if ((name = roster__alloc(r, first->len + last->len + 2)) == NULL)
        return GCP_ENOMEM;
    memcpy(name, first->s, first->len);
    name[first->len] = ' ';
    memcpy(name + first->len + 1, last->s, last->len);
    name[first->len + 1 + last->len] = '\0';
    *out = name;
    return 0;
}

static char *lower_dup(gcp_roster *r, const char *s)
{
    size_t len = strlen(s);
    char *p = roster__strndup(r, s, len);

    for (size_t i = 0; p != NULL && i < len; i++)
        p[i] = (char)tolower((unsigned char)p[i]);
    return p;
}

static int copy_roles(gcp_roster *r, gcp_person *p)
{
    const struct rec_list *l = &r->rec.roles;
    gcp_role_ref *roles;

    if (l->count == 0)
        return 0;
    if ((roles = roster__alloc(r, l->count * sizeof(*roles))) == NULL)
        return GCP_ENOMEM;
    for (size_t i = 0; i < l->count; i++) {
        const struct rec_item *it = &l->items[i];

        roles[i].role = roster__intern(r, &r->intern, it->name, it->name_len);
        roles[i].division =
            it->division
                ? roster__intern(r, &r->intern, it->division, it->division_len)
                : NULL;
        if (!roles[i].role || (it->division && !roles[i].division))
            return GCP_ENOMEM;
    }
    p->roles = roles;
    p->role_count = l->count;
    return 0;
}

static int copy_licenses(gcp_roster *r, gcp_person *p)
{
    const struct rec_list *l = &r->rec.licenses;
    const char **ids;

    if (l->count == 0)
        return 0;
    if ((ids = roster__alloc(r, l->count * sizeof(*ids))) == NULL)
        return GCP_ENOMEM;
    for (size_t i = 0; i < l->count; i++) {
        ids[i] = roster__intern(r, &r->intern, l->items[i].name,
                                l->items[i].name_len);
        if (ids[i] == NULL)
            return GCP_ENOMEM;
    }
    p->licenses = ids;
    p->license_count = l->count;
    return 0;
}

static int copy_fields(gcp_roster *r, gcp_person *p, const char *phone)
{
    int rc = 0;

    rc = rc ? rc : copy_name(r, &p->name);
    rc = rc ? rc : copy_opt(r, RF_EMPLOYEE_ID, 0, &p->employee_id);
    rc = rc ? rc : copy_opt(r, RF_EMAIL, 0, &p->email);
    rc = rc ? rc : copy_opt(r, RF_DEPARTMENT, 1, &p->department);
    rc = rc ? rc : copy_opt(r, RF_TITLE, 1, &p->title);
    rc = rc ? rc : copy_opt(r, RF_EXTENSION, 0, &p->extension);
    rc = rc ? rc : copy_opt(r, RF_MANAGER_EMAIL, 0, &p->manager_email);
    rc = rc ? rc : copy_opt(r, RF_DIVISION, 1, &p->division);
    rc = rc ? rc : copy_roles(r, p);
    rc = rc ? rc : copy_licenses(r, p);
    if (rc == 0 && phone[0] != '\0' &&
        (p->phone_work = roster__strndup(r, phone, strlen(phone))) == NULL)
        rc = GCP_ENOMEM;
    return rc;
}

static int grow_people(gcp_roster *r)
{
    size_t cap = r->cap ? r->cap * 2 : 256;
    gcp_person *people = realloc(r->people, cap * sizeof(*people));
    struct person_extra *extra;

    if (people == NULL)
        return GCP_ENOMEM;
    r->people = people;
    if ((extra = realloc(r->extra, cap * sizeof(*extra))) == NULL)
        return GCP_ENOMEM;
    r->extra = extra;
    r->cap = cap;
    return 0;
}

/* Interns a column name: JSON keys die with their element. */
static const char *keep_col(gcp_roster *r, const char *col, int *failed)
{
    const char *kept = roster__intern(r, &r->intern, col, strlen(col));

    *failed |= kept == NULL;
    return kept;
}

static int note_positions(gcp_roster *r, struct person_extra *x)
{
    const struct roster_record *rec = &r->rec;
    const struct rec_value *id = &rec->v[RF_EMPLOYEE_ID];
    const struct rec_value *email = &rec->v[RF_EMAIL];
    const struct rec_value *div = &rec->v[RF_DIVISION];
    int has_id = id->present && id->len > 0;
    int failed = 0;

    memset(x, 0, sizeof(*x));
    x->email_pos = email->pos;
    x->email_col = keep_col(r, email->col, &failed);
    x->key_pos = has_id ? id->pos : email->pos;
    x->key_col = has_id ? keep_col(r, id->col, &failed) : x->email_col;
    x->division_pos = div->present ? div->pos : rec->pos;
    x->division_col =
        keep_col(r, div->present ? div->col : "division", &failed);
    x->roles_pos = rec->roles.col ? rec->roles.pos : rec->pos;
    x->roles_col =
        keep_col(r, rec->roles.col ? rec->roles.col : "roles", &failed);
    x->licenses_pos = rec->licenses.col ? rec->licenses.pos : rec->pos;
    x->licenses_col = keep_col(
        r, rec->licenses.col ? rec->licenses.col : "licenses", &failed);
    return failed ? GCP_ENOMEM : 0;
}

/* Keeps the record, which has no error, as a person. */
static int keep_person(gcp_roster *r, const char *phone)
{
    gcp_person *p;
    struct person_extra *x;
    int rc;

    if (r->count == r->cap && (rc = grow_people(r)) != 0)
        return rc;
    p = &r->people[r->count];
    x = &r->extra[r->count];
    memset(p, 0, sizeof(*p));
    p->line = r->rec.pos.line;
    p->column = r->rec.pos.column;
    parse_state(usable(&r->rec, RF_STATE), &p->state);
    if ((rc = copy_fields(r, p, phone)) != 0)
        return rc;
    if ((rc = note_positions(r, x)) != 0)
        return rc;
    if ((x->email_lower = lower_dup(r, p->email)) == NULL)
        return GCP_ENOMEM;
    p->key = p->employee_id ? p->employee_id : x->email_lower;
    r->count++;
    return 0;
}

int roster__rec_end(gcp_roster *r)
{
    char phone[32] = "";

    check_required(r);
    check_email(r, RF_EMAIL);
    check_manager(r);
    check_phone(r, phone, sizeof(phone));
    check_extension(r);
    check_state(r);
    if (r->rec.errors > 0)
        return 0;
    return keep_person(r, phone);
}

/* An open-addressing map from a string to the first person holding it. */
struct first_seen {
    size_t *slots; /* person index + 1; 0: empty */
    size_t cap;
};

static size_t *seen_slot(struct first_seen *m, const gcp_roster *r,
                         const char *s, int by_email)
{
    size_t h = 5381;

    for (const char *c = s; *c; c++)
        h = h * 33 + (unsigned char)*c;
    for (;; h++) {
        size_t *slot = &m->slots[h & (m->cap - 1)];
        const char *other;

        if (*slot == 0)
            return slot;
        other = by_email ? r->extra[*slot - 1].email_lower
                         : r->people[*slot - 1].key;
        if (strcmp(other, s) == 0)
            return slot;
    }
}

static void report_pair(gcp_roster *r, size_t first, size_t later, int by_email)
{
    struct person_extra *a = &r->extra[first], *b = &r->extra[later];
    const gcp_person *pa = &r->people[first], *pb = &r->people[later];
    int is_id = !by_email && pa->employee_id != NULL;
    const char *what = is_id ? "employee id" : "email";
    const char *va = is_id ? pa->employee_id : pa->email;
    const char *vb = is_id ? pb->employee_id : pb->email;
    struct roster_pos pos_a = is_id ? a->key_pos : a->email_pos;
    struct roster_pos pos_b = is_id ? b->key_pos : b->email_pos;
    const char *col_a = is_id ? a->key_col : a->email_col;
    const char *col_b = is_id ? b->key_col : b->email_col;

    if (!a->reported_first)
        roster__diag(r, GCP_ROSTER_ERROR, pos_a, col_a, va, strlen(va),
                     "%s '%s' is also on line %u", what, va, pb->line);
    roster__diag(r, GCP_ROSTER_ERROR, pos_b, col_b, vb, strlen(vb),
                 "%s '%s' is also on line %u", what, vb, pa->line);
    a->reported_first = 1;
    a->duplicate = b->duplicate = 1;
}

static void scan_duplicates(gcp_roster *r, struct first_seen *keys,
                            struct first_seen *emails)
{
    for (size_t i = 0; i < r->count; i++) {
        size_t *k = seen_slot(keys, r, r->people[i].key, 0);
        size_t *e = seen_slot(emails, r, r->extra[i].email_lower, 1);

        if (*k != 0)
            report_pair(r, *k - 1, i, 0);
        else if (*e != 0)
            report_pair(r, *e - 1, i, 1);
        if (*k == 0)
            *k = i + 1;
        if (*e == 0)
            *e = i + 1;
    }
}

/* Leaves out every person that is part of a duplicate pair. */
static void drop_duplicates(gcp_roster *r)
{
    size_t kept = 0;

    for (size_t i = 0; i < r->count; i++) {
        if (r->extra[i].duplicate)
            continue;
        r->people[kept] = r->people[i];
        r->extra[kept++] = r->extra[i];
    }
    r->count = kept;
}

int roster__find_duplicates(gcp_roster *r)
{
    struct first_seen keys = {NULL, 16}, emails = {NULL, 16};
    int rc = 0;

    while (keys.cap < r->count * 2)
        keys.cap *= 2;
    emails.cap = keys.cap;
    keys.slots = calloc(keys.cap, sizeof(size_t));
    emails.slots = calloc(emails.cap, sizeof(size_t));
    if (keys.slots == NULL || emails.slots == NULL) {
        rc = GCP_ENOMEM;
        goto cleanup;
    }
    scan_duplicates(r, &keys, &emails);
    drop_duplicates(r);

cleanup:
    free(keys.slots);
    free(emails.slots);
    return rc;
}
