/* credit.c - transactions to credits: who is credited how much for each transaction.
 *
 * For a transaction (a cancellation uses its original's people, account and date for who is
 * credited, its own amount and date for how much and when):
 *  - the owner and the split partners share the amount, allocated exactly to 0.0001 with
 *    at_money_allocate in proportion to the shares (owner first with 1 - the split shares,
 *    then partners by person external id): 100.00 split in thirds is 33.3334, 33.3333,
 *    33.3333 (the spare 0.0001 to the owner, who comes first); the margin is allocated the
 *    same way. A cancellation's amount is allocated with its original's shares, so its
 *    credits mirror the original's scaled by cancelled / original amount and add up to the
 *    cancelled amount exactly.
 *  - overlays, SDRs and named managers get amount x share, half-even to 0.0001, on top;
 *  - every manager above an owner or split credit on the date (effective-dated reporting
 *    lines) gets a roll-up credit repeating it, level 1 for the direct manager, 2 above...;
 *    a manager met twice on the way up (a loop in the data) ends the walk;
 *  - every person covering a territory the account is in on the date gets a territory credit
 *    repeating the amount (once per person and coverage role).
 * A transaction's credits come out in the order they take within one person's credits of it
 * (kind, level, from_person external id, role, amount, share); credit_table.c places them in
 * the table. */
#include <stdlib.h>
#include <string.h>

#include "calc/calc_internal.h"

#define ROLLUP_DEPTH_MAX 64

at_code calc_credits_alloc(at_calc_credits *c, size_t capacity, size_t person_count,
                           at_error *err)
{
    memset(c, 0, sizeof *c);
    size_t n = capacity ? capacity : 1;
    c->transaction = malloc(n * sizeof *c->transaction);
    c->person = malloc(n * sizeof *c->person);
    c->kind = malloc(n);
    c->level = malloc(n);
    c->role = malloc(n);
    c->from_person = malloc(n * sizeof *c->from_person);
    c->share = malloc(n * sizeof *c->share);
    c->amount = malloc(n * sizeof *c->amount);
    c->margin = malloc(n * sizeof *c->margin);
    c->date = malloc(n * sizeof *c->date);
    c->month = malloc(n * sizeof *c->month);
    c->person_start = calloc(person_count + 1, sizeof *c->person_start);
    if (!c->transaction || !c->person || !c->kind || !c->level || !c->role ||
        !c->from_person || !c->share || !c->amount || !c->margin || !c->date || !c->month ||
        !c->person_start) {
        calc_credits_free(c);
        return at_fail(err, AT_ERR_NOMEM, NULL, "compute fewer months or people at once",
                       "out of memory for %zu credits", capacity);
    }
    return AT_OK;
}

void calc_credits_free(at_calc_credits *c)
{
    free(c->transaction);
    free(c->person);
    free(c->kind);
    free(c->level);
    free(c->role);
    free(c->from_person);
    free(c->share);
    free(c->amount);
    free(c->margin);
    free(c->date);
    free(c->month);
    free(c->person_start);
    memset(c, 0, sizeof *c);
}

void calc_credit_buf_free(calc_credit_buf *b)
{
    free(b->items);
    free(b->weights);
    free(b->parts);
    free(b->partners);
    memset(b, 0, sizeof *b);
}

/* ---- the index --------------------------------------------------------------------------- */

static at_code group_by(calc_group *g, size_t groups, size_t n, const int32_t *key,
                        size_t stride, at_error *err)
{
    g->start = calloc(groups + 1, sizeof *g->start);
    g->idx = malloc((n ? n : 1) * sizeof *g->idx);
    size_t *pos = malloc((groups ? groups : 1) * sizeof *pos);
    if (!g->start || !g->idx || !pos) {
        free(pos);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory indexing %zu rows", n);
    }
#define KEY(i) (*(const int32_t *)((const char *)key + (i) * stride))
    for (size_t i = 0; i < n; i++)
        if (KEY(i) >= 0 && (size_t)KEY(i) < groups)
            g->start[KEY(i) + 1]++;
    for (size_t k = 0; k < groups; k++)
        g->start[k + 1] += g->start[k];
    memcpy(pos, g->start, groups * sizeof *pos);
    for (size_t i = 0; i < n; i++)
        if (KEY(i) >= 0 && (size_t)KEY(i) < groups)
            g->idx[pos[KEY(i)]++] = (int32_t)i;
#undef KEY
    free(pos);
    return AT_OK;
}

