/* test_pay_store_plan.c - plan versions in the store (pay_store.h): saving numbers versions per
 * name, an unchanged document is not saved again, a change of effective dates is a new
 * version, every version is audited, listing by name then version with or without the text,
 * reading one or the latest, and the errors (bad arguments, a read-only store, an open
 * transaction). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/date.h"
#include "store/pay_store.h"
#include "test_store_util.h"

/* sha256 of nothing in particular: the store only checks the form */
#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const char DOC_A[] = "name: AE 2026\nmeasures: []\n";
static const char DOC_B[] = "name: AE 2026\nmeasures: [bookings]\n";

static at_store *open_new(char **path)
{
    *path = util_db_path("plan");
    at_store_options opt = {.create = true};
    at_store *s = NULL;
    at_error err;
    if (at_store_open(*path, &opt, &s, &err) != AT_OK)
        fail_msg("open: %s", err.message);
    return s;
}

static void done(at_store *s, char *path)
{
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

static at_day day(int y, int m, int d)
{
    return at_day_from_ymd(y, m, d);
}

static void save(at_store *s, const char *name, const char *doc, const char *sha, at_day from,
                 at_day to, const char *reason, int expect_version, bool expect_unchanged)
{
    int version = -1;
    bool unchanged = true;
    at_error err;
    at_code rc = at_store_plan_save(s, name, doc, strlen(doc), sha, from, to, "ana", reason,
                                    &version, &unchanged, &err);
    if (rc != AT_OK)
        fail_msg("save: %s", err.message);
    assert_int_equal(version, expect_version);
    assert_int_equal(unchanged, expect_unchanged);
}

typedef struct seen {
    char text[8][160];
    size_t n;
} seen;

static at_code collect(void *ctx, const at_store_plan_version *v, at_error *err)
{
    (void)err;
    seen *s = ctx;
    if (s->n == 8)
        return AT_OK;
    char from[16] = "open", to[16] = "open";
    if (v->effective_from != AT_DAY_MIN)
        at_day_format(v->effective_from, from, sizeof from);
    if (v->effective_to != AT_DAY_MAX)
        at_day_format(v->effective_to, to, sizeof to);
    snprintf(s->text[s->n++], 160, "%s v%d %s..%s %.4s by %s (%s) src=%s", v->name, v->version,
             from, to, v->sha256, v->loaded_by, v->reason ? v->reason : "-",
             v->source ? (v->source_length == strlen(DOC_B) ? "B" : "A") : "none");
    return AT_OK;
}

static at_code stop_at_second(void *ctx, const at_store_plan_version *v, at_error *err)
{
    seen *s = ctx;
    s->n++;
    if (v->version == 2)
        return at_fail(err, AT_ERR_CONFLICT, NULL, NULL, "stop");
    return AT_OK;
}

static void versions_are_numbered_per_name(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_day jan1 = day(2026, 1, 1), dec31 = day(2026, 12, 31);
    save(s, "AE 2026", DOC_A, SHA_A, jan1, dec31, "first", 1, false);
    /* the same text and dates: nothing written, the latest version said */
    save(s, "AE 2026", DOC_A, SHA_A, jan1, dec31, "again", 1, true);
    /* new text */
    save(s, "AE 2026", DOC_B, SHA_B, jan1, dec31, NULL, 2, false);
    /* the same text, other dates: a new version too */
    save(s, "AE 2026", DOC_B, SHA_B, jan1, day(2026, 6, 30), "ends early", 3, false);
    /* back to an older text: a new version (only the latest is compared) */
    save(s, "AE 2026", DOC_A, SHA_A, jan1, dec31, NULL, 4, false);
    /* another plan starts at 1; open dates */
    save(s, "SDR 2026", DOC_A, SHA_A, AT_DAY_MIN, AT_DAY_MAX, NULL, 1, false);
    assert_int_equal(util_int(path, "SELECT count(*) FROM plan_versions"), 5);
    assert_int_equal(util_int(path, "SELECT length(source) FROM plan_versions WHERE name = "
                                    "'AE 2026' AND version = 2"),
                     (long long)strlen(DOC_B));

    seen all = {0};
    at_error err;
    assert_int_equal(at_store_plan_each(s, NULL, false, collect, &all, &err), AT_OK);
    assert_int_equal(all.n, 5);
    assert_string_equal(all.text[0], "AE 2026 v1 2026-01-01..2026-12-31 aaaa by ana (first) "
                                     "src=none");
    assert_string_equal(all.text[1], "AE 2026 v2 2026-01-01..2026-12-31 bbbb by ana (-) "
                                     "src=none");
    assert_string_equal(all.text[2], "AE 2026 v3 2026-01-01..2026-06-30 bbbb by ana (ends early) "
                                     "src=none");
    assert_string_equal(all.text[3], "AE 2026 v4 2026-01-01..2026-12-31 aaaa by ana (-) "
                                     "src=none");
    assert_string_equal(all.text[4], "SDR 2026 v1 open..open aaaa by ana (-) src=none");

    seen sdr = {0};
    assert_int_equal(at_store_plan_each(s, "SDR 2026", true, collect, &sdr, &err), AT_OK);
    assert_int_equal(sdr.n, 1);
    assert_string_equal(sdr.text[0], "SDR 2026 v1 open..open aaaa by ana (-) src=A");
    seen none = {0};
    assert_int_equal(at_store_plan_each(s, "nope", true, collect, &none, &err), AT_OK);
    assert_int_equal(none.n, 0);

    /* the callback's error stops the walk and is returned */
    seen stop = {0};
    assert_int_equal(at_store_plan_each(s, "AE 2026", true, stop_at_second, &stop, &err),
                     AT_ERR_CONFLICT);
    assert_int_equal(stop.n, 2);
    assert_string_equal(err.message, "stop");
    done(s, path);
}

static void get_one_or_the_latest(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    save(s, "AE 2026", DOC_A, SHA_A, day(2026, 1, 1), AT_DAY_MAX, "first", 1, false);
    save(s, "AE 2026", DOC_B, SHA_B, day(2026, 2, 1), AT_DAY_MAX, NULL, 2, false);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_plan_version v;
    bool found = false;
    at_error err;
    assert_int_equal(at_store_plan_get(s, "AE 2026", 0, &arena, &v, &found, &err), AT_OK);
    assert_true(found);
    assert_int_equal(v.version, 2);
    assert_string_equal(v.name, "AE 2026");
    assert_int_equal(v.source_length, strlen(DOC_B));
    assert_memory_equal(v.source, DOC_B, strlen(DOC_B));
    assert_int_equal(v.source[v.source_length], '\0');
    assert_string_equal(v.sha256, SHA_B);
    assert_int_equal(v.effective_from, day(2026, 2, 1));
    assert_int_equal(v.effective_to, AT_DAY_MAX);
    assert_string_equal(v.loaded_by, "ana");
    assert_null(v.reason);
    assert_true(v.id > 0);
    assert_true(v.loaded_at > 0);

    assert_int_equal(at_store_plan_get(s, "AE 2026", 1, &arena, &v, &found, &err), AT_OK);
    assert_true(found);
    assert_int_equal(v.version, 1);
    assert_string_equal(v.source, DOC_A);
    assert_string_equal(v.reason, "first");

    assert_int_equal(at_store_plan_get(s, "AE 2026", 3, &arena, &v, &found, &err), AT_OK);
    assert_false(found);
    assert_null(v.name);
    assert_int_equal(at_store_plan_get(s, "ae 2026", 0, &arena, &v, &found, &err), AT_OK);
    assert_false(found); /* names are compared exactly */
    at_arena_free(&arena);
    done(s, path);
}

typedef struct audit_seen {
    size_t n;
    char key[64], after[400], actor[16], reason[32], action[16];
} audit_seen;

static at_code see_audit(void *ctx, const at_audit_entry *e, at_error *err)
{
    (void)err;
    audit_seen *a = ctx;
    a->n++;
    snprintf(a->key, sizeof a->key, "%s", e->key);
    snprintf(a->after, sizeof a->after, "%s", e->after ? e->after : "");
    snprintf(a->actor, sizeof a->actor, "%s", e->actor);
    snprintf(a->reason, sizeof a->reason, "%s", e->reason ? e->reason : "-");
    snprintf(a->action, sizeof a->action, "%s", e->action);
    return AT_OK;
}

static void every_version_is_audited(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    save(s, "AE 2026", DOC_A, SHA_A, day(2026, 1, 1), AT_DAY_MAX, "new plan year", 1, false);
    save(s, "AE 2026", DOC_A, SHA_A, day(2026, 1, 1), AT_DAY_MAX, "same", 1, true);
    save(s, "AE 2026", DOC_B, SHA_B, day(2026, 1, 1), day(2026, 12, 31), NULL, 2, false);
    audit_seen a = {0};
    at_error err;
    at_audit_filter f = {.entity = "plan_versions"};
    assert_int_equal(at_store_audit_each(s, &f, see_audit, &a, &err), AT_OK);
    assert_int_equal(a.n, 2); /* the unchanged save wrote nothing */
    assert_string_equal(a.action, "insert");
    assert_string_equal(a.key, "AE 2026|2");
    assert_string_equal(a.actor, "ana");
    assert_string_equal(a.reason, "-");
    assert_string_equal(a.after, "{\"name\":\"AE 2026\",\"version\":2,"
                                 "\"effective_from\":\"2026-01-01\",\"effective_to\":"
                                 "\"2026-12-31\",\"sha256\":\"" SHA_B "\",\"size\":35}");
    audit_seen first = {0};
    f.key = "AE 2026|1";
    assert_int_equal(at_store_audit_each(s, &f, see_audit, &first, &err), AT_OK);
    assert_int_equal(first.n, 1);
    assert_string_equal(first.reason, "new plan year");
    assert_non_null(strstr(first.after, "\"effective_to\":null"));
    done(s, path);
}

static void bad_arguments_are_refused(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    int version = -1;
    bool unchanged = true;
    at_error err;
    at_day d = day(2026, 1, 1);
    assert_int_equal(at_store_plan_save(s, "", DOC_A, strlen(DOC_A), SHA_A, d, d, "ana", NULL,
                                        &version, &unchanged, &err),
                     AT_ERR_USAGE);
    assert_string_equal(err.message, "a plan version needs a name");
    assert_int_equal(version, 0);
    assert_false(unchanged);
    assert_int_equal(at_store_plan_save(s, "P", DOC_A, strlen(DOC_A), "ABC", d, d, "ana", NULL,
                                        &version, &unchanged, &err),
                     AT_ERR_INTERNAL);
    assert_string_equal(err.message, "plan 'P': 'ABC' is not a SHA-256 in lower-case hex");
    /* upper-case hex is not the form asked for */
    char upper[65];
    memset(upper, 'A', 64);
    upper[64] = '\0';
    assert_int_equal(at_store_plan_save(s, "P", DOC_A, strlen(DOC_A), upper, d, d, "ana", NULL,
                                        &version, &unchanged, &err),
                     AT_ERR_INTERNAL);
    assert_int_equal(at_store_plan_save(s, "P", DOC_A, strlen(DOC_A), SHA_A, d, d - 1, "ana",
                                        NULL, &version, &unchanged, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.message, "plan 'P' ends before it starts");
    /* one day is fine */
    assert_int_equal(at_store_plan_save(s, "P", DOC_A, strlen(DOC_A), SHA_A, d, d, "ana", NULL,
                                        &version, &unchanged, &err),
                     AT_OK);
    assert_int_equal(version, 1);
    /* no actor */
    assert_int_equal(at_store_plan_save(s, "Q", DOC_A, strlen(DOC_A), SHA_A, d, d, "", NULL,
                                        &version, &unchanged, &err),
                     AT_ERR_USAGE);
    /* inside another transaction */
    assert_int_equal(at_store_begin(s, "bo", NULL, &err), AT_OK);
    assert_int_equal(at_store_plan_save(s, "Q", DOC_A, strlen(DOC_A), SHA_A, d, d, "ana", NULL,
                                        &version, &unchanged, &err),
                     AT_ERR_CONFLICT);
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_plan_version v;
    bool found = true;
    assert_int_equal(at_store_plan_get(s, NULL, 0, &arena, &v, &found, &err), AT_ERR_INTERNAL);
    assert_false(found);
    at_arena_free(&arena);
    assert_int_equal(util_int(path, "SELECT count(*) FROM plan_versions"), 1);
    at_store_close(s);

    /* read-only: reads work, saving does not */
    at_store_options ro = {.read_only = true};
    assert_int_equal(at_store_open(path, &ro, &s, &err), AT_OK);
    assert_int_equal(at_store_plan_save(s, "Q", DOC_A, strlen(DOC_A), SHA_A, d, d, "ana", NULL,
                                        &version, &unchanged, &err),
                     AT_ERR_INTERNAL);
    assert_string_equal(err.message, "cannot write pay data: the database was opened read-only");
    seen all = {0};
    assert_int_equal(at_store_plan_each(s, NULL, false, collect, &all, &err), AT_OK);
    assert_int_equal(all.n, 1);
    done(s, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(versions_are_numbered_per_name),
        cmocka_unit_test(get_one_or_the_latest),
        cmocka_unit_test(every_version_is_audited),
        cmocka_unit_test(bad_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
