/* session.c - incremental recalculation: a run kept in memory that takes transaction
 * changes and recomputes only what they touch.
 *
 * The session owns copies of the transaction columns and transaction_people rows (a changed
 * transaction's rows are kept apart, per transaction, in front of the copied rows), a list
 * per transaction of the rows naming it as their original (so that a change finds the
 * cancellations mirroring it without a scan), and its credit table with room after each
 * person's credits (session_credits.c). A change:
 *  1. the credits the affected transactions gave before (the transaction, the cancellations
 *     that mirror it, and for a delete the last row, which takes the deleted row's place)
 *     name the people touched, and are taken out of those people's credits;
 *  2. the columns change (an add appends, an update overwrites, a delete moves the last row
 *     into the hole, as at_calc_session_input shows);
 *  3. the affected transactions' credits are made again, naming more touched people, and
 *     each is placed in its person's credits at its place in the table's order;
 * then the touched payees are computed again and their measures, lines and payouts replace
 * the old ones (in place when each keeps its number of rows). The touched payees read their
 * credits through running sums per assignment and month (session_sums.c): the terms of the
 * credits taken out in step 1 are subtracted before anything changes, those of the credits
 * placed in step 3 added after, so a manager above millions of credits costs what a rep
 * costs. The cost of a change does not grow with the number of transactions: a few binary
 * searches per credit and the move of the credits after it in the same person's block.
 * Credits are made by the same code and sorted by the same total order as a full run,
 * payees depend only on their own credits, and the sums are exact integers summed in any
 * order, so the results equal a full run's over the changed data, bit for bit. */
#include <stdlib.h>
#include <string.h>

#include "calc/calc_internal.h"

static const at_calc_tx_person NO_ROWS[1];

struct at_calc_session {
    at_calc_input in;
    at_calc_options opt;
    int32_t *only;                 /* a copy of opt.only_people */
    size_t capacity;               /* of the transaction columns */
    /* the columns (in.transactions points here) */
    const char **id;
    uint8_t *type;
    at_day *date;
    at_money *amount;
    at_calc_currency *currency;
    at_money *margin;
    uint8_t *has_margin;
    int64_t *quantity;
    int32_t *product, *account, *owner, *original;
    /* rows whose original is t: cancel_head[t], then cancel_next[row] ... (-1 ends) */
    int32_t *cancel_head, *cancel_next;
    at_calc_tx_person *base_rows;  /* the input's rows, copied */
    size_t base_row_count;
    const at_calc_tx_person **ovr_rows;
    uint32_t *ovr_count;
    at_calc_tx_person *rows_view;  /* at_calc_session_input's tx_people */
    size_t rows_view_capacity;
    at_arena strings;              /* ids of added transactions */
    int32_t *map;                  /* id -> row, open addressing, -1 empty */
    size_t map_capacity;
    calc_ctx ctx;
    calc_credit_index ix;
    calc_credit_blocks blocks;     /* the working credit table */
    at_calc_result result;         /* result.credits: blocks without room, made when asked */
    bool credits_stale;            /* result.credits is out of date */
    /* per person: where its results start (person_count + 1) */
    size_t *measure_start, *line_start, *payout_start;
    uint8_t *is_payee;
};

/* ---- the id map -------------------------------------------------------------------------- */

static size_t map_slot(const at_calc_session *s, const char *id)
{
    size_t mask = s->map_capacity - 1;
    size_t h = (size_t)at_str_hash(at_str_from(id)) & mask;
    while (s->map[h] >= 0 && strcmp(s->id[s->map[h]], id) != 0)
        h = (h + 1) & mask;
    return h;
}

static int32_t map_find(const at_calc_session *s, const char *id)
{
    return s->map[map_slot(s, id)];
}

static void map_remove(at_calc_session *s, const char *id)
{
    size_t mask = s->map_capacity - 1;
    size_t h = map_slot(s, id);
    if (s->map[h] < 0)
        return;
    s->map[h] = -1;
    /* backward-shift the entries after it */
    size_t j = (h + 1) & mask;
    while (s->map[j] >= 0) {
        int32_t v = s->map[j];
        s->map[j] = -1;
        s->map[map_slot(s, s->id[v])] = v;
        j = (j + 1) & mask;
    }
}

static at_code map_build(at_calc_session *s, size_t want, at_error *err)
{
    size_t cap = 1024;
    while (cap < want * 2)
        cap *= 2;
    int32_t *m = malloc(cap * sizeof *m);
    if (!m)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the session");
    free(s->map);
    s->map = m;
    s->map_capacity = cap;
    for (size_t i = 0; i < cap; i++)
        m[i] = -1;
    for (size_t t = 0; t < s->in.transactions.count; t++) {
        size_t h = map_slot(s, s->id[t]);
        if (s->map[h] >= 0)
            return at_fail(err, AT_ERR_CONFLICT, "transactions", "give every transaction its own id",
                           "transaction id '%s' appears twice", s->id[t]);
        s->map[h] = (int32_t)t;
    }
    return AT_OK;
}

/* ---- columns ----------------------------------------------------------------------------- */