at_code calc_credit_index_build(const at_calc_input *in, calc_credit_index *ix, at_error *err)
{
    memset(ix, 0, sizeof *ix);
    ix->tx_person_rows = in->tx_people;
    at_code c = group_by(&ix->tx_people, in->transactions.count, in->tx_person_count,
                         in->tx_person_count ? &in->tx_people[0].transaction : NULL,
                         sizeof *in->tx_people, err);
    if (c != AT_OK)
        return c;
    c = group_by(&ix->account_territories, in->account_count, in->territory_account_count,
                 in->territory_account_count ? &in->territory_accounts[0].account : NULL,
                 sizeof *in->territory_accounts, err);
    if (c != AT_OK)
        return c;
    int32_t tc = 0;
    for (size_t i = 0; i < in->territory_account_count; i++)
        if (in->territory_accounts[i].territory + 1 > tc)
            tc = in->territory_accounts[i].territory + 1;
    for (size_t i = 0; i < in->territory_person_count; i++)
        if (in->territory_people[i].territory + 1 > tc)
            tc = in->territory_people[i].territory + 1;
    ix->territory_count = tc;
    return group_by(&ix->territory_people, (size_t)tc, in->territory_person_count,
                    in->territory_person_count ? &in->territory_people[0].territory : NULL,
                    sizeof *in->territory_people, err);
}

void calc_credit_index_free(calc_credit_index *ix)
{
    free(ix->tx_people.start);
    free(ix->tx_people.idx);
    free(ix->account_territories.start);
    free(ix->account_territories.idx);
    free(ix->territory_people.start);
    free(ix->territory_people.idx);
    memset(ix, 0, sizeof *ix);
}

/* ---- one transaction --------------------------------------------------------------------- */

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

/* Order of credits within one transaction (person not included). */
static int within_tx_cmp(const calc_ctx *ctx, const calc_credit *a, const calc_credit *b)
{
    int c = cmp_i64(a->kind, b->kind);
    if (!c)
        c = cmp_i64(a->level, b->level);
    if (!c)
        c = cmp_i64(a->from_person >= 0 ? ctx->person_rank[a->from_person] : -1,
                    b->from_person >= 0 ? ctx->person_rank[b->from_person] : -1);
    if (!c)
        c = cmp_i64(a->role, b->role);
    if (!c)
        c = cmp_i64(a->amount, b->amount);
    if (!c)
        c = cmp_i64(a->share, b->share);
    if (!c)
        c = cmp_i64(a->margin, b->margin);
    return c;
}

int calc_credit_compare(const calc_ctx *ctx, const at_calc_transactions *tx,
                        const calc_credit *a, const calc_credit *b)
{
    int c = cmp_i64(ctx->person_rank[a->person], ctx->person_rank[b->person]);
    if (!c)
        c = cmp_i64(a->date, b->date);
    if (!c && a->transaction != b->transaction)
        c = calc_strcmp(tx->id[a->transaction], tx->id[b->transaction]);
    if (!c)
        c = within_tx_cmp(ctx, a, b);
    return c;
}

static __attribute__((noinline)) at_code grow(calc_credit_buf *b, at_error *err)
{
    size_t cap = b->capacity ? b->capacity * 2 : 16;
    calc_credit *items = realloc(b->items, cap * sizeof *items);
    if (!items)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for credits");
    b->items = items;
    b->capacity = cap;
    return AT_OK;
}

