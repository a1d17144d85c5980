/* test_import.c - the importer through its library API: references to later rows of the same
 * entity (chains, loops), duplicate keys, distinct feeds, all-or-nothing, upsert counts and
 * the audit trail, dry runs, header problems, which files a directory or a mapping picks, and
 * report exports' footers. Files are written to a scratch directory; expected values are
 * worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/export.h"
#include "import/import.h"
#include "model/fields.h"
#include "store/store.h"

static char dir[512];
static char db_path[600];

static void write_file(const char *name, const char *text)
{
    char path[800];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("ATTAIN_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/files", base ? base : "/tmp/attain_test_import");
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(cmd) != 0)
        return -1;
    snprintf(db_path, sizeof db_path, "%s/../test.db", dir);
    remove(db_path);
    return 0;
}

static at_store *open_store(void)
{
    at_store_options opts = {.create = true};
    at_store *s = NULL;
    at_error err;
    if (at_store_open(db_path, &opts, &s, &err) != AT_OK)
        fail_msg("%s", err.message);
    return s;
}

typedef struct run {
    at_code code;
    at_error err;
    at_import_result result;
} run;

static void import_paths(at_store *s, const char *const *paths, size_t n,
                         const at_import_options *opts, run *r)
{
    at_import_result_init(&r->result);
    r->code = at_import_run(s, paths, n, opts, &r->result, &r->err);
}

static void import_dir(at_store *s, const at_import_options *opts, run *r)
{
    const char *paths[] = {dir};
    import_paths(s, paths, 1, opts, r);
}

static const at_import_tally *tally(const run *r, const at_entity *e)
{
    for (size_t i = 0; i < r->result.tally_count; i++)
        if (r->result.tallies[i].entity == e)
            return &r->result.tallies[i];
    fail_msg("no tally for %s", e->name);
    return NULL;
}

static int64_t count(at_store *s, const at_entity *e)
{
    int64_t n = -1;
    at_error err;
    assert_int_equal(at_store_count(s, e, &n, &err), AT_OK);
    return n;
}

/* The problem at index i: "where: message". */
static void expect_problem(const run *r, size_t i, const char *where, const char *message)
{
    if (i >= r->result.errors.count)
        fail_msg("only %zu problems (%s)", r->result.errors.count, r->err.message);
    const at_error *e = &r->result.errors.items[i];
    if (strcmp(e->where, where) != 0 || !strstr(e->message, message))
        fail_msg("problem %zu is '%s: %s', expected '%s: ...%s...'", i, e->where, e->message,
                 where, message);
    assert_true(e->hint[0] != '\0');
}

static const char *teams_csv =
    "id,name,function,parent_id\n"
    "T-3,Three,ae,T-2\n"  /* waits for T-2, which waits for T-1 */
    "T-2,Two,ae,T-1\n"
    "T-1,One,sales_management,\n";

static void later_rows_of_the_same_entity_are_waited_for(void **state)
{
    (void)state;
    write_file("teams.csv", teams_csv);
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    assert_true(r.result.committed);
    assert_int_equal(tally(&r, &at_entity_teams)->inserted, 3);
    assert_int_equal(count(s, &at_entity_teams), 3);
    at_import_result_free(&r.result);
    at_store_close(s);
}

static void loops_and_missing_parents_are_reported_once(void **state)
{
    (void)state;
    write_file("teams.csv", "id,name,function,parent_id\n"
                            "T-1,One,ae,T-2\n"
                            "T-2,Two,ae,T-1\n"
                            "T-3,Three,ae,T-9\n"
                            "T-4,Four,ae,T-4\n");
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_ERR_INVALID);
    assert_false(r.result.committed);
    assert_int_equal(r.result.errors.total, 3);
    /* the row rule sees a team that is its own parent at once; the rest once every team of
     * the file is read */
    expect_problem(&r, 0, "teams.csv:5:13 (column parent_id)", "'T-4' names the team itself");
    expect_problem(&r, 1, "teams.csv:2:12 (column parent_id)", "teams loop: T-1 -> T-2 -> T-1");
    expect_problem(&r, 2, "teams.csv:4:14 (column parent_id)",
                   "no team with id 'T-9' in the database or in this import");
    assert_int_equal(count(s, &at_entity_teams), 0);
    at_import_result_free(&r.result);
    at_store_close(s);
}

