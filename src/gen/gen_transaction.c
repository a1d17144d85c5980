/* gen_transaction.c - what compensation is paid on, month by month and never held in
 * memory: bookings of won deals (one per product line, with splits, overlay and SDR credit in
 * transaction_people.csv), cancellations (some after invoices were paid: clawback material),
 * invoices of every running subscription line (monthly, quarterly or annual billing) and of
 * delivered services, payments that follow invoices (mostly within 45 days, a few late, a few
 * never), and metered usage orders with their month-end invoice. A transaction that is not a
 * won deal's (invoices, payments, usage orders) is owned by whoever answers for the account's
 * territory on its day: the AE in the seat, else the nearest occupied manager seat. */
#include <stdlib.h>
#include <string.h>

#include "gen/gen_world.h"

#define USAGE_MONTHS 5 /* usage totals kept for the payments that follow */

typedef struct tx_ctx {
    gen_world *w;
    int *terr_owner;       /* per territory: who answers for it mid-month (territories
                              without a seat) */
    at_money *usage_total; /* per contract x USAGE_MONTHS */
    int64_t *by_close, *by_cancel;
} tx_ctx;

static at_money cost_in(const gen_world *w, int product, int64_t qty, int currency)
{
    return gen_price_in(w, gen_products[product].unit_cost, currency) * qty;
}

static int64_t tx(gen_world *w, const char *type, at_day date, at_money amount, int currency,
                  bool has_margin, at_money margin, int64_t qty, int64_t opp, int account,
                  int product, int owner, int64_t original)
{
    gen_out *o = &w->out;
    int64_t id = ++w->next_tx;
    gen_id(o, GF_TRANSACTIONS, "TX", (uint64_t)id, 11);
    gen_str(o, GF_TRANSACTIONS, type);
    gen_day(o, GF_TRANSACTIONS, date);
    gen_money(o, GF_TRANSACTIONS, amount);
    gen_str(o, GF_TRANSACTIONS, gen_currency_codes[currency]);
    if (has_margin)
        gen_money(o, GF_TRANSACTIONS, margin);
    else
        gen_empty(o, GF_TRANSACTIONS);
    gen_int_opt(o, GF_TRANSACTIONS, qty > 0, qty);
    gen_id_opt(o, GF_TRANSACTIONS, "O", opp, 8);
    gen_id_opt(o, GF_TRANSACTIONS, "A", account >= 0 ? account + 1 : -1, 7);
    gen_str(o, GF_TRANSACTIONS, product >= 0 ? gen_products[product].id : "");
    gen_id(o, GF_TRANSACTIONS, "P", (uint64_t)owner + 1, 6);
    gen_id_opt(o, GF_TRANSACTIONS, "TX", original, 11);
    gen_end(o, GF_TRANSACTIONS);
    return id;
}

static void tx_person(gen_world *w, int64_t id, int person, const char *role, int32_t permille)
{
    gen_out *o = &w->out;
    gen_id(o, GF_TRANSACTION_PEOPLE, "TX", (uint64_t)id, 11);
    gen_id(o, GF_TRANSACTION_PEOPLE, "P", (uint64_t)person + 1, 6);
    gen_str(o, GF_TRANSACTION_PEOPLE, role);
    gen_rate(o, GF_TRANSACTION_PEOPLE, (at_rate)permille * (AT_RATE_SCALE / 1000));
    gen_end(o, GF_TRANSACTION_PEOPLE);
}

static void credit_people(gen_world *w, const gen_won *g, int64_t id)
{
    if (g->split_person >= 0)
        tx_person(w, id, g->split_person, "split", g->split_permille);
    if (g->overlay_person >= 0)
        tx_person(w, id, g->overlay_person, "overlay", 1000);
    if (g->sdr_person >= 0 && g->sdr_person != g->owner)
        tx_person(w, id, g->sdr_person, "sdr", 1000);
}

static at_day pay_delay(gen_rng *rng)
{
    uint32_t r = gen_below(rng, 1000);
    if (r < 20)
        return -1; /* never paid */
    if (r < 850)
        return (at_day)gen_range(rng, 5, 45);
    if (r < 970)
        return (at_day)gen_range(rng, 46, 90);
    return (at_day)gen_range(rng, 91, 120);
}

