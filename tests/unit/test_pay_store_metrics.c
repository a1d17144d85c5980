/* test_pay_store_metrics.c - the metrics entity (metrics.csv) through the importer and the
 * exporter: values as rates (35%, 0.35, 48210.5), periods of any kind made canonical, the key
 * (person, metric, period) upserted, export in key order that imports back unchanged, and the
 * problems the importer reports with their file:line:column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "import/export.h"
#include "import/import.h"
#include "model/fields.h"
#include "store/store.h"
#include "test_store_util.h"

static char dir[1024];

static void write_file(const char *name, const char *text)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    util_text t = {0};
    util_add(&t, "", 0);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        util_add(&t, buf, n);
    fclose(fp);
    return t.p;
}

static at_code import(at_store *s, const char *path, at_import_result *r)
{
    at_import_result_init(r);
    const char *paths[] = {path};
    at_import_options opt = {.actor = "test"};
    at_error err;
    return at_import_run(s, paths, 1, &opt, r, &err);
}

static const at_import_tally *tally(const at_import_result *r)
{
    for (size_t i = 0; i < r->tally_count; i++)
        if (r->tallies[i].entity == &at_entity_metrics)
            return &r->tallies[i];
    fail_msg("no tally for metrics");
    return NULL;
}

static const char PEOPLE[] = "id,name,role,pay_currency\nP-1,Ana,rep,USD\nP-2,Bo,rep,EUR\n";

static void metrics_round_trip(void **state)
{
    (void)state;
    char *base = util_db_path("metrics");
    snprintf(dir, sizeof dir, "%s/in", base);
    util_mkdirs(dir);
    write_file("people.csv", PEOPLE);
    write_file("metrics.csv", "person_id,metric,period,value\n"
                              "P-2,avg_margin,2026-q1,35%\n"
                              "P-1,deal_size,2026-02,48210.5\n"
                              "P-1,avg_margin,2026-Q1,0.35\n"
                              "P-1,score,2026,-1.25\n");
    char db[1100];
    snprintf(db, sizeof db, "%s/a.db", base);
    at_store_options so = {.create = true};
    at_store *s = NULL;
    at_error err;
    assert_int_equal(at_store_open(db, &so, &s, &err), AT_OK);
    at_import_result r;
    assert_int_equal(import(s, dir, &r), AT_OK);
    assert_int_equal(tally(&r)->inserted, 4);
    at_import_result_free(&r);
    assert_int_equal(util_int(db, "SELECT value FROM metrics WHERE period = '2026-02'"),
                     INT64_C(48210500000000));
    assert_int_equal(util_int(db, "SELECT count(*) FROM metrics WHERE period = '2026-Q1' AND "
                                  "value = 350000000"),
                     2);

    char out[1100];
    snprintf(out, sizeof out, "%s/out", base);
    at_export_result x;
    assert_int_equal(at_export_run(s, out, &x, &err), AT_OK);
    at_export_result_free(&x);
    char path[1200];
    snprintf(path, sizeof path, "%s/metrics.csv", out);
    char *text = read_file(path);
    assert_non_null(text);
    /* key order: person (external id), metric, period; canonical values */
    assert_string_equal(text, "person_id,metric,period,value\n"
                              "P-1,avg_margin,2026-Q1,0.35\n"
                              "P-1,deal_size,2026-02,48210.5\n"
                              "P-1,score,2026,-1.25\n"
                              "P-2,avg_margin,2026-Q1,0.35\n");
    free(text);

    /* the export imports back unchanged; a changed value is an update of that key */
    assert_int_equal(import(s, out, &r), AT_OK);
    assert_int_equal(tally(&r)->unchanged, 4);
    at_import_result_free(&r);
    write_file("metrics.csv", "person_id,metric,period,value\nP-1,score,2026,80%\n");
    snprintf(path, sizeof path, "%s/metrics.csv", dir);
    assert_int_equal(import(s, path, &r), AT_OK);
    assert_int_equal(tally(&r)->updated, 1);
    at_import_result_free(&r);
    assert_int_equal(util_int(db, "SELECT value FROM metrics WHERE metric = 'score'"), 800000000);
    assert_int_equal(util_int(db, "SELECT count(*) FROM audit WHERE entity = 'metrics' AND "
                                  "action = 'update' AND row_key = 'P-1|score|2026'"),
                     1);
    at_store_close(s);
    util_remove_db(db);
    free(base);
}

static void expect_problem(at_store *s, const char *csv, const char *where, const char *what)
{
    write_file("metrics.csv", csv);
    char path[1200];
    snprintf(path, sizeof path, "%s/metrics.csv", dir);
    at_import_result r;
    assert_int_equal(import(s, path, &r), AT_ERR_INVALID);
    assert_true(r.errors.count >= 1);
    if (!strstr(r.errors.items[0].where, where) || !strstr(r.errors.items[0].message, what))
        fail_msg("got %s: %s", r.errors.items[0].where, r.errors.items[0].message);
    at_import_result_free(&r);
}

static void metrics_problems(void **state)
{
    (void)state;
    char *base = util_db_path("metrics-bad");
    snprintf(dir, sizeof dir, "%s/in", base);
    util_mkdirs(dir);
    write_file("people.csv", PEOPLE);
    char db[1100];
    snprintf(db, sizeof db, "%s/a.db", base);
    at_store_options so = {.create = true};
    at_store *s = NULL;
    at_error err;
    assert_int_equal(at_store_open(db, &so, &s, &err), AT_OK);
    char path[1200];
    snprintf(path, sizeof path, "%s/people.csv", dir);
    at_import_result r;
    assert_int_equal(import(s, path, &r), AT_OK);
    at_import_result_free(&r);
    const char *header = "person_id,metric,period,value\n";
    char csv[512];
    snprintf(csv, sizeof csv, "%sP-1,m,2026-Q5,1\n", header);
    expect_problem(s, csv, "metrics.csv:2:", "quarter 5");
    snprintf(csv, sizeof csv, "%sP-1,m,2026-Q1,\n", header);
    expect_problem(s, csv, "metrics.csv:2:", "value");
    snprintf(csv, sizeof csv, "%sP-1,m,2026-Q1,abc\n", header);
    expect_problem(s, csv, "metrics.csv:2:", "value");
    snprintf(csv, sizeof csv, "%sP-9,m,2026-Q1,1\n", header);
    expect_problem(s, csv, "metrics.csv:2:", "P-9");
    snprintf(csv, sizeof csv, "%sP-1,m,2026-Q1,1\nP-1,m,2026-q1,2\n", header);
    expect_problem(s, csv, "metrics.csv:3", "P-1|m|2026-Q1");
    /* nothing was written */
    assert_int_equal(util_int(db, "SELECT count(*) FROM metrics"), 0);
    at_store_close(s);
    util_remove_db(db);
    free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(metrics_round_trip),
        cmocka_unit_test(metrics_problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
