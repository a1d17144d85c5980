/* gen.c - `attain generate` as a library call: checks the options, sets up the window, the
 * fiscal calendar and exchange rates, runs the subjects in order (company, org, territories,
 * customers, pipeline, transactions, quotas, plans, metrics, experience) and frees everything.
 * Also the small helpers every subject shares (who sits in a seat, ramps, currency conversion,
 * seasonality). */
#include "gen/gen.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gen/gen_world.h"

const char *const gen_role_names[ROLE_COUNT] = {
    "rep", "sdr", "marketing", "csm", "manager", "director", "vp", "sales_ops", "finance",
    "executive", "admin"};
const char *const gen_function_names[FN_COUNT] = {
    "marketing", "sdr", "ae", "csm", "sales_management", "sales_ops", "finance", "executive"};

static const gen_size_params size_params[3] = {
    /* scale, usage orders per customer a month (milli), base customers */
    {1000, 3000, 300},
    {15000, 52000, 300},
    {150000, 56000, 300},
};

int at_gen_default_months(at_gen_size size)
{
    switch (size) {
    case AT_GEN_SIZE_S: return 36;
    case AT_GEN_SIZE_M: return 3;
    case AT_GEN_SIZE_L: return 1;
    }
    return 36;
}

const char *at_gen_size_name(at_gen_size size)
{
    switch (size) {
    case AT_GEN_SIZE_S: return "S";
    case AT_GEN_SIZE_M: return "M";
    case AT_GEN_SIZE_L: return "L";
    }
    return "?";
}

at_code at_gen_size_parse(const char *text, at_gen_size *out, at_error *err)
{
    if (text && strcasecmp(text, "S") == 0)
        *out = AT_GEN_SIZE_S;
    else if (text && strcasecmp(text, "M") == 0)
        *out = AT_GEN_SIZE_M;
    else if (text && strcasecmp(text, "L") == 0)
        *out = AT_GEN_SIZE_L;
    else
        return at_fail(err, AT_ERR_USAGE, "--size", "use S, M or L",
                       "unknown size '%s'", text ? text : "");
    return AT_OK;
}

void at_gen_options_default(at_gen_options *opts, at_gen_size size)
{
    memset(opts, 0, sizeof *opts);
    opts->size = size;
    opts->seed = 42;
    opts->months = at_gen_default_months(size);
    opts->volume_permille = 1000;
}

/* ---- shared helpers ---------------------------------------------------------------------- */

bool gen_grow(void **items, int64_t *cap, int64_t n, size_t item_size)
{
    if (n < *cap)
        return true;
    int64_t ncap = *cap ? *cap * 2 : 64;
    while (ncap <= n)
        ncap *= 2;
    void *p = realloc(*items, (size_t)ncap * item_size);
    if (!p)
        return false;
    memset((char *)p + (size_t)*cap * item_size, 0, (size_t)(ncap - *cap) * item_size);
    *items = p;
    *cap = ncap;
    return true;
}

bool gen_grow_int(void **items, int *cap, int n, size_t item_size)
{
    int64_t c = *cap;
    if (!gen_grow(items, &c, n, item_size))
        return false;
    *cap = (int)c;
    return true;
}

bool gen_oom(gen_world *w)
{
    if (w->out.status == AT_OK)
        w->out.status = at_fail(&w->out.err, AT_ERR_NOMEM, NULL,
                                "try a smaller --size or fewer --months",
                                "out of memory while generating the demo company");
    return false;
}

bool gen_ok(const gen_world *w)
{
    return w->out.status == AT_OK;
}

int gen_stint_at(const gen_world *w, int seat, at_day day)
{
    const gen_seat *s = &w->seats[seat];
    for (int i = s->nstints - 1; i >= 0; i--) {
        const gen_stint *st = &w->stints[s->stints[i]];
        if (st->start <= day && day <= st->end)
            return s->stints[i];
        if (st->end < day)
            break;
    }
    return -1;
}

