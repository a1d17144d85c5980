/* test_pay_store_util.h - what the pay store's tests share: a small company written as CSV
 * files and imported with the importer (so the tests read what `attain import` writes), and
 * plan versions saved for it. The company, fiscal years starting in February (FY2026 =
 * 2025-02-01 .. 2026-01-31, so fiscal month 2026-02 is March 2025):
 *   people (internal ids 1..6 in file order): P-VP (USD), P-M1 (USD) reporting to P-VP,
 *     P-R1 (EUR, hired 2025-03-15) reporting to P-M1 from her hire, P-R2 (GBP, left
 *     2025-06-30) reporting to P-M1 until then, P-O1 (USD, overlay), P-X (USD) reporting to
 *     P-VP;
 *   transactions (internal ids 1..7 in file order): TX-01 booking 2025-01-20 (before the range
 *     the tests load), TX-02 .. TX-05 in March..May 2025, TX-06 after, TX-07 a cancellation of
 *     TX-02, TX-04 a cancellation of TX-01. */
#ifndef ATTAIN_TEST_PAY_STORE_UTIL_H
#define ATTAIN_TEST_PAY_STORE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "store/pay_store.h"
#include "test_store_util.h"

static const char *const PAY_COMPANY[][2] = {
    {"settings.csv", "key,value\nbase_currency,USD\nfiscal_year_start_month,2\n"},
    {"exchange_rates.csv", "from_currency,to_currency,effective_date,rate\n"
                           "EUR,USD,2025-01-01,1.08\nGBP,USD,2025-01-01,1.25\n"},
    {"teams.csv", "id,name,function\nT-1,Sales,ae\n"},
    {"people.csv", "id,name,role,team_id,hire_date,exit_date,pay_currency\n"
                   "P-VP,Vera Vp,vp,T-1,2020-01-01,,USD\n"
                   "P-M1,Max Manager,manager,T-1,2021-01-01,,USD\n"
                   "P-R1,Rita Rep,rep,T-1,2025-03-15,,EUR\n"
                   "P-R2,Raj Rep,rep,T-1,,2025-06-30,GBP\n"
                   "P-O1,Olga Overlay,rep,T-1,,,USD\n"
                   "P-X,Xavier Other,rep,T-1,,,USD\n"},
    {"reporting_lines.csv", "person_id,manager_id,start_date,end_date\n"
                            "P-M1,P-VP,,\n"
                            "P-R1,P-M1,2025-03-15,\n"
                            "P-R2,P-M1,,2025-06-30\n"
                            "P-X,P-VP,,\n"},
    {"employment_events.csv", "id,person_id,type,date\n"
                              "E-1,P-R1,hire,2025-03-15\n"
                              "E-2,P-R1,leave_start,2025-04-01\n"
                              "E-3,P-R1,leave_end,2025-04-10\n"
                              "E-4,P-R1,leave_start,2025-05-01\n"
                              "E-5,P-X,leave_end,2025-05-01\n"},
    {"territories.csv", "id,name\nTER-1,West\nTER-2,East\n"},
    {"accounts.csv", "id,name\nA-1,Acme\nA-2,Beta\nA-3,Gamma\n"},
    {"territory_accounts.csv", "territory_id,account_id,start_date,end_date\n"
                               "TER-1,A-1,2025-01-01,\n"
                               "TER-2,A-2,2025-01-01,2025-12-31\n"},
    {"territory_people.csv", "territory_id,person_id,role,start_date,end_date\n"
                             "TER-1,P-O1,overlay,2025-01-01,\n"
                             "TER-2,P-X,owner,2025-01-01,\n"},
    {"products.csv", "id,name,family,list_price,currency\n"
                     "PR-1,Pro,GTX,100,USD\nPR-2,Lite,GTX,50,USD\nPR-3,Care,SVC,10,EUR\n"},
    {"transactions.csv",
     "id,type,date,amount,currency,margin,quantity,account_id,product_id,owner_id,original_id\n"
     "TX-01,booking,2025-01-20,1000,USD,,,A-1,PR-1,P-R2,\n"
     "TX-02,booking,2025-03-20,2000.50,EUR,800.25,3,A-1,PR-3,P-R1,\n"
     "TX-03,booking,2025-04-05,300,GBP,,,A-2,,P-R2,\n"
     "TX-04,cancellation,2025-04-10,-500,USD,,,A-1,PR-1,P-R2,TX-01\n"
     "TX-05,invoice,2025-05-31,700,USD,100,1,A-3,PR-2,P-X,\n"
     "TX-06,payment,2025-06-01,50,USD,,,A-3,,P-X,\n"
     "TX-07,cancellation,2025-04-20,-100,EUR,,,A-1,PR-3,P-R1,TX-02\n"},
    {"transaction_people.csv", "transaction_id,person_id,role,share\n"
                               "TX-02,P-R2,split,0.25\n"
                               "TX-02,P-O1,overlay,1\n"
                               "TX-01,P-M1,manager,0.5\n"
                               "TX-06,P-R1,split,0.5\n"},
    {"quotas.csv", "id,person_id,territory_id,measure,period,amount,currency\n"
                   "Q-1,P-R1,,bookings,2026-Q1,10000,EUR\n"
                   "Q-2,P-R1,,new_logos,2026-02,3,\n"
                   "Q-3,,TER-1,bookings,2026-Q1,50000,USD\n"},
    {"metrics.csv", "person_id,metric,period,value\n"
                    "P-R1,avg_margin,2026-Q1,35%\n"
                    "P-R2,deal_size,2026-02,48210.5\n"},
    {"plan_assignments.csv", "id,person_id,plan,start_date,end_date,target_incentive,currency\n"
                             "PA-1,P-R1,AE 2026,2025-03-15,,60000,EUR\n"
                             "PA-2,P-R2,AE 2026,2025-02-01,2025-06-30,,\n"
                             "PA-3,P-X,SDR 2026,2025-02-01,,,\n"},
    {"activities.csv", "id,type,occurred_at,person_id,meaningful\n"
                       "ACT-1,meeting,2025-03-02T10:00:00Z,P-R1,true\n"
                       "ACT-2,call,2025-02-28T23:59:59Z,P-R1,false\n"
                       "ACT-3,conversation,2025-05-31T23:59:59Z,P-X,true\n"},
};