#define GROW(field)                                                                          \
    do {                                                                                     \
        void *p_ = realloc(s->field, cap * sizeof *s->field);                                \
        if (!p_)                                                                             \
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the session");  \
        s->field = p_;                                                                       \
    } while (0)

static at_code columns_reserve(at_calc_session *s, size_t need, at_error *err)
{
    if (need <= s->capacity)
        return AT_OK;
    size_t cap = s->capacity ? s->capacity : 1024;
    while (cap < need)
        cap *= 2;
    GROW(id);
    GROW(type);
    GROW(date);
    GROW(amount);
    GROW(currency);
    GROW(margin);
    GROW(has_margin);
    GROW(quantity);
    GROW(product);
    GROW(account);
    GROW(owner);
    GROW(original);
    GROW(ovr_rows);
    GROW(ovr_count);
    GROW(cancel_head);
    GROW(cancel_next);
    for (size_t i = s->capacity; i < cap; i++) {
        s->ovr_rows[i] = NULL;
        s->ovr_count[i] = 0;
        s->cancel_head[i] = -1;
        s->cancel_next[i] = -1;
    }
    s->capacity = cap;
    if (s->map && s->map_capacity < cap * 2) {
        at_code c = map_build(s, cap, err);
        if (c != AT_OK)
            return c;
    }
    return AT_OK;
}

static void point_input(at_calc_session *s)
{
    at_calc_transactions *t = &s->in.transactions;
    t->id = s->id;
    t->type = s->type;
    t->date = s->date;
    t->amount = s->amount;
    t->currency = s->currency;
    t->margin = s->margin;
    t->has_margin = s->has_margin;
    t->quantity = s->quantity;
    t->product = s->product;
    t->account = s->account;
    t->owner = s->owner;
    t->original = s->original;
    s->ix.ovr_rows = s->ovr_rows;
    s->ix.ovr_count = s->ovr_count;
}

static void free_override(at_calc_session *s, size_t t)
{
    if (s->ovr_rows[t] && s->ovr_rows[t] != NO_ROWS)
        free((void *)s->ovr_rows[t]);
    s->ovr_rows[t] = NULL;
    s->ovr_count[t] = 0;
}

/* ---- who names a transaction as original ---------------------------------------------- */

/* Row t into the list of its original (rows with no original are in no list). */
static void link_original(at_calc_session *s, int32_t t)
{
    int32_t o = s->original[t];
    if (o < 0 || (size_t)o >= s->capacity)
        return;
    s->cancel_next[t] = s->cancel_head[o];
    s->cancel_head[o] = t;
}

static void unlink_original(at_calc_session *s, int32_t t)
{
    int32_t o = s->original[t];
    if (o < 0 || (size_t)o >= s->capacity)
        return;
    for (int32_t *at = &s->cancel_head[o]; *at >= 0; at = &s->cancel_next[*at])
        if (*at == t) {
            *at = s->cancel_next[t];
            break;
        }
    s->cancel_next[t] = -1;
}

static void link_all(at_calc_session *s)
{
    for (size_t t = 0; t < s->in.transactions.count; t++)
        link_original(s, (int32_t)t);
}

/* ---- credits ----------------------------------------------------------------------------- */

typedef struct touched_person {
    int32_t person;
    calc_credit *items;        /* the person's new credits */
    size_t count, capacity;
} touched_person;

typedef struct tx_person_pair {
    int32_t transaction, person;
} tx_person_pair;

typedef struct change_work {
    touched_person *people;
    size_t count, capacity;
    int32_t *old_tx;           /* affected transactions' rows before the change */
    size_t old_count, old_capacity;
    tx_person_pair *pairs;     /* who a transaction credits (each pair once) */
    size_t pair_count, pair_capacity;
    size_t *rows;              /* one pair's rows in the credit table */
    size_t row_capacity;
    calc_credit_buf buf;
    calc_worker *sums_worker;  /* reads the working table for the running sums */
} change_work;

static touched_person *touch(change_work *cw, int32_t person, at_error *err)
{
    for (size_t i = 0; i < cw->count; i++)
        if (cw->people[i].person == person)
            return &cw->people[i];
    if (cw->count == cw->capacity) {
        size_t cap = cw->capacity ? cw->capacity * 2 : 16;
        touched_person *p = realloc(cw->people, cap * sizeof *p);
        if (!p) {
            at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
            return NULL;
        }
        cw->people = p;
        cw->capacity = cap;
    }
    touched_person *t = &cw->people[cw->count++];
    memset(t, 0, sizeof *t);
    t->person = person;
    return t;
}

static at_code add_old(change_work *cw, int32_t t, at_error *err)
{
    for (size_t i = 0; i < cw->old_count; i++)
        if (cw->old_tx[i] == t)
            return AT_OK;
    if (cw->old_count == cw->old_capacity) {
        size_t cap = cw->old_capacity ? cw->old_capacity * 2 : 16;
        int32_t *p = realloc(cw->old_tx, cap * sizeof *p);
        if (!p)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        cw->old_tx = p;
        cw->old_capacity = cap;
    }
    cw->old_tx[cw->old_count++] = t;
    return AT_OK;
}

/* Remembers that transaction t credits person p (once). */
static at_code add_pair(change_work *cw, int32_t t, int32_t p, at_error *err)
{
    for (size_t i = 0; i < cw->pair_count; i++)
        if (cw->pairs[i].transaction == t && cw->pairs[i].person == p)
            return AT_OK;
    if (cw->pair_count == cw->pair_capacity) {
        size_t cap = cw->pair_capacity ? cw->pair_capacity * 2 : 32;
        tx_person_pair *q = realloc(cw->pairs, cap * sizeof *q);
        if (!q)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        cw->pairs = q;
        cw->pair_capacity = cap;
    }
    cw->pairs[cw->pair_count++] = (tx_person_pair){t, p};
    return AT_OK;
}

/* Adds sign x the terms of the credits of each pair from `from` on to their person's running
 * sums (session_sums.c), reading the table and the columns as they are now. */
static at_code sums_of_pairs(at_calc_session *s, change_work *cw, size_t from, int sign,
                             at_error *err)
{
    for (size_t k = from; k < cw->pair_count; k++) {
        int32_t t = cw->pairs[k].transaction, p = cw->pairs[k].person;
        size_t a, b, n = 0;
        calc_blocks_find(&s->blocks, &s->in.transactions, p, t, &a, &b);
        if (b - a > cw->row_capacity) {
            size_t *r = realloc(cw->rows, (b - a) * sizeof *r);
            if (!r)
                return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
            cw->rows = r;
            cw->row_capacity = b - a;
        }
        for (size_t i = a; i < b; i++)
            if (s->blocks.t.transaction[i] == t)
                cw->rows[n++] = i;
        at_code c = calc_sums_add(cw->sums_worker, p, cw->rows, n, sign, err);
        if (c != AT_OK)
            return c;
    }
    return AT_OK;
}

/* The people transaction t credits now (touched, and paired with t). */
static at_code people_of(at_calc_session *s, change_work *cw, int32_t t, at_error *err)
{
    at_code c = calc_transaction_credits(&s->ctx, &s->ix, &s->in.transactions, t, &cw->buf, err);
    if (c != AT_OK)
        return c;
    for (size_t i = 0; i < cw->buf.count; i++) {
        int32_t p = cw->buf.items[i].person;
        if (!touch(cw, p, err))
            return AT_ERR_NOMEM;
        if ((c = add_pair(cw, t, p, err)) != AT_OK)
            return c;
    }
    return AT_OK;
}

/* The cancellations of transaction t. */
static at_code cancellations_of(const at_calc_session *s, int32_t t, change_work *cw,
                                at_error *err)
{
    for (int32_t i = s->cancel_head[t]; i >= 0; i = s->cancel_next[i])
        if (s->type[i] == AT_TX_CANCELLATION) {
            at_code c = add_old(cw, i, err);
            if (c != AT_OK)
                return c;
        }
    return AT_OK;
}

/* ---- applying one change ----------------------------------------------------------------- */

static at_code set_rows(at_calc_session *s, int32_t t, const at_calc_change *ch, at_error *err)
{
    free_override(s, (size_t)t);
    if (ch->people_count == 0) {
        s->ovr_rows[t] = NO_ROWS;
        return AT_OK;
    }
    at_calc_tx_person *rows = malloc(ch->people_count * sizeof *rows);
    if (!rows)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < ch->people_count; i++) {
        rows[i] = ch->people[i];
        rows[i].transaction = t;
    }
    s->ovr_rows[t] = rows;
    s->ovr_count[t] = (uint32_t)ch->people_count;
    return AT_OK;
}