int gen_occupant(const gen_world *w, int seat, at_day day)
{
    int st = gen_stint_at(w, seat, day);
    return st < 0 ? -1 : w->stints[st].person;
}

int gen_responsible(const gen_world *w, int seat, at_day day)
{
    for (int s = seat; s >= 0; s = w->seats[s].manager_seat) {
        int p = gen_occupant(w, s, day);
        if (p >= 0)
            return p;
    }
    return -1;
}

int gen_tenure_months(const gen_world *w, int person, at_day day)
{
    const gen_person *p = &w->people[person];
    if (p->hire_date == GEN_NO_DAY)
        return 240;
    int64_t d = (int64_t)day - p->hire_date;
    return d < 0 ? 0 : (int)(d * 100 / 3044);
}

int32_t gen_ramp_permille(const gen_world *w, int person, at_day day)
{
    const gen_person *p = &w->people[person];
    /* the ramp starts with the stint in force (a hire or a promotion into the role) */
    at_day ramp_start = GEN_NO_DAY;
    for (int i = p->nstints - 1; i >= 0; i--) {
        const gen_stint *st = &w->stints[p->stints[i]];
        if (st->start <= day) {
            if (st->how == START_HIRE || st->how == START_PROMOTION)
                ramp_start = st->start;
            break;
        }
    }
    if (ramp_start == GEN_NO_DAY)
        return 1000;
    int64_t days = (int64_t)day - ramp_start;
    if (days < 0)
        return 0;
    int64_t ramp_days = p->slow_ramp ? 365 : 122; /* 12 months against 4 */
    int64_t v = (days + 15) * 1000 / ramp_days;
    if (p->slow_ramp && v > 1000 * 7 / 10 && days < 270)
        v = 700; /* the slow class plateaus before it gets going */
    return (int32_t)(v > 1000 ? 1000 : v);
}

static at_rate fx_at(const gen_world *w, int cur, at_day day)
{
    if (cur == GEN_CUR_USD)
        return AT_RATE_SCALE;
    int y, m, d;
    at_day_to_ymd(day, &y, &m, &d);
    int idx = y * 12 + m - 1 - w->fx_first_ym;
    if (idx < 0)
        idx = 0;
    if (idx >= w->fx_count)
        idx = w->fx_count - 1;
    return w->fx_usd[cur][idx];
}

at_money gen_round_cents(at_money v)
{
    at_money r;
    if (at_money_round(v, 2, AT_ROUND_HALF_EVEN, &r, NULL) != AT_OK)
        return v;
    return r;
}

at_money gen_mul_permille(at_money v, int64_t permille)
{
    __int128 x = (__int128)v * permille;
    int64_t out;
    if (at_div_round_i128(x, 1000, AT_ROUND_HALF_EVEN, &out, NULL) != AT_OK)
        return v;
    return out;
}

at_money gen_convert(const gen_world *w, at_money amount, int from, int to, at_day day)
{
    if (from == to)
        return amount;
    __int128 num = (__int128)amount * fx_at(w, from, day);
    __int128 den = fx_at(w, to, day);
    int64_t out;
    /* to cents directly: divide by den then round to 100 units of 1e-4 */
    if (at_div_round_i128(num, den * 100, AT_ROUND_HALF_EVEN, &out, NULL) != AT_OK)
        return amount;
    return out * 100;
}

at_money gen_price_in(const gen_world *w, at_money usd, int currency)
{
    return gen_convert(w, usd, GEN_CUR_USD, currency, w->start);
}

void gen_quarter_label(const gen_world *w, at_day day, char *buf, size_t size)
{
    const at_period *p = NULL;
    if (at_fiscal_find(&w->fiscal, AT_PERIOD_QUARTER, day, &p, NULL) == AT_OK && p)
        snprintf(buf, size, "%s", p->label);
    else
        snprintf(buf, size, "?");
}