static void all_or_nothing_and_upsert_counts(void **state)
{
    (void)state;
    write_file("teams.csv", teams_csv);
    write_file("people.csv", "id,name,role,team_id,pay_currency\n"
                             "P-1,Ana,vp,T-1,USD\n"
                             "P-2,Bo,rep,T-3,USD\n");
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    assert_int_equal(r.result.rows_written, 5);
    at_import_result_free(&r.result);

    /* a bad second file: nothing of the import is written, the first import stays */
    write_file("people.csv", "id,name,role,team_id,pay_currency\n"
                             "P-1,Ana,vp,T-1,USD\n"
                             "P-2,Bo,rep,T-3,USD\n"
                             "P-3,Cy,rep,T-7,USD\n");
    write_file("teams.csv", "id,name,function,parent_id\nT-4,Four,ae,\n");
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_ERR_INVALID);
    expect_problem(&r, 0, "people.csv:4:12 (column team_id)",
                   "no team with id 'T-7' in the database or in this import");
    assert_non_null(strstr(r.err.message, "1 problem found; the import was rolled back"));
    assert_int_equal(count(s, &at_entity_teams), 3);
    assert_int_equal(count(s, &at_entity_people), 2);
    at_import_result_free(&r.result);

    /* the same rows again: unchanged; one changed: updated, with before and after audited */
    write_file("teams.csv", teams_csv);
    write_file("people.csv", "id,name,role,team_id,pay_currency\n"
                             "P-1,Ana,vp,T-1,USD\n"
                             "P-2,Bo,manager,T-3,USD\n");
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    assert_int_equal(tally(&r, &at_entity_teams)->unchanged, 3);
    assert_int_equal(tally(&r, &at_entity_people)->unchanged, 1);
    assert_int_equal(tally(&r, &at_entity_people)->updated, 1);
    assert_int_equal(tally(&r, &at_entity_people)->inserted, 0);
    at_import_result_free(&r.result);
    at_store_close(s);
}

/* Cancellations are checked against their originals and against the cancellations of the
 * same original already in the database; each problem is placed at the cancellation's line. */
static void cancellations_are_checked_against_the_database(void **state)
{
    (void)state;
    write_file("teams.csv", "id,name,function,parent_id\nT-1,One,sales_management,\n");
    write_file("people.csv", "id,name,role,team_id,pay_currency\nP-1,Ana,rep,T-1,USD\n");
    /* the cancellation comes before the booking it cancels: fine */
    write_file("transactions.csv", "id,type,date,amount,currency,owner_id,original_id\n"
                                   "TX-2,cancellation,2026-01-06,-60.00,USD,P-1,TX-1\n"
                                   "TX-1,booking,2026-01-05,100.00,USD,P-1,\n"
                                   "TX-5,invoice,2026-01-05,10.00,USD,P-1,\n");
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    assert_int_equal(tally(&r, &at_entity_transactions)->inserted, 3);
    at_import_result_free(&r.result);

    /* -50 more of TX-1 makes -110 of 100; TX-2 is a cancellation; EUR is not TX-5's USD;
     * -5 and -4 of TX-5 make -9 of 10: fine */
    write_file("transactions.csv", "id,type,date,amount,currency,owner_id,original_id\n"
                                   "TX-4,cancellation,2026-01-07,-1.00,USD,P-1,TX-2\n"
                                   "TX-3,cancellation,2026-01-07,-50.00,USD,P-1,TX-1\n"
                                   "TX-6,cancellation,2026-01-07,-5.00,EUR,P-1,TX-5\n"
                                   "TX-7,cancellation,2026-01-07,-4.00,USD,P-1,TX-5\n");
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_ERR_INVALID);
    assert_int_equal(r.result.errors.total, 3);
    expect_problem(&r, 0, "transactions.csv:3 (column amount)",
                   "cancellations of TX-1 add up to -110.00, more than its amount 100.00");
    expect_problem(&r, 1, "transactions.csv:2 (column original_id)",
                   "original_id 'TX-2' is itself a cancellation");
    expect_problem(&r, 2, "transactions.csv:4 (column currency)",
                   "currency EUR differs from USD of original TX-5");
    assert_int_equal(count(s, &at_entity_transactions), 3);
    at_import_result_free(&r.result);
    at_store_close(s);
}

/* Split shares are checked per transaction over the database and this import together; a
 * problem is placed at the transaction's first row of this import in key order (person id),
 * and problems come in transaction id order, whatever the file's order. */
