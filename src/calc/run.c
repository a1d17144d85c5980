/* run.c - a calculation run: index the input, make the credits, compute the payees (on one
 * or several threads), and gather their results in person order. Threads take payees from
 * a shared counter and write into their own buffers; the results are then copied in payee
 * order, so they are the same, bit for bit, whatever the number of threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "calc/calc_internal.h"
#include "calc/run_steps.h"

const char *at_line_kind_name(at_line_kind kind)
{
    static const char *const names[] = {"component", "draw", "draw_recovery", "adjustment",
                                        "deferred"};
    return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "unknown";
}

/* ---- payees on threads ------------------------------------------------------------------- */

typedef struct payee_span {
    int worker;
    size_t measure, measure_n, line, line_n, payout, payout_n, problem, problem_n;
} payee_span;

typedef struct pool {
    const calc_ctx *ctx;
    const int32_t *payees;
    size_t count;
    calc_worker *workers;
    payee_span *spans;
    atomic_size_t next;
    atomic_bool failed;
    at_error *errors;          /* per worker */
    size_t *error_payee;       /* per worker: the payee index that failed (SIZE_MAX: none) */
} pool;

typedef struct worker_arg {
    pool *p;
    int id;
} worker_arg;

static void *worker_main(void *arg)
{
    worker_arg *wa = arg;
    pool *p = wa->p;
    calc_worker *w = &p->workers[wa->id];
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->count || atomic_load(&p->failed))
            break;
        payee_span *s = &p->spans[i];
        s->worker = wa->id;
        s->measure = w->measure_count;
        s->line = w->line_count;
        s->payout = w->payout_count;
        s->problem = w->problem_count;
        at_code c = calc_payee(w, p->payees[i], &p->errors[wa->id]);
        if (c != AT_OK) {
            if (p->error_payee[wa->id] == SIZE_MAX)
                p->error_payee[wa->id] = i;
            atomic_store(&p->failed, true);
            break;
        }
        s->measure_n = w->measure_count - s->measure;
        s->line_n = w->line_count - s->line;
        s->payout_n = w->payout_count - s->payout;
        s->problem_n = w->problem_count - s->problem;
    }
    return NULL;
}

static const char *copy_str(at_arena *a, const char *s, bool *ok)
{
    if (!s)
        return NULL;
    const char *c = at_arena_strdup(a, s);
    if (!c)
        *ok = false;
    return c;
}

at_code calc_compute_payees(const calc_ctx *ctx, const at_calc_credits *credits,
                            const int32_t *payees, size_t count, int threads,
                            calc_payee_results *out, at_arena *arena, at_error *err)
{
    memset(out, 0, sizeof *out);
    if (threads < 1)
        threads = 1;
    if ((size_t)threads > count)
        threads = count ? (int)count : 1;
    pool p = {.ctx = ctx, .payees = payees, .count = count};
    p.workers = calloc((size_t)threads, sizeof *p.workers);
    p.spans = calloc(count ? count : 1, sizeof *p.spans);
    p.errors = calloc((size_t)threads, sizeof *p.errors);
    p.error_payee = malloc((size_t)threads * sizeof *p.error_payee);
    worker_arg *args = calloc((size_t)threads, sizeof *args);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    at_code rc = AT_OK;
    if (!p.workers || !p.spans || !p.errors || !p.error_payee || !args || !tids) {
        rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory starting the payees");
        goto done;
    }
    atomic_init(&p.next, 0);
    atomic_init(&p.failed, false);
    for (int t = 0; t < threads; t++) {
        calc_worker_init(&p.workers[t], ctx, credits);
        p.error_payee[t] = SIZE_MAX;
        args[t] = (worker_arg){&p, t};
    }
    int started = 0;
    if (threads == 1) {
        worker_main(&args[0]);
    } else {
        for (int t = 0; t < threads; t++) {
            if (pthread_create(&tids[t], NULL, worker_main, &args[t]) != 0)
                break;
            started++;
        }
        if (started == 0)
            worker_main(&args[0]);
        for (int t = 0; t < started; t++)
            pthread_join(tids[t], NULL);
    }
    if (atomic_load(&p.failed)) {
        size_t best = SIZE_MAX;
        int bw = 0;
        for (int t = 0; t < threads; t++)
            if (p.error_payee[t] < best) {
                best = p.error_payee[t];
                bw = t;
            }
        if (err)
            *err = p.errors[bw];
        rc = p.errors[bw].code != AT_OK ? p.errors[bw].code : AT_ERR_INTERNAL;
        goto done;
    }
    /* gather in payee order */
    size_t nm = 0, nl = 0, np = 0, ne = 0;
    for (size_t i = 0; i < count; i++) {
        nm += p.spans[i].measure_n;
        nl += p.spans[i].line_n;
        np += p.spans[i].payout_n;
        ne += p.spans[i].problem_n;
    }
    out->measures = malloc((nm ? nm : 1) * sizeof *out->measures);
    out->lines = malloc((nl ? nl : 1) * sizeof *out->lines);
    out->payouts = malloc((np ? np : 1) * sizeof *out->payouts);
    out->problems = malloc((ne ? ne : 1) * sizeof *out->problems);
    out->payee_start = calloc(count + 1, sizeof *out->payee_start);
    if (!out->measures || !out->lines || !out->payouts || !out->problems || !out->payee_start) {
        rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory gathering results");
        goto done;
    }
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        const payee_span *s = &p.spans[i];
        const calc_worker *w = &p.workers[s->worker];
        out->payee_start[i] = (calc_payee_start){out->measure_count, out->line_count,
                                                 out->payout_count};
        if (s->measure_n)
            memcpy(out->measures + out->measure_count, w->measures + s->measure,
                   s->measure_n * sizeof *out->measures);
        out->measure_count += s->measure_n;
        for (size_t k = 0; k < s->line_n; k++) {
            at_calc_line l = w->lines[s->line + k];
            l.explain = copy_str(arena, l.explain, &ok);
            if (l.kind == AT_LINE_ADJUSTMENT)
                l.key = copy_str(arena, l.key, &ok);
            out->lines[out->line_count++] = l;
        }
        if (s->payout_n)
            memcpy(out->payouts + out->payout_count, w->payouts + s->payout,
                   s->payout_n * sizeof *out->payouts);
        out->payout_count += s->payout_n;
        if (s->problem_n)
            memcpy(out->problems + out->problem_count, w->problems + s->problem,
                   s->problem_n * sizeof *out->problems);
        out->problem_count += s->problem_n;
    }
    out->payee_start[count] = (calc_payee_start){out->measure_count, out->line_count,
                                                 out->payout_count};
    if (!ok)
        rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory gathering results");
