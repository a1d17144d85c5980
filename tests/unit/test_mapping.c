/* test_mapping.c - mapping files: loading (every feature, and an error with the mapping's
 * line:column for each way of getting one wrong), binding to a source header, and applying a
 * feed to records (from, template, value, value maps with unmapped policies, conversions,
 * defaults, where conditions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "import/mapping.h"
#include "model/fields.h"

/* a mapping up to the keys of one feed of teams (they start on line 6) */
#define FEED_HEAD "version: 1\nfiles:\n  - file: t.csv\n    feeds:\n      - entity: teams\n"

static at_mapping *load_ok(const char *yaml)
{
    at_mapping *m = NULL;
    at_error err;
    if (at_mapping_parse(yaml, strlen(yaml), "test.yaml", &m, &err) != AT_OK)
        fail_msg("%s: %s (hint: %s)", err.where, err.message, err.hint);
    return m;
}

static void load_fails(const char *yaml, at_code code, const char *where, const char *part)
{
    at_mapping *m = NULL;
    at_error err;
    at_code got = at_mapping_parse(yaml, strlen(yaml), "test.yaml", &m, &err);
    assert_null(m);
    if (got != code)
        fail_msg("expected code %d, got %d: %s: %s", code, got, err.where, err.message);
    if (strcmp(err.where, where) != 0)
        fail_msg("where '%s', expected '%s' (message: %s)", err.where, where, err.message);
    if (!strstr(err.message, part))
        fail_msg("message '%s' lacks '%s'", err.message, part);
    assert_true(err.hint[0] != '\0');
}

/* ---- a whole mapping ---------------------------------------------------------------------- */

static const char *full_mapping =
    "version: 1\n"                                              /* 1 */
    "name: test CRM\n"                                          /* 2 */
    "maps:\n"                                                   /* 3 */
    "  stage:\n"                                                /* 4 */
    "    Closed Won: won\n"                                     /* 5 */
    "    Closed Lost: lost\n"                                   /* 6 */
    "    Prospecting: prospecting\n"                            /* 7 */
    "files:\n"                                                  /* 8 */
    "  - file: deals.csv\n"                                     /* 9 */
    "    delimiter: \";\"\n"                                    /* 10 */
    "    end_at_short_row: true\n"                              /* 11 */
    "    feeds:\n"                                              /* 12 */
    "      - entity: opportunities\n"                           /* 13 */
    "        where:\n"                                          /* 14 */
    "          Stage: {not: Junk}\n"                            /* 15 */
    "        columns:\n"                                        /* 16 */
    "          id: Deal ID\n"                                   /* 17 */
    "          name: {template: \"{Account} - {Deal ID} {{x}}\"}\n" /* 18 */
    "          owner_id: {from: Owner, map: {Ann Lee: P-1}, unmapped: keep}\n" /* 19 */
    "          stage_id: {from: Stage, map: stage}\n"           /* 20 */
    "          status: {from: Stage, map: {Closed Won: won, Closed Lost: lost}, unmapped: "
    "empty, default: open}\n"                                   /* 21 */
    "          amount: {from: Amount, convert: money}\n"        /* 22 */
    "          currency: {value: USD}\n"                        /* 23 */
    "          closed_on: {from: Close, convert: [trim, {date: M/D/YYYY}]}\n" /* 24 */
    "          forecast_category: {value: pipeline}\n"          /* 25 */
    "      - entity: transactions\n"                            /* 26 */
    "        distinct: true\n"                                  /* 27 */
    "        where: {Stage: Closed Won, Amount: {empty: false}}\n" /* 28 */
    "        columns:\n"                                        /* 29 */
    "          id: {template: \"B-{Deal ID}\"}\n"               /* 30 */
    "          type: {value: booking}\n"                        /* 31 */
    "          date: {from: Close, convert: {date: M/D/YYYY}}\n" /* 32 */
    "          amount: {from: Amount, convert: [money, {scale: 0.5}]}\n" /* 33 */
    "          currency: {value: USD}\n"                        /* 34 */
    "          owner_id: Owner\n"                               /* 35 */
    "  - file: people.csv\n"                                    /* 36 */
    "    optional: yes\n"                                       /* 37 */
    "    feeds:\n"                                              /* 38 */
    "      - entity: people\n"                                  /* 39 */
    "rows:\n"                                                   /* 40 */
    "  stages:\n"                                               /* 41 */
    "    - {id: won, name: Won, position: 3, outcome: won}\n"   /* 42 */
    "    - id: lost\n"                                          /* 43 */
    "      name: Lost\n"                                        /* 44 */
    "      position: ~\n";                                      /* 45 */

