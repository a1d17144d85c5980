/* run.c - a calculation run (run.h): resolve the period to months, load the data and the plan
 * versions from the store, fingerprint them, run the engine, save the open months as a run
 * with its digests; an incremental run computes only the payees whose digests changed and
 * carries the others over from its base run. */
#include "pay/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "calc/calc.h"
#include "calc/payee_digest.h"
#include "calc/run_steps.h"
#include "core/arena.h"
#include "core/fiscal.h"
#include "core/str.h"
#include "pay/fingerprint.h"
#include "plan/plan.h"
#include "store/pay_store.h"
#include "store/workflow_store.h"

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first and last day of the run: from the start of the fiscal year of `from` (or of the
 * period) to the period's last day. */
static at_code run_days(at_store *store, const at_pay_run_options *o, at_day *first,
                        at_day *last, at_error *err)
{
    at_period_kind kind;
    int year, number;
    at_code c = at_period_label_parse(at_str_from(o->period), &kind, &year, &number, err);
    if (c != AT_OK) {
        at_error_prefix_where(err, "--period");
        return c;
    }
    int first_year = year;
    if (o->from) {
        at_period_kind fk;
        int fy, fn;
        c = at_period_label_parse(at_str_from(o->from), &fk, &fy, &fn, err);
        if (c != AT_OK) {
            at_error_prefix_where(err, "--from");
            return c;
        }
        if (fy > year)
            return at_fail(err, AT_ERR_USAGE, "--from", "give a period before --period",
                           "--from %s is after --period %s", o->from, o->period);
        first_year = fy;
    }
    at_fiscal_table table;
    c = at_store_fiscal_table(store, first_year, year, &table, err);
    if (c != AT_OK)
        return c;
    const at_period *p, *y;
    c = at_fiscal_get(&table, kind, year, number, &p, err);
    if (c == AT_OK)
        c = at_fiscal_get(&table, AT_PERIOD_YEAR, first_year, 1, &y, err);
    if (c == AT_OK) {
        *first = y->first;
        *last = p->last;
    }
    at_fiscal_table_free(&table);
    return c;
}

/* Parses every stored plan version the load returned; the engine gets them in that order. */
static at_code read_plans(const at_store_calc_data *data, at_arena *arena,
                          const at_plan ***plans, at_error_list *problems, at_error *err)
{
    const at_plan **out = at_arena_calloc(arena, data->plan_count + 1, sizeof *out);
    if (!out)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading plans");
    for (size_t i = 0; i < data->plan_count; i++) {
        const at_store_plan_version *v = &data->plans[i];
        char file[256];
        snprintf(file, sizeof file, "%s@%d", v->name, v->version);
        at_plan *plan = NULL;
        at_code c = at_plan_read(v->source, v->source_length, file, arena, &plan, problems,
                                 err);
        if (c != AT_OK) {
            if (c == AT_ERR_INVALID)
                return at_fail(err, AT_ERR_INVALID, file,
                               "fix the document and load it again with `attain plan load`",
                               "the stored plan version %s no longer reads cleanly (its "
                               "problems are listed above)", file);
            return c;
        }
        plan->version = v->version;
        out[i] = plan;
    }
    *plans = out;
    return AT_OK;
}

static size_t peak_rss_kb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (size_t)ru.ru_maxrss;
}

static int default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* The first month of [first, last] that is not closed, or -1. */
static int32_t first_open_month(const at_calc_input *in)
{
    for (int32_t m = in->first_month; m <= in->last_month; m++) {
        bool closed = false;
        for (size_t i = 0; i < in->closed_month_count; i++)
            if (in->closed_months[i] == m)
                closed = true;
        if (!closed)
            return m;
    }
    return -1;
}

