/* test_error.c - the error type: filling, cutting, formatting, lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/str.h"

static void fail_fills_every_part(void **state)
{
    (void)state;
    at_error e;
    at_code c = at_fail(&e, AT_ERR_INVALID, "people.csv:3:7 (column email)",
                        "write an address such as ana@example.com", "bad email '%s'", "x@");
    assert_int_equal(c, AT_ERR_INVALID);
    char buf[1024];
    at_error_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "people.csv:3:7 (column email): error: bad email 'x@'\n"
                             "  hint: write an address such as ana@example.com\n");
}

static void fail_without_error_returns_code(void **state)
{
    (void)state;
    assert_int_equal(at_fail(NULL, AT_ERR_NOMEM, NULL, NULL, "x"), AT_ERR_NOMEM);
}

static void long_text_is_cut_not_overrun(void **state)
{
    (void)state;
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    at_error e;
    at_fail(&e, AT_ERR_INVALID, big, big, "%s", big);
    assert_int_equal(strlen(e.where), AT_ERROR_WHERE_MAX - 1);
    assert_int_equal(strlen(e.message), AT_ERROR_MESSAGE_MAX - 1);
    assert_int_equal(strlen(e.hint), AT_ERROR_HINT_MAX - 1);
}

static void prefix_where(void **state)
{
    (void)state;
    at_error e;
    at_fail(&e, AT_ERR_INVALID, "line 3", NULL, "m");
    at_error_prefix_where(&e, "map.yaml");
    assert_string_equal(e.where, "map.yaml: line 3");
}

static void list_keeps_limit_counts_all(void **state)
{
    (void)state;
    at_error_list l;
    at_error_list_init(&l, 3);
    for (int i = 0; i < 10; i++)
        assert_int_equal(at_error_list_addf(&l, AT_ERR_INVALID, NULL, NULL, "e%d", i), AT_OK);
    assert_int_equal(l.count, 3);
    assert_int_equal(l.total, 10);
    assert_string_equal(l.items[2].message, "e2");
    at_error_list_free(&l);
}

static void arena_marks_roll_back(void **state)
{
    (void)state;
    at_arena a;
    at_arena_init(&a, 64);
    char *s = at_arena_strdup(&a, "territory");
    assert_string_equal(s, "territory");
    at_arena_mark m = at_arena_save(&a);
    for (int i = 0; i < 100; i++)
        assert_non_null(at_arena_alloc(&a, 100));
    at_arena_restore(&a, m);
    assert_int_equal(a.allocated, m.allocated);
    assert_string_equal(s, "territory");
    char *p = at_arena_printf(&a, "%s-%d", "Q", 3);
    assert_string_equal(p, "Q-3");
    assert_null(at_arena_alloc(&a, SIZE_MAX));
    at_arena_free(&a);
}

static void str_views(void **state)
{
    (void)state;
    at_str s = at_str_trim(AT_STR("  Closed Won\t"));
    assert_true(at_str_eq_cstr(s, "Closed Won"));
    assert_true(at_str_eq_nocase(s, AT_STR("closed won")));
    assert_false(at_str_eq(s, AT_STR("Closed")));
    assert_true(at_str_starts_with(s, AT_STR("Closed")));
    char buf[7];
    assert_string_equal(at_str_copy(s, buf, sizeof buf), "Closed");
    assert_true(at_str_hash(AT_STR("a")) != at_str_hash(AT_STR("b")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fail_fills_every_part),  cmocka_unit_test(fail_without_error_returns_code),
        cmocka_unit_test(long_text_is_cut_not_overrun), cmocka_unit_test(prefix_where),
        cmocka_unit_test(list_keeps_limit_counts_all), cmocka_unit_test(arena_marks_roll_back),
        cmocka_unit_test(str_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
