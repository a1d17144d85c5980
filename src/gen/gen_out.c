/* gen_out.c - the generator's output files: canonical headers (the column names and order of
 * docs/import.md), one buffered CSV writer per file, and field writers with a sticky error. */
#include "gen/gen_out.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>


static const char *const cols_settings[] = {"key", "value", NULL};
static const char *const cols_exchange_rates[] = {"from_currency", "to_currency",
                                                  "effective_date", "rate", NULL};
static const char *const cols_teams[] = {"id", "name", "function", "parent_id", NULL};
static const char *const cols_people[] = {"id",        "name",      "email",        "role",
                                          "team_id",   "title",     "hire_date",    "exit_date",
                                          "pay_currency", "country", "location",    NULL};
static const char *const cols_reporting_lines[] = {"person_id", "manager_id", "start_date",
                                                   "end_date", NULL};
static const char *const cols_territories[] = {"id",        "name",      "parent_id", "level",
                                               "geography", "potential", "currency",  NULL};
static const char *const cols_territory_rules[] = {"territory_id", "field", "operator", "value",
                                                   "priority", NULL};
static const char *const cols_accounts[] = {
    "id",      "name",   "industry", "employees", "revenue_band", "annual_revenue",
    "country", "region", "state",    "city",      "latitude",     "longitude",
    "potential", "currency", "parent_id", "owner_id", NULL};
static const char *const cols_territory_accounts[] = {"territory_id", "account_id", "start_date",
                                                      "end_date", NULL};
static const char *const cols_territory_people[] = {"territory_id", "person_id", "role",
                                                    "start_date", "end_date", NULL};
static const char *const cols_products[] = {"id",       "name",      "family", "list_price",
                                            "currency", "unit_cost", "active", NULL};
static const char *const cols_stages[] = {"id", "name", "position", "probability", "outcome",
                                          NULL};
static const char *const cols_leads[] = {
    "id",           "created_at",   "source",       "owner_id",          "status",
    "account_id",   "company",      "contact_name", "contact_title",     "contact_seniority",
    "converted_at", "opportunity_id", NULL};
static const char *const cols_handoffs[] = {"id",            "lead_id",     "from_person_id",
                                            "to_person_id",  "handed_off_at", "accepted_at",
                                            "status",        "reason",      NULL};
static const char *const cols_opportunities[] = {
    "id",       "name",    "account_id",        "owner_id",          "lead_id",
    "created_on", "expected_close", "closed_on", "stage_id",          "status",
    "amount",   "currency", "forecast_category", "rep_commit_amount", "close_reason", NULL};
static const char *const cols_opportunity_products[] = {"opportunity_id", "product_id",
                                                        "quantity", "unit_price", "discount",
                                                        NULL};
static const char *const cols_stage_history[] = {"id",          "opportunity_id", "changed_at",
                                                 "from_stage_id", "to_stage_id",  "amount",
                                                 "expected_close", "changed_by",  NULL};
static const char *const cols_activities[] = {
    "id",         "type",       "occurred_at",      "person_id",  "lead_id",
    "opportunity_id", "account_id", "duration_minutes", "meaningful", "contact_seniority",
    "outcome",    NULL};
static const char *const cols_scorecard_templates[] = {"id", "name", "applies_to", "active",
                                                       NULL};
static const char *const cols_scorecard_points[] = {"id",    "template_id", "stage_id",
                                                    "position", "label",    "type",
                                                    "choices", "required",  NULL};
static const char *const cols_scorecard_responses[] = {"id",          "point_id", "lead_id",
                                                       "opportunity_id", "answered_at",
                                                       "answered_by", "value",    NULL};
static const char *const cols_transactions[] = {
    "id",       "type",   "date",     "amount",         "currency",  "margin",
    "quantity", "opportunity_id", "account_id", "product_id", "owner_id", "original_id", NULL};
static const char *const cols_transaction_people[] = {"transaction_id", "person_id", "role",
                                                      "share", NULL};
static const char *const cols_quotas[] = {"id",     "person_id", "territory_id", "measure",
                                          "period", "amount",    "currency",     NULL};
static const char *const cols_metrics[] = {"person_id", "metric", "period", "value", NULL};
static const char *const cols_plan_assignments[] = {"id",       "person_id",        "plan",
                                                    "start_date", "end_date", "target_incentive",
                                                    "currency", "pay_mix",          NULL};
static const char *const cols_employment_events[] = {"id",       "person_id",  "type",
                                                     "date",     "reason",     "exit_kind",
                                                     "from_team_id", "to_team_id", NULL};
static const char *const cols_survey_responses[] = {"id",         "person_id", "survey",
                                                    "answered_on", "enps",     "satisfaction",
                                                    "engagement", "comment",   NULL};