static void split_shares_are_checked_per_transaction(void **state)
{
    (void)state;
    write_file("teams.csv", "id,name,function,parent_id\nT-1,One,sales_management,\n");
    write_file("people.csv", "id,name,role,team_id,pay_currency\n"
                             "P-1,Ana,rep,T-1,USD\nP-2,Bo,rep,T-1,USD\nP-3,Cy,rep,T-1,USD\n");
    write_file("transactions.csv", "id,type,date,amount,currency,owner_id,original_id\n"
                                   "TX-1,booking,2026-01-05,100.00,USD,P-1,\n"
                                   "TX-2,booking,2026-01-05,100.00,USD,P-1,\n"
                                   "TX-3,booking,2026-01-05,100.00,USD,P-1,\n"
                                   "TX-4,booking,2026-01-05,100.00,USD,P-1,\n");
    /* in the database: 0.6 of TX-1 to P-2; TX-4 split in full (1.0: the owner keeps none) */
    write_file("transaction_people.csv", "transaction_id,person_id,role,share\n"
                                         "TX-1,P-2,split,0.6\n"
                                         "TX-4,P-2,split,0.5\n"
                                         "TX-4,P-3,split,0.5\n");
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    assert_int_equal(tally(&r, &at_entity_transaction_people)->inserted, 3);
    at_import_result_free(&r.result);

    /* line 2: 0.7 of TX-3 to P-3; line 3: 0.4 of TX-3 to P-2 (1.1 in all: placed at line 3,
     * P-2 coming first); line 4: an SDR on TX-2 (not a split); line 5: 0.5 of TX-1 to P-3
     * (with the database's 0.6: 1.1); line 6: P-1 as TX-2's manager (no split at all) */
    write_file("transaction_people.csv", "transaction_id,person_id,role,share\n"
                                         "TX-3,P-3,split,0.7\n"
                                         "TX-3,P-2,split,0.4\n"
                                         "TX-2,P-3,sdr,1.0\n"
                                         "TX-1,P-3,split,0.5\n"
                                         "TX-2,P-1,manager,1.0\n");
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_ERR_INVALID);
    assert_int_equal(r.result.errors.total, 2);
    expect_problem(&r, 0, "transaction_people.csv:5 (column share)",
                   "split shares of transaction TX-1 add up to 1.1, more than 1");
    expect_problem(&r, 1, "transaction_people.csv:3 (column share)",
                   "split shares of transaction TX-3 add up to 1.1, more than 1");
    assert_int_equal(count(s, &at_entity_transaction_people), 3);
    at_import_result_free(&r.result);

    /* the same rows without the excess: TX-3 at 0.7 + 0.3, TX-1 at 0.6 + 0.4 */
    write_file("transaction_people.csv", "transaction_id,person_id,role,share\n"
                                         "TX-3,P-3,split,0.7\n"
                                         "TX-3,P-2,split,0.3\n"
                                         "TX-2,P-3,sdr,1.0\n"
                                         "TX-1,P-3,split,0.4\n"
                                         "TX-2,P-1,manager,1.0\n");
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    assert_int_equal(tally(&r, &at_entity_transaction_people)->inserted, 5);
    assert_int_equal(count(s, &at_entity_transaction_people), 8);
    at_import_result_free(&r.result);
    at_store_close(s);
}

/* Leads name their opportunity; opportunities come after leads, so leads are checked at the
 * end, against the opportunities' keys, which stay while the key maps of entities nothing
 * refers to any more are freed entity by entity (accounts' map outlives the opportunities and
 * transactions that refer to it). */