static void loads_every_feature(void **state)
{
    (void)state;
    at_mapping *m = load_ok(full_mapping);
    assert_string_equal(m->name, "test.yaml");
    assert_int_equal(m->map_count, 1);
    assert_string_equal(m->maps[0].name, "stage");
    assert_int_equal(m->maps[0].count, 3);
    assert_int_equal(m->file_count, 2);
    const at_map_file *deals = at_mapping_find_file(m, "deals.csv");
    assert_non_null(deals);
    assert_null(at_mapping_find_file(m, "other.csv"));
    assert_int_equal(deals->delimiter, ';');
    assert_true(deals->end_at_short_row);
    assert_false(deals->optional);
    assert_int_equal(deals->feed_count, 2);
    const at_map_feed *opp = &deals->feeds[0];
    assert_ptr_equal(opp->entity, &at_entity_opportunities);
    assert_false(opp->canonical);
    assert_int_equal(opp->column_count, 9);
    assert_int_equal(opp->where_count, 1);
    assert_int_equal(opp->where[0].test, AT_WHERE_NOT_IN);
    const at_map_column *name = &opp->columns[opp->by_field[AT_OPPORTUNITIES_NAME]];
    assert_int_equal(name->source, AT_MAP_TEMPLATE);
    assert_int_equal(name->place.line, 18);
    assert_int_equal(name->place.column, 17);
    assert_int_equal(name->part_count, 4); /* {Account}, " - ", {Deal ID}, " {x}" */
    assert_int_equal(opp->by_field[AT_OPPORTUNITIES_LEAD_ID], -1);
    const at_map_feed *tx = &deals->feeds[1];
    assert_true(tx->distinct);
    assert_int_equal(tx->where_count, 2);
    assert_int_equal(tx->where[1].test, AT_WHERE_NOT_EMPTY);
    const at_map_file *people = at_mapping_find_file(m, "people.csv");
    assert_true(people->optional);
    assert_true(people->feeds[0].canonical);
    assert_int_equal(m->row_group_count, 1);
    assert_ptr_equal(m->rows[0].entity, &at_entity_stages);
    assert_int_equal(m->rows[0].row_count, 2);
    assert_true(at_str_eq_cstr(m->rows[0].rows[0].texts[AT_STAGES_POSITION], "3"));
    assert_int_equal(m->rows[0].rows[1].texts[AT_STAGES_POSITION].len, 0); /* ~ is empty */
    char where[256];
    at_map_inline_where(m, &m->rows[0], 0, AT_STAGES_POSITION, where, sizeof where);
    assert_string_equal(where, "test.yaml:42:38 (rows.stages[1].position)");
    at_map_inline_where(m, &m->rows[0], 1, AT_STAGES_POSITION, where, sizeof where);
    assert_string_equal(where, "test.yaml:43:7 (rows.stages[2].position)");
    at_mapping_free(m);
}

/* ---- applying ----------------------------------------------------------------------------- */

static const char *deals_csv =
    "Deal ID;Account;Owner;Stage;Amount;Close;Unused\n"
    "D1;Acme;Ann Lee;Closed Won;$1,000.50; 3/14/2024 ;x\n"
    "D2;Beta;Bob Roy;Prospecting;;;x\n"
    "D3;Gamma;Bob Roy;Junk;;;x\n"
    "D4;Delta;Bob Roy;Stalled;;;x\n"
    "D5;Eps;Bob Roy;Closed Lost;12,34;;x\n";