static void set_values(at_calc_session *s, int32_t t, const at_calc_change *ch, int32_t original)
{
    unlink_original(s, t);
    s->type[t] = (uint8_t)ch->type;
    s->date[t] = ch->date;
    s->amount[t] = ch->amount;
    s->currency[t] = ch->currency;
    s->margin[t] = ch->has_margin ? ch->margin : 0;
    s->has_margin[t] = ch->has_margin;
    s->quantity[t] = ch->quantity;
    s->product[t] = ch->product;
    s->account[t] = ch->account;
    s->owner[t] = ch->owner;
    s->original[t] = original;
    link_original(s, t);
}

/* Moves row `from` (the last) into row `to` (a deleted row). */
static at_code move_row(at_calc_session *s, int32_t to, int32_t from, at_error *err)
{
    at_calc_transactions *tx = &s->in.transactions;
    free_override(s, (size_t)to);
    if (s->ovr_rows[from]) {
        /* the rows go with their transaction, and name its new row */
        at_calc_tx_person *rows = (at_calc_tx_person *)s->ovr_rows[from];
        for (uint32_t i = 0; i < s->ovr_count[from]; i++)
            rows[i].transaction = to;
        s->ovr_rows[to] = s->ovr_rows[from];
        s->ovr_count[to] = s->ovr_count[from];
        s->ovr_rows[from] = NULL;
        s->ovr_count[from] = 0;
    } else {
        /* rows from the copied input: keep a copy of them apart */
        size_t a = s->ix.tx_people.start[from], b = s->ix.tx_people.start[from + 1];
        if (a == b) {
            s->ovr_rows[to] = NO_ROWS;
        } else {
            at_calc_tx_person *rows = malloc((b - a) * sizeof *rows);
            if (!rows)
                return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
            for (size_t i = a; i < b; i++) {
                rows[i - a] = s->base_rows[s->ix.tx_people.idx[i]];
                rows[i - a].transaction = to;
            }
            s->ovr_rows[to] = rows;
            s->ovr_count[to] = (uint32_t)(b - a);
        }
    }
    map_remove(s, s->id[from]);
    unlink_original(s, from);
    s->id[to] = s->id[from];
    s->type[to] = s->type[from];
    s->date[to] = s->date[from];
    s->amount[to] = s->amount[from];
    s->currency[to] = s->currency[from];
    s->margin[to] = s->margin[from];
    s->has_margin[to] = s->has_margin[from];
    s->quantity[to] = s->quantity[from];
    s->product[to] = s->product[from];
    s->account[to] = s->account[from];
    s->owner[to] = s->owner[from];
    s->original[to] = s->original[from];
    s->map[map_slot(s, s->id[to])] = to;
    /* the rows naming `from` as original name `to` now (joining any left naming `to`) */
    int32_t last_in_list = -1;
    for (int32_t i = s->cancel_head[from]; i >= 0; i = s->cancel_next[i]) {
        tx->original[i] = to;
        last_in_list = i;
    }
    if (last_in_list >= 0) {
        s->cancel_next[last_in_list] = s->cancel_head[to];
        s->cancel_head[to] = s->cancel_head[from];
    }
    s->cancel_head[from] = -1;
    if (tx->original[to] == from)
        tx->original[to] = to;
    link_original(s, to);
    return AT_OK;
}

