/* bench_calc.c - the calculation engine on a real database, phase by phase, and one late
 * transaction recalculated incrementally.
 *
 *   bench_calc DB FIRST_DAY LAST_DAY [THREADS] [LATE_CHANGES]
 *
 * Loads the engine's input for the days [FIRST_DAY, LAST_DAY] (YYYY-MM-DD) from DB (the
 * plans stored there), runs the engine once with explanations off (what a payroll run needs)
 * and prints "load", "credit", "calculate" and "engine" lines with seconds and credits/s, then
 * opens an incremental session and applies LATE_CHANGES (default 20) single-transaction
 * changes one at a time (a new booking for a random payee's existing deal, alternately a
 * cancellation of a random booking), printing the median, the 90th percentile and the slowest
 * recalculation in wall-clock time and in CPU time (on a shared machine the wall clock of a few
 * milliseconds is mostly waiting for a core), and "peak_rss_mb". Nothing is written to DB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "calc/calc.h"
#include "core/date.h"
#include "plan/plan.h"
#include "store/pay_store.h"
#include "store/store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the process: on a machine shared with other work the wall clock of a few
 * milliseconds mostly measures waiting for a core */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int fail(const at_error *err)
{
    fprintf(stderr, "bench_calc: %s: %s\n  %s\n", err->where, err->message, err->hint);
    return 1;
}

/* xorshift64: the changes are the same on every run */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_calc DB FIRST_DAY LAST_DAY [THREADS] [LATE_CHANGES]\n");
        return 2;
    }
    at_error err;
    at_day first, last;
    if (at_day_parse(at_str_from(argv[2]), &first, &err) != AT_OK ||
        at_day_parse(at_str_from(argv[3]), &last, &err) != AT_OK)
        return fail(&err);
    int threads = argc > 4 ? atoi(argv[4]) : 1;
    int changes = argc > 5 ? atoi(argv[5]) : 20;

    at_store *store;
    at_store_options so = {0};
    so.read_only = true;
    if (at_store_open(argv[1], &so, &store, &err) != AT_OK)
        return fail(&err);
    at_arena arena;
    at_arena_init(&arena, 1 << 20);
    at_calc_input in;
    at_store_calc_data data;
    at_store_calc_load_options lo = {0};
    double t0 = now();
    if (at_store_calc_load(store, first, last, &lo, &arena, &in, &data, &err) != AT_OK)
        return fail(&err);
    double t1 = now();
    const at_plan **plans = at_arena_calloc(&arena, data.plan_count + 1, sizeof *plans);
    for (size_t i = 0; i < data.plan_count; i++) {
        at_plan *p;
        if (at_plan_read(data.plans[i].source, data.plans[i].source_length, data.plans[i].name,
                         &arena, &p, NULL, &err) != AT_OK)
            return fail(&err);
        p->version = data.plans[i].version;
        plans[i] = p;
    }
    in.plans = plans;
    in.plan_count = data.plan_count;
    printf("load %.3f s: %zu people, %zu transactions, %zu plan versions\n", t1 - t0,
           in.person_count, in.transactions.count, data.plan_count);

    at_calc_options co = {0};
    co.threads = threads;
    at_calc_result res;
    at_error_list problems;
    at_error_list_init(&problems, 1);
    double t2 = now();
    if (at_calc_run(&in, &co, &res, &problems, &err) != AT_OK)
        return fail(&err);
    double t3 = now();
    double credits = (double)res.credits.count;
    printf("credit %.3f s: %.0f credits, %.0f credits/s\n", res.seconds_credit, credits,
           credits / res.seconds_credit);
    printf("calculate %.3f s: %zu lines, %zu payouts\n", res.seconds_calculate, res.line_count,
           res.payout_count);
    printf("engine %.3f s: %.0f credits/s (%d thread%s)\n", t3 - t2, credits / (t3 - t2),
           threads, threads == 1 ? "" : "s");
    at_calc_result_free(&res);
    at_error_list_free(&problems);

    /* one late transaction at a time */
    at_calc_session *session;
    at_error_list_init(&problems, 1);
    double t4 = now();
    if (at_calc_session_open(&in, &co, &session, &problems, &err) != AT_OK)
        return fail(&err);
    printf("session open %.3f s\n", now() - t4);
    double *took = calloc((size_t)changes + 1, sizeof *took);
    double *cpu = calloc((size_t)changes + 1, sizeof *cpu);
    uint64_t seed = UINT64_C(0x9e3779b97f4a7c15);
    size_t touched_total = 0;
    int done = 0;
    for (int i = 0; i < changes && in.transactions.count; i++) {
        const at_calc_input *cur = at_calc_session_input(session);
        size_t n = cur->transactions.count;
        size_t pick = (size_t)(next_random(&seed) % n);
        while (cur->transactions.type[pick] != AT_TX_BOOKING)
            pick = (pick + 1) % n;
        char id[64];
        snprintf(id, sizeof id, "BENCH-LATE-%d", i);
        at_calc_change ch = {0};
        ch.kind = AT_CHANGE_ADD;
        ch.id = id;
        ch.date = last;
        ch.currency = cur->transactions.currency[pick];
        ch.product = cur->transactions.product[pick];
        ch.account = cur->transactions.account[pick];
        ch.owner = cur->transactions.owner[pick];
        ch.has_margin = false;
        if (i % 2 == 0) {
            ch.type = AT_TX_BOOKING;
            ch.amount = 12345 * AT_MONEY_SCALE;
            ch.quantity = 1;
        } else {
            ch.type = AT_TX_CANCELLATION;
            ch.amount = -cur->transactions.amount[pick];
            ch.original_id = cur->transactions.id[pick];
        }
        size_t touched = 0;
        double a = now(), ca = cpu_now();
        if (at_calc_session_apply(session, &ch, 1, &touched, &problems, &err) != AT_OK)
            return fail(&err);
        cpu[done] = cpu_now() - ca;
        took[done++] = now() - a;
        touched_total += touched;
    }
    if (done) {
        qsort(took, (size_t)done, sizeof *took, cmp_double);
        qsort(cpu, (size_t)done, sizeof *cpu, cmp_double);
        /* p90: the change 90% of the changes are not slower than (nearest rank) */
        size_t p90 = ((size_t)done * 9 + 9) / 10;
        printf("incremental %d changes: median %.1f ms, p90 %.1f ms, slowest %.1f ms, %.1f "
               "payees recomputed each on average\n",
               done, took[done / 2] * 1e3, took[p90 - 1] * 1e3, took[done - 1] * 1e3,
               (double)touched_total / done);
        printf("incremental cpu: median %.1f ms, p90 %.1f ms, slowest %.1f ms\n",
               cpu[done / 2] * 1e3, cpu[p90 - 1] * 1e3, cpu[done - 1] * 1e3);
    }
    free(took);
    free(cpu);
    at_calc_session_close(session);
    at_error_list_free(&problems);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_rss_mb %.0f\n", (double)ru.ru_maxrss / 1024.0);
    at_store_calc_data_free(&data);
    at_arena_free(&arena);
    at_store_close(store);
    return 0;
}