/* The payees of the run (dense indexes, sorted): data's list, or everyone. */
static const int32_t *scope_people(const at_calc_input *in, const at_store_calc_data *data,
                                   int32_t **owned, size_t *count)
{
    *owned = NULL;
    if (data->only_people) {
        *count = data->only_people_count;
        return data->only_people;
    }
    *count = in->person_count;
    int32_t *all = malloc((in->person_count ? in->person_count : 1) * sizeof *all);
    if (all)
        for (size_t i = 0; i < in->person_count; i++)
            all[i] = (int32_t)i;
    *owned = all;
    return all;
}

/* The memory a run may take now: 60% of what the system has available (MemAvailable of
 * /proc/meminfo, else the free pages); 0 when unknown. */
static int64_t memory_budget(void)
{
    int64_t available = 0;
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        char line[256];
        long long kb;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "MemAvailable: %lld kB", &kb) == 1) {
                available = (int64_t)kb * 1024;
                break;
            }
        fclose(f);
    }
    if (available <= 0) {
        long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        if (pages > 0 && size > 0)
            available = (int64_t)pages * size;
    }
    return available / 10 * 6;
}

/* What a credit takes while a pass holds it: its columns (47 bytes) and the save's packing. */
#define CREDIT_BYTES 64
/* The credits a transaction makes at most in most companies (seller, splits, the management
 * chain): the guess that decides whether counting them first is worth it. */
#define CREDITS_PER_TRANSACTION_GUESS 10

static void phase(const at_pay_run_options *o, const char *name)
{
    if (o->on_phase)
        o->on_phase(o->phase_context, name);
}

/* Lines per payee of a result (lines come by person). */
static void count_lines(const at_calc_result *res, size_t person_count, int64_t *lines)
{
    memset(lines, 0, (person_count ? person_count : 1) * sizeof *lines);
    for (size_t i = 0; i < res->line_count; i++)
        if (res->lines[i].person >= 0 && (size_t)res->lines[i].person < person_count)
            lines[res->lines[i].person]++;
}

/* Decides which payees an incremental run computes: compares the payees' digests with the
 * base run's. *touched (sorted dense indexes) are those whose digest differs or who are new;
 * *except (internal ids, sorted) are those plus the base's payees no longer in the run: the
 * payees not to carry over. base_lines[i] is the base's line count of people[i] (untouched). */
static at_code choose_payees(const at_store_calc_data *data, const int32_t *people, size_t n,
                             const at_calc_digest *digests, const at_store_payee_digest *base,
                             size_t base_count, int32_t *touched, size_t *touched_count,
                             int64_t *except, size_t *except_count, int64_t *base_lines,
                             size_t *gone)
{
    /* people are in dense order = internal id order; base is by person_id */
    size_t t = 0, e = 0, b = 0;
    *gone = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t id = data->person_ids[people[i]];
        while (b < base_count && base[b].person_id < id) {
            except[e++] = base[b++].person_id; /* gone */
            (*gone)++;
        }
        bool same = b < base_count && base[b].person_id == id &&
                    memcmp(base[b].digest, digests[i].bytes, AT_CALC_DIGEST_SIZE) == 0;
        base_lines[i] = same ? base[b].lines : 0;
        if (b < base_count && base[b].person_id == id)
            b++;
        if (!same) {
            touched[t++] = people[i];
            except[e++] = id;
        }
    }
    while (b < base_count) {
        except[e++] = base[b++].person_id;
        (*gone)++;
    }
    *touched_count = t;
    *except_count = e;
    return AT_OK;
}

/* How many credits a pass may hold: options.credits_per_pass, or from the memory available
 * when the run may not fit (0: one pass will do, no counting needed). */
static int64_t pass_size(const at_pay_run_options *o, const at_calc_input *in)
{
    if (o->credits_per_pass > 0)
        return o->credits_per_pass;
    int64_t budget = memory_budget();
    if (budget <= 0)
        return 0;
    int64_t guess = (int64_t)in->transactions.count * CREDITS_PER_TRANSACTION_GUESS;
    if (guess * CREDIT_BYTES <= budget)
        return 0;
    int64_t most = budget / CREDIT_BYTES;
    return most > 0 ? most : 1;
}