typedef struct fixture {
    at_mapping *m;
    at_csv_reader *r;
    at_arena arena;
    at_str texts[32];
} fixture;

static void open_deals(fixture *f)
{
    f->m = load_ok(full_mapping);
    at_arena_init(&f->arena, 0);
    at_csv_options opts = {.delimiter = ';'};
    at_error err;
    assert_int_equal(at_csv_open_memory(&f->r, deals_csv, strlen(deals_csv), "deals.csv", &opts,
                                        &err),
                     AT_OK);
    assert_int_equal(at_csv_read_header(f->r, &err), AT_OK);
    at_map_file *deals = &f->m->files[0];
    for (size_t i = 0; i < deals->feed_count; i++)
        if (at_map_feed_bind(f->m, &deals->feeds[i], f->r, &err) != AT_OK)
            fail_msg("%s: %s", err.where, err.message);
}

static void close_deals(fixture *f)
{
    at_csv_close(f->r);
    at_mapping_free(f->m);
    at_arena_free(&f->arena);
}

static const at_csv_record *next(fixture *f)
{
    const at_csv_record *rec;
    at_error err;
    assert_int_equal(at_csv_next(f->r, &rec, &err), AT_OK);
    assert_non_null(rec);
    return rec;
}

static bool text_is(at_str s, const char *expected)
{
    if (!at_str_eq_cstr(s, expected)) {
        print_error("got '%.*s', expected '%s'\n", (int)s.len, s.ptr, expected);
        return false;
    }
    return true;
}

