/* gen_customers.c - customers and what they pay for: contracts (one per customer, with a
 * billing frequency, a start whose anniversaries are the renewals, and an end when the
 * customer churns or cancels), subscription lines (product, seats, annual price), the
 * installed base when the window opens, and the product mix of a first purchase. */
#include <string.h>

#include "gen/gen_world.h"

int gen_product_find(const char *id)
{
    for (size_t i = 0; i < gen_product_count; i++)
        if (strcmp(gen_products[i].id, id) == 0)
            return (int)i;
    return -1;
}

int gen_contract_new(gen_world *w, int account, at_day start, gen_rng *rng)
{
    if (!gen_grow((void **)&w->contracts, &w->cap_contracts, w->ncontracts,
                  sizeof(gen_contract)))
        return gen_oom(w), -1;
    int idx = (int)w->ncontracts++;
    gen_contract *c = &w->contracts[idx];
    c->account = account;
    c->start = start;
    c->end = GEN_OPEN_END;
    uint32_t b = gen_below(rng, 100);
    c->billing = b < 78 ? BILL_MONTHLY : (b < 88 ? BILL_QUARTERLY : BILL_ANNUAL);
    c->first_line = -1;
    c->usage_permille = (int32_t)gen_lognormal_permille(rng, 700);
    gen_account *a = &w->accounts[account];
    a->contract = idx;
    if (a->customer_since == GEN_NO_DAY || a->customer_since > start)
        a->customer_since = start;
    return idx;
}

int64_t gen_line_add(gen_world *w, int contract, int product, int32_t quantity, at_money annual,
                     at_day start, int64_t opp)
{
    if (!gen_grow((void **)&w->lines, &w->cap_lines, w->nlines, sizeof(gen_line)))
        return gen_oom(w), -1;
    int64_t idx = w->nlines++;
    gen_line *l = &w->lines[idx];
    l->product = product;
    l->quantity = quantity;
    l->annual = annual;
    l->start = start;
    l->end = GEN_OPEN_END;
    l->opp = opp;
    gen_contract *c = &w->contracts[contract];
    /* append to keep lines in the order they were sold */
    l->next = -1;
    if (c->first_line < 0) {
        c->first_line = (int)idx;
    } else {
        int64_t k = c->first_line;
        while (w->lines[k].next >= 0)
            k = w->lines[k].next;
        w->lines[k].next = (int)idx;
    }
    return idx;
}

bool gen_is_customer(const gen_world *w, int account, at_day day)
{
    const gen_account *a = &w->accounts[account];
    if (a->contract < 0)
        return false;
    const gen_contract *c = &w->contracts[a->contract];
    return c->start <= day && day <= c->end;
}

static void add_line(gen_deal_line *lines, int *n, int product, int64_t qty, at_money unit,
                     int32_t discount)
{
    if (*n >= GEN_MAX_DEAL_LINES || qty <= 0)
        return;
    gen_deal_line *l = &lines[(*n)++];
    l->product = product;
    l->quantity = (int32_t)qty;
    l->unit_price = unit;
    l->discount_permille = discount;
    at_money gross = unit * (at_money)qty;
    l->amount = gen_round_cents(gen_mul_permille(gross, 1000 - discount));
}

