/* credit_table.c - the credit table of a run (at_calc_result.credits): every transaction's
 * credits (credit.c) placed in the table's order, (person, date, transaction external id,
 * then the order within a transaction).
 *
 * Transactions are walked in (date, external id) order and each transaction's credits are
 * placed at their person's next row: a counting sort by person, in two passes over the
 * transactions (count, then write), so no comparison sort runs over credits. With several
 * threads the walk is cut into ranges, one per thread: each counts its range's credits per
 * person, and a person's credits from range r are placed after those from the ranges before
 * it, so the table is the same, bit for bit, whatever the number of threads.
 *
 * A run for some payees (only_people) keeps only their credits: the walk still makes every
 * transaction's credits (a roll-up reaches a payee through the people below them), but the
 * others' are dropped before they take memory, so a run over a share of the payees needs
 * about that share of the credit table. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "calc/calc_internal.h"

/* Row i of the table: credit c, dated in month m. */
static inline void put_row(at_calc_credits *out, size_t i, const calc_credit *c, int32_t m)
{
    out->transaction[i] = c->transaction;
    out->person[i] = c->person;
    out->kind[i] = c->kind;
    out->level[i] = c->level;
    out->role[i] = c->role;
    out->from_person[i] = c->from_person;
    out->share[i] = c->share;
    out->amount[i] = c->amount;
    out->margin[i] = c->margin;
    out->date[i] = c->date;
    out->month[i] = m;
}

void calc_credit_put(const calc_ctx *ctx, at_calc_credits *out, size_t i, const calc_credit *c)
{
    put_row(out, i, c, calc_day_month(ctx, c->date));
}

/* Transactions in (date, external id) order. */
static at_code transaction_order(const at_calc_transactions *tx, int32_t *order, at_error *err)
{
    size_t n = tx->count;
    if (n == 0)
        return AT_OK;
    int32_t *by_id = malloc(n * sizeof *by_id);
    if (!by_id)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory ordering transactions");
    at_code c = calc_sort_ids(tx->id, n, by_id, err);
    if (c != AT_OK) {
        free(by_id);
        return c;
    }
    at_day lo = tx->date[0], hi = tx->date[0];
    for (size_t i = 1; i < n; i++) {
        if (tx->date[i] < lo)
            lo = tx->date[i];
        if (tx->date[i] > hi)
            hi = tx->date[i];
    }
    size_t span = (size_t)((int64_t)hi - lo + 1);
    size_t *count = calloc(span + 1, sizeof *count);
    if (!count) {
        free(by_id);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory ordering transactions");
    }
    for (size_t i = 0; i < n; i++)
        count[tx->date[i] - lo + 1]++;
    for (size_t d = 0; d < span; d++)
        count[d + 1] += count[d];
    for (size_t i = 0; i < n; i++) {
        int32_t t = by_id[i];
        order[count[tx->date[t] - lo]++] = t;
    }
    free(count);
    free(by_id);
    return AT_OK;
}

/* Transactions are walked in (date, id) order, not in memory order: ask for the rows a few
 * steps ahead so that their cache misses overlap. */
static inline void prefetch_tx(const at_calc_transactions *tx, const calc_credit_index *ix,
                               int32_t t)
{
    __builtin_prefetch(&tx->type[t]);
    __builtin_prefetch(&tx->date[t]);
    __builtin_prefetch(&tx->amount[t]);
    __builtin_prefetch(&tx->has_margin[t]);
    __builtin_prefetch(&tx->margin[t]);
    __builtin_prefetch(&tx->owner[t]);
    __builtin_prefetch(&tx->account[t]);
    __builtin_prefetch(&tx->original[t]);
    if (ix->tx_people.start)
        __builtin_prefetch(&ix->tx_people.start[t]);
}

#define PREFETCH_AHEAD 12

/* One thread's range of the walk: order[first, end). */
typedef struct table_part {
    const calc_ctx *ctx;
    const calc_credit_index *ix;
    const int32_t *order;
    const uint8_t *keep;       /* per person: 1 to keep their credits; NULL: everyone's */
    size_t first, end;
    at_calc_credits *out;
    size_t *next;              /* per person: pass 1 counts, pass 2 the next row */
    size_t total;
    int pass;
    at_code code;
    at_error err;
    calc_credit_buf buf;
} table_part;

static void *run_part(void *arg)
{
    table_part *tp = arg;
    const calc_ctx *ctx = tp->ctx;
    const calc_credit_index *ix = tp->ix;
    const at_calc_transactions *tx = &ctx->in->transactions;
    const int32_t *order = tp->order;
    const uint8_t *keep = tp->keep;
    calc_credit_buf *buf = &tp->buf;
    for (size_t i = tp->first; i < tp->end; i++) {
        if (i + PREFETCH_AHEAD < tp->end)
            prefetch_tx(tx, ix, order[i + PREFETCH_AHEAD]);
        if (tp->pass == 1) {
            /* how many credits each person gets (their order does not matter yet) */
            tp->code = calc_transaction_credits_unsorted(ctx, ix, tx, order[i], buf, &tp->err);
            if (tp->code != AT_OK)
                return NULL;
            for (size_t k = 0; k < buf->count; k++) {
                int32_t p = buf->items[k].person;
                if (!keep || keep[p]) {
                    tp->next[p]++;
                    tp->total++;
                }
            }
        } else {
            /* each credit at its person's next row */
            tp->code = calc_transaction_credits(ctx, ix, tx, order[i], buf, &tp->err);
            if (tp->code != AT_OK)
                return NULL;
            /* a transaction's credits share its date, so its month */
            int32_t m = buf->count ? calc_day_month(ctx, buf->items[0].date) : -1;
            for (size_t k = 0; k < buf->count; k++) {
                int32_t p = buf->items[k].person;
                if (!keep || keep[p])
                    put_row(tp->out, tp->next[p]++, &buf->items[k], m);
            }
        }
    }
    return NULL;
}