static void leads_are_checked_against_opportunities_at_the_end(void **state)
{
    (void)state;
    write_file("teams.csv", "id,name,function,parent_id\nT-1,One,sales_management,\n");
    write_file("people.csv", "id,name,role,team_id,pay_currency\nP-1,Ana,rep,T-1,USD\n");
    write_file("accounts.csv", "id,name,owner_id\nA-1,Acme,P-1\n");
    write_file("stages.csv", "id,name,position,probability,outcome\nwon,Won,1,1,won\n");
    write_file("opportunities.csv",
               "id,name,account_id,owner_id,created_on,closed_on,stage_id,status,amount,"
               "currency,forecast_category\n"
               "O-1,Deal,A-1,P-1,2026-01-02,2026-01-03,won,won,10.00,USD,closed\n");
    write_file("leads.csv", "id,created_at,source,owner_id,status,company,converted_at,"
                            "opportunity_id\n"
                            "L-1,2026-01-01T00:00:00Z,inbound,P-1,converted,Acme,"
                            "2026-01-02T00:00:00Z,O-1\n"
                            "L-2,2026-01-01T00:00:00Z,inbound,P-1,converted,Acme,"
                            "2026-01-02T00:00:00Z,O-9\n");
    write_file("transactions.csv", "id,type,date,amount,currency,owner_id,account_id\n"
                                   "TX-1,booking,2026-01-05,100.00,USD,P-1,A-1\n");
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_ERR_INVALID);
    assert_int_equal(r.result.errors.total, 1);
    expect_problem(&r, 0, "leads.csv:3:74 (column opportunity_id)",
                   "opportunity_id 'O-9' names no opportunity");
    at_import_result_free(&r.result);

    write_file("leads.csv", "id,created_at,source,owner_id,status,company,converted_at,"
                            "opportunity_id\n"
                            "L-1,2026-01-01T00:00:00Z,inbound,P-1,converted,Acme,"
                            "2026-01-02T00:00:00Z,O-1\n");
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    assert_int_equal(tally(&r, &at_entity_leads)->inserted, 1);
    assert_int_equal(tally(&r, &at_entity_transactions)->inserted, 1);
    assert_int_equal(count(s, &at_entity_accounts), 1);
    at_import_result_free(&r.result);
    at_store_close(s);
}

typedef struct audit_seen {
    int count;
    char before[128], after[128], key[32];
} audit_seen;

static at_code see_audit(void *ctx, const at_audit_entry *entry, at_error *err)
{
    (void)err;
    audit_seen *a = ctx;
    a->count++;
    snprintf(a->before, sizeof a->before, "%s", entry->before ? entry->before : "");
    snprintf(a->after, sizeof a->after, "%s", entry->after ? entry->after : "");
    snprintf(a->key, sizeof a->key, "%s", entry->key);
    return AT_OK;
}

static void updates_are_audited_with_before_and_after(void **state)
{
    (void)state;
    write_file("teams.csv", "id,name,function,parent_id\nT-1,One,ae,\n");
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    at_import_result_free(&r.result);
    write_file("teams.csv", "id,name,function,parent_id\nT-1,One,sdr,\n");
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    assert_int_equal(tally(&r, &at_entity_teams)->updated, 1);
    at_import_result_free(&r.result);
    audit_seen a = {0};
    at_audit_filter f = {.entity = "teams", .action = "update"};
    at_error err;
    assert_int_equal(at_store_audit_each(s, &f, see_audit, &a, &err), AT_OK);
    assert_int_equal(a.count, 1);
    assert_string_equal(a.key, "T-1");
    assert_string_equal(a.before, "{\"function\":\"ae\"}");
    assert_string_equal(a.after, "{\"function\":\"sdr\"}");
    at_store_close(s);
}

static void duplicate_keys_and_dry_runs(void **state)
{
    (void)state;
    write_file("teams.csv", "id,name,function,parent_id\n"
                            "T-1,One,ae,\n"
                            "T-1,One again,ae,\n");
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_ERR_INVALID);
    expect_problem(&r, 0, "teams.csv:3:1 (column id)",
                   "duplicate key: teams id 'T-1' is already in this import at teams.csv:2");
    at_import_result_free(&r.result);
    /* natural keys are shown joined with | */
    write_file("teams.csv", "id,name,function,parent_id\nT-1,One,ae,\n");
    write_file("exchange_rates.csv", "from_currency,to_currency,effective_date,rate\n"
                                     "EUR,USD,2026-01-01,1.08\n"
                                     "EUR,USD,2026-01-01,1.09\n");
    import_dir(s, NULL, &r);
    expect_problem(&r, 0, "exchange_rates.csv:3",
                   "duplicate key: exchange_rates key 'EUR|USD|2026-01-01' is already in this "
                   "import at exchange_rates.csv:2");
    at_import_result_free(&r.result);
    char rates[800];
    snprintf(rates, sizeof rates, "%s/exchange_rates.csv", dir);
    remove(rates);
    /* a dry run checks and writes nothing */
    at_import_options opts = {.dry_run = true};
    import_dir(s, &opts, &r);
    assert_int_equal(r.code, AT_OK);
    assert_false(r.result.committed);
    assert_int_equal(tally(&r, &at_entity_teams)->inserted, 1);
    assert_int_equal(count(s, &at_entity_teams), 0);
    at_import_result_free(&r.result);
    at_store_close(s);
}