static gen_world *sort_world;
static int by_close_cmp(const void *a, const void *b)
{
    const gen_won *x = &sort_world->won[*(const int64_t *)a];
    const gen_won *y = &sort_world->won[*(const int64_t *)b];
    if (x->closed_on != y->closed_on)
        return x->closed_on < y->closed_on ? -1 : 1;
    return x->opp < y->opp ? -1 : (x->opp > y->opp);
}
static int by_cancel_cmp(const void *a, const void *b)
{
    const gen_won *x = &sort_world->won[*(const int64_t *)a];
    const gen_won *y = &sort_world->won[*(const int64_t *)b];
    if (x->cancel_day != y->cancel_day)
        return x->cancel_day < y->cancel_day ? -1 : 1;
    return x->opp < y->opp ? -1 : (x->opp > y->opp);
}

static void month(tx_ctx *cx, int m, int64_t *ci, int64_t *xi);

at_code gen_transactions_write(gen_world *w)
{
    tx_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.w = w;
    cx.terr_owner = malloc((size_t)w->nterritories * sizeof(int));
    cx.usage_total = calloc((size_t)w->ncontracts * USAGE_MONTHS + 1, sizeof(at_money));
    cx.by_close = malloc(((size_t)w->nwon + 1) * sizeof(int64_t));
    cx.by_cancel = malloc(((size_t)w->nwon + 1) * sizeof(int64_t));
    if (!cx.terr_owner || !cx.usage_total || !cx.by_close || !cx.by_cancel) {
        free(cx.terr_owner);
        free(cx.usage_total);
        free(cx.by_close);
        free(cx.by_cancel);
        return gen_oom(w), AT_ERR_NOMEM;
    }
    for (int64_t i = 0; i < w->nwon; i++)
        cx.by_close[i] = cx.by_cancel[i] = i;
    sort_world = w;
    qsort(cx.by_close, (size_t)w->nwon, sizeof(int64_t), by_close_cmp);
    qsort(cx.by_cancel, (size_t)w->nwon, sizeof(int64_t), by_cancel_cmp);
    sort_world = NULL;
    gen_out_open(&w->out, GF_TRANSACTIONS);
    gen_out_open(&w->out, GF_TRANSACTION_PEOPLE);
    int64_t ci = 0, xi = 0;
    for (int m = 0; m < w->months && gen_ok(w); m++)
        month(&cx, m, &ci, &xi);
    gen_out_close(&w->out, GF_TRANSACTIONS);
    gen_out_close(&w->out, GF_TRANSACTION_PEOPLE);
    free(cx.terr_owner);
    free(cx.usage_total);
    free(cx.by_close);
    free(cx.by_cancel);
    return w->out.status;
}

/* Who answers for an account on a day (a hire, exit or promotion can fall mid-month). */
static int account_owner(const tx_ctx *cx, int account, at_day day)
{
    const gen_world *w = cx->w;
    const gen_account *a = &w->accounts[account];
    int t = a->territory2 >= 0 && day >= a->move_day ? a->territory2 : a->territory;
    int seat = w->territories[t].seat;
    if (seat < 0)
        return cx->terr_owner[t];
    int p = gen_responsible(w, seat, day);
    return p >= 0 ? p : 0;
}

/* The billing day of a contract in a month, and whether it bills that month. */
static bool bills_in(const gen_contract *c, int ym, at_day *day)
{
    int sy, sm, sd;
    at_day_to_ymd(c->start, &sy, &sm, &sd);
    int start_ym = sy * 12 + sm - 1;
    if (ym < start_ym)
        return false;
    int gap = c->billing == BILL_MONTHLY ? 1 : (c->billing == BILL_QUARTERLY ? 3 : 12);
    if ((ym - start_ym) % gap != 0)
        return false;
    int d = sd > 28 ? 28 : sd;
    *day = at_day_from_ymd(ym / 12, ym % 12 + 1, d);
    return true;
}