/* inline: a transaction pushes ten credits or so, and this runs for every one */
static inline at_code push(calc_credit_buf *b, const calc_credit *c, at_error *err)
{
    if (__builtin_expect(b->count == b->capacity, 0)) {
        at_code rc = grow(b, err);
        if (rc != AT_OK)
            return rc;
    }
    b->items[b->count++] = *c;
    return AT_OK;
}

static at_code reserve_partners(calc_credit_buf *b, size_t n, at_error *err)
{
    if (n <= b->partner_capacity)
        return AT_OK;
    size_t cap = n < 16 ? 16 : n * 2;
    int64_t *w = realloc(b->weights, cap * sizeof *w);
    if (w)
        b->weights = w;
    at_money *p = realloc(b->parts, cap * sizeof *p);
    if (p)
        b->parts = p;
    int32_t *q = realloc(b->partners, cap * sizeof *q);
    if (q)
        b->partners = q;
    if (!w || !p || !q)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for credits");
    b->partner_capacity = cap;
    return AT_OK;
}

/* The manager of person p on day d: the reporting line covering d with the latest start. */
static int32_t manager_of(const calc_ctx *ctx, int32_t p, at_day d)
{
    const calc_group *g = &ctx->reporting;
    int32_t m = -1;
    for (size_t i = g->start[p]; i < g->start[p + 1]; i++) {
        const at_calc_reporting_line *l = &ctx->in->reporting_lines[g->idx[i]];
        if (l->start <= d && d <= l->end)
            m = l->manager;
    }
    return m;
}

static at_code rollups(const calc_ctx *ctx, calc_credit_buf *b, const calc_credit *from,
                       at_day lookup_day, at_error *err)
{
    int32_t seen[ROLLUP_DEPTH_MAX + 1];
    int n = 0;
    seen[n++] = from->person;
    int32_t cur = from->person;
    for (int level = 1; level <= ROLLUP_DEPTH_MAX; level++) {
        int32_t m = manager_of(ctx, cur, lookup_day);
        if (m < 0 || (size_t)m >= ctx->in->person_count)
            break;
        for (int i = 0; i < n; i++)
            if (seen[i] == m)
                return AT_OK; /* a loop in the reporting lines */
        calc_credit r = *from;
        r.person = m;
        r.kind = AT_CREDIT_ROLLUP;
        r.level = (uint8_t)(level > 255 ? 255 : level);
        r.from_person = from->person;
        r.share = AT_RATE_SCALE;
        r.role = 0;
        at_code c = push(b, &r, err);
        if (c != AT_OK)
            return c;
        seen[n++] = m;
        cur = m;
    }
    return AT_OK;
}

static at_money scale_half_even(at_money v, at_rate share)
{
    int64_t out = 0;
    if (!calc_muldiv(v, share, AT_RATE_SCALE, &out))
        return 0;
    return out;
}