static const struct {
    const char *name;
    const char *const *columns;
} file_table[GF_COUNT_REAL] = {
    {"settings", cols_settings},
    {"exchange_rates", cols_exchange_rates},
    {"teams", cols_teams},
    {"people", cols_people},
    {"reporting_lines", cols_reporting_lines},
    {"territories", cols_territories},
    {"territory_rules", cols_territory_rules},
    {"accounts", cols_accounts},
    {"territory_accounts", cols_territory_accounts},
    {"territory_people", cols_territory_people},
    {"products", cols_products},
    {"stages", cols_stages},
    {"leads", cols_leads},
    {"handoffs", cols_handoffs},
    {"opportunities", cols_opportunities},
    {"opportunity_products", cols_opportunity_products},
    {"stage_history", cols_stage_history},
    {"activities", cols_activities},
    {"scorecard_templates", cols_scorecard_templates},
    {"scorecard_points", cols_scorecard_points},
    {"scorecard_responses", cols_scorecard_responses},
    {"transactions", cols_transactions},
    {"transaction_people", cols_transaction_people},
    {"quotas", cols_quotas},
    {"metrics", cols_metrics},
    {"plan_assignments", cols_plan_assignments},
    {"employment_events", cols_employment_events},
    {"survey_responses", cols_survey_responses},
};

_Static_assert(GF_COUNT_REAL == AT_GEN_FILE_COUNT, "gen.h's file count matches the table");

const char *const *gen_file_columns(gen_file_id id)
{
    return file_table[id].columns;
}

const char *gen_file_basename(gen_file_id id)
{
    return file_table[id].name;
}

const char *at_gen_file_name(size_t index)
{
    static const char *const names[GF_COUNT_REAL] = {
        "settings.csv",           "exchange_rates.csv",      "teams.csv",
        "people.csv",             "reporting_lines.csv",     "territories.csv",
        "territory_rules.csv",    "accounts.csv",            "territory_accounts.csv",
        "territory_people.csv",   "products.csv",            "stages.csv",
        "leads.csv",              "handoffs.csv",            "opportunities.csv",
        "opportunity_products.csv", "stage_history.csv",     "activities.csv",
        "scorecard_templates.csv", "scorecard_points.csv",   "scorecard_responses.csv",
        "transactions.csv",       "transaction_people.csv",  "quotas.csv",
        "metrics.csv",            "plan_assignments.csv",    "employment_events.csv",
        "survey_responses.csv",
    };
    return index < GF_COUNT_REAL ? names[index] : NULL;
}

at_code gen_out_init(gen_out *out, const char *dir, at_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = strlen(dir);
    if (n == 0 || n + 40 >= sizeof out->dir)
        return at_fail(err, AT_ERR_USAGE, "--out", "give a shorter directory path",
                       "the output directory path is empty or too long");
    memcpy(out->dir, dir, n + 1);
    /* make every missing parent, like mkdir -p */
    char path[4096];
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] == '/' || path[i] == '\0') {
            char keep = path[i];
            path[i] = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                return at_fail_errno(err, AT_ERR_IO, path, "create the directory");
            path[i] = keep;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        return at_fail_errno(err, AT_ERR_IO, dir, "open the output directory");
    if (!S_ISDIR(st.st_mode))
        return at_fail(err, AT_ERR_IO, dir, "give a directory, not a file",
                       "'%s' is not a directory", dir);
    return AT_OK;
}

at_code gen_out_open(gen_out *out, gen_file_id id)
{
    if (out->status != AT_OK)
        return out->status;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.csv", out->dir, file_table[id].name);
    gen_file *f = &out->files[id];
    at_code c = at_csv_writer_open(&f->w, path, NULL, &out->err);
    if (c != AT_OK) {
        f->w = NULL;
        out->status = c;
        return c;
    }
    int ncols = 0;
    while (file_table[id].columns[ncols])
        ncols++;
    f->columns = ncols;
    f->rows = 0;
    f->field = 0;
    c = at_csv_write_cstrs(f->w, file_table[id].columns, (size_t)ncols, &out->err);
    if (c != AT_OK)
        out->status = c;
    return out->status;
}

at_code gen_out_close(gen_out *out, gen_file_id id)
{
    gen_file *f = &out->files[id];
    if (!f->w)
        return out->status;
    at_error e;
    out->bytes += at_csv_writer_bytes(f->w);
    at_code c = at_csv_writer_close(f->w, &e);
    f->w = NULL;
    if (c != AT_OK && out->status == AT_OK) {
        out->status = c;
        out->err = e;
    }
    return out->status;
}

at_code gen_out_finish(gen_out *out, at_error *err)
{
    for (int i = 0; i < GF_COUNT_REAL; i++)
        gen_out_close(out, (gen_file_id)i);
    if (out->status != AT_OK && err)
        *err = out->err;
    return out->status;
}