static void month(tx_ctx *cx, int m, int64_t *ci, int64_t *xi)
{
    gen_world *w = cx->w;
    at_day ms = gen_month_start(w->start_year, w->start_month, m);
    at_day me = gen_month_start(w->start_year, w->start_month, m + 1) - 1;
    int ym = w->start_year * 12 + w->start_month - 1 + m;
    for (int t = 0; t < w->nterritories; t++) {
        int seat = w->territories[t].seat;
        cx->terr_owner[t] = seat >= 0 ? gen_responsible(w, seat, ms + 14) : -1;
        if (cx->terr_owner[t] < 0)
            cx->terr_owner[t] = 0;
    }

    /* bookings of deals won this month */
    while (*ci < w->nwon && w->won[cx->by_close[*ci]].closed_on < ms)
        (*ci)++;
    for (; *ci < w->nwon && w->won[cx->by_close[*ci]].closed_on <= me && gen_ok(w); (*ci)++) {
        gen_won *g = &w->won[cx->by_close[*ci]];
        for (int i = 0; i < g->nlines; i++) {
            const gen_deal_line *l = &g->lines[i];
            at_money cost = cost_in(w, l->product, l->quantity, g->currency);
            int64_t id = tx(w, "booking", g->closed_on, l->amount, g->currency, true,
                            l->amount - cost, l->quantity, g->opp, g->account, l->product,
                            g->owner, -1);
            if (i == 0)
                g->first_tx = id;
            credit_people(w, g, id);
        }
    }
    /* cancellations this month of deals booked in the window */
    while (*xi < w->nwon && (w->won[cx->by_cancel[*xi]].cancel_day == GEN_NO_DAY ||
                             w->won[cx->by_cancel[*xi]].cancel_day < ms))
        (*xi)++;
    for (; *xi < w->nwon && w->won[cx->by_cancel[*xi]].cancel_day <= me && gen_ok(w); (*xi)++) {
        const gen_won *g = &w->won[cx->by_cancel[*xi]];
        if (g->first_tx < 0)
            continue; /* booked before the window */
        for (int i = 0; i < g->nlines; i++) {
            const gen_deal_line *l = &g->lines[i];
            at_money cost = cost_in(w, l->product, l->quantity, g->currency);
            int64_t id = tx(w, "cancellation", g->cancel_day, -l->amount, g->currency, true,
                            -(l->amount - cost), l->quantity, g->opp, g->account, l->product,
                            g->owner, g->first_tx + i);
            credit_people(w, g, id);
        }
    }
    /* services are invoiced a month after the deal closes, and paid like any invoice */
    for (int64_t k = 0; k < w->nwon && gen_ok(w); k++) {
        const gen_won *g = &w->won[k];
        for (int i = 0; i < g->nlines; i++) {
            const gen_deal_line *l = &g->lines[i];
            if (gen_products[l->product].kind != PK_SERVICE)
                continue;
            at_day inv = g->closed_on + 30;
            if (g->cancel_day != GEN_NO_DAY && g->cancel_day < inv)
                continue;
            gen_rng rng;
            gen_rng_seed2(&rng, w->seed, "service_payment", (uint64_t)g->opp, (uint64_t)i);
            at_day delay = pay_delay(&rng);
            at_money margin = l->amount - cost_in(w, l->product, l->quantity, g->currency);
            if (inv >= ms && inv <= me)
                tx(w, "invoice", inv, l->amount, g->currency, true, margin, l->quantity, g->opp,
                   g->account, l->product, account_owner(cx, g->account, inv), -1);
            if (delay >= 0 && inv + delay >= ms && inv + delay <= me && inv >= w->start)
                tx(w, "payment", inv + delay, l->amount, g->currency, false, 0, l->quantity,
                   g->opp, g->account, l->product, account_owner(cx, g->account, inv + delay),
                   -1);
        }
    }
    /* subscription invoices this month, and payments of this and earlier months' invoices */
    int64_t volume = w->opt.volume_permille;
    for (int64_t c = 0; c < w->ncontracts && gen_ok(w); c++) {
        const gen_contract *k = &w->contracts[c];
        if (k->start > me)
            continue;
        int a = k->account;
        const gen_account *acc = &w->accounts[a];
        for (int back = 4; back >= 0; back--) {
            int iym = ym - back;
            at_day inv;
            if (!bills_in(k, iym, &inv) || inv > k->end)
                continue;
            for (int64_t l = k->first_line; l >= 0; l = w->lines[l].next) {
                const gen_line *ln = &w->lines[l];
                if (inv < ln->start || inv > ln->end)
                    continue;
                /* a share of the lines is left out at lower volumes (tests) */
                if (volume < 1000) {
                    gen_rng vr;
                    gen_rng_seed(&vr, w->seed, "volume", (uint64_t)l);
                    if (!gen_chance(&vr, volume * 1000))
                        continue;
                }
                int periods = k->billing == BILL_MONTHLY ? 12 : (k->billing == BILL_QUARTERLY ? 4 : 1);
                at_money amount = gen_round_cents(ln->annual / periods);
                if (amount <= 0)
                    continue;
                at_money margin =
                    amount - gen_round_cents(cost_in(w, ln->product, ln->quantity, acc->currency) / periods);
                if (back == 0)
                    tx(w, "invoice", inv, amount, acc->currency, true, margin, ln->quantity,
                       ln->opp, a, ln->product, account_owner(cx, a, inv), -1);
                gen_rng rng;
                gen_rng_seed2(&rng, w->seed, "payment", (uint64_t)l, (uint64_t)iym);
                at_day delay = pay_delay(&rng);
                if (delay >= 0 && inv + delay >= ms && inv + delay <= me)
                    tx(w, "payment", inv + delay, amount, acc->currency, false, 0, ln->quantity,
                       ln->opp, a, ln->product, account_owner(cx, a, inv + delay), -1);
            }
        }
        /* metered usage this month, invoiced at month end */
        if (k->end >= ms && k->start <= me) {
            gen_rng rng;
            gen_rng_seed2(&rng, w->seed, "usage", (uint64_t)c, (uint64_t)ym);
            int64_t mean = (int64_t)w->p.usage_per_customer_milli * k->usage_permille / 1000 *
                           volume / 1000;
            int64_t n = gen_count(&rng, mean);
            at_money total = 0;
            static const uint32_t wts[3] = {50, 30, 20};
            at_day last = k->end < me ? k->end : me;
            at_day first = k->start > ms ? k->start : ms;
            for (int64_t i = 0; i < n && gen_ok(w); i++) {
                int product = gen_product_find("USG-API") + (int)gen_pick_weighted(&rng, wts, 3);
                int64_t qty = gen_range(&rng, 1, acc->segment == GEN_SEG_ENT ? 40 : 8);
                at_money amount = gen_price_in(w, gen_products[product].list_price, acc->currency) * qty;
                at_money cost = cost_in(w, product, qty, acc->currency);
                at_day day = first + (at_day)gen_range(&rng, 0, last - first);
                tx(w, "booking", day, amount, acc->currency, true, amount - cost, qty, -1, a,
                   product, account_owner(cx, a, day), -1);
                total += amount;
            }
            cx->usage_total[c * USAGE_MONTHS + (size_t)(ym % USAGE_MONTHS)] = total;
            if (total > 0)
                tx(w, "invoice", me, total, acc->currency, false, 0, 0, -1, a, -1,
                   account_owner(cx, a, me), -1);
        } else {
            cx->usage_total[c * USAGE_MONTHS + (size_t)(ym % USAGE_MONTHS)] = 0;
        }
        for (int back = 1; back <= 4 && back <= m; back++) {
            int iym = ym - back;
            at_money total = cx->usage_total[c * USAGE_MONTHS + (size_t)(iym % USAGE_MONTHS)];
            if (total <= 0)
                continue;
            at_day inv = gen_month_start(iym / 12, iym % 12 + 1, 1) - 1 +
                         at_days_in_month(iym / 12, iym % 12 + 1);
            gen_rng rng;
            gen_rng_seed2(&rng, w->seed, "usage_payment", (uint64_t)c, (uint64_t)iym);
            at_day delay = pay_delay(&rng);
            if (delay >= 0 && inv + delay >= ms && inv + delay <= me)
                tx(w, "payment", inv + delay, total, acc->currency, false, 0, 0, -1, a, -1,
                   account_owner(cx, a, inv + delay), -1);
        }
    }
}