/* Runs one pass over every part (the first on this thread); the error of the first part that
 * failed, which is the first failing transaction of the walk, as one thread would find. */
static at_code run_pass(table_part *parts, int n, int pass, at_error *err)
{
    pthread_t *tids = calloc((size_t)n, sizeof *tids);
    bool *started = calloc((size_t)n, sizeof *started);
    if (!tids || !started) {
        free(tids);
        free(started);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for credits");
    }
    for (int k = 0; k < n; k++)
        parts[k].pass = pass;
    for (int k = 1; k < n; k++)
        started[k] = pthread_create(&tids[k], NULL, run_part, &parts[k]) == 0;
    run_part(&parts[0]);
    for (int k = 1; k < n; k++) {
        if (started[k])
            pthread_join(tids[k], NULL);
        else
            run_part(&parts[k]); /* no thread: on this one */
    }
    free(tids);
    free(started);
    for (int k = 0; k < n; k++)
        if (parts[k].code != AT_OK) {
            if (err)
                *err = parts[k].err;
            return parts[k].code;
        }
    return AT_OK;
}

at_code calc_make_credits(const calc_ctx *ctx, const calc_credit_index *ix, int threads,
                          at_calc_credits *out, at_error *err)
{
    return calc_make_credits_for(ctx, ix, threads, NULL, out, err);
}

/* The walk's parts, one per thread, over the transactions in (date, id) order: each with its
 * range and a per-person count. Frees what it made when it fails. */
static at_code parts_start(const calc_ctx *ctx, const calc_credit_index *ix, int threads,
                           const uint8_t *keep, at_calc_credits *out, table_part **parts_out,
                           int *part_count, int32_t **order_out, at_error *err)
{
    const at_calc_transactions *tx = &ctx->in->transactions;
    size_t np = ctx->in->person_count;
    /* a thread per 512 transactions at most: below that, starting one costs more than it
       saves */
    size_t most = tx->count / 512 + 1;
    int n = threads < 1 ? 1 : threads > 64 ? 64 : threads;
    if ((size_t)n > most)
        n = (int)most;
    int32_t *order = malloc((tx->count ? tx->count : 1) * sizeof *order);
    table_part *parts = calloc((size_t)n, sizeof *parts);
    at_code c = AT_OK;
    if (!order || !parts) {
        c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for credits");
        goto done;
    }
    for (int k = 0; k < n; k++) {
        table_part *tp = &parts[k];
        *tp = (table_part){.ctx = ctx, .ix = ix, .order = order, .keep = keep, .out = out,
                           .first = tx->count * (size_t)k / (size_t)n,
                           .end = tx->count * (size_t)(k + 1) / (size_t)n};
        tp->next = calloc(np + 1, sizeof *tp->next);
        if (!tp->next) {
            c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for credits");
            goto done;
        }
    }
    c = transaction_order(tx, order, err);
done:
    if (c != AT_OK) {
        for (int k = 0; parts && k < n; k++)
            free(parts[k].next);
        free(parts);
        free(order);
        return c;
    }
    *parts_out = parts;
    *part_count = n;
    *order_out = order;
    return AT_OK;
}

static void parts_free(table_part *parts, int n, int32_t *order)
{
    for (int k = 0; parts && k < n; k++) {
        free(parts[k].next);
        calc_credit_buf_free(&parts[k].buf);
    }
    free(parts);
    free(order);
}

at_code calc_count_credits(const calc_ctx *ctx, const calc_credit_index *ix, int threads,
                           int64_t *per_person, at_error *err)
{
    size_t np = ctx->in->person_count;
    memset(per_person, 0, np * sizeof *per_person);
    table_part *parts = NULL;
    int32_t *order = NULL;
    int n = 0;
    at_code c = parts_start(ctx, ix, threads, NULL, NULL, &parts, &n, &order, err);
    if (c != AT_OK)
        return c;
    c = run_pass(parts, n, 1, err);
    for (int k = 0; c == AT_OK && k < n; k++)
        for (size_t p = 0; p < np; p++)
            per_person[p] += (int64_t)parts[k].next[p];
    parts_free(parts, n, order);
    return c;
}

at_code calc_make_credits_for(const calc_ctx *ctx, const calc_credit_index *ix, int threads,
                              const uint8_t *keep, at_calc_credits *out, at_error *err)
{
    size_t np = ctx->in->person_count;
    memset(out, 0, sizeof *out);
    table_part *parts = NULL;
    int32_t *order = NULL;
    int n = 0;
    at_code c = parts_start(ctx, ix, threads, keep, out, &parts, &n, &order, err);
    if (c != AT_OK)
        return c;
    if ((c = run_pass(parts, n, 1, err)) != AT_OK)
        goto done;
    size_t total = 0;
    for (int k = 0; k < n; k++)
        total += parts[k].total;
    if ((c = calc_credits_alloc(out, total, np, err)) != AT_OK)
        goto done;
    /* person p's rows: range 0's credits, then range 1's, ... */
    size_t row = 0;
    for (size_t p = 0; p < np; p++) {
        out->person_start[p] = row;
        for (int k = 0; k < n; k++) {
            size_t counted = parts[k].next[p];
            parts[k].next[p] = row;
            row += counted;
        }
    }
    out->person_start[np] = row;
    out->count = total;
    c = run_pass(parts, n, 2, err);
done:
    if (c != AT_OK)
        calc_credits_free(out);
    parts_free(parts, n, order);
    return c;
}