static inline void put(gen_out *o, gen_file_id f, const char *s, size_t n)
{
    gen_file *file = &o->files[f];
    if (o->status != AT_OK || !file->w)
        return;
    at_code c = at_csv_write_field(file->w, at_str_make(s, n), &o->err);
    if (c != AT_OK)
        o->status = c;
    file->field++;
}

void gen_str(gen_out *o, gen_file_id f, const char *s)
{
    put(o, f, s ? s : "", s ? strlen(s) : 0);
}

void gen_strn(gen_out *o, gen_file_id f, const char *s, size_t n)
{
    put(o, f, s, n);
}

void gen_empty(gen_out *o, gen_file_id f)
{
    put(o, f, "", 0);
}

static size_t format_int(char *buf, int64_t v)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t k = 0;
    if (v < 0)
        buf[k++] = '-';
    while (n)
        buf[k++] = tmp[--n];
    buf[k] = '\0';
    return k;
}

void gen_int(gen_out *o, gen_file_id f, int64_t v)
{
    char buf[24];
    size_t n = format_int(buf, v);
    put(o, f, buf, n);
}

void gen_int_opt(gen_out *o, gen_file_id f, bool present, int64_t v)
{
    if (present)
        gen_int(o, f, v);
    else
        gen_empty(o, f);
}

void gen_money(gen_out *o, gen_file_id f, at_money v)
{
    char buf[AT_MONEY_TEXT_MAX];
    size_t n = at_money_format(v, buf, sizeof buf);
    put(o, f, buf, n);
}

void gen_rate(gen_out *o, gen_file_id f, at_rate v)
{
    char buf[AT_MONEY_TEXT_MAX];
    size_t n = at_rate_format(v, buf, sizeof buf);
    put(o, f, buf, n);
}

void gen_day(gen_out *o, gen_file_id f, at_day d)
{
    char buf[AT_DATE_TEXT_MAX + 8];
    size_t n = at_day_format(d, buf, sizeof buf);
    put(o, f, buf, n);
}

void gen_day_opt(gen_out *o, gen_file_id f, at_day d)
{
    if (d == GEN_NO_DAY)
        gen_empty(o, f);
    else
        gen_day(o, f, d);
}

void gen_time(gen_out *o, gen_file_id f, at_time t)
{
    char buf[AT_TIME_TEXT_MAX + 8];
    size_t n = at_time_format(t, buf, sizeof buf);
    put(o, f, buf, n);
}

void gen_bool(gen_out *o, gen_file_id f, bool b)
{
    if (b)
        put(o, f, "true", 4);
    else
        put(o, f, "false", 5);
}

void gen_coord(gen_out *o, gen_file_id f, int64_t micro)
{
    char buf[32];
    uint64_t u = micro < 0 ? (uint64_t)0 - (uint64_t)micro : (uint64_t)micro;
    int n = snprintf(buf, sizeof buf, "%s%llu.%06llu", micro < 0 ? "-" : "",
                     (unsigned long long)(u / 1000000), (unsigned long long)(u % 1000000));
    put(o, f, buf, (size_t)n);
}

void gen_format_id(char *buf, size_t size, const char *prefix, uint64_t n, int width)
{
    size_t p = strlen(prefix);
    if (p + (size_t)width + 21 > size) {
        snprintf(buf, size, "%s%llu", prefix, (unsigned long long)n);
        return;
    }
    memcpy(buf, prefix, p);
    char digits[24];
    int k = 0;
    do {
        digits[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    size_t pos = p;
    for (int i = k; i < width; i++)
        buf[pos++] = '0';
    while (k)
        buf[pos++] = digits[--k];
    buf[pos] = '\0';
}

void gen_id(gen_out *o, gen_file_id f, const char *prefix, uint64_t n, int width)
{
    char buf[64];
    gen_format_id(buf, sizeof buf, prefix, n, width);
    put(o, f, buf, strlen(buf));
}

void gen_id_opt(gen_out *o, gen_file_id f, const char *prefix, int64_t n, int width)
{
    if (n < 0)
        gen_empty(o, f);
    else
        gen_id(o, f, prefix, (uint64_t)n, width);
}

void gen_end(gen_out *o, gen_file_id f)
{
    gen_file *file = &o->files[f];
    if (o->status != AT_OK || !file->w)
        return;
    if (file->field != file->columns) {
        o->status = at_fail(&o->err, AT_ERR_INTERNAL, file_table[f].name, NULL,
                            "generator bug: row %llu of %s.csv has %d fields, the header %d",
                            (unsigned long long)file->rows + 1, file_table[f].name, file->field,
                            file->columns);
        return;
    }
    at_code c = at_csv_end_record(file->w, &o->err);
    if (c != AT_OK)
        o->status = c;
    file->field = 0;
    file->rows++;
}