static void applies_columns_maps_conversions_and_filters(void **state)
{
    (void)state;
    fixture f;
    open_deals(&f);
    const at_map_feed *opp = &f.m->files[0].feeds[0], *tx = &f.m->files[0].feeds[1];
    assert_int_equal(opp->max_index, 5);
    at_error err;
    bool keep;

    /* D1: every column of the opportunity, and the booking */
    const at_csv_record *rec = next(&f);
    assert_int_equal(at_map_feed_apply(f.m, opp, f.r, rec, &f.arena, f.texts, &keep, &err), AT_OK);
    assert_true(keep);
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_ID], "D1"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_NAME], "Acme - D1 {x}"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_OWNER_ID], "P-1"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_STAGE_ID], "won"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_STATUS], "won"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_AMOUNT], "1000.50"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_CURRENCY], "USD"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_CLOSED_ON], "2024-03-14"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_LEAD_ID], ""));
    assert_int_equal(at_map_feed_apply(f.m, tx, f.r, rec, &f.arena, f.texts, &keep, &err), AT_OK);
    assert_true(keep);
    assert_true(text_is(f.texts[AT_TRANSACTIONS_ID], "B-D1"));
    assert_true(text_is(f.texts[AT_TRANSACTIONS_AMOUNT], "500.25"));
    assert_true(text_is(f.texts[AT_TRANSACTIONS_OWNER_ID], "Ann Lee")); /* no map here */

    /* D2: unmapped keep passes Bob Roy through, unmapped empty + default gives open; the
     * booking's where drops it */
    rec = next(&f);
    assert_int_equal(at_map_feed_apply(f.m, opp, f.r, rec, &f.arena, f.texts, &keep, &err), AT_OK);
    assert_true(keep);
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_OWNER_ID], "Bob Roy"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_STAGE_ID], "prospecting"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_STATUS], "open"));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_AMOUNT], ""));
    assert_true(text_is(f.texts[AT_OPPORTUNITIES_CLOSED_ON], ""));
    assert_int_equal(at_map_feed_apply(f.m, tx, f.r, rec, &f.arena, f.texts, &keep, &err), AT_OK);
    assert_false(keep);

    /* D3: where {not: Junk} drops it */
    rec = next(&f);
    assert_int_equal(at_map_feed_apply(f.m, opp, f.r, rec, &f.arena, f.texts, &keep, &err), AT_OK);
    assert_false(keep);

    /* D4: a stage missing from the named map (unmapped: error by default) */
    rec = next(&f);
    assert_int_equal(at_map_feed_apply(f.m, opp, f.r, rec, &f.arena, f.texts, &keep, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where,
                        "deals.csv:5:18 (column Stage -> opportunities.stage_id; test.yaml:20:21)");
    assert_string_equal(err.message, "'Stalled' is not in the value map stage");
    assert_non_null(strstr(err.hint, "add it to the map 'stage' (test.yaml:4)"));

    /* D5: a conversion that fails names the source column and the mapping */
    rec = next(&f);
    assert_int_equal(at_map_feed_apply(f.m, opp, f.r, rec, &f.arena, f.texts, &keep, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where,
                        "deals.csv:6:28 (column Amount -> opportunities.amount; test.yaml:22:19)");
    assert_string_equal(err.message, "'12,34' is not a money amount");

    char where[256];
    at_map_feed_where(f.m, opp, f.r, AT_OPPORTUNITIES_NAME, where, sizeof where);
    assert_string_equal(where, "deals.csv:6 (opportunities.name from template "
                               "'{Account} - {Deal ID} {{x}}'; test.yaml:18:17)");
    at_map_feed_where(f.m, opp, f.r, AT_OPPORTUNITIES_CURRENCY, where, sizeof where);
    assert_string_equal(where, "deals.csv:6 (opportunities.currency = 'USD'; test.yaml:23:21)");
    at_map_feed_where(f.m, opp, f.r, AT_OPPORTUNITIES_LEAD_ID, where, sizeof where);
    assert_string_equal(where, "deals.csv:6 (opportunities.lead_id: not mapped)");
    close_deals(&f);
}

static void binding_names_the_missing_column(void **state)
{
    (void)state;
    at_mapping *m = load_ok("version: 1\n"
                            "files:\n"
                            "  - file: x.csv\n"
                            "    feeds:\n"
                            "      - entity: teams\n"
                            "        columns:\n"
                            "          id: Team\n"
                            "          name: {template: \"{Team} ({Regoin})\"}\n"
                            "          function: {value: ae}\n");
    at_csv_reader *r;
    at_error err;
    const char *csv = "Team,Region\nT1,West\n";
    assert_int_equal(at_csv_open_memory(&r, csv, strlen(csv), "x.csv", NULL, &err), AT_OK);
    assert_int_equal(at_csv_read_header(r, &err), AT_OK);
    assert_int_equal(at_map_feed_bind(m, &m->files[0].feeds[0], r, &err), AT_ERR_NOT_FOUND);
    assert_string_equal(err.where, "test.yaml:8:17");
    assert_string_equal(err.message, "teams.name: x.csv has no column 'Regoin'");
    assert_non_null(strstr(err.hint, "Region")); /* the hint lists the header */
    at_csv_close(r);
    at_mapping_free(m);
}

static void a_column_can_be_filled_on_some_rows_only(void **state)
{
    (void)state;
    at_mapping *m = load_ok("version: 1\n"
                            "files:\n"
                            "  - file: d.csv\n"
                            "    feeds:\n"
                            "      - entity: teams\n"
                            "        columns:\n"
                            "          id: Id\n"
                            "          name: {from: Name, where: {Kind: [a, b]}, default: none}\n"
                            "          function: {value: ae, where: {Kind: {empty: true}}}\n");
    at_csv_reader *r;
    at_error err;
    const char *csv = "Id,Name,Kind\nT1,One,a\nT2,Two,c\nT3,Three,\n";
    assert_int_equal(at_csv_open_memory(&r, csv, strlen(csv), "d.csv", NULL, &err), AT_OK);
    assert_int_equal(at_csv_read_header(r, &err), AT_OK);
    at_map_feed *feed = &m->files[0].feeds[0];
    assert_int_equal(at_map_feed_bind(m, feed, r, &err), AT_OK);
    assert_int_equal(feed->max_index, 2);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_str texts[8];
    bool keep;
    const char *names[] = {"One", "none", "none"}, *functions[] = {"", "", "ae"};
    for (int i = 0; i < 3; i++) {
        const at_csv_record *rec;
        assert_int_equal(at_csv_next(r, &rec, &err), AT_OK);
        assert_int_equal(at_map_feed_apply(m, feed, r, rec, &arena, texts, &keep, &err), AT_OK);
        assert_true(keep);
        assert_true(text_is(texts[AT_TEAMS_NAME], names[i]));
        assert_true(text_is(texts[AT_TEAMS_FUNCTION], functions[i]));
    }
    at_arena_free(&arena);
    at_csv_close(r);
    at_mapping_free(m);
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, where: {x: {is: 1}}}}\n",
               AT_ERR_INVALID, "test.yaml:6:67", "unknown key 'is' in a condition");
}