int32_t gen_season_permille(const gen_world *w, at_day day)
{
    (void)w;
    /* calendar months; fiscal Q4 (Nov-Jan) heavy, a summer dip in July and August */
    static const int32_t by_month[12] = {1500, 850, 950, 1050, 900, 950,
                                         780,  760, 950, 1150, 1150, 1350};
    int y, m, d;
    at_day_to_ymd(day, &y, &m, &d);
    return by_month[m - 1];
}

at_time gen_business_time(gen_rng *rng, int region, at_day day)
{
    int64_t local = (int64_t)gen_range(rng, 8 * 3600, 18 * 3600 - 1);
    local -= local % 60;
    int64_t utc = local - (int64_t)gen_regions[region].utc_offset_h * 3600;
    return at_time_from_day(day) + utc;
}

void gen_person_id(const gen_world *w, int person, char *buf, size_t size)
{
    (void)w;
    gen_format_id(buf, size, "P", (uint64_t)person + 1, 6);
}

at_day gen_month_start(int year, int month, int n)
{
    int ym = year * 12 + (month - 1) + n;
    return at_day_from_ymd(ym / 12, ym % 12 + 1, 1);
}

int64_t gen_overlap_days(at_day a1, at_day b1, at_day a2, at_day b2)
{
    at_day lo = a1 > a2 ? a1 : a2;
    at_day hi = b1 < b2 ? b1 : b2;
    return hi < lo ? 0 : (int64_t)hi - lo + 1;
}

/* ---- the run ----------------------------------------------------------------------------- */

static at_code build_fx(gen_world *w)
{
    int y, m, d;
    at_day_to_ymd(w->pipe_start, &y, &m, &d);
    w->fx_first_ym = y * 12 + m - 1 - 12;
    w->fx_count = w->months + GEN_LEAD_IN_MONTHS + 12 + 1;
    static const int64_t centre[GEN_CUR_COUNT] = {1000000000, 1085000000, 1265000000};
    for (int c = 1; c < GEN_CUR_COUNT; c++) {
        w->fx_usd[c] = calloc((size_t)w->fx_count, sizeof(at_rate));
        if (!w->fx_usd[c])
            return gen_oom(w), AT_ERR_NOMEM;
        gen_rng rng;
        gen_rng_seed(&rng, w->seed, "exchange_rates", (uint64_t)c);
        int64_t v = centre[c];
        for (int i = 0; i < w->fx_count; i++) {
            /* a random walk of up to 1.5% a month, pulled back toward the centre */
            v += gen_range(&rng, -15000000, 15000000);
            v += (centre[c] - v) / 8;
            w->fx_usd[c][i] = v - v % 100000; /* 4 decimals */
        }
    }
    return AT_OK;
}

static void world_free(gen_world *w)
{
    for (int i = 0; i < w->nseats; i++)
        free(w->seats[i].stints);
    for (int i = 0; i < w->npeople; i++)
        free(w->people[i].stints);
    free(w->seats);
    free(w->people);
    free(w->stints);
    free(w->teams);
    free(w->territories);
    free(w->area_territory);
    free(w->accounts);
    free(w->contracts);
    free(w->lines);
    free(w->won);
    free(w->cohort_day);
    free(w->mkt_seats);
    free(w->sdr_team_quota);
    for (int r = 0; r < GEN_REGION_COUNT; r++)
        free(w->sdr_seats_by_region[r]);
    for (int c = 0; c < GEN_CUR_COUNT; c++)
        free(w->fx_usd[c]);
    at_fiscal_table_free(&w->fiscal);
}