static void which_files_are_read(void **state)
{
    (void)state;
    write_file("teams.csv", "id,name,function\nT-1,One,ae\n"); /* parent_id may be left out */
    write_file("notes.csv", "a,b\n1,2\n");
    write_file("README", "not csv\n");
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    assert_int_equal(r.result.note_count, 1);
    assert_non_null(strstr(r.result.notes[0], "notes.csv is not the file of an attain entity"));
    at_import_result_free(&r.result);
    /* a file named on the command line must be an entity's */
    char path[800];
    snprintf(path, sizeof path, "%s/notes.csv", dir);
    const char *paths[] = {path};
    import_paths(s, paths, 1, NULL, &r);
    assert_int_equal(r.code, AT_ERR_USAGE);
    assert_non_null(strstr(r.err.message, "notes.csv is not the name of an attain file"));
    assert_non_null(strstr(r.err.hint, "people.csv"));
    at_import_result_free(&r.result);
    snprintf(path, sizeof path, "%s/missing.csv", dir);
    import_paths(s, paths, 1, NULL, &r);
    assert_int_equal(r.code, AT_ERR_IO);
    at_import_result_free(&r.result);
    at_store_close(s);
}

static void header_problems(void **state)
{
    (void)state;
    write_file("teams.csv", "id,name,parent_id,colour\nT-1,One,,red\n");
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_ERR_INVALID);
    assert_int_equal(r.result.errors.total, 2);
    expect_problem(&r, 0, "teams.csv:1 (column 4)", "unknown column 'colour' in teams.csv");
    expect_problem(&r, 1, "teams.csv:1", "missing required column 'function'");
    assert_non_null(strstr(r.result.errors.items[1].hint,
                           "id*, name*, function*, parent_id"));
    at_import_result_free(&r.result);
    at_store_close(s);
}

static void mapped_files_distinct_rows_and_footers(void **state)
{
    (void)state;
    /* a report export: a footer after a short row; two agents under one manager */
    write_file("team.csv", "\"Agent\",\"Manager\",\"Office\"\n"
                           "\"Ann\",\"Max\",\"West\"\n"
                           "\"Bob\",\"Max\",\"West\"\n"
                           "\"Cy\",\"Mia\",\"East\"\n"
                           "\"\"\n"
                           "\"Copyright (c) 2000-2024 salesforce.com, inc.\"\n");
    const char *yaml = "version: 1\n"
                       "rows:\n"
                       "  teams: [{id: T, name: Sales, function: ae}]\n"
                       "files:\n"
                       "  - file: team.csv\n"
                       "    end_at_short_row: true\n"
                       "    feeds:\n"
                       "      - entity: people\n"
                       "        distinct: true\n"
                       "        columns:\n"
                       "          id: Manager\n"
                       "          name: Manager\n"
                       "          role: {value: manager}\n"
                       "          team_id: {value: T}\n"
                       "          location: Office\n"
                       "          pay_currency: {value: USD}\n"
                       "      - entity: people\n"
                       "        columns:\n"
                       "          id: Agent\n"
                       "          name: {template: \"{Agent} ({Office})\"}\n"
                       "          role: {value: rep}\n"
                       "          pay_currency: {value: USD}\n";
    at_mapping *m;
    at_error err;
    assert_int_equal(at_mapping_parse(yaml, strlen(yaml), "t.yaml", &m, &err), AT_OK);
    at_store *s = open_store();
    run r;
    at_import_options opts = {.mapping = m};
    import_dir(s, &opts, &r);
    if (r.code != AT_OK)
        fail_msg("%s / %s", r.err.message,
                 r.result.errors.count ? r.result.errors.items[0].message : "");
    const at_import_tally *t = tally(&r, &at_entity_people);
    assert_int_equal(t->inserted, 5); /* Max, Mia; Ann, Bob, Cy */
    assert_int_equal(t->dropped, 1);  /* Max's second row */
    assert_int_equal(tally(&r, &at_entity_teams)->inserted, 1);
    at_import_result_free(&r.result);

    /* a distinct feed whose rows for one key differ is a problem */
    write_file("team.csv", "Agent,Manager,Office\nAnn,Max,West\nBob,Max,East\n");
    import_dir(s, &opts, &r);
    assert_int_equal(r.code, AT_ERR_INVALID);
    expect_problem(&r, 0, "team.csv:3:5 (column Manager -> people.id; t.yaml:11:15)",
                   "duplicate key: people id 'Max' is already in this import at team.csv:2");
    assert_non_null(strstr(r.result.errors.items[0].hint, "the feed is distinct"));
    at_import_result_free(&r.result);

    at_mapping_free(m);
    at_store_close(s);
}