typedef struct pass_totals {
    size_t passes;
    int64_t credits, most_in_pass;
    double seconds_count, seconds_credit, seconds_calculate, seconds_digest, seconds_save;
} pass_totals;

/* The payees of scope (sorted dense indexes) in passes of at most `most` credits (a payee
 * with more is a pass alone): each pass computed (only its payees' credits kept), its
 * digests taken and its results saved into run_id, then freed. payee_lines gets each
 * payee's line count; digests (parallel to scope) each payee's digest. */
static at_code run_in_passes(at_store *store, int64_t run_id, const at_pay_run_options *o,
                             const at_calc_input *in, const at_store_calc_data *data,
                             const at_calc_options *base_options, const int32_t *scope,
                             size_t scope_count, int64_t most, int32_t open,
                             const at_calc_digest_ids *ids, at_calc_digest *digests,
                             int64_t *payee_lines, pass_totals *t, at_error_list *problems,
                             at_error *err)
{
    memset(t, 0, sizeof *t);
    int64_t *per_person = calloc(in->person_count + 1, sizeof *per_person);
    int64_t *in_scope = calloc(scope_count + 1, sizeof *in_scope);
    size_t *starts = NULL, pass_count = 0;
    at_code c = AT_OK;
    if (!per_person || !in_scope) {
        c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory counting credits");
        goto done;
    }
    double t0 = seconds_now();
    phase(o, "count");
    if ((c = at_calc_credits_per_person(in, base_options, per_person, err)) != AT_OK)
        goto done;
    for (size_t i = 0; i < scope_count; i++)
        in_scope[i] = per_person[scope[i]];
    if ((c = at_calc_plan_passes(in_scope, scope_count, most, &starts, &pass_count, err)) !=
        AT_OK)
        goto done;
    t->seconds_count = seconds_now() - t0;
    t->passes = pass_count;
    for (size_t k = 0; k < pass_count; k++) {
        size_t first = starts[k], n = starts[k + 1] - starts[k];
        at_calc_options co = *base_options;
        co.only_people = scope + first;
        co.only_people_count = n;
        at_calc_result result;
        phase(o, "credit");
        c = at_calc_run(in, &co, &result, problems, err);
        if (c == AT_OK) {
            t->seconds_credit += result.seconds_credit;
            t->seconds_calculate += result.seconds_calculate;
            t->credits += (int64_t)result.credits.count;
            if ((int64_t)result.credits.count > t->most_in_pass)
                t->most_in_pass = (int64_t)result.credits.count;
            double d0 = seconds_now();
            c = at_calc_payee_digests(in, &result.credits, ids, scope + first, n, co.threads,
                                      digests + first, err);
            t->seconds_digest += seconds_now() - d0;
        }
        if (c == AT_OK) {
            double s0 = seconds_now();
            phase(o, "save");
            at_store_run_scope save = {0};
            save.first_month = open;
            save.last_month = in->last_month;
            save.people = scope + first;
            save.person_count = n;
            c = at_store_run_save(store, run_id, in, data, &result, &save, err);
            t->seconds_save += seconds_now() - s0;
        }
        if (c == AT_OK)
            for (size_t i = 0; i < result.line_count; i++)
                payee_lines[result.lines[i].person]++;
        at_calc_result_free(&result);
        if (c != AT_OK)
            goto done;
    }
done:
    free(starts);
    free(in_scope);
    free(per_person);
    return c;
}