/* ---- errors while loading ----------------------------------------------------------------- */

/* line 6 starts the feed's own keys */

static void yaml_and_top_level_errors(void **state)
{
    (void)state;
    load_fails("version: 1\nfiles: [\n", AT_ERR_INVALID, "test.yaml:3:1", "YAML:");
    load_fails("", AT_ERR_INVALID, "test.yaml:1:1", "the mapping is empty");
    load_fails("- a\n", AT_ERR_INVALID, "test.yaml:1:1", "the mapping must be a mapping");
    load_fails("files: []\n", AT_ERR_INVALID, "test.yaml:1:1", "does not say its version");
    load_fails("version: 2\nfiles: []\n", AT_ERR_INVALID, "test.yaml:1:10",
               "unsupported mapping version");
    load_fails("version: 1\nfilez: []\n", AT_ERR_INVALID, "test.yaml:2:1",
               "unknown key 'filez' in the mapping");
    load_fails("version: 1\n", AT_ERR_INVALID, "test.yaml:1:1", "neither files nor rows");
    load_fails("version: 1\nversion: 1\nfiles: []\n", AT_ERR_INVALID, "test.yaml:2:1",
               "'version' is given twice in the mapping (first at line 1)");
    load_fails("version: 1\nfiles: {a: b}\n", AT_ERR_INVALID, "test.yaml:2:8",
               "files must be a list, not a mapping");
}

static void file_entry_errors(void **state)
{
    (void)state;
    load_fails("version: 1\nfiles:\n  - feeds: []\n", AT_ERR_INVALID, "test.yaml:3:5",
               "does not name its file");
    load_fails("version: 1\nfiles:\n  - file: data/t.csv\n    feeds: []\n", AT_ERR_INVALID,
               "test.yaml:3:11", "without a directory");
    load_fails("version: 1\nfiles:\n  - file: t.csv\n", AT_ERR_INVALID, "test.yaml:3:5",
               "has no feeds");
    load_fails("version: 1\nfiles:\n  - file: t.csv\n    feeds: []\n", AT_ERR_INVALID,
               "test.yaml:4:12", "feeds nothing");
    load_fails("version: 1\nfiles:\n  - file: t.csv\n    delimiter: ';;'\n    feeds: [{entity: "
               "people}]\n",
               AT_ERR_INVALID, "test.yaml:4:16", "delimiter must be one character");
    load_fails("version: 1\nfiles:\n  - file: t.csv\n    optional: maybe\n    feeds: [{entity: "
               "people}]\n",
               AT_ERR_INVALID, "test.yaml:4:15", "optional must be true or false");
    load_fails("version: 1\nfiles:\n  - file: t.csv\n    feeds: [{entity: people}]\n"
               "  - file: t.csv\n    feeds: [{entity: teams}]\n",
               AT_ERR_INVALID, "test.yaml:5:5", "t.csv has two entries (the first at line 3)");
}