at_code calc_transaction_credits_unsorted(const calc_ctx *ctx, const calc_credit_index *ix,
                                          const at_calc_transactions *tx, int32_t t,
                                          calc_credit_buf *buf, at_error *err)
{
    const at_calc_input *in = ctx->in;
    buf->count = 0;
    int32_t src = t;
    at_money amount = tx->amount[t];
    at_money margin = tx->has_margin[t] ? tx->margin[t] : 0;
    if (tx->type[t] == AT_TX_CANCELLATION && tx->original[t] >= 0 &&
        (size_t)tx->original[t] < tx->count) {
        src = tx->original[t];
        if (!tx->has_margin[t] && tx->has_margin[src] && tx->amount[src] != 0) {
            int64_t m = 0;
            if (calc_div((calc_i128)tx->margin[src] * amount, tx->amount[src],
                         AT_ROUND_HALF_EVEN, &m))
                margin = m;
        }
    }
    at_day day = tx->date[t];        /* the credits' date */
    at_day lookup = tx->date[src];   /* who is credited: on the original's date */

    /* the people named on the (original) transaction */
    const at_calc_tx_person *rows = NULL;
    const int32_t *row_idx = NULL;
    size_t nrows = 0;
    if (ix->ovr_rows && ix->ovr_rows[src]) {
        rows = ix->ovr_rows[src];
        nrows = ix->ovr_count[src];
    } else if (ix->tx_people.start) {
        rows = ix->tx_person_rows;
        row_idx = ix->tx_people.idx + ix->tx_people.start[src];
        nrows = ix->tx_people.start[src + 1] - ix->tx_people.start[src];
    }
#define ROW(i) (row_idx ? &rows[row_idx[i]] : &rows[i])
    at_code c = reserve_partners(buf, nrows + 1, err);
    if (c != AT_OK)
        return c;

    /* owner and split partners */
    size_t np = 0;
    int64_t split_sum = 0;
    for (size_t i = 0; i < nrows; i++) {
        const at_calc_tx_person *r = ROW(i);
        if (r->person < 0 || (size_t)r->person >= in->person_count)
            return at_fail(err, AT_ERR_INVALID, "transaction_people",
                           "point at a person of the input",
                           "transaction '%s' names person index %d, which does not exist",
                           tx->id[src] ? tx->id[src] : "", (int)r->person);
        if (r->role == AT_TX_ROLE_SPLIT && r->share > 0) {
            buf->partners[np++] = (int32_t)i;
            split_sum += r->share;
        }
    }
    /* partners by person external id (then share): insertion sort, lists are short */
    for (size_t i = 1; i < np; i++) {
        int32_t x = buf->partners[i];
        size_t j = i;
        while (j > 0) {
            const at_calc_tx_person *a = ROW(buf->partners[j - 1]), *bx = ROW(x);
            int cm = cmp_i64(ctx->person_rank[a->person], ctx->person_rank[bx->person]);
            if (!cm)
                cm = cmp_i64(a->share, bx->share);
            if (cm <= 0)
                break;
            buf->partners[j] = buf->partners[j - 1];
            j--;
        }
        buf->partners[j] = x;
    }
    int32_t owner = tx->owner[src];
    if (owner >= 0 && (size_t)owner >= in->person_count)
        return at_fail(err, AT_ERR_INVALID, "transactions", "point at a person of the input",
                       "transaction '%s' has owner index %d, which does not exist",
                       tx->id[src] ? tx->id[src] : "", (int)owner);
    int64_t owner_w = owner >= 0 ? AT_RATE_SCALE - split_sum : 0;
    if (owner_w < 0)
        owner_w = 0;
    size_t n = 0;
    buf->weights[n++] = owner_w;
    for (size_t i = 0; i < np; i++)
        buf->weights[n++] = ROW(buf->partners[i])->share;
    if (owner_w == 0 && np == 0)
        n = 0;
    size_t first_seller = buf->count;
    if (n > 0) {
        at_money *parts = buf->parts;
        at_money margin_parts_local[1] = {margin};
        if (n == 1) {
            parts[0] = amount;
            margin_parts_local[0] = margin;
        } else if ((c = at_money_allocate(amount, buf->weights, n, AT_MONEY_DECIMALS, parts,
                                          err)) != AT_OK) {
            return c;
        }
        for (size_t k = 0; k < n; k++) {
            if (buf->weights[k] == 0)
                continue;
            calc_credit cr = {
                .transaction = t,
                .person = k == 0 ? owner : ROW(buf->partners[k - 1])->person,
                .from_person = -1,
                .kind = k == 0 ? AT_CREDIT_OWNER : AT_CREDIT_SPLIT,
                .share = buf->weights[k],
                .amount = parts[k],
                .margin = 0,
                .date = day,
            };
            if ((c = push(buf, &cr, err)) != AT_OK)
                return c;
        }
        /* the margin, allocated the same way */
        if (n == 1) {
            buf->items[first_seller].margin = margin_parts_local[0];
        } else if (margin != 0) {
            if ((c = at_money_allocate(margin, buf->weights, n, AT_MONEY_DECIMALS, parts,
                                       err)) != AT_OK)
                return c;
            size_t w = first_seller;
            for (size_t k = 0; k < n; k++)
                if (buf->weights[k] != 0)
                    buf->items[w++].margin = parts[k];
        }
    }
    size_t sellers_end = buf->count;

    /* overlays, SDRs, named managers */
    for (size_t i = 0; i < nrows; i++) {
        const at_calc_tx_person *r = ROW(i);
        if (r->role == AT_TX_ROLE_SPLIT)
            continue;
        calc_credit cr = {
            .transaction = t,
            .person = r->person,
            .from_person = -1,
            .kind = r->role == AT_TX_ROLE_OVERLAY ? AT_CREDIT_OVERLAY
                    : r->role == AT_TX_ROLE_SDR   ? AT_CREDIT_SDR
                                                  : AT_CREDIT_MANAGER,
            .share = r->share,
            .amount = scale_half_even(amount, r->share),
            .margin = scale_half_even(margin, r->share),
            .date = day,
        };
        if ((c = push(buf, &cr, err)) != AT_OK)
            return c;
    }
#undef ROW

    /* roll-ups above each seller */
    for (size_t i = first_seller; i < sellers_end; i++) {
        calc_credit from = buf->items[i];
        if ((c = rollups(ctx, buf, &from, lookup, err)) != AT_OK)
            return c;
    }

    /* territory coverage */
    int32_t account = tx->account[src];
    if (account >= 0 && (size_t)account < in->account_count && ix->account_territories.start) {
        size_t tstart = buf->count;
        const calc_group *ga = &ix->account_territories;
        for (size_t i = ga->start[account]; i < ga->start[account + 1]; i++) {
            const at_calc_territory_account *ta = &in->territory_accounts[ga->idx[i]];
            if (lookup < ta->start || lookup > ta->end || ta->territory < 0 ||
                ta->territory >= ix->territory_count)
                continue;
            const calc_group *gp = &ix->territory_people;
            for (size_t k = gp->start[ta->territory]; k < gp->start[ta->territory + 1]; k++) {
                const at_calc_territory_person *tp = &in->territory_people[gp->idx[k]];
                if (lookup < tp->start || lookup > tp->end || tp->person < 0 ||
                    (size_t)tp->person >= in->person_count)
                    continue;
                bool dup = false;
                for (size_t q = tstart; q < buf->count && !dup; q++)
                    dup = buf->items[q].person == tp->person && buf->items[q].role == tp->role;
                if (dup)
                    continue;
                calc_credit cr = {
                    .transaction = t,
                    .person = tp->person,
                    .from_person = -1,
                    .kind = AT_CREDIT_TERRITORY,
                    .role = tp->role,
                    .share = AT_RATE_SCALE,
                    .amount = amount,
                    .margin = margin,
                    .date = day,
                };
                if ((c = push(buf, &cr, err)) != AT_OK)
                    return c;
            }
        }
    }

    return AT_OK;
}

at_code calc_transaction_credits(const calc_ctx *ctx, const calc_credit_index *ix,
                                 const at_calc_transactions *tx, int32_t t,
                                 calc_credit_buf *buf, at_error *err)
{
    at_code c = calc_transaction_credits_unsorted(ctx, ix, tx, t, buf, err);
    if (c != AT_OK)
        return c;
    /* the order within the transaction: insertion sort, and most credits are made in order
       (owner, then the managers above by level), so most stay where they are */
    for (size_t i = 1; i < buf->count; i++) {
        if (within_tx_cmp(ctx, &buf->items[i - 1], &buf->items[i]) <= 0)
            continue;
        calc_credit x = buf->items[i];
        size_t j = i;
        while (j > 0 && within_tx_cmp(ctx, &buf->items[j - 1], &x) > 0) {
            buf->items[j] = buf->items[j - 1];
            j--;
        }
        buf->items[j] = x;
    }
    return AT_OK;
}
