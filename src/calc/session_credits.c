/* session_credits.c - a session's working credit table: the full run's table laid out with
 * room after each person's credits, so that a change moves only the credits of the people it
 * touches.
 *
 * A credit table without gaps (at_calc_credits as runs hand it out) makes every change move
 * every credit after the first person touched: at size M that is gigabytes per late
 * transaction. Here person p's credits are rows [person_start[p], person_end[p]) and the
 * block may grow up to room_end[p]; a block that outgrows its room moves to the end of the
 * table with twice the room, and the table is laid out afresh (dropping the rows blocks moved
 * from) when moves have doubled it. Inside a block the credits keep the table's total order
 * (person, date, transaction external id, kind, level, ...): a transaction's credits are found and
 * placed by binary search, so a change costs a few searches and the move of the credits
 * after it in the same person's block (none for a late transaction). at_calc_session_result
 * hands out the table without gaps, copied when asked. */
#include <stdlib.h>
#include <string.h>

#include "calc/calc_internal.h"

/* the columns of a table, for copying rows between tables and within one */
#define CALC_CREDIT_COLUMNS(X)                                                               \
    X(transaction) X(person) X(kind) X(level) X(role) X(from_person) X(share) X(amount)      \
    X(margin) X(date) X(month)

static void copy_rows(at_calc_credits *to, size_t at, const at_calc_credits *from, size_t first,
                      size_t n)
{
    if (n == 0)
        return;
#define COPY(f) memmove(to->f + at, from->f + first, n * sizeof *to->f);
    CALC_CREDIT_COLUMNS(COPY)
#undef COPY
}

static at_code alloc_columns(at_calc_credits *c, size_t rows, at_error *err)
{
    size_t n = rows ? rows : 1;
#define ALLOC(f) c->f = malloc(n * sizeof *c->f);
    CALC_CREDIT_COLUMNS(ALLOC)
#undef ALLOC
    bool ok = true;
#define CHECK(f) ok = ok && c->f;
    CALC_CREDIT_COLUMNS(CHECK)
#undef CHECK
    if (!ok) {
#define FREE(f) free(c->f); c->f = NULL;
        CALC_CREDIT_COLUMNS(FREE)
#undef FREE
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for %zu credits", rows);
    }
    return AT_OK;
}

static void free_columns(at_calc_credits *c)
{
#define FREE(f) free(c->f);
    CALC_CREDIT_COLUMNS(FREE)
#undef FREE
}

/* room for a block of n credits: a little more than it holds, so that late transactions
   are placed without moving the block */
static size_t room_for(size_t n)
{
    return n + n / 8 + 16;
}

/* Lays the blocks out afresh in person order, each with room_for(its credits + extra[p])
 * rows (extra NULL: 0), into new columns. */
static at_code relayout(calc_credit_blocks *b, const size_t *extra, at_error *err)
{
    size_t np = b->person_count;
    size_t rows = 0;
    for (size_t p = 0; p < np; p++)
        rows += room_for(b->t.person_end[p] - b->t.person_start[p] + (extra ? extra[p] : 0));
    at_calc_credits fresh = {0};
    at_code c = alloc_columns(&fresh, rows, err);
    if (c != AT_OK)
        return c;
    size_t at = 0;
    for (size_t p = 0; p < np; p++) {
        size_t n = b->t.person_end[p] - b->t.person_start[p];
        copy_rows(&fresh, at, &b->t, b->t.person_start[p], n);
        b->t.person_start[p] = at;
        b->t.person_end[p] = at + n;
        at += room_for(n + (extra ? extra[p] : 0));
        b->room_end[p] = at;
    }
    b->t.person_start[np] = at;
    free_columns(&b->t);
#define TAKE(f) b->t.f = fresh.f;
    CALC_CREDIT_COLUMNS(TAKE)
#undef TAKE
    b->t.count = at;
    b->capacity = rows;
    b->laid_out = at;
    return AT_OK;
}

