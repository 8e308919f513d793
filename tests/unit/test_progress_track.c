/*
 * test_progress_track.c: apply's progress as the library counts it: the
 * people and changes of a batch, a person done once every change of
 * theirs ended, failures counted apart, an estimate only after a change,
 * and nothing counted without a callback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "progress_track.h"

/* Two requests: person 0 has a create and a grant, person 2 a grant. */
struct fixture {
    struct gcp_batch_change create[1], grant[2];
    struct gcp_batch_request requests[2];
    struct gcp_batch batch;
    gcp_progress seen;
    size_t calls;
};

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    f->create[0].entry = 0;
    f->grant[0].entry = 0;
    f->grant[1].entry = 2;
    f->requests[0].changes = f->create;
    f->requests[0].change_count = 1;
    f->requests[1].changes = f->grant;
    f->requests[1].change_count = 2;
    f->batch.requests = f->requests;
    f->batch.count = 2;
}

static void remember(const gcp_progress *progress, void *payload)
{
    struct fixture *f = payload;

    f->seen = *progress;
    f->calls++;
}

static void counts_the_people_and_changes_of_the_batch(void **state)
{
    struct fixture f;
    struct gcp_progress_track t;

    (void)state;
    fixture_init(&f);
    assert_int_equal(gcp_progress__begin(&t, &f.batch, NULL, remember, &f), 0);
    gcp_progress__change(&t, 0, 0);
    assert_int_equal(f.calls, 1);
    assert_int_equal(f.seen.version, GCP_PROGRESS_VERSION);
    assert_int_equal(f.seen.people_total, 2);
    assert_int_equal(f.seen.changes_total, 3);
    assert_int_equal(f.seen.changes_done, 1);
    gcp_progress__end(&t);
}

static void a_person_is_done_once_every_change_of_theirs_ended(void **state)
{
    struct fixture f;
    struct gcp_progress_track t;

    (void)state;
    fixture_init(&f);
    assert_int_equal(gcp_progress__begin(&t, &f.batch, NULL, remember, &f), 0);
    gcp_progress__change(&t, 0, 0);
    assert_int_equal(f.seen.people_done, 0);
    gcp_progress__change(&t, 0, 0);
    assert_int_equal(f.seen.people_done, 1);
    gcp_progress__change(&t, 2, GCP_ERROR);
    assert_int_equal(f.seen.people_done, 2);
    assert_int_equal(f.seen.changes_done, 2);
    assert_int_equal(f.seen.changes_failed, 1);
    assert_true(f.seen.remaining >= 0);
    gcp_progress__end(&t);
}

static void nothing_is_counted_without_a_callback(void **state)
{
    struct fixture f;
    struct gcp_progress_track t;

    (void)state;
    fixture_init(&f);
    assert_int_equal(gcp_progress__begin(&t, &f.batch, NULL, NULL, NULL), 0);
    gcp_progress__change(&t, 0, 0);
    assert_int_equal(t.now.changes_done, 0);
    assert_true(t.now.remaining < 0);
    assert_null(t.left);
    gcp_progress__end(&t);
}

static void an_empty_batch_reports_nothing_to_do(void **state)
{
    struct fixture f;
    struct gcp_progress_track t;

    (void)state;
    fixture_init(&f);
    f.batch.count = 0;
    assert_int_equal(gcp_progress__begin(&t, &f.batch, NULL, remember, &f), 0);
    assert_int_equal(t.now.people_total, 0);
    assert_int_equal(t.now.changes_total, 0);
    assert_int_equal(f.calls, 0);
    gcp_progress__end(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_the_people_and_changes_of_the_batch),
        cmocka_unit_test(a_person_is_done_once_every_change_of_theirs_ended),
        cmocka_unit_test(nothing_is_counted_without_a_callback),
        cmocka_unit_test(an_empty_batch_reports_nothing_to_do),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