at_code at_gen_run(const at_gen_options *opts, at_gen_stats *stats, at_error *err)
{
    if (!opts || !opts->out_dir || !opts->out_dir[0])
        return at_fail(err, AT_ERR_USAGE, "--out", "give the directory to write, e.g. --out demo",
                       "no output directory");
    if ((int)opts->size < 0 || opts->size > AT_GEN_SIZE_L)
        return at_fail(err, AT_ERR_USAGE, "--size", "use S, M or L", "unknown size");
    int months = opts->months ? opts->months : at_gen_default_months(opts->size);
    if (months < 1 || months > AT_GEN_MAX_MONTHS)
        return at_fail(err, AT_ERR_USAGE, "--months", "give 1 to 120 months",
                       "%d months is out of range", months);
    int sy = opts->start_year, sm = opts->start_month;
    if (sy == 0) {
        int ym = AT_GEN_DEFAULT_END_YEAR * 12 + AT_GEN_DEFAULT_END_MONTH - 1 - (months - 1);
        sy = ym / 12;
        sm = ym % 12 + 1;
    }
    if (sy < 2000 || sy > 2090 || sm < 1 || sm > 12)
        return at_fail(err, AT_ERR_USAGE, "--start", "give a month between 2000-01 and 2090-12",
                       "start month %04d-%02d is out of range", sy, sm);
    if (opts->volume_permille < 0 || opts->volume_permille > 100000)
        return at_fail(err, AT_ERR_USAGE, "volume", NULL, "volume_permille out of range");

    gen_world *w = calloc(1, sizeof *w);
    if (!w)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    w->opt = *opts;
    if (w->opt.volume_permille == 0)
        w->opt.volume_permille = 1000;
    w->p = size_params[opts->size];
    w->seed = opts->seed;
    w->months = months;
    w->start_year = sy;
    w->start_month = sm;
    w->start = gen_month_start(sy, sm, 0);
    w->end = gen_month_start(sy, sm, months) - 1;
    w->pipe_start = gen_month_start(sy, sm, -GEN_LEAD_IN_MONTHS);
    w->plant_many_calls = w->plant_early_advancer = -1;
    w->plant_territory_over = w->plant_territory_under = -1;
    w->slow_cohort = -1;

    at_code c = gen_out_init(&w->out, opts->out_dir, err);
    if (c != AT_OK) {
        free(w);
        return c;
    }
    at_fiscal_calendar_default(&w->cal);
    w->cal.start_month = 2;
    w->cal.named_by = AT_FISCAL_NAMED_BY_END;
    int fy_first = 0, fy_last = 0;
    c = at_fiscal_year_of_day(&w->cal, gen_month_start(sy, sm, -GEN_LEAD_IN_MONTHS - 36),
                              &fy_first, err);
    if (c == AT_OK)
        c = at_fiscal_year_of_day(&w->cal, w->end, &fy_last, err);
    if (c == AT_OK)
        c = at_fiscal_table_build(&w->cal, fy_first, fy_last + 1, &w->fiscal, err);
    if (c != AT_OK) {
        world_free(w);
        free(w);
        return c;
    }

    if (build_fx(w) == AT_OK && gen_company_write(w) == AT_OK && gen_org_build(w) == AT_OK &&
        gen_territory_build(w) == AT_OK && gen_org_write(w) == AT_OK &&
        gen_territory_write(w) == AT_OK && gen_customers_build(w) == AT_OK &&
        gen_scorecard_write_templates(w) == AT_OK && gen_pipeline_write(w) == AT_OK &&
        gen_transactions_write(w) == AT_OK && gen_quota_write(w) == AT_OK &&
        gen_plans_write(w) == AT_OK && gen_metrics_write(w) == AT_OK)
        gen_experience_write(w);

    c = gen_out_finish(&w->out, err);
    if (stats) {
        memset(stats, 0, sizeof *stats);
        for (int i = 0; i < GF_COUNT_REAL; i++)
            stats->rows[i] = w->out.files[i].rows;
        stats->bytes = w->out.bytes;
        stats->transactions = w->out.files[GF_TRANSACTIONS].rows;
        stats->months = months;
        stats->start_year = sy;
        stats->start_month = sm;
    }
    world_free(w);
    free(w);
    return c;
}