static void a_mapping_names_its_files(void **state)
{
    (void)state;
    const char *yaml = "version: 1\n"
                       "files:\n"
                       "  - file: deals.csv\n"
                       "    feeds: [{entity: teams}]\n";
    at_mapping *m;
    at_error err;
    assert_int_equal(at_mapping_parse(yaml, strlen(yaml), "t.yaml", &m, &err), AT_OK);
    at_store *s = open_store();
    at_import_options opts = {.mapping = m};
    run r;
    import_dir(s, &opts, &r);
    assert_int_equal(r.code, AT_ERR_IO);
    assert_string_equal(r.err.where, "t.yaml:3:5");
    assert_non_null(strstr(r.err.message, "reads deals.csv, which is not among the files given"));
    at_import_result_free(&r.result);
    /* a canonical feed of a mapped file; an extra file given by name is refused */
    write_file("deals.csv", "id,name,function\nT-1,One,ae\n");
    write_file("teams.csv", "id,name,function\nT-2,Two,ae\n");
    char path[800], extra[800];
    snprintf(path, sizeof path, "%s/deals.csv", dir);
    snprintf(extra, sizeof extra, "%s/teams.csv", dir);
    const char *paths[] = {path, extra};
    import_paths(s, paths, 2, &opts, &r);
    assert_int_equal(r.code, AT_ERR_USAGE);
    assert_non_null(strstr(r.err.message, "the mapping t.yaml does not read teams.csv"));
    at_import_result_free(&r.result);
    import_paths(s, paths, 1, &opts, &r);
    assert_int_equal(r.code, AT_OK);
    assert_int_equal(tally(&r, &at_entity_teams)->inserted, 1);
    at_import_result_free(&r.result);
    at_mapping_free(m);
    at_store_close(s);
}

static void exports_read_back_unchanged(void **state)
{
    (void)state;
    write_file("teams.csv", teams_csv);
    at_store *s = open_store();
    run r;
    import_dir(s, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    at_import_result_free(&r.result);
    char out[800];
    snprintf(out, sizeof out, "%s/../export", dir);
    at_export_result x;
    at_error err;
    assert_int_equal(at_export_run(s, out, &x, &err), AT_OK);
    assert_int_equal(x.counts[2].rows, 3); /* teams: settings, exchange_rates, teams */
    at_export_result_free(&x);
    char path[900];
    snprintf(path, sizeof path, "%s/teams.csv", out);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    assert_string_equal(buf, "id,name,function,parent_id\n"
                             "T-1,One,sales_management,\n"
                             "T-2,Two,ae,T-1\n"
                             "T-3,Three,ae,T-2\n");
    /* the export is a directory attain import reads */
    const char *paths[] = {out};
    import_paths(s, paths, 1, NULL, &r);
    assert_int_equal(r.code, AT_OK);
    assert_int_equal(tally(&r, &at_entity_teams)->unchanged, 3);
    at_import_result_free(&r.result);
    at_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(later_rows_of_the_same_entity_are_waited_for, setup),
        cmocka_unit_test_setup(loops_and_missing_parents_are_reported_once, setup),
        cmocka_unit_test_setup(all_or_nothing_and_upsert_counts, setup),
        cmocka_unit_test_setup(cancellations_are_checked_against_the_database, setup),
        cmocka_unit_test_setup(split_shares_are_checked_per_transaction, setup),
        cmocka_unit_test_setup(leads_are_checked_against_opportunities_at_the_end, setup),
        cmocka_unit_test_setup(updates_are_audited_with_before_and_after, setup),
        cmocka_unit_test_setup(duplicate_keys_and_dry_runs, setup),
        cmocka_unit_test_setup(which_files_are_read, setup),
        cmocka_unit_test_setup(header_problems, setup),
        cmocka_unit_test_setup(mapped_files_distinct_rows_and_footers, setup),
        cmocka_unit_test_setup(a_mapping_names_its_files, setup),
        cmocka_unit_test_setup(exports_read_back_unchanged, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
