/*
 * test_sandbox_routes.c: the sandbox's route table and matcher, without a
 * server: literal paths win over templates, parameters are captured, a
 * known path with another method is told apart from an unknown path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "server.h"

struct match {
    const struct sbx_route *route;
    const char *params[SBX_MAX_PARAMS];
    char scratch[512];
    int known;
};

static const struct sbx_route *match(struct match *m, const char *method,
                                     const char *path)
{
    memset(m, 0, sizeof(*m));
    m->route = sbx_routes_match(method, path, m->params, m->scratch,
                                sizeof(m->scratch), &m->known);
    return m->route;
}

static void a_literal_path_wins_over_a_template(void **state)
{
    struct match m;

    assert_non_null(match(&m, "POST", "/api/v2/users/search"));
    assert_string_equal(m.route->path, "/api/v2/users/search");
    assert_non_null(match(&m, "GET", "/api/v2/authorization/divisions/home"));
    assert_string_equal(m.route->path, "/api/v2/authorization/divisions/home");
}

static void path_parameters_are_captured_in_order(void **state)
{
    struct match m;

    assert_non_null(match(&m, "GET", "/api/v2/users/externalid/hr/E-1"));
    assert_string_equal(m.params[0], "hr");
    assert_string_equal(m.params[1], "E-1");
    assert_non_null(
        match(&m, "PUT", "/api/v2/authorization/roles/r1/users/add"));
    assert_string_equal(m.params[0], "r1");
    assert_string_equal(m.route->permission, "authorization:grant:add");
}

static void a_trailing_slash_is_the_same_path(void **state)
{
    struct match m;

    assert_non_null(match(&m, "GET", "/api/v2/users/u1/"));
    assert_string_equal(m.route->path, "/api/v2/users/{userId}");
    assert_string_equal(m.params[0], "u1");
}

static void another_method_on_a_known_path_is_told_apart(void **state)
{
    struct match m;

    assert_null(match(&m, "PUT", "/api/v2/users"));
    assert_true(m.known);
    assert_null(match(&m, "GET", "/api/v2/roles"));
    assert_false(m.known);
}

static void an_empty_segment_is_not_a_parameter(void **state)
{
    struct match m;

    assert_null(match(&m, "GET", "/api/v2/users//externalid"));
    assert_null(match(&m, "GET", "/api/v2/users/externalid/hr"));
}

static void the_hooks_and_login_need_no_token(void **state)
{
    struct match m;

    assert_non_null(match(&m, "POST", "/oauth/token"));
    assert_true(m.route->flags & SBX_ROUTE_PUBLIC);
    assert_non_null(match(&m, "PUT", "/_sandbox/faults"));
    assert_true(m.route->flags & SBX_ROUTE_ADMIN);
    assert_non_null(match(&m, "GET", "/api/v2/users"));
    assert_false(m.route->flags & SBX_ROUTE_PUBLIC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_literal_path_wins_over_a_template),
        cmocka_unit_test(path_parameters_are_captured_in_order),
        cmocka_unit_test(a_trailing_slash_is_the_same_path),
        cmocka_unit_test(another_method_on_a_known_path_is_told_apart),
        cmocka_unit_test(an_empty_segment_is_not_a_parameter),
        cmocka_unit_test(the_hooks_and_login_need_no_token),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
