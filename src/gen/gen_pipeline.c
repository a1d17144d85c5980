/* gen_pipeline.c - the sales pipeline, month by month from four months before the window to
 * its end: marketing and outbound leads, their hand-offs (marketing -> SDR -> AE, some
 * rejected), account executives' own prospecting, expansions of customers and renewals run by
 * customer success. Each opportunity's whole story (stages, dates, amount, outcome, owner over
 * time) is decided when it is created, from its own random stream, and written at once with
 * its products, stage history, activities and scorecard answers. Won deals are kept (small)
 * for the transactions; contracts are updated with what they sold, renewed or lost. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gen_planted.h"
#include "gen/gen_world.h"

typedef struct pipe_ctx {
    gen_world *w;
    int64_t region_first[GEN_REGION_COUNT], region_last[GEN_REGION_COUNT];
    int *accepted; /* SDR hand-offs accepted by each seat this month */
    int *overlay_for_area;
    at_time end_t;
} pipe_ctx;

static int64_t isqrt(int64_t v)
{
    if (v <= 0)
        return 0;
    int64_t r = 1;
    while (r * r <= v)
        r *= 2;
    int64_t lo = r / 2, hi = r;
    while (lo + 1 < hi) {
        int64_t mid = (lo + hi) / 2;
        if (mid * mid <= v)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* sqrt of a per-mille value, in per-mille */
static int64_t sqrt_permille(int64_t permille)
{
    return isqrt(permille * 1000);
}

static int territory_on(const gen_world *w, int account, at_day day)
{
    const gen_account *a = &w->accounts[account];
    return a->territory2 >= 0 && day >= a->move_day ? a->territory2 : a->territory;
}

static int32_t skill_of(const gen_world *w, int seat, int person)
{
    if (person < 0 || w->seats[seat].kind != SK_AE || gen_occupant(w, seat, 0) == -2)
        return 1000;
    return w->people[person].skill_permille;
}

/* ---- the story of one opportunity --------------------------------------------------------- */

typedef struct opp_input {
    gen_deal_kind kind;
    int start_stage;
    int seat;       /* whose book it is in: AE territory seat or CSM seat */
    int account;
    at_day created;
    int64_t lead;   /* -1 */
    int sdr;        /* person, -1 */
    at_day anniversary; /* renewals */
} opp_input;

static const char *const lost_early[] = {"No budget", "No decision", "Not a fit",
                                         "Unresponsive"};
static const char *const lost_late[] = {"Lost to competitor", "Price",
                                        "Went with an in-house build",
                                        "Timing: pushed to next year"};
static const char *const won_reasons[] = {"Best fit for requirements", "Champion drove the decision",
                                          "Strong business case", "Existing relationship"};

static int64_t dwell_seconds(gen_rng *rng, gen_deal_kind kind, int segment)
{
    static const int64_t lo[GEN_SEG_COUNT] = {5, 9, 16}, hi[GEN_SEG_COUNT] = {17, 30, 52};
    int64_t days = kind == DEAL_RENEWAL ? gen_range(rng, 5, 22) : gen_range(rng, lo[segment], hi[segment]);
    return days * AT_SECONDS_PER_DAY + gen_range(rng, -4 * 3600, 4 * 3600);
}

static int compose_expansion(gen_world *w, gen_rng *rng, int account, gen_deal_line *lines)
{
    const gen_account *a = &w->accounts[account];
    const gen_contract *c = &w->contracts[a->contract];
    int platform = -1;
    int32_t seats = 10;
    for (int64_t l = c->first_line; l >= 0; l = w->lines[l].next)
        if (gen_products[w->lines[l].product].kind == PK_PLATFORM) {
            platform = w->lines[l].product;
            seats = w->lines[l].quantity;
        }
    if (platform < 0 || !gen_products[platform].active)
        platform = gen_product_find(a->segment == GEN_SEG_SMB ? "PLT-PRO" : "PLT-ENT");
    int cur = a->currency;
    int n = 0;
    gen_deal_line *l = &lines[n++];
    if (gen_chance(rng, 550000)) {
        l->product = platform;
        l->quantity = (int32_t)(seats * gen_range(rng, 200, 600) / 1000 + 2);
    } else {
        static const char *const addons[] = {"ADD-ANALYTICS", "ADD-SECURITY", "ADD-AI",
                                             "ADD-CONNECT"};
        l->product = gen_product_find(addons[gen_below(rng, 4)]);
        l->quantity = seats;
    }
    l->unit_price = gen_price_in(w, gen_products[l->product].list_price, cur);
    l->discount_permille = (int32_t)gen_range(rng, 0, 30) * 5;
    l->amount = gen_round_cents(gen_mul_permille(l->unit_price * l->quantity,
                                                 1000 - l->discount_permille));
    return n;
}

static int compose_renewal(gen_world *w, gen_rng *rng, int account, at_day anniversary,
                           gen_deal_line *lines, int64_t *line_ids)
{
    const gen_account *a = &w->accounts[account];
    const gen_contract *c = &w->contracts[a->contract];
    int32_t uplift = (int32_t)gen_range(rng, 1000, 1070);
    int n = 0;
    for (int64_t l = c->first_line; l >= 0 && n < GEN_MAX_DEAL_LINES; l = w->lines[l].next) {
        const gen_line *ln = &w->lines[l];
        if (ln->start > anniversary - 1 || ln->end < anniversary - 1 || ln->quantity <= 0)
            continue;
        gen_deal_line *d = &lines[n];
        d->product = ln->product;
        if (!gen_products[d->product].active)
            d->product = gen_product_find("PLT-PRO"); /* migrated off the retired platform */
        d->quantity = ln->quantity;
        at_money unit = ln->annual / ln->quantity;
        d->unit_price = gen_round_cents(gen_mul_permille(unit, uplift));
        d->discount_permille = 0;
        d->amount = gen_round_cents(d->unit_price * d->quantity);
        line_ids[n] = l;
        n++;
    }
    return n;
}

static void write_opp_products(gen_world *w, int64_t opp, const gen_deal_line *lines, int n)
{
    gen_out *o = &w->out;
    /* one row per product: merge lines of the same product */
    for (int i = 0; i < n; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen |= lines[j].product == lines[i].product;
        if (seen)
            continue;
        int64_t qty = 0;
        for (int j = i; j < n; j++)
            if (lines[j].product == lines[i].product)
                qty += lines[j].quantity;
        gen_id(o, GF_OPPORTUNITY_PRODUCTS, "O", (uint64_t)opp, 8);
        gen_str(o, GF_OPPORTUNITY_PRODUCTS, gen_products[lines[i].product].id);
        gen_int(o, GF_OPPORTUNITY_PRODUCTS, qty);
        gen_money(o, GF_OPPORTUNITY_PRODUCTS, lines[i].unit_price);
        gen_rate(o, GF_OPPORTUNITY_PRODUCTS,
                 (at_rate)lines[i].discount_permille * (AT_RATE_SCALE / 1000));
        gen_end(o, GF_OPPORTUNITY_PRODUCTS);
    }
}

static int person_in(const gen_world *w, int seat, at_day day)
{
    return gen_responsible(w, seat, day);
}

static int64_t create_opp(pipe_ctx *cx, const opp_input *in)
{
    gen_world *w = cx->w;
    gen_out *o = &w->out;
    int64_t opp = ++w->nopps;
    gen_rng rng;
    gen_rng_seed(&rng, w->seed, "opportunity", (uint64_t)opp);
    gen_account *acc = &w->accounts[in->account];
    int seg = acc->segment;
    int owner0 = person_in(w, in->seat, in->created);
    bool occupant = owner0 >= 0 && gen_occupant(w, in->seat, in->created) == owner0;
    int32_t skill = occupant && w->seats[in->seat].kind == SK_AE
                        ? w->people[owner0].skill_permille
                        : 1000;
    int32_t ramp = occupant ? gen_ramp_permille(w, owner0, in->created) : 1000;
    if (ramp < 120)
        ramp = 120;
    int planted = occupant ? w->people[owner0].planted : 0;
    (void)skill_of;

    gen_opp_story s;
    memset(&s, 0, sizeof s);
    s.opp = opp;
    s.account = in->account;
    s.owner_seat = in->seat;
    s.region = acc->region;
    s.kind = in->kind;
    s.employees = acc->employees;
    s.drivers.champion = gen_chance(&rng, 450000);
    s.drivers.compelling_event = gen_chance(&rng, 400000);
    s.drivers.decision_process = gen_chance(&rng, 500000);
    s.drivers.economic_buyer = gen_chance(&rng, 500000);

    /* what is being sold */
    gen_deal_line lines[GEN_MAX_DEAL_LINES];
    int64_t renewal_lines[GEN_MAX_DEAL_LINES];
    int nlines = 0;
    bool outlier = false;
    if (in->kind == DEAL_NEW) {
        outlier = seg != GEN_SEG_SMB && gen_chance(&rng, PLANT_OUTLIER_PPM);
        nlines = gen_compose_new(w, &rng, in->account, lines, outlier, true);
    } else if (in->kind == DEAL_EXPANSION) {
        nlines = compose_expansion(w, &rng, in->account, lines);
    } else {
        nlines = compose_renewal(w, &rng, in->account, in->anniversary, lines, renewal_lines);
    }
    at_money amount = 0;
    for (int i = 0; i < nlines; i++)
        amount += lines[i].amount;

    /* walk the stages */
    static const int32_t p_new[5] = {600, 680, 700, 660, 700};
    static const int32_t p_exp[5] = {900, 900, 820, 800, 800};
    static const int32_t p_ren[5] = {990, 980, 980, 970, 920};
    const int32_t *base = in->kind == DEAL_NEW ? p_new : (in->kind == DEAL_EXPANSION ? p_exp : p_ren);
    at_time t = gen_business_time(&rng, s.region, in->created);
    int stage = in->start_stage;
    s.stage[0] = stage;
    s.entered[0] = t;
    s.nstages = 1;
    bool won = false;
    at_day planned_close = in->created + (at_day)(dwell_seconds(&rng, in->kind, seg) * 4 / 86400);
    while (stage < ST_WON) {
        int64_t p = base[stage];
        if (in->kind != DEAL_RENEWAL) {
            if (stage < ST_PROPOSAL) {
                if (planted & PLANT_EARLY_ADVANCER)
                    p = p * PLANT_EARLY_PERMILLE / 1000;
            } else {
                p = p * sqrt_permille(skill) / 1000;
                p = p * sqrt_permille(ramp) / 1000;
                p = p * (s.drivers.champion ? PLANT_CHAMPION_YES : PLANT_CHAMPION_NO) / 1000;
                p = p * (s.drivers.compelling_event ? PLANT_EVENT_YES : PLANT_EVENT_NO) / 1000;
                p = p * (s.drivers.decision_process ? PLANT_PROCESS_YES : PLANT_PROCESS_NO) / 1000;
                p = p * (s.drivers.economic_buyer ? PLANT_BUYER_YES : PLANT_BUYER_NO) / 1000;
                if (planted & PLANT_EARLY_ADVANCER)
                    p = p * PLANT_LATE_PERMILLE / 1000;
            }
        }
        if (stage == ST_NEGOTIATION && in->kind != DEAL_RENEWAL) {
            /* budgets: deals due in fiscal Q4 close more often, summer deals stall */
            at_day due = at_time_day(t) + 20;
            p = p * gen_season_permille(w, due) / 1037;
        }
        if (p < 20)
            p = 20;
        if (p > 950)
            p = 950;
        int64_t dwell = dwell_seconds(&rng, in->kind, seg);
        if (gen_chance(&rng, p * 1000)) {
            int next = stage + 1;
            if (in->kind == DEAL_RENEWAL && next == ST_DISCOVERY)
                next = ST_PROPOSAL;
            t += dwell;
            if (next == ST_WON) {
                /* deals close when budgets and quarters say so: heavy in fiscal Q4, light in
                 * the summer */
                for (int tries = 0; tries < 6; tries++) {
                    if (gen_chance(&rng, (int64_t)gen_season_permille(w, at_time_day(t)) * 1000000 / 1500))
                        break;
                    t += gen_range(&rng, 10, 30) * AT_SECONDS_PER_DAY;
                }
                won = true;
            }
            stage = next;
        } else {
            t += dwell * gen_range(&rng, 300, 1000) / 1000;
            stage = ST_LOST;
        }
        s.stage[s.nstages] = stage;
        s.entered[s.nstages] = t;
        s.nstages++;
    }
    at_day final_day = at_time_day(t);
    /* what the window sees: stages entered by its end */
    int seen = 0;
    while (seen < s.nstages && s.entered[seen] <= cx->end_t)
        seen++;
    if (seen == 0)
        seen = 1; /* created on the last day after hours: keep the first stage */
    bool closed = seen == s.nstages;
    s.nstages = seen;
    s.won = closed && won;
    s.lost = closed && !won;
    s.open = !closed;
    s.end_day = closed ? final_day : w->end;
    for (int k = 0; k < s.nstages; k++)
        s.people[k] = person_in(w, in->seat, at_time_day(s.entered[k]));
    int owner = person_in(w, in->seat, s.end_day);
    if (owner < 0)
        owner = owner0;
    int last_stage = s.stage[s.nstages - 1];

    /* the opportunity row */
    char aname[128], name[200];
    gen_account_name(w, in->account, aname, sizeof aname);
    if (in->kind == DEAL_NEW)
        snprintf(name, sizeof name, "%s - %s", aname,
                 outlier ? "Enterprise-wide Agreement" : "New Business");
    else if (in->kind == DEAL_EXPANSION)
        snprintf(name, sizeof name, "%s - Expansion", aname);
    else {
        int y, m, d;
        at_day_to_ymd(in->anniversary, &y, &m, &d);
        snprintf(name, sizeof name, "%s - Renewal %d", aname, y);
    }
    gen_id(o, GF_OPPORTUNITIES, "O", (uint64_t)opp, 8);
    gen_str(o, GF_OPPORTUNITIES, name);
    gen_id(o, GF_OPPORTUNITIES, "A", (uint64_t)in->account + 1, 7);
    gen_id(o, GF_OPPORTUNITIES, "P", (uint64_t)owner + 1, 6);
    gen_id_opt(o, GF_OPPORTUNITIES, "L", in->lead, 8);
    gen_day(o, GF_OPPORTUNITIES, in->created);
    gen_day(o, GF_OPPORTUNITIES, closed ? final_day : (planned_close > w->end ? planned_close : w->end + 14));
    gen_day_opt(o, GF_OPPORTUNITIES, closed ? final_day : GEN_NO_DAY);
    gen_str(o, GF_OPPORTUNITIES, gen_stage_ids[last_stage]);
    gen_str(o, GF_OPPORTUNITIES, s.won ? "won" : (s.lost ? "lost" : "open"));
    gen_money(o, GF_OPPORTUNITIES, amount);
    gen_str(o, GF_OPPORTUNITIES, gen_currency_codes[acc->currency]);
    bool reached_negotiation = false;
    for (int k = 0; k < s.nstages; k++)
        reached_negotiation |= s.stage[k] == ST_NEGOTIATION;
    const char *category;
    bool commit = false;
    if (s.won) {
        category = "closed";
        commit = true;
    } else if (s.lost) {
        category = "omitted";
        commit = reached_negotiation;
    } else if (last_stage == ST_NEGOTIATION) {
        commit = gen_chance(&rng, 700000);
        category = commit ? "commit" : "best_case";
    } else if (last_stage == ST_PROPOSAL) {
        category = gen_chance(&rng, 550000) ? "best_case" : "pipeline";
    } else {
        category = gen_chance(&rng, 50000) ? "omitted" : "pipeline";
    }
    gen_str(o, GF_OPPORTUNITIES, category);
    if (commit)
        gen_money(o, GF_OPPORTUNITIES,
                  gen_round_cents(gen_mul_permille(amount, gen_range(&rng, 850, 1000))));
    else
        gen_empty(o, GF_OPPORTUNITIES);
    if (s.won)
        gen_str(o, GF_OPPORTUNITIES, won_reasons[gen_below(&rng, 4)]);
    else if (s.lost)
        gen_str(o, GF_OPPORTUNITIES,
                s.stage[s.nstages - 2] >= ST_PROPOSAL ? lost_late[gen_below(&rng, 4)]
                                                      : lost_early[gen_below(&rng, 4)]);
    else
        gen_empty(o, GF_OPPORTUNITIES);
    gen_end(o, GF_OPPORTUNITIES);
    write_opp_products(w, opp, lines, nlines);

    /* stage history */
    for (int k = 0; k < s.nstages; k++) {
        gen_id(o, GF_STAGE_HISTORY, "SH", (uint64_t)++w->next_stage_change, 9);
        gen_id(o, GF_STAGE_HISTORY, "O", (uint64_t)opp, 8);
        gen_time(o, GF_STAGE_HISTORY, s.entered[k]);
        gen_str(o, GF_STAGE_HISTORY, k ? gen_stage_ids[s.stage[k - 1]] : "");
        gen_str(o, GF_STAGE_HISTORY, gen_stage_ids[s.stage[k]]);
        /* early estimates wander; from the proposal on they are the real amount */
        at_money est = s.stage[k] >= ST_PROPOSAL
                           ? amount
                           : gen_round_cents(gen_mul_permille(amount, gen_range(&rng, 700, 1300)));
        est -= est % (100 * AT_MONEY_SCALE);
        gen_money(o, GF_STAGE_HISTORY, est);
        at_day exp = s.stage[k] >= ST_WON ? at_time_day(s.entered[k])
                                          : at_time_day(s.entered[k]) + (at_day)gen_range(&rng, 20, 90);
        gen_day(o, GF_STAGE_HISTORY, exp);
        gen_id_opt(o, GF_STAGE_HISTORY, "P", s.people[k] >= 0 ? s.people[k] + 1 : -1, 6);
        gen_end(o, GF_STAGE_HISTORY);
    }
    gen_activities_for_opp(w, &rng, &s);
    gen_scorecard_for_opp(w, &rng, &s);

    if (in->kind == DEAL_NEW)
        acc->busy_until = s.end_day;

    /* effects of a won deal: contracts, and what the transactions are made from */
    if (s.won) {
        if (!gen_grow((void **)&w->won, &w->cap_won, w->nwon, sizeof(gen_won)))
            return gen_oom(w), opp;
        gen_won *g = &w->won[w->nwon++];
        memset(g, 0, sizeof *g);
        g->opp = opp;
        g->account = in->account;
        g->owner = owner;
        g->split_person = g->overlay_person = -1;
        g->sdr_person = in->sdr;
        g->closed_on = final_day;
        g->cancel_day = GEN_NO_DAY;
        g->kind = in->kind;
        g->currency = acc->currency;
        g->nlines = nlines;
        memcpy(g->lines, lines, sizeof(gen_deal_line) * (size_t)nlines);
        g->first_tx = -1;
        if (in->kind != DEAL_RENEWAL && gen_chance(&rng, PLANT_CANCEL_PPM)) {
            bool late = gen_chance(&rng, PLANT_CANCEL_LATE_PPM);
            g->cancel_day = final_day + (at_day)(late ? gen_range(&rng, 75, 150) : gen_range(&rng, 10, 40));
        }
        if (in->kind == DEAL_NEW && seg != GEN_SEG_SMB && gen_chance(&rng, 100000)) {
            /* a split with another account executive of the same team */
            int team = w->seats[in->seat].team;
            int pick = -1, seen_n = 0;
            for (int q = 0; q < w->nseats; q++)
                if (q != in->seat && w->seats[q].team == team && w->seats[q].kind == SK_AE &&
                    gen_below(&rng, (uint32_t)++seen_n) == 0)
                    pick = q;
            if (pick >= 0) {
                int sp = gen_occupant(w, pick, final_day);
                if (sp >= 0 && sp != owner) {
                    g->split_person = sp;
                    g->split_permille = (int32_t)gen_range(&rng, 3, 5) * 100;
                }
            }
        }
        bool specialist = false;
        for (int i = 0; i < nlines; i++) {
            const char *pid = gen_products[lines[i].product].id;
            specialist |= strcmp(pid, "ADD-AI") == 0 || strcmp(pid, "ADD-ANALYTICS") == 0;
        }
        if (specialist && in->kind != DEAL_RENEWAL && cx->overlay_for_area[acc->area] >= 0)
            g->overlay_person = gen_occupant(w, cx->overlay_for_area[acc->area], final_day);

        /* contracts */
        if (in->kind == DEAL_NEW) {
            at_day start = final_day + (at_day)gen_range(&rng, 0, 14);
            int c = gen_contract_new(w, in->account, start, &rng);
            if (c >= 0) {
                for (int i = 0; i < nlines; i++) {
                    if (gen_products[lines[i].product].kind == PK_SERVICE)
                        continue;
                    int64_t l = gen_line_add(w, c, lines[i].product, lines[i].quantity,
                                             lines[i].amount, start, opp);
                    if (l >= 0 && g->cancel_day != GEN_NO_DAY)
                        w->lines[l].end = g->cancel_day;
                }
                if (g->cancel_day != GEN_NO_DAY)
                    w->contracts[c].end = g->cancel_day;
            }
        } else if (in->kind == DEAL_EXPANSION && acc->contract >= 0) {
            at_day start = final_day + (at_day)gen_range(&rng, 5, 20);
            for (int i = 0; i < nlines; i++) {
                int64_t l = gen_line_add(w, acc->contract, lines[i].product, lines[i].quantity,
                                         lines[i].amount, start, opp);
                if (l >= 0 && g->cancel_day != GEN_NO_DAY)
                    w->lines[l].end = g->cancel_day;
            }
        } else if (in->kind == DEAL_RENEWAL && acc->contract >= 0) {
            at_day from = in->anniversary > final_day ? in->anniversary : final_day;
            for (int i = 0; i < nlines; i++) {
                gen_line *old = &w->lines[renewal_lines[i]];
                if (old->end > from - 1)
                    old->end = from - 1;
                gen_line_add(w, acc->contract, lines[i].product, lines[i].quantity,
                             lines[i].amount, from, opp);
            }
        }
    } else if (s.lost && in->kind == DEAL_RENEWAL && acc->contract >= 0) {
        gen_contract *c = &w->contracts[acc->contract];
        at_day last = in->anniversary - 1 > final_day ? in->anniversary - 1 : final_day;
        if (c->end > last)
            c->end = last;
    }
    return opp;
}

/* ---- leads and hand-offs ------------------------------------------------------------------- */

enum { SRC_INBOUND = 0, SRC_WEB, SRC_EVENT, SRC_PARTNER, SRC_REFERRAL, SRC_OUTBOUND, SRC_OTHER };
static const char *const source_names[] = {"inbound", "web", "event", "partner", "referral",
                                           "outbound", "other"};

static void handoff(gen_world *w, int64_t lead, int from, int to, at_time handed, at_time accepted,
                    const char *status, const char *reason)
{
    gen_out *o = &w->out;
    gen_id(o, GF_HANDOFFS, "H", (uint64_t)++w->next_handoff, 8);
    gen_id(o, GF_HANDOFFS, "L", (uint64_t)lead, 8);
    gen_id_opt(o, GF_HANDOFFS, "P", from >= 0 ? from + 1 : -1, 6);
    gen_id(o, GF_HANDOFFS, "P", (uint64_t)to + 1, 6);
    gen_time(o, GF_HANDOFFS, handed);
    if (accepted > 0)
        gen_time(o, GF_HANDOFFS, accepted);
    else
        gen_empty(o, GF_HANDOFFS);
    gen_str(o, GF_HANDOFFS, status);
    gen_str(o, GF_HANDOFFS, reason);
    gen_end(o, GF_HANDOFFS);
}

static int64_t pick_account(pipe_ctx *cx, gen_rng *rng, int region, at_day day, bool prospects)
{
    gen_world *w = cx->w;
    int64_t lo = cx->region_first[region], hi = cx->region_last[region];
    if (hi < lo)
        return -1;
    for (int tries = 0; tries < 8; tries++) {
        int64_t a = gen_range(rng, lo, hi);
        if (!prospects)
            return a;
        if (!gen_is_customer(w, (int)a, day) &&
            (w->accounts[a].busy_until == GEN_NO_DAY || w->accounts[a].busy_until < day))
            return a;
    }
    return -1;
}

static void process_lead(pipe_ctx *cx, int region, at_day month_start, at_day month_end)
{
    gen_world *w = cx->w;
    gen_out *o = &w->out;
    int64_t lead = ++w->next_lead;
    gen_rng rng;
    gen_rng_seed(&rng, w->seed, "lead", (uint64_t)lead);
    static const uint32_t src_w[] = {25, 20, 12, 8, 5, 28, 2};
    int source = (int)gen_pick_weighted(&rng, src_w, 7);
    bool outbound = source == SRC_OUTBOUND;
    at_day day = month_start + (at_day)gen_range(&rng, 0, month_end - month_start);
    at_time t0 = gen_business_time(&rng, region, day);
    int64_t account = -1;
    if (!gen_chance(&rng, 80000))
        account = pick_account(cx, &rng, region, day, outbound);
    char company[128];
    if (account >= 0)
        gen_account_name(w, account, company, sizeof company);
    else
        gen_company_name(&rng, (int)gen_below(&rng, (uint32_t)gen_industry_count),
                         gen_cities[0].country, company, sizeof company);
    static const uint32_t sen_w[GEN_SEN_COUNT] = {8, 15, 25, 30, 20, 2};
    int sen = (int)gen_pick_weighted(&rng, sen_w, GEN_SEN_COUNT);
    char first[40], last[48], contact[96];
    const char *country = account >= 0 ? gen_cities[w->accounts[account].city].country : "US";
    gen_person_name(&rng, country, first, sizeof first, last, sizeof last);
    snprintf(contact, sizeof contact, "%s %s", first, last);
    const char *title = gen_contact_title(&rng, sen);

    int sdr_seat = w->nsdr_seats[region] ? w->sdr_seats_by_region[region][lead % w->nsdr_seats[region]] : -1;
    int mkt_seat = w->nmkt_seats ? w->mkt_seats[(lead / 7) % w->nmkt_seats] : -1;
    int sdr = sdr_seat >= 0 ? gen_responsible(w, sdr_seat, day) : -1;
    int marketer = mkt_seat >= 0 ? gen_responsible(w, mkt_seat, day) : -1;
    int owner = outbound ? sdr : marketer;
    const char *status = "new";
    at_time converted_at = 0;
    int64_t opp = -1;
    at_time end_t = cx->end_t;
    bool existing = account >= 0 && gen_is_customer(w, (int)account, day);

    /* marketing -> SDR */
    at_time work_from = t0;
    bool with_sdr = outbound;
    if (!outbound && sdr >= 0) {
        at_time handed = t0 + gen_range(&rng, 3600, 36 * 3600);
        if (handed <= end_t) {
            at_time acc_t = handed + gen_range(&rng, 1800, 20 * 3600);
            if (existing || gen_chance(&rng, 120000)) {
                static const char *const reasons[] = {"Not in ideal customer profile",
                                                      "Duplicate lead", "Student or job seeker"};
                handoff(w, lead, marketer, sdr, handed, 0, "rejected",
                        existing ? "Existing customer: routed to customer success"
                                 : reasons[gen_below(&rng, 3)]);
                status = "disqualified";
            } else if (acc_t > end_t) {
                handoff(w, lead, marketer, sdr, handed, 0, "pending", "");
            } else {
                handoff(w, lead, marketer, sdr, handed, acc_t, "accepted", "");
                owner = sdr;
                work_from = acc_t;
                with_sdr = true;
            }
        }
    }
    if (with_sdr && sdr >= 0) {
        status = "working";
        int64_t qualify_ppm = 240000 + (sen <= GEN_SEN_VP ? 100000 : 0) +
                              (source == SRC_REFERRAL ? 150000 : 0) +
                              (source == SRC_INBOUND ? 50000 : 0) - (outbound ? 90000 : 0);
        if (account < 0)
            qualify_ppm = 0;
        bool qualified = gen_chance(&rng, qualify_ppm);
        at_time done = work_from + gen_range(&rng, 2, 20) * AT_SECONDS_PER_DAY;
        gen_activities_for_lead(w, &rng, lead, sdr, (int)account, at_time_day(work_from),
                                at_time_day(done), region, qualified);
        if (done <= end_t) {
            if (!qualified) {
                status = "disqualified";
            } else {
                status = "qualified";
                gen_scorecard_for_lead(w, &rng, lead, sdr, done, sen,
                                       account >= 0 ? w->accounts[account].employees : 50);
                at_day dday = at_time_day(done);
                int terr = territory_on(w, (int)account, dday);
                int seat = w->territories[terr].seat;
                int ae = gen_responsible(w, seat, dday);
                at_time handed = done + gen_range(&rng, 1800, 24 * 3600);
                if (ae >= 0 && handed <= end_t) {
                    at_time acc_t = handed + gen_range(&rng, 3600, 48 * 3600);
                    bool is_occupant = gen_occupant(w, seat, dday) == ae;
                    int32_t ramp = is_occupant ? gen_ramp_permille(w, ae, dday) : 1000;
                    int cap = is_occupant ? 2 + 7 * ramp / 1000 : 3;
                    bool busy = w->accounts[account].busy_until != GEN_NO_DAY &&
                                w->accounts[account].busy_until >= dday;
                    if (busy || gen_is_customer(w, (int)account, dday)) {
                        handoff(w, lead, sdr, ae, handed, 0, "rejected",
                                "Duplicate: an opportunity is already open");
                        status = "disqualified";
                    } else if (cx->accepted[seat] >= cap) {
                        handoff(w, lead, sdr, ae, handed, 0, "rejected", "AE at capacity");
                    } else if (gen_chance(&rng, 140000)) {
                        static const char *const reasons[] = {"Not sales-ready",
                                                              "No budget this year",
                                                              "Wrong territory"};
                        handoff(w, lead, sdr, ae, handed, 0, "rejected",
                                reasons[gen_below(&rng, 3)]);
                        status = "disqualified";
                    } else if (acc_t > end_t) {
                        handoff(w, lead, sdr, ae, handed, 0, "pending", "");
                    } else {
                        handoff(w, lead, sdr, ae, handed, acc_t, "accepted", "");
                        cx->accepted[seat]++;
                        opp_input in = {DEAL_NEW, ST_QUALIFICATION, seat, (int)account,
                                        at_time_day(acc_t), lead, sdr, 0};
                        opp = create_opp(cx, &in);
                        status = "converted";
                        converted_at = acc_t;
                        owner = gen_responsible(w, seat, at_time_day(acc_t));
                    }
                }
            }
        }
    }
    gen_id(o, GF_LEADS, "L", (uint64_t)lead, 8);
    gen_time(o, GF_LEADS, t0);
    gen_str(o, GF_LEADS, source_names[source]);
    gen_id_opt(o, GF_LEADS, "P", owner >= 0 ? owner + 1 : -1, 6);
    gen_str(o, GF_LEADS, status);
    gen_id_opt(o, GF_LEADS, "A", account >= 0 ? account + 1 : -1, 7);
    gen_str(o, GF_LEADS, company);
    gen_str(o, GF_LEADS, contact);
    gen_str(o, GF_LEADS, title);
    gen_str(o, GF_LEADS, gen_seniority_names[sen]);
    if (converted_at)
        gen_time(o, GF_LEADS, converted_at);
    else
        gen_empty(o, GF_LEADS);
    gen_id_opt(o, GF_LEADS, "O", opp, 8);
    gen_end(o, GF_LEADS);
}

/* ---- the month loop ------------------------------------------------------------------------ */

static void self_sourced(pipe_ctx *cx, int m, at_day ms, at_day me)
{
    gen_world *w = cx->w;
    for (int s = 0; s < w->nseats && gen_ok(w); s++) {
        const gen_seat *seat = &w->seats[s];
        if (seat->kind != SK_AE)
            continue;
        int person = gen_occupant(w, s, ms);
        if (person < 0)
            continue;
        gen_rng rng;
        gen_rng_seed2(&rng, w->seed, "prospecting", (uint64_t)s, (uint64_t)(m + 1000));
        int32_t ramp = gen_ramp_permille(w, person, ms);
        int64_t n = gen_count(&rng, 1500 * (int64_t)(ramp < 150 ? 150 : ramp) / 1000);
        const gen_territory *ter = &w->territories[seat->territory];
        for (int64_t i = 0; i < n; i++) {
            at_day day = ms + (at_day)gen_range(&rng, 0, me - ms);
            int64_t a = -1;
            for (int tries = 0; tries < 6 && a < 0; tries++) {
                int64_t c = gen_range(&rng, ter->first_account, ter->last_account);
                const gen_account *acc = &w->accounts[c];
                if (territory_on(w, (int)c, day) != seat->territory)
                    continue;
                if (gen_is_customer(w, (int)c, day))
                    continue;
                if (acc->busy_until != GEN_NO_DAY && acc->busy_until >= day)
                    continue;
                a = c;
            }
            if (a < 0)
                continue;
            opp_input in = {DEAL_NEW, ST_PROSPECTING, s, (int)a, day, -1, -1, 0};
            create_opp(cx, &in);
        }
    }
}

static void expansions_and_renewals(pipe_ctx *cx, int m, at_day ms, at_day me)
{
    gen_world *w = cx->w;
    int64_t ncontracts = w->ncontracts; /* contracts made this month wait for the next */
    for (int64_t c = 0; c < ncontracts && gen_ok(w); c++) {
        gen_contract *k = &w->contracts[c];
        int a = k->account;
        if (w->accounts[a].contract != (int)c || k->start > ms || k->end < me)
            continue;
        gen_rng rng;
        gen_rng_seed2(&rng, w->seed, "customer_month", (uint64_t)c, (uint64_t)(m + 1000));
        if (gen_chance(&rng, 14000)) {
            at_day day = ms + (at_day)gen_range(&rng, 0, me - ms);
            int seat = w->territories[territory_on(w, a, day)].seat;
            opp_input in = {DEAL_EXPANSION, ST_DISCOVERY, seat, a, day, -1, -1, 0};
            create_opp(cx, &in);
        }
        /* the renewal of an anniversary two months out */
        int y, mo, d, sy, sm, sd;
        at_day_to_ymd(ms, &y, &mo, &d);
        at_day_to_ymd(k->start, &sy, &sm, &sd);
        int target = y * 12 + mo - 1 + 2;
        if ((target % 12) != sm - 1 || target / 12 <= sy)
            continue;
        at_day anniversary = at_day_add_months(k->start, (target / 12 - sy) * 12);
        if (k->end < anniversary - 1 || w->accounts[a].csm_seat < 0)
            continue;
        at_day created = anniversary - (at_day)gen_range(&rng, 60, 80);
        if (created < ms)
            created = ms;
        if (created > me)
            created = me;
        opp_input in = {DEAL_RENEWAL, ST_QUALIFICATION, w->accounts[a].csm_seat, a, created,
                        -1, -1, anniversary};
        create_opp(cx, &in);
    }
}

at_code gen_pipeline_write(gen_world *w)
{
    pipe_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.w = w;
    cx.end_t = at_time_from_day(w->end) + AT_SECONDS_PER_DAY - 1;
    for (int r = 0; r < GEN_REGION_COUNT; r++) {
        cx.region_first[r] = INT64_MAX;
        cx.region_last[r] = -1;
    }
    for (int64_t i = 0; i < w->naccounts; i++) {
        int r = w->accounts[i].region;
        if (i < cx.region_first[r])
            cx.region_first[r] = i;
        if (i > cx.region_last[r])
            cx.region_last[r] = i;
    }
    cx.accepted = calloc((size_t)w->nseats, sizeof(int));
    cx.overlay_for_area = malloc(gen_area_count * sizeof(int));
    if (!cx.accepted || !cx.overlay_for_area) {
        free(cx.accepted);
        free(cx.overlay_for_area);
        return gen_oom(w), AT_ERR_NOMEM;
    }
    for (size_t a = 0; a < gen_area_count; a++) {
        cx.overlay_for_area[a] = -1;
        for (int s = 0; s < w->nseats; s++)
            if (w->seats[s].kind == SK_OVERLAY && w->seats[s].area == (int)a) {
                cx.overlay_for_area[a] = s;
                break;
            }
    }
    static const gen_file_id files[] = {GF_LEADS, GF_HANDOFFS, GF_OPPORTUNITIES,
                                        GF_OPPORTUNITY_PRODUCTS, GF_STAGE_HISTORY,
                                        GF_ACTIVITIES};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        gen_out_open(&w->out, files[i]);

    for (int m = -GEN_LEAD_IN_MONTHS; m < w->months && gen_ok(w); m++) {
        at_day ms = gen_month_start(w->start_year, w->start_month, m);
        at_day me = gen_month_start(w->start_year, w->start_month, m + 1) - 1;
        memset(cx.accepted, 0, (size_t)w->nseats * sizeof(int));
        /* leads: about 40 a month per SDR seat, a little more before the fiscal year end */
        for (int r = 0; r < GEN_REGION_COUNT && gen_ok(w); r++) {
            int64_t n = (int64_t)w->nsdr_seats[r] * 40 * (900 + gen_season_permille(w, ms) / 10) / 1000;
            for (int64_t i = 0; i < n && gen_ok(w); i++)
                process_lead(&cx, r, ms, me);
        }
        self_sourced(&cx, m, ms, me);
        expansions_and_renewals(&cx, m, ms, me);
    }
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        gen_out_close(&w->out, files[i]);
    gen_out_close(&w->out, GF_SCORECARD_RESPONSES);
    free(cx.accepted);
    free(cx.overlay_for_area);
    return w->out.status;
}