done:
    if (p.workers)
        for (int t = 0; t < threads; t++)
            calc_worker_free(&p.workers[t]);
    free(p.workers);
    free(p.spans);
    free(p.errors);
    free(p.error_payee);
    free(args);
    free(tids);
    if (rc != AT_OK)
        calc_payee_results_free(out);
    return rc;
}

void calc_payee_results_free(calc_payee_results *r)
{
    free(r->measures);
    free(r->lines);
    free(r->payouts);
    free(r->problems);
    free(r->payee_start);
    memset(r, 0, sizeof *r);
}

/* ---- the run ----------------------------------------------------------------------------- */

at_code calc_payee_list(const at_calc_input *in, const at_calc_options *opt, int32_t **out,
                        size_t *count, at_error *err)
{
    size_t n = opt && opt->only_people ? opt->only_people_count : in->person_count;
    int32_t *list = malloc((n ? n : 1) * sizeof *list);
    if (!list)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t p = opt && opt->only_people ? opt->only_people[i] : (int32_t)i;
        if (p < 0 || (size_t)p >= in->person_count) {
            free(list);
            return at_fail(err, AT_ERR_INVALID, "only_people", "give indexes into people",
                           "payee index %d is not a person of the input", (int)p);
        }
        if (k > 0 && list[k - 1] >= p) {
            int32_t before = list[k - 1];
            free(list);
            return at_fail(err, AT_ERR_INVALID, "only_people",
                           "sort the payees and leave out repeats",
                           "only_people is not sorted (index %d after %d)", (int)p,
                           (int)before);
        }
        list[k++] = p;
    }
    *out = list;
    *count = k;
    return AT_OK;
}

at_code calc_add_problems(at_error_list *problems, const calc_payee_results *r,
                          const calc_payee_start *from, const calc_payee_start *to)
{
    (void)from;
    (void)to;
    if (!problems)
        return AT_OK;
    for (size_t i = 0; i < r->problem_count; i++)
        if (at_error_list_add(problems, &r->problems[i]) != AT_OK)
            return AT_ERR_NOMEM;
    return AT_OK;
}

at_code at_calc_run(const at_calc_input *input, const at_calc_options *options,
                    at_calc_result *out, at_error_list *problems, at_error *err)
{
    /* the two steps of run_steps.c: the credits (only the payees' when only_people), then
       the payees over them */
    at_code c = at_calc_run_credits(input, options, out, err);
    if (c == AT_OK)
        c = at_calc_run_payees(input, options, out, problems, err);
    if (c != AT_OK)
        at_calc_result_free(out);
    return c;
}

at_code at_calc_credits_per_person(const at_calc_input *input,
                                   const at_calc_options *options, int64_t *per_person,
                                   at_error *err)
{
    if (!input || !per_person)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL,
                       "at_calc_credits_per_person needs an input and room for the counts");
    at_arena arena;
    at_arena_init(&arena, 0);
    calc_ctx ctx;
    calc_credit_index ix = {0};
    at_calc_options quiet = options ? *options : (at_calc_options){0};
    quiet.keep_explanations = false;
    at_code c = calc_ctx_build(&ctx, input, &quiet, &arena, err);
    if (c == AT_OK)
        c = calc_credit_index_build(input, &ix, err);
    if (c == AT_OK)
        c = calc_count_credits(&ctx, &ix, quiet.threads, per_person, err);
    calc_credit_index_free(&ix);
    calc_ctx_free(&ctx);
    at_arena_free(&arena);
    return c;
}

at_code at_calc_plan_passes(const int64_t *per_person, size_t person_count, int64_t most_credits,
                            size_t **starts, size_t *pass_count, at_error *err)
{
    *starts = NULL;
    *pass_count = 0;
    if (most_credits < 1)
        return at_fail(err, AT_ERR_INVALID, "most_credits", "give at least 1 credit a pass",
                       "a pass of %lld credits holds no one", (long long)most_credits);
    size_t *list = malloc((person_count + 2) * sizeof *list);
    if (!list)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory planning passes");
    size_t n = 0;
    list[n++] = 0;
    int64_t in_pass = 0;
    for (size_t p = 0; p < person_count; p++) {
        /* a person who would take the pass past the most starts the next one */
        if (p > list[n - 1] && in_pass + per_person[p] > most_credits) {
            list[n++] = p;
            in_pass = 0;
        }
        in_pass += per_person[p];
    }
    if (person_count > 0)
        list[n++] = person_count;
    *starts = list;
    *pass_count = n - 1;
    return AT_OK;
}

void at_calc_result_free(at_calc_result *result)
{
    if (!result)
        return;
    calc_credits_free(&result->credits);
    free(result->measures);
    free(result->lines);
    free(result->payouts);
    at_arena_free(&result->arena);
    memset(result, 0, sizeof *result);
}