#define PAY_SHA1 "1111111111111111111111111111111111111111111111111111111111111111"
#define PAY_SHA2 "2222222222222222222222222222222222222222222222222222222222222222"
#define PAY_SHA3 "3333333333333333333333333333333333333333333333333333333333333333"

static inline at_day pay_day(int y, int m, int d)
{
    return at_day_from_ymd(y, m, d);
}

/* Writes the company's files into a fresh directory under $ATTAIN_TEST_TMP, imports them into
 * a new database and saves plan versions AE 2026 v1, v2 and Other 2026 v1 (no one is on it).
 * *path is the database (free() it, util_remove_db). */
static inline at_store *pay_company(char **path)
{
    char *dir = util_db_path("company");
    util_mkdirs(dir);
    for (size_t i = 0; i < sizeof PAY_COMPANY / sizeof PAY_COMPANY[0]; i++) {
        char file[1200];
        snprintf(file, sizeof file, "%s/%s", dir, PAY_COMPANY[i][0]);
        FILE *fp = fopen(file, "w");
        if (!fp)
            abort();
        fputs(PAY_COMPANY[i][1], fp);
        fclose(fp);
    }
    *path = util_db_path("pay");
    at_store_options opt = {.create = true};
    at_store *s = NULL;
    at_error err;
    if (at_store_open(*path, &opt, &s, &err) != AT_OK) {
        fprintf(stderr, "open: %s\n", err.message);
        abort();
    }
    at_import_result result;
    at_import_result_init(&result);
    const char *paths[] = {dir};
    at_import_options io = {.actor = "test"};
    at_code rc = at_import_run(s, paths, 1, &io, &result, &err);
    if (rc != AT_OK) {
        for (size_t i = 0; i < result.errors.count; i++)
            fprintf(stderr, "%s: %s\n", result.errors.items[i].where,
                    result.errors.items[i].message);
        fprintf(stderr, "import: %s\n", err.message);
        abort();
    }
    at_import_result_free(&result);
    for (size_t i = 0; i < sizeof PAY_COMPANY / sizeof PAY_COMPANY[0]; i++) {
        char file[1200];
        snprintf(file, sizeof file, "%s/%s", dir, PAY_COMPANY[i][0]);
        remove(file);
    }
    remove(dir);
    free(dir);
    int version;
    bool unchanged;
    if (at_store_plan_save(s, "AE 2026", "v1", 2, PAY_SHA1, pay_day(2025, 2, 1), AT_DAY_MAX,
                           "ops", NULL, &version, &unchanged, &err) != AT_OK ||
        at_store_plan_save(s, "AE 2026", "v2", 2, PAY_SHA2, pay_day(2025, 5, 1), AT_DAY_MAX,
                           "ops", NULL, &version, &unchanged, &err) != AT_OK ||
        at_store_plan_save(s, "Other 2026", "o", 1, PAY_SHA3, AT_DAY_MIN, AT_DAY_MAX, "ops",
                           NULL, &version, &unchanged, &err) != AT_OK) {
        fprintf(stderr, "plans: %s\n", err.message);
        abort();
    }
    return s;
}

/* The dense index of the person with this external id in the input, or -1. */
static inline int32_t pay_person(const at_calc_input *in, const char *id)
{
    for (size_t i = 0; i < in->person_count; i++)
        if (strcmp(in->people[i].id, id) == 0)
            return (int32_t)i;
    return -1;
}

/* The dense index of the transaction with this external id, or -1. */
static inline int32_t pay_tx(const at_calc_input *in, const char *id)
{
    for (size_t i = 0; i < in->transactions.count; i++)
        if (strcmp(in->transactions.id[i], id) == 0)
            return (int32_t)i;
    return -1;
}

#endif