/* The first layout, in place: the columns grow (realloc: for tables this large the pages are
 * remapped, not copied, and the room is not touched until used) and the blocks move up to
 * their new starts, the last first, so that none is overwritten before it moves. A copy into
 * fresh columns would hold the table twice and write every page of the copy once more. */
static at_code spread(calc_credit_blocks *b, at_error *err)
{
    at_calc_credits *t = &b->t;
    size_t np = b->person_count;
    size_t rows = 0;
    for (size_t p = 0; p < np; p++)
        rows += room_for(t->person_end[p] - t->person_start[p]);
    size_t n = rows ? rows : 1;
#define GROW(f)                                                                              \
    {                                                                                        \
        void *q = realloc(t->f, n * sizeof *t->f);                                           \
        if (!q)                                                                              \
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for credits");      \
        t->f = q;                                                                            \
    }
    CALC_CREDIT_COLUMNS(GROW)
#undef GROW
    size_t at = rows;
    for (size_t p = np; p-- > 0;) {
        size_t used = t->person_end[p] - t->person_start[p];
        at -= room_for(used);
        copy_rows(t, at, t, t->person_start[p], used);
        b->room_end[p] = at + room_for(used);
        t->person_start[p] = at;
        t->person_end[p] = at + used;
    }
    t->person_start[np] = rows;
    t->count = rows;
    b->capacity = n;
    b->laid_out = rows;
    return AT_OK;
}

at_code calc_blocks_init(calc_credit_blocks *b, at_calc_credits *made, size_t person_count,
                         at_error *err)
{
    memset(b, 0, sizeof *b);
    b->person_count = person_count;
    b->t = *made;
    memset(made, 0, sizeof *made);
    b->live = b->t.count;
    b->t.person_end = malloc((person_count + 1) * sizeof *b->t.person_end);
    b->room_end = malloc((person_count + 1) * sizeof *b->room_end);
    if (!b->t.person_end || !b->room_end) {
        calc_blocks_free(b);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the session");
    }
    for (size_t p = 0; p < person_count; p++)
        b->t.person_end[p] = b->t.person_start[p + 1];
    at_code c = spread(b, err);
    if (c != AT_OK)
        calc_blocks_free(b);
    return c;
}

void calc_blocks_free(calc_credit_blocks *b)
{
    free(b->t.person_end);
    b->t.person_end = NULL;
    calc_credits_free(&b->t);
    free(b->room_end);
    memset(b, 0, sizeof *b);
}

/* Makes room for n more credits in person p's block. */
static at_code reserve(calc_credit_blocks *b, int32_t p, size_t n, at_error *err)
{
    at_calc_credits *t = &b->t;
    size_t used = t->person_end[p] - t->person_start[p];
    if (t->person_end[p] + n <= b->room_end[p])
        return AT_OK;
    size_t want = 2 * (used + n) + 16;
    if (t->count + want > 2 * b->laid_out) {
        /* moved blocks have doubled the table since it was laid out: lay it out again, which
           leaves behind the rows they moved from */
        size_t *extra = calloc(b->person_count, sizeof *extra);
        if (!extra)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for credits");
        extra[p] = n;
        at_code c = relayout(b, extra, err);
        free(extra);
        return c;
    }
    if (t->count + want > b->capacity) {
        size_t cap = b->capacity + b->capacity / 2 + want;
#define GROW(f)                                                                              \
    {                                                                                        \
        void *q = realloc(t->f, cap * sizeof *t->f);                                         \
        if (!q)                                                                              \
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for credits");      \
        t->f = q;                                                                            \
    }
        CALC_CREDIT_COLUMNS(GROW)
#undef GROW
        b->capacity = cap;
    }
    /* the block moves to the end of the table */
    copy_rows(t, t->count, t, t->person_start[p], used);
    t->person_start[p] = t->count;
    t->person_end[p] = t->count + used;
    b->room_end[p] = t->count + want;
    t->count += want;
    t->person_start[b->person_count] = t->count;
    return AT_OK;
}

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

/* Row i compared with (date, transaction external id). */
static int cmp_row_key(const at_calc_credits *t, const at_calc_transactions *tx, size_t i,
                       at_day date, const char *id)
{
    int c = cmp_i64(t->date[i], date);
    if (!c)
        c = calc_strcmp(tx->id[t->transaction[i]], id);
    return c;
}

void calc_blocks_find(const calc_credit_blocks *b, const at_calc_transactions *tx, int32_t p,
                      int32_t transaction, size_t *first, size_t *end)
{
    const at_calc_credits *t = &b->t;
    at_day d = tx->date[transaction];
    const char *id = tx->id[transaction];
    size_t lo = t->person_start[p], hi = t->person_end[p];
    while (lo < hi) { /* the first row at or after (date, id) */
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_row_key(t, tx, mid, d, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    hi = t->person_end[p];
    while (lo < hi && cmp_row_key(t, tx, lo, d, id) == 0)
        lo++;
    *end = lo;
}

void calc_blocks_remove(calc_credit_blocks *b, const at_calc_transactions *tx, int32_t p,
                        int32_t transaction)
{
    at_calc_credits *t = &b->t;
    size_t lo, stop;
    calc_blocks_find(b, tx, p, transaction, &lo, &stop);
    /* the transaction's credits are among [lo, stop) (with any other transaction of the same
       date and id: ids are unique, but the rule does not depend on it) */
    size_t end = t->person_end[p], w = lo, i = lo;
    for (; i < stop; i++)
        if (t->transaction[i] != transaction) {
            copy_rows(t, w, t, i, 1);
            w++;
        }
    if (i == w)
        return;
    copy_rows(t, w, t, i, end - i);
    size_t removed = i - w;
    t->person_end[p] -= removed;
    b->live -= removed;
}

static calc_credit row_credit(const at_calc_credits *t, size_t i)
{
    calc_credit c = {
        .transaction = t->transaction[i], .person = t->person[i],
        .from_person = t->from_person[i], .kind = t->kind[i], .level = t->level[i],
        .role = t->role[i], .share = t->share[i], .amount = t->amount[i],
        .margin = t->margin[i], .date = t->date[i],
    };
    return c;
}

at_code calc_blocks_insert(calc_credit_blocks *b, const calc_ctx *ctx,
                           const at_calc_transactions *tx, int32_t p, const calc_credit *items,
                           size_t n, at_error *err)
{
    at_code c = reserve(b, p, n, err);
    if (c != AT_OK)
        return c;
    at_calc_credits *t = &b->t;
    for (size_t k = 0; k < n; k++) {
        size_t lo = t->person_start[p], hi = t->person_end[p];
        while (lo < hi) { /* the first row after the credit */
            size_t mid = lo + (hi - lo) / 2;
            calc_credit r = row_credit(t, mid);
            if (calc_credit_compare(ctx, tx, &r, &items[k]) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        copy_rows(t, lo + 1, t, lo, t->person_end[p] - lo);
        calc_credit_put(ctx, t, lo, &items[k]);
        t->person_end[p]++;
        b->live++;
    }
    return AT_OK;
}

at_code calc_blocks_compact(const calc_credit_blocks *b, at_calc_credits *out, at_error *err)
{
    size_t np = b->person_count;
    at_code c = calc_credits_alloc(out, b->live, np, err);
    if (c != AT_OK)
        return c;
    size_t at = 0;
    for (size_t p = 0; p < np; p++) {
        size_t n = b->t.person_end[p] - b->t.person_start[p];
        out->person_start[p] = at;
        copy_rows(out, at, &b->t, b->t.person_start[p], n);
        at += n;
    }
    out->person_start[np] = at;
    out->count = at;
    return AT_OK;
}