static void feed_and_column_errors(void **state)
{
    (void)state;
    load_fails(FEED_HEAD "        columns: {id: a, name: b, function: c}\n      - entity: persons\n", AT_ERR_NOT_FOUND,
               "test.yaml:7:17", "unknown entity 'persons'");
    load_fails(FEED_HEAD "        colums: {}\n", AT_ERR_INVALID, "test.yaml:6:9",
               "unknown key 'colums' in a feed");
    load_fails(FEED_HEAD "        columns: {id: a, name: b, functoin: c}\n", AT_ERR_NOT_FOUND,
               "test.yaml:6:35", "teams has no column 'functoin'");
    load_fails(FEED_HEAD "        columns: {id: a, name: b}\n", AT_ERR_INVALID, "test.yaml:6:18",
               "does not fill the required column function");
    load_fails(FEED_HEAD "        columns: {id: a, name: b, function: {from: c, value: ae}}\n",
               AT_ERR_INVALID, "test.yaml:6:45", "exactly one of from, template and value");
    load_fails(FEED_HEAD "        columns: {id: a, name: b, function: {value: ae, mapp: x}}\n",
               AT_ERR_INVALID, "test.yaml:6:57", "unknown key 'mapp' in a column");
    load_fails(FEED_HEAD "        columns: {id: a, name: ~, function: {value: ae}}\n",
               AT_ERR_INVALID, "test.yaml:6:32", "column name names no source column");
    load_fails(FEED_HEAD "        distinct: sure\n", AT_ERR_INVALID, "test.yaml:6:19",
               "distinct must be true or false");
}

static void map_errors(void **state)
{
    (void)state;
    load_fails(FEED_HEAD "        columns: {id: a, name: b, function: {from: c, map: fn}}\n",
               AT_ERR_NOT_FOUND, "test.yaml:6:60", "there is no map 'fn'");
    load_fails(FEED_HEAD "        columns: {id: a, name: b, function: {from: c, unmapped: keep}}\n",
               AT_ERR_INVALID, "test.yaml:6:65", "unmapped without a map");
    load_fails(FEED_HEAD "        columns: {id: a, name: b, function: {from: c, map: {x: ae}, "
                         "unmapped: drop}}\n",
               AT_ERR_INVALID, "test.yaml:6:79", "unmapped must be error, keep or empty");
    load_fails("version: 1\nmaps:\n  fn:\n    Sales: ae\n    ~: sdr\n    '': ae\nfiles: []\n",
               AT_ERR_INVALID, "test.yaml:4:5", "the value map has '' twice");
    load_fails("version: 1\nmaps:\n  fn: [a, b]\nfiles: []\n", AT_ERR_INVALID, "test.yaml:3:7",
               "a value map must be a mapping");
    load_fails("version: 1\nmaps:\n  fn: {a: [x]}\nfiles: []\n", AT_ERR_INVALID,
               "test.yaml:3:11", "a value map's value must be a single value");
}

static void template_errors(void **state)
{
    (void)state;
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {template: \"{First\"}}\n",
               AT_ERR_INVALID, "test.yaml:6:56", "the '{' at character 1 is not closed");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {template: \"a {} b\"}}\n",
               AT_ERR_INVALID, "test.yaml:6:56", "'{}' at character 3 names no column");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {template: \"a } b\"}}\n",
               AT_ERR_INVALID, "test.yaml:6:56", "a '}' at character 3 closes nothing");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {template: \"plain\"}}\n",
               AT_ERR_INVALID, "test.yaml:6:56", "the template names no {column}");
}