int gen_compose_new(gen_world *w, gen_rng *rng, int account, gen_deal_line *lines, bool outlier,
                    bool include_services)
{
    const gen_account *a = &w->accounts[account];
    int n = 0;
    int seg = a->segment;
    int platform;
    uint32_t roll = gen_below(rng, 100);
    if (seg == GEN_SEG_SMB)
        platform = gen_product_find(roll < 60 ? "PLT-STARTER" : "PLT-PRO");
    else if (seg == GEN_SEG_MM)
        platform = gen_product_find(roll < 70 ? "PLT-PRO" : "PLT-ENT");
    else
        platform = gen_product_find("PLT-ENT");
    int64_t pct_lo[GEN_SEG_COUNT] = {40, 25, 4}, pct_hi[GEN_SEG_COUNT] = {150, 90, 12};
    int64_t seats = a->employees * gen_range(rng, pct_lo[seg], pct_hi[seg]) / 1000;
    int64_t min_seats[GEN_SEG_COUNT] = {5, 15, 50};
    if (seats < min_seats[seg])
        seats = min_seats[seg];
    if (seats > 600)
        seats = 600;
    if (outlier)
        seats *= 10;
    int32_t disc_hi[GEN_SEG_COUNT] = {100, 180, 300};
    int32_t discount = (int32_t)gen_range(rng, 0, disc_hi[seg]);
    discount -= discount % 5;
    int cur = a->currency;
    add_line(lines, &n, platform, seats, gen_price_in(w, gen_products[platform].list_price, cur),
             discount);
    static const struct {
        const char *id;
        int32_t ppm[GEN_SEG_COUNT];
        bool per_seat;
    } addons[] = {
        {"ADD-ANALYTICS", {300000, 380000, 450000}, true},
        {"ADD-SECURITY", {120000, 250000, 600000}, true},
        {"ADD-AI", {150000, 220000, 300000}, true},
        {"ADD-CONNECT", {250000, 300000, 350000}, true},
        {"ADD-SANDBOX", {0, 200000, 450000}, false},
        {"SVC-PREMIUM", {0, 100000, 400000}, false},
    };
    for (size_t i = 0; i < sizeof addons / sizeof addons[0]; i++) {
        if (!gen_chance(rng, addons[i].ppm[seg]))
            continue;
        int p = gen_product_find(addons[i].id);
        int64_t qty = addons[i].per_seat ? seats : gen_range(rng, 1, seg == GEN_SEG_ENT ? 3 : 1);
        add_line(lines, &n, p, qty, gen_price_in(w, gen_products[p].list_price, cur), discount);
    }
    if (include_services) {
        int p = -1;
        int64_t qty = 1;
        uint32_t s = gen_below(rng, 100);
        if (seg == GEN_SEG_ENT && s < 35)
            p = gen_product_find("SVC-INTEGRATION");
        else if (s < 65)
            p = gen_product_find("SVC-ONBOARD");
        else if (s < 85) {
            p = gen_product_find("SVC-TRAINING");
            qty = gen_range(rng, 1, 5);
        }
        if (p >= 0)
            add_line(lines, &n, p, qty, gen_price_in(w, gen_products[p].list_price, cur), 0);
    }
    return n;
}

at_code gen_customers_build(gen_world *w)
{
    /* the installed base: customers who signed before the window (and its lead-in) */
    static const int32_t share_ppm[GEN_SEG_COUNT] = {250000, 300000, 350000};
    for (int64_t i = 0; i < w->naccounts && gen_ok(w); i++) {
        gen_account *a = &w->accounts[i];
        gen_rng rng;
        gen_rng_seed(&rng, w->seed, "installed_base", (uint64_t)i);
        int32_t ppm = share_ppm[a->segment] * w->p.base_customer_permille / 300;
        if (w->territories[a->territory].planted == PLANT_TERRITORY_UNDER)
            ppm /= 2;
        if (!gen_chance(&rng, ppm))
            continue;
        /* signed on a day that follows the year's seasonality (more in fiscal Q4) */
        at_day start = w->pipe_start - (at_day)gen_range(&rng, 20, 1500);
        for (int tries = 0; tries < 8; tries++) {
            if (gen_chance(&rng, (int64_t)gen_season_permille(w, start) * 1000000 / 1500))
                break;
            start = w->pipe_start - (at_day)gen_range(&rng, 20, 1500);
        }
        int c = gen_contract_new(w, (int)i, start, &rng);
        if (c < 0)
            break;
        gen_deal_line lines[GEN_MAX_DEAL_LINES];
        int n = gen_compose_new(w, &rng, (int)i, lines, false, false);
        bool legacy = gen_chance(&rng, 60000);
        for (int k = 0; k < n; k++) {
            int product = k == 0 && legacy ? gen_product_find("PLT-CLASSIC") : lines[k].product;
            at_money annual = lines[k].amount;
            if (k == 0 && legacy)
                annual = gen_round_cents(gen_mul_permille(annual, 667));
            if (gen_line_add(w, c, product, lines[k].quantity, annual, start, -1) < 0)
                break;
        }
    }
    return w->out.status;
}