static at_code push_credit(touched_person *t, const calc_credit *c, at_error *err)
{
    if (t->count == t->capacity) {
        size_t cap = t->capacity ? t->capacity * 2 : 64;
        calc_credit *p = realloc(t->items, cap * sizeof *p);
        if (!p)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        t->items = p;
        t->capacity = cap;
    }
    t->items[t->count++] = *c;
    return AT_OK;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

/* Makes the credits of the affected transactions (new_tx: their rows after the change) and
 * places each in its person's credits. */
static at_code place_credits(at_calc_session *s, change_work *cw, const int32_t *new_tx,
                             size_t new_count, at_error *err)
{
    at_code c;
    cw->pair_count = 0;
    for (size_t k = 0; k < new_count; k++) {
        if ((c = calc_transaction_credits(&s->ctx, &s->ix, &s->in.transactions, new_tx[k],
                                          &cw->buf, err)) != AT_OK)
            return c;
        for (size_t i = 0; i < cw->buf.count; i++) {
            touched_person *t = touch(cw, cw->buf.items[i].person, err);
            if (!t)
                return AT_ERR_NOMEM;
            if ((c = push_credit(t, &cw->buf.items[i], err)) != AT_OK ||
                (c = add_pair(cw, new_tx[k], t->person, err)) != AT_OK)
                return c;
        }
    }
    for (size_t k = 0; k < cw->count; k++) {
        touched_person *t = &cw->people[k];
        if (t->count && (c = calc_blocks_insert(&s->blocks, &s->ctx, &s->in.transactions,
                                                t->person, t->items, t->count, err)) != AT_OK)
            return c;
    }
    /* every new credit in place: their terms join the running sums */
    return sums_of_pairs(s, cw, 0, +1, err);
}

static void work_reset(change_work *cw)
{
    for (size_t i = 0; i < cw->count; i++)
        free(cw->people[i].items);
    cw->count = 0;
    cw->old_count = 0;
    cw->pair_count = 0;
}

static void work_free(change_work *cw)
{
    work_reset(cw);
    free(cw->people);
    free(cw->old_tx);
    free(cw->pairs);
    free(cw->rows);
    calc_credit_buf_free(&cw->buf);
}

static at_code apply_one(at_calc_session *s, const at_calc_change *ch, change_work *cw,
                         int32_t **touched_all, size_t *touched_n, size_t *touched_cap,
                         at_error *err)
{
    at_calc_transactions *tx = &s->in.transactions;
    at_code c;
    int32_t idx = ch->kind == AT_CHANGE_ADD ? -1 : map_find(s, ch->id);
    int32_t original = -1;
    if (ch->type == AT_TX_CANCELLATION && ch->original_id)
        original = map_find(s, ch->original_id);
    work_reset(cw);
    /* 1. before: the affected rows and their people */
    int32_t last = (int32_t)tx->count - 1;
    if (idx >= 0) {
        if ((c = add_old(cw, idx, err)) != AT_OK || (c = cancellations_of(s, idx, cw, err)) != AT_OK)
            return c;
        if (ch->kind == AT_CHANGE_DELETE && idx != last && (c = add_old(cw, last, err)) != AT_OK)
            return c;
    }
    for (size_t i = 0; i < cw->old_count; i++)
        if ((c = people_of(s, cw, cw->old_tx[i], err)) != AT_OK)
            return c;
    /* their terms leave the running sums while the table and the columns are still as they
       were (a cancellation's term reads its original's credit), then the credits leave */
    if ((c = sums_of_pairs(s, cw, 0, -1, err)) != AT_OK)
        return c;
    for (size_t i = 0; i < cw->pair_count; i++)
        calc_blocks_remove(&s->blocks, &s->in.transactions, cw->pairs[i].person,
                           cw->pairs[i].transaction);
    /* 2. the change */
    size_t mirrors = 0; /* rows naming idx as original: an update remakes them */
    for (int32_t i = idx >= 0 ? s->cancel_head[idx] : -1; i >= 0; i = s->cancel_next[i])
        mirrors++;
    int32_t *new_tx = malloc((mirrors + 2) * sizeof *new_tx);
    size_t new_n = 0;
    if (!new_tx)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    c = AT_OK;
    if (ch->kind == AT_CHANGE_ADD) {
        char *id = at_arena_strdup(&s->strings, ch->id);
        if (!id)
            c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        if (c == AT_OK)
            c = columns_reserve(s, tx->count + 1, err);
        if (c == AT_OK) {
            point_input(s);
            int32_t t = (int32_t)tx->count;
            s->id[t] = id;
            set_values(s, t, ch, original);
            c = set_rows(s, t, ch, err);
            tx->count++;
            s->map[map_slot(s, id)] = t;
            new_tx[new_n++] = t;
        }
    } else if (ch->kind == AT_CHANGE_UPDATE) {
        set_values(s, idx, ch, original);
        c = set_rows(s, idx, ch, err);
        new_tx[new_n++] = idx;
        /* the cancellations mirroring it change with it */
        for (int32_t i = s->cancel_head[idx]; i >= 0; i = s->cancel_next[i])
            if (s->type[i] == AT_TX_CANCELLATION && i != idx)
                new_tx[new_n++] = i;
    } else {
        map_remove(s, s->id[idx]);
        free_override(s, (size_t)idx);
        unlink_original(s, idx);
        if (idx != last) {
            c = move_row(s, idx, last, err);
            new_tx[new_n++] = idx;
        }
        free_override(s, (size_t)last);
        tx->count--;
    }
    /* 3. the new credits, placed */
    if (c == AT_OK)
        c = place_credits(s, cw, new_tx, new_n, err);
    free(new_tx);
    if (c != AT_OK)
        return c;
    /* remember who was touched */
    for (size_t i = 0; i < cw->count; i++) {
        if (*touched_n == *touched_cap) {
            size_t cap = *touched_cap ? *touched_cap * 2 : 32;
            int32_t *p = realloc(*touched_all, cap * sizeof *p);
            if (!p)
                return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
            *touched_all = p;
            *touched_cap = cap;
        }
        (*touched_all)[(*touched_n)++] = cw->people[i].person;
    }
    return AT_OK;
}

/* ---- results ----------------------------------------------------------------------------- */

static at_code index_results(at_calc_session *s, at_error *err)
{
    size_t np = s->in.person_count;
    free(s->measure_start);
    free(s->line_start);
    free(s->payout_start);
    s->measure_start = calloc(np + 1, sizeof *s->measure_start);
    s->line_start = calloc(np + 1, sizeof *s->line_start);
    s->payout_start = calloc(np + 1, sizeof *s->payout_start);
    if (!s->measure_start || !s->line_start || !s->payout_start)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    const at_calc_result *r = &s->result;
    for (size_t i = 0; i < r->measure_count; i++)
        s->measure_start[r->measures[i].person + 1]++;
    for (size_t i = 0; i < r->line_count; i++)
        s->line_start[r->lines[i].person + 1]++;
    for (size_t i = 0; i < r->payout_count; i++)
        s->payout_start[r->payouts[i].person + 1]++;
    for (size_t p = 0; p < np; p++) {
        s->measure_start[p + 1] += s->measure_start[p];
        s->line_start[p + 1] += s->line_start[p];
        s->payout_start[p + 1] += s->payout_start[p];
    }
    return AT_OK;
}

/* Replaces the results of the payees listed (sorted) with res. */
static at_code replace_results(at_calc_session *s, const int32_t *payees, size_t n,
                               const calc_payee_results *res, at_error *err)
{
    at_calc_result *r = &s->result;
    size_t np = s->in.person_count;
    size_t nm = r->measure_count, nl = r->line_count, no = r->payout_count;
    bool same_sizes = true;
    for (size_t k = 0; k < n; k++) {
        int32_t p = payees[k];
        size_t om = s->measure_start[p + 1] - s->measure_start[p];
        size_t ol = s->line_start[p + 1] - s->line_start[p];
        size_t oo = s->payout_start[p + 1] - s->payout_start[p];
        size_t em = res->payee_start[k + 1].measure - res->payee_start[k].measure;
        size_t el = res->payee_start[k + 1].line - res->payee_start[k].line;
        size_t eo = res->payee_start[k + 1].payout - res->payee_start[k].payout;
        same_sizes = same_sizes && om == em && ol == el && oo == eo;
        nm = nm - om + em;
        nl = nl - ol + el;
        no = no - oo + eo;
    }
    if (same_sizes) {
        /* the usual late change: each payee has as many rows as before, so they are written
           over in place (copying the whole result, tens of MB at size M, cost more than the
           payees' recomputation) */
        for (size_t k = 0; k < n; k++) {
            int32_t p = payees[k];
            const calc_payee_start *a = &res->payee_start[k], *b = &res->payee_start[k + 1];
            if (b->measure > a->measure)
                memcpy(r->measures + s->measure_start[p], res->measures + a->measure,
                       (b->measure - a->measure) * sizeof *r->measures);
            if (b->line > a->line)
                memcpy(r->lines + s->line_start[p], res->lines + a->line,
                       (b->line - a->line) * sizeof *r->lines);
            if (b->payout > a->payout)
                memcpy(r->payouts + s->payout_start[p], res->payouts + a->payout,
                       (b->payout - a->payout) * sizeof *r->payouts);
        }
        return AT_OK;
    }
    at_calc_measure_value *m = malloc((nm ? nm : 1) * sizeof *m);
    at_calc_line *l = malloc((nl ? nl : 1) * sizeof *l);
    at_calc_payout *o = malloc((no ? no : 1) * sizeof *o);
    if (!m || !l || !o) {
        free(m);
        free(l);
        free(o);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    }
    size_t im = 0, il = 0, io = 0, k = 0;
    for (size_t p = 0; p < np; p++) {
        if (k < n && (size_t)payees[k] == p) {
            const calc_payee_start *a = &res->payee_start[k], *b = &res->payee_start[k + 1];
            if (b->measure > a->measure)
                memcpy(m + im, res->measures + a->measure, (b->measure - a->measure) * sizeof *m);
            im += b->measure - a->measure;
            if (b->line > a->line)
                memcpy(l + il, res->lines + a->line, (b->line - a->line) * sizeof *l);
            il += b->line - a->line;
            if (b->payout > a->payout)
                memcpy(o + io, res->payouts + a->payout, (b->payout - a->payout) * sizeof *o);
            io += b->payout - a->payout;
            k++;
            continue;
        }
        size_t c;
        if ((c = s->measure_start[p + 1] - s->measure_start[p]))
            memcpy(m + im, r->measures + s->measure_start[p], c * sizeof *m);
        im += c;
        if ((c = s->line_start[p + 1] - s->line_start[p]))
            memcpy(l + il, r->lines + s->line_start[p], c * sizeof *l);
        il += c;
        if ((c = s->payout_start[p + 1] - s->payout_start[p]))
            memcpy(o + io, r->payouts + s->payout_start[p], c * sizeof *o);
        io += c;
    }
    free(r->measures);
    free(r->lines);
    free(r->payouts);
    r->measures = m;
    r->measure_count = im;
    r->lines = l;
    r->line_count = il;
    r->payouts = o;
    r->payout_count = io;
    return index_results(s, err);
}

/* ---- the public functions ---------------------------------------------------------------- */

at_code at_calc_session_open(const at_calc_input *input, const at_calc_options *options,
                             at_calc_session **out, at_error_list *problems, at_error *err)
{
    *out = NULL;
    at_calc_session *s = calloc(1, sizeof *s);
    if (!s)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the session");
    s->in = *input;
    if (options)
        s->opt = *options;
    at_arena_init(&s->strings, 0);
    at_arena_init(&s->result.arena, 0);
    at_code c = AT_OK;
    int32_t *payees = NULL;
    size_t npay = 0;
    calc_payee_results res = {0};
    const at_calc_transactions *src = &input->transactions;
    size_t n = src->count;
    if ((c = columns_reserve(s, n + 1, err)) != AT_OK)
        goto fail;
    if (n) {
        memcpy(s->id, src->id, n * sizeof *s->id);
        memcpy(s->type, src->type, n * sizeof *s->type);
        memcpy(s->date, src->date, n * sizeof *s->date);
        memcpy(s->amount, src->amount, n * sizeof *s->amount);
        memcpy(s->currency, src->currency, n * sizeof *s->currency);
        memcpy(s->margin, src->margin, n * sizeof *s->margin);
        memcpy(s->has_margin, src->has_margin, n * sizeof *s->has_margin);
        memcpy(s->quantity, src->quantity, n * sizeof *s->quantity);
        memcpy(s->product, src->product, n * sizeof *s->product);
        memcpy(s->account, src->account, n * sizeof *s->account);
        memcpy(s->owner, src->owner, n * sizeof *s->owner);
        memcpy(s->original, src->original, n * sizeof *s->original);
    }
    s->in.transactions.count = n;
    s->base_row_count = input->tx_person_count;
    s->base_rows = malloc((s->base_row_count ? s->base_row_count : 1) * sizeof *s->base_rows);
    if (!s->base_rows) {
        c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the session");
        goto fail;
    }
    if (s->base_row_count)
        memcpy(s->base_rows, input->tx_people, s->base_row_count * sizeof *s->base_rows);
    s->in.tx_people = s->base_rows;
    if (options && options->only_people) {
        s->only = malloc((options->only_people_count + 1) * sizeof *s->only);
        if (!s->only) {
            c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the session");
            goto fail;
        }
        memcpy(s->only, options->only_people, options->only_people_count * sizeof *s->only);
        s->opt.only_people = s->only;
    }
    if ((c = map_build(s, s->capacity, err)) != AT_OK)
        goto fail;
    if ((c = calc_ctx_build(&s->ctx, &s->in, &s->opt, &s->result.arena, err)) != AT_OK)
        goto fail;
    /* the running sums: the first computation of every payee below fills them */
    if ((c = calc_sums_open(&s->ctx, err)) != AT_OK)
        goto fail;
    if ((c = calc_credit_index_build(&s->in, &s->ix, err)) != AT_OK)
        goto fail;
    point_input(s);
    link_all(s);
    if ((c = calc_make_credits(&s->ctx, &s->ix, s->opt.threads, &s->result.credits, err)) != AT_OK)
        goto fail;
    if ((c = calc_blocks_init(&s->blocks, &s->result.credits, s->in.person_count, err)) != AT_OK)
        goto fail;
    s->credits_stale = true;
    if ((c = calc_payee_list(&s->in, &s->opt, &payees, &npay, err)) != AT_OK)
        goto fail;
    s->is_payee = calloc(s->in.person_count + 1, 1);
    if (!s->is_payee) {
        c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the session");
        goto fail;
    }
    for (size_t i = 0; i < npay; i++)
        s->is_payee[payees[i]] = 1;
    if ((c = calc_compute_payees(&s->ctx, &s->blocks.t, payees, npay, s->opt.threads, &res,
                                 &s->result.arena, err)) != AT_OK)
        goto fail;
    s->result.measures = res.measures;
    s->result.measure_count = res.measure_count;
    s->result.lines = res.lines;
    s->result.line_count = res.line_count;
    s->result.payouts = res.payouts;
    s->result.payout_count = res.payout_count;
    c = calc_add_problems(problems, &res, NULL, NULL);
    free(res.problems);
    free(res.payee_start);
    if (c != AT_OK) {
        c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory recording problems");
        goto fail;
    }
    if ((c = index_results(s, err)) != AT_OK)
        goto fail;
    free(payees);
    *out = s;
    return AT_OK;
fail:
    free(payees);
    at_calc_session_close(s);
    return c;
}

/* Checks a batch against the session as the batch itself changes it: ids exist or not,
 * originals exist, indexes in range. */
static at_code check_batch(const at_calc_session *s, const at_calc_change *changes, size_t count,
                           at_error *err)
{
    const at_calc_input *in = &s->in;
    for (size_t i = 0; i < count; i++) {
        const at_calc_change *ch = &changes[i];
        if (!ch->id)
            return at_fail(err, AT_ERR_INVALID, "change", "give the transaction's id",
                           "change %zu has no transaction id", i + 1);
        /* does the id exist at this point of the batch? */
        bool exists = map_find(s, ch->id) >= 0;
        for (size_t k = 0; k < i; k++)
            if (strcmp(changes[k].id, ch->id) == 0)
                exists = changes[k].kind != AT_CHANGE_DELETE;
        if (ch->kind == AT_CHANGE_ADD && exists)
            return at_fail(err, AT_ERR_CONFLICT, ch->id, "update it instead",
                           "transaction '%s' already exists", ch->id);
        if (ch->kind != AT_CHANGE_ADD && !exists)
            return at_fail(err, AT_ERR_NOT_FOUND, ch->id, "add it first",
                           "transaction '%s' does not exist", ch->id);
        if (ch->kind == AT_CHANGE_DELETE) {
            for (size_t k = 0; k < i; k++)
                if (changes[k].kind != AT_CHANGE_DELETE &&
                    changes[k].type == AT_TX_CANCELLATION && changes[k].original_id &&
                    strcmp(changes[k].original_id, ch->id) == 0)
                    return at_fail(err, AT_ERR_CONFLICT, ch->id,
                                   "delete its cancellations first",
                                   "transaction '%s' is cancelled by '%s'", ch->id,
                                   changes[k].id);
            /* its cancellations not deleted earlier in the batch: the first row names it */
            int32_t idx = map_find(s, ch->id), first = -1;
            for (int32_t t = idx >= 0 ? s->cancel_head[idx] : -1; t >= 0; t = s->cancel_next[t])
                if (in->transactions.type[t] == AT_TX_CANCELLATION && (first < 0 || t < first)) {
                    bool gone = false;
                    for (size_t k = 0; k < i; k++)
                        gone |= changes[k].kind == AT_CHANGE_DELETE &&
                                strcmp(changes[k].id, in->transactions.id[t]) == 0;
                    if (!gone)
                        first = t;
                }
            if (first >= 0)
                return at_fail(err, AT_ERR_CONFLICT, ch->id, "delete its cancellations first",
                               "transaction '%s' is cancelled by '%s'", ch->id,
                               in->transactions.id[first]);
            continue;
        }
        if (ch->owner >= 0 && (size_t)ch->owner >= in->person_count)
            return at_fail(err, AT_ERR_INVALID, ch->id, "point at a person of the input",
                           "owner index %d does not exist", (int)ch->owner);
        if (ch->product >= 0 && (size_t)ch->product >= in->product_count)
            return at_fail(err, AT_ERR_INVALID, ch->id, "point at a product of the input",
                           "product index %d does not exist", (int)ch->product);
        if (ch->account >= 0 && (size_t)ch->account >= in->account_count)
            return at_fail(err, AT_ERR_INVALID, ch->id, "point at an account of the input",
                           "account index %d does not exist", (int)ch->account);
        if (ch->currency < 0 || (size_t)ch->currency >= in->currency_count)
            return at_fail(err, AT_ERR_INVALID, ch->id, "point at a currency of the input",
                           "currency index %d does not exist", (int)ch->currency);
        for (size_t k = 0; k < ch->people_count; k++)
            if (ch->people[k].person < 0 || (size_t)ch->people[k].person >= in->person_count)
                return at_fail(err, AT_ERR_INVALID, ch->id, "point at a person of the input",
                               "transaction person index %d does not exist",
                               (int)ch->people[k].person);
        if (ch->type == AT_TX_CANCELLATION && ch->original_id) {
            bool orig = map_find(s, ch->original_id) >= 0;
            for (size_t k = 0; k < i; k++)
                if (strcmp(changes[k].id, ch->original_id) == 0)
                    orig = changes[k].kind != AT_CHANGE_DELETE;
            if (!orig)
                return at_fail(err, AT_ERR_NOT_FOUND, ch->id, "add the original first",
                               "cancellation '%s' names original '%s', which does not exist",
                               ch->id, ch->original_id);
        }
    }
    return AT_OK;
}

at_code at_calc_session_apply(at_calc_session *session, const at_calc_change *changes,
                              size_t count, size_t *touched, at_error_list *problems,
                              at_error *err)
{
    at_calc_session *s = session;
    if (touched)
        *touched = 0;
    at_code c = check_batch(s, changes, count, err);
    if (c != AT_OK)
        return c;
    change_work cw = {0};
    calc_worker sums_worker;
    calc_worker_init(&sums_worker, &s->ctx, &s->blocks.t);
    cw.sums_worker = &sums_worker;
    int32_t *all = NULL;
    size_t all_n = 0, all_cap = 0;
    /* the table without room is made again when asked for */
    calc_credits_free(&s->result.credits);
    s->credits_stale = true;
    for (size_t i = 0; i < count && c == AT_OK; i++)
        c = apply_one(s, &changes[i], &cw, &all, &all_n, &all_cap, err);
    work_free(&cw);
    calc_worker_free(&sums_worker);
    if (c != AT_OK) {
        free(all);
        return c;
    }
    /* the touched payees, once each, sorted */
    if (all_n > 1)
        qsort(all, all_n, sizeof *all, cmp_i32);
    size_t n = 0;
    for (size_t i = 0; i < all_n; i++)
        if ((n == 0 || all[n - 1] != all[i]) && s->is_payee[all[i]])
            all[n++] = all[i];
    calc_payee_results res = {0};
    /* from the running sums a payee takes microseconds: starting threads would cost more
       (and wait for a busy machine's cores); explanations read the credits, so they may
       still use them */
    int threads = s->opt.keep_explanations ? s->opt.threads : 1;
    c = calc_compute_payees(&s->ctx, &s->blocks.t, all, n, threads, &res,
                            &s->result.arena, err);
    if (c == AT_OK)
        c = replace_results(s, all, n, &res, err);
    if (c == AT_OK && calc_add_problems(problems, &res, NULL, NULL) != AT_OK)
        c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory recording problems");
    calc_payee_results_free(&res);
    free(all);
    if (touched)
        *touched = n;
    return c;
}

const at_calc_result *at_calc_session_result(const at_calc_session *session)
{
    at_calc_session *s = (at_calc_session *)session;
    if (s->credits_stale) {
        at_error err;
        if (calc_blocks_compact(&s->blocks, &s->result.credits, &err) != AT_OK)
            return NULL;
        s->credits_stale = false;
    }
    return &s->result;
}

const at_calc_input *at_calc_session_input(const at_calc_session *session)
{
    at_calc_session *s = (at_calc_session *)session;
    /* the rows: the copied input's rows of transactions without rows of their own, then
       every transaction's own rows */
    size_t n = 0;
    const at_calc_transactions *tx = &s->in.transactions;
    for (size_t i = 0; i < s->base_row_count; i++) {
        int32_t t = s->base_rows[i].transaction;
        if (t >= 0 && (size_t)t < tx->count && !s->ovr_rows[t])
            n++;
    }
    for (size_t t = 0; t < tx->count; t++)
        if (s->ovr_rows[t])
            n += s->ovr_count[t];
    if (n > s->rows_view_capacity) {
        at_calc_tx_person *p = realloc(s->rows_view, n * sizeof *p);
        if (!p)
            return NULL;
        s->rows_view = p;
        s->rows_view_capacity = n;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->base_row_count; i++) {
        int32_t t = s->base_rows[i].transaction;
        if (t >= 0 && (size_t)t < tx->count && !s->ovr_rows[t])
            s->rows_view[k++] = s->base_rows[i];
    }
    for (size_t t = 0; t < tx->count; t++)
        for (uint32_t i = 0; s->ovr_rows[t] && i < s->ovr_count[t]; i++)
            s->rows_view[k++] = s->ovr_rows[t][i];
    s->in.tx_people = s->rows_view;
    s->in.tx_person_count = k;
    return &s->in;
}

void at_calc_session_close(at_calc_session *session)
{
    at_calc_session *s = session;
    if (!s)
        return;
    for (size_t t = 0; t < s->capacity; t++)
        if (s->ovr_rows)
            free_override(s, t);
    free(s->id);
    free(s->type);
    free(s->date);
    free(s->amount);
    free(s->currency);
    free(s->margin);
    free(s->has_margin);
    free(s->quantity);
    free(s->product);
    free(s->account);
    free(s->owner);
    free(s->original);
    free(s->ovr_rows);
    free(s->ovr_count);
    free(s->cancel_head);
    free(s->cancel_next);
    free(s->base_rows);
    free(s->rows_view);
    free(s->only);
    free(s->map);
    free(s->measure_start);
    free(s->line_start);
    free(s->payout_start);
    free(s->is_payee);
    at_arena_free(&s->strings);
    calc_credit_index_free(&s->ix);
    calc_blocks_free(&s->blocks);
    calc_sums_close(&s->ctx);
    calc_ctx_free(&s->ctx);
    at_calc_result_free(&s->result);
    free(s);
}