static void conversion_errors(void **state)
{
    (void)state;
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: dollars}}\n",
               AT_ERR_INVALID, "test.yaml:6:64", "unknown conversion 'dollars'");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: date}}\n",
               AT_ERR_INVALID, "test.yaml:6:64", "date needs a pattern");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: {date: "
                         "M/D}}}\n",
               AT_ERR_INVALID, "test.yaml:6:71", "date pattern 'M/D': it needs a year");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: {time: "
                         "H:mm M/D/YYYY, offset: EST}}}\n",
               AT_ERR_INVALID, "test.yaml:6:94", "bad UTC offset 'EST'");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: {date: "
                         "M/D/YYYY, offset: Z}}}\n",
               AT_ERR_INVALID, "test.yaml:6:89", "offset is only for time conversions");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: {scale: "
                         "a lot}}}\n",
               AT_ERR_INVALID, "test.yaml:6:72", "bad scale factor 'a lot'");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: {money: "
                         "{decimal: \";\"}}}}\n",
               AT_ERR_INVALID, "test.yaml:6:82", "the decimal mark must be '.' or ','");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: {number: "
                         "{decimal: \".\", thousands: \".\"}}}}\n",
               AT_ERR_INVALID, "test.yaml:6:73", "are both '.'");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: {money: "
                         "{currency: usd}}}}\n",
               AT_ERR_INVALID, "test.yaml:6:83", "currency must be a 3-letter code");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: {trim: "
                         "true, lower: true}}}\n",
               AT_ERR_INVALID, "test.yaml:6:64", "one conversion per step");
    load_fails(FEED_HEAD "        columns: {id: a, function: b, name: {from: c, convert: []}}\n",
               AT_ERR_INVALID, "test.yaml:6:64", "convert is an empty list");
}

static void where_and_rows_errors(void **state)
{
    (void)state;
    load_fails(FEED_HEAD "        where: {Stage: {is: Won}}\n", AT_ERR_INVALID, "test.yaml:6:25",
               "unknown key 'is' in a condition");
    load_fails(FEED_HEAD "        where: {Stage: {not: Won, in: [a]}}\n", AT_ERR_INVALID,
               "test.yaml:6:24", "a condition has one test");
    load_fails(FEED_HEAD "        where: {Stage: {not: [a, b]}}\n", AT_ERR_INVALID,
               "test.yaml:6:30", "not takes one value");
    load_fails(FEED_HEAD "        where: {Stage: []}\n", AT_ERR_INVALID, "test.yaml:6:24",
               "the list is empty");
    load_fails("version: 1\nrows:\n  stage:\n    - {id: a}\n", AT_ERR_NOT_FOUND, "test.yaml:3:3",
               "unknown entity 'stage'");
    load_fails("version: 1\nrows:\n  stages:\n    - {id: a, place: 1}\n", AT_ERR_NOT_FOUND,
               "test.yaml:4:15", "stages has no column 'place'");
    load_fails("version: 1\nrows:\n  stages:\n    - {id: a, name: [x]}\n", AT_ERR_INVALID,
               "test.yaml:4:21", "a row's value must be a single value");
    load_fails("version: 1\nrows:\n  stages: {id: a}\n", AT_ERR_INVALID, "test.yaml:3:11",
               "an entity's rows must be a list");
}

static void loads_from_a_file_and_reports_a_missing_one(void **state)
{
    (void)state;
    const char *dir = getenv("ATTAIN_TEST_TMP");
    char path[512];
    snprintf(path, sizeof path, "%s/map.yaml", dir ? dir : "/tmp");
    if (dir) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("version: 1\nrows:\n  settings:\n    - {key: base_currency, value: USD}\n", fp);
    fclose(fp);
    at_mapping *m;
    at_error err;
    assert_int_equal(at_mapping_load(path, &m, &err), AT_OK);
    assert_string_equal(m->name, "map.yaml");
    assert_string_equal(m->path, path);
    assert_int_equal(m->rows[0].row_count, 1);
    at_mapping_free(m);
    remove(path);
    assert_int_equal(at_mapping_load(path, &m, &err), AT_ERR_IO);
    assert_null(m);
    assert_non_null(strstr(err.where, "map.yaml"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_every_feature),
        cmocka_unit_test(applies_columns_maps_conversions_and_filters),
        cmocka_unit_test(binding_names_the_missing_column),
        cmocka_unit_test(a_column_can_be_filled_on_some_rows_only),
        cmocka_unit_test(yaml_and_top_level_errors),
        cmocka_unit_test(file_entry_errors),
        cmocka_unit_test(feed_and_column_errors),
        cmocka_unit_test(map_errors),
        cmocka_unit_test(template_errors),
        cmocka_unit_test(conversion_errors),
        cmocka_unit_test(where_and_rows_errors),
        cmocka_unit_test(loads_from_a_file_and_reports_a_missing_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