at_code at_pay_run(at_store *store, const at_pay_run_options *o, at_pay_run_report *rep,
                   at_error_list *problems, at_error *err)
{
    memset(rep, 0, sizeof *rep);
    if (!o || !o->period)
        return at_fail(err, AT_ERR_USAGE, "--period", "e.g. --period 2026-03",
                       "the period to calculate is missing");
    double t0 = seconds_now();
    at_day first_day = 0, last_day = 0;
    at_code c = run_days(store, o, &first_day, &last_day, err);
    if (c != AT_OK)
        return c;

    at_arena arena;
    at_arena_init(&arena, 1 << 20);
    at_calc_input in;
    at_store_calc_data data;
    memset(&data, 0, sizeof data);
    at_calc_result result;
    memset(&result, 0, sizeof result);
    int64_t run_id = 0;
    bool run_open = false;
    int32_t *all_people = NULL, *touched = NULL;
    int64_t *except = NULL, *payee_lines = NULL, *base_lines = NULL;
    at_calc_digest *digests = NULL;
    at_store_payee_digest *rows = NULL, *base = NULL;
    size_t base_count = 0;

    at_store_calc_load_options lo = {0};
    lo.people = o->payees;
    lo.person_count = o->payee_count;
    lo.activities = true;
    phase(o, "load");
    c = at_store_calc_load(store, first_day, last_day, &lo, &arena, &in, &data, err);
    if (c != AT_OK)
        goto done;
    double t1 = seconds_now();

    /* approved manual adjustments are lines of the months they name */
    at_calc_manual_line *manual = NULL;
    size_t manual_count = 0;
    c = at_wf_adjustments_load(store, &in, &data, &arena, &manual, &manual_count, err);
    if (c != AT_OK)
        goto done;
    in.manual = manual;
    in.manual_count = manual_count;

    const at_plan **plans = NULL;
    c = read_plans(&data, &arena, &plans, problems, err);
    if (c != AT_OK)
        goto done;
    in.plans = plans;
    in.plan_count = data.plan_count;
    double t2 = seconds_now();

    c = at_pay_fingerprint(&in, rep->input_sha256, err);
    if (c != AT_OK)
        goto done;

    int32_t open = first_open_month(&in);
    const at_period *months = in.calendar->periods[AT_PERIOD_MONTH];
    snprintf(rep->first_month, sizeof rep->first_month, "%s",
             months[open >= 0 ? open : in.first_month].label);
    snprintf(rep->last_month, sizeof rep->last_month, "%s", months[in.last_month].label);
    if (open < 0) {
        c = at_fail(err, AT_ERR_LOCKED, "--period",
                    "closed months keep what they paid; late changes flow into the next open "
                    "month: calculate that month instead",
                    "every month from %s to %s is closed: nothing to calculate",
                    months[in.first_month].label, months[in.last_month].label);
        goto done;
    }

    at_calc_options co = {0};
    co.threads = o->threads > 0 ? o->threads : default_threads();
    co.keep_explanations = true;
    at_calc_digest global;
    c = at_calc_global_digest(&in, co.keep_explanations, &global, err);
    if (c != AT_OK)
        goto done;
    size_t scope_count = 0;
    const int32_t *scope = scope_people(&in, &data, &all_people, &scope_count);
    digests = calloc(scope_count + 1, sizeof *digests);
    rows = calloc(scope_count + 1, sizeof *rows);
    payee_lines = calloc(in.person_count + 1, sizeof *payee_lines);
    base_lines = calloc(scope_count + 1, sizeof *base_lines);
    touched = calloc(scope_count + 1, sizeof *touched);
    if (!scope || !digests || !rows || !payee_lines || !base_lines || !touched) {
        c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory choosing the payees");
        goto done;
    }
    at_calc_digest_ids ids = {data.person_ids, data.transaction_ids, data.assignment_ids};
    double seconds_digest = 0;

    /* the base run of an incremental run */
    int64_t base_id = 0;
    bool incremental = false;
    size_t touched_count = 0, except_count = 0;
    if (o->incremental) {
        uint8_t base_global[AT_STORE_DIGEST_SIZE];
        bool found = false;
        c = at_store_run_base(store, o->period, rep->first_month, rep->last_month, o->payees,
                              o->payee_count, &base_id, base_global, &found, err);
        if (c != AT_OK)
            goto done;
        if (!found)
            snprintf(rep->full_reason, sizeof rep->full_reason,
                     "no earlier run of %s (months %s to %s, the same payees) to start from",
                     o->period, rep->first_month, rep->last_month);
        else if (memcmp(base_global, global.bytes, AT_CALC_DIGEST_SIZE) != 0)
            snprintf(rep->full_reason, sizeof rep->full_reason,
                     "what every payee depends on changed since run %lld (the calendar, "
                     "closed months, exchange rates or attain itself)",
                     (long long)base_id);
        else
            incremental = true;
    }

    at_store_run_info info = {0};
    info.period = o->period;
    info.first_month = rep->first_month;
    info.last_month = rep->last_month;
    info.payees = o->payees;
    info.payee_count = o->payee_count;
    info.input_sha256 = rep->input_sha256;
    info.plans = data.plans;
    info.plan_count = data.plan_count;
    info.actor = o->actor ? o->actor : "cli";

    /* a full run too big for memory computes and saves its payees pass by pass */
    int64_t most = incremental ? 0 : pass_size(o, &in);
    bool in_passes = most > 0;
    pass_totals passes = {0};
    if (in_passes) {
        c = at_store_run_begin(store, &info, &run_id, err);
        if (c != AT_OK)
            goto done;
        run_open = true;
        c = run_in_passes(store, run_id, o, &in, &data, &co, scope, scope_count, most, open, &ids,
                          digests, payee_lines, &passes, problems, err);
        seconds_digest = passes.seconds_digest;
    } else if (incremental) {
        /* credits first: every payee's digest needs them */
        phase(o, "credit");
        c = at_calc_run_credits(&in, &co, &result, err);
        if (c != AT_OK)
            goto done;
        double d0 = seconds_now();
        c = at_calc_payee_digests(&in, &result.credits, &ids, scope, scope_count, co.threads,
                                  digests, err);
        if (c == AT_OK)
            c = at_store_run_digests_load(store, base_id, &arena, &base, &base_count, err);
        if (c != AT_OK)
            goto done;
        except = calloc(scope_count + base_count + 1, sizeof *except);
        if (!except) {
            c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory choosing the payees");
            goto done;
        }
        choose_payees(&data, scope, scope_count, digests, base, base_count, touched,
                      &touched_count, except, &except_count, base_lines, &rep->gone);
        seconds_digest = seconds_now() - d0;
        co.only_people = touched;
        co.only_people_count = touched_count;
        phase(o, "calculate");
        c = at_calc_run_payees(&in, &co, &result, problems, err);
    } else {
        co.only_people = data.only_people;
        co.only_people_count = data.only_people_count;
        /* at_calc_run's two steps, to say when the calculation starts */
        phase(o, "credit");
        c = at_calc_run_credits(&in, &co, &result, err);
        if (c == AT_OK) {
            phase(o, "calculate");
            c = at_calc_run_payees(&in, &co, &result, problems, err);
        }
        if (c == AT_OK) {
            double d0 = seconds_now();
            c = at_calc_payee_digests(&in, &result.credits, &ids, scope, scope_count,
                                      co.threads, digests, err);
            seconds_digest = seconds_now() - d0;
        }
    }
    if (c != AT_OK)
        goto done;
    double t3 = seconds_now();

    if (!in_passes) {
        phase(o, "save");
        c = at_store_run_begin(store, &info, &run_id, err);
        if (c != AT_OK)
            goto done;
        run_open = true;
        at_store_run_scope save = {0};
        save.first_month = open;
        save.last_month = in.last_month;
        save.people = incremental ? touched : data.only_people;
        save.person_count = incremental ? touched_count : data.only_people_count;
        c = at_store_run_save(store, run_id, &in, &data, &result, &save, err);
        if (c != AT_OK)
            goto done;
    }
    double t4 = seconds_now();
    if (incremental) {
        c = at_store_run_carry(store, run_id, base_id, rep->first_month, rep->last_month, except,
                               except_count, &rep->rows_carried, err);
        if (c != AT_OK)
            goto done;
    }
    double t5 = seconds_now();

    /* the digests, and each payee's lines (computed, or the base's when carried) */
    if (!in_passes)
        count_lines(&result, in.person_count, payee_lines);
    int64_t lines = 0, credits = 0;
    size_t k = 0;
    for (size_t i = 0; i < scope_count; i++) {
        int32_t p = scope[i];
        bool computed = !incremental || (k < touched_count && touched[k] == p);
        if (incremental && computed)
            k++;
        rows[i].person_id = data.person_ids[p];
        memcpy(rows[i].digest, digests[i].bytes, AT_STORE_DIGEST_SIZE);
        rows[i].lines = computed ? payee_lines[p] : base_lines[i];
        lines += rows[i].lines;
        if (!in_passes)
            credits += (int64_t)(result.credits.person_start[p + 1] -
                                 result.credits.person_start[p]);
    }
    at_store_run_digests dg = {0};
    dg.global = global.bytes;
    dg.base_run_id = incremental ? base_id : 0;
    dg.recomputed = (int64_t)touched_count;
    dg.payees = rows;
    dg.payee_count = scope_count;
    c = at_store_run_digests_save(store, run_id, &dg, err);
    if (c != AT_OK)
        goto done;
    double t6 = seconds_now();

    rep->run_id = run_id;
    rep->people = in.person_count;
    rep->payees = scope_count;
    rep->transactions = in.transactions.count;
    rep->credits = in_passes          ? (size_t)passes.credits
                   : data.only_people ? (size_t)credits
                                      : result.credits.count;
    rep->passes = in_passes ? passes.passes : 1;
    rep->credits_per_pass = in_passes ? most : 0;
    rep->lines = (size_t)lines;
    rep->incremental = incremental;
    rep->base_run_id = incremental ? base_id : 0;
    rep->recomputed = incremental ? touched_count : scope_count;
    rep->seconds_load = t1 - t0;
    rep->seconds_plans = t2 - t1;
    rep->seconds_credit = in_passes ? passes.seconds_count + passes.seconds_credit
                                    : result.seconds_credit;
    rep->seconds_calculate = in_passes ? passes.seconds_calculate : result.seconds_calculate;
    rep->seconds_digest = seconds_digest;
    rep->seconds_save = (in_passes ? passes.seconds_save : t4 - t3) + (t6 - t5);
    rep->seconds_carry = t5 - t4;
    rep->seconds_total = t6 - t0;
    at_store_run_phase phases[] = {
        {"load", rep->seconds_load},           {"plans", rep->seconds_plans},
        {"credit", rep->seconds_credit},       {"calculate", rep->seconds_calculate},
        {"digest", rep->seconds_digest},       {"save", rep->seconds_save},
        {"carry", rep->seconds_carry},
    };
    at_store_run_stats stats = {0};
    stats.people = (int64_t)rep->payees;
    stats.transactions = (int64_t)rep->transactions;
    stats.credits = (int64_t)rep->credits;
    stats.lines = (int64_t)rep->lines;
    stats.phases = phases;
    stats.phase_count = sizeof phases / sizeof phases[0] - (incremental ? 0 : 1);
    c = at_store_run_finish(store, run_id, true, NULL, &stats, err);
    run_open = false;
    rep->peak_rss_kb = peak_rss_kb();

done:
    if (run_open) {
        at_error ignored;
        at_store_run_finish(store, run_id, false, err ? err->message : "failed", NULL,
                            &ignored);
    }
    free(all_people);
    free(touched);
    free(except);
    free(payee_lines);
    free(base_lines);
    free(digests);
    free(rows);
    at_calc_result_free(&result);
    at_store_calc_data_free(&data);
    at_arena_free(&arena);
    return c;
}
