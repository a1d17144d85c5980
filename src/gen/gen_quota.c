/* gen_quota.c - quotas and compensation plan assignments. Quotas are set the way sales
 * operations would: a full quota per segment from what fully ramped, typical account
 * executives sell (measured on this data, before rounding), shaped by the seasonality of the
 * fiscal year and ramped for new hires (0, 25, 50, 75% in their first four months), in each
 * person's pay currency. Each quota is prorated once, by the plan: every plan here prorates
 * by days on plan, so a row is the quarter as if the person held the seat all of it (a
 * leaver's, a mover's and a transfer's quarter is the seat's full quarter at their ramp; a
 * leave changes nothing) and the plan keeps the days the person was on it. A new hire's (or
 * promotion's) first quarter that the ramp's 0% months would leave without any quota gets
 * the ramp's first step instead: 25% of the seat's full quarter, which the plan prorates too,
 * so every seller has a quota from the first day. Rows belong to a person, not a seat: one
 * row per person, measure and period (two seats of one measure in a quarter make one row,
 * weighted by days), and leaders' quotas have measures of their own (team_bookings,
 * org_bookings) so that an AE promoted to manager mid-quarter has one row for each plan.
 * AEs get bookings and new-logo quotas per fiscal quarter, SDRs meetings per fiscal month,
 * CSMs renewal bookings per quarter, specialists overlay bookings, managers and leaders (up to
 * the VP of Customer Success and the Chief Revenue Officer) their teams' sums, regions a
 * yearly territory quota, and SDRs sourced bookings per quarter. Plans: "AE 2026", "SDR 2026"
 * ... per fiscal year with target incentive and pay mix (gen_plans.c writes their documents);
 * the CEO and the other executives have none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gen_world.h"

typedef struct q_ctx {
    gen_world *w;
    /* monthly full quota per seat kind and segment, USD (money) or counts x1000 */
    at_money ae_month[GEN_SEG_COUNT];
    int64_t logos_month_milli[GEN_SEG_COUNT];
    at_money csm_month, overlay_month;
    at_money sdr_month; /* sourced bookings (deals an SDR is named on) */
    int64_t season_avg;
} q_ctx;

static int32_t ramp_schedule(const gen_world *w, int person, const gen_stint *st, at_day month_start)
{
    (void)w;
    (void)person;
    if (st->how != START_HIRE && st->how != START_PROMOTION)
        return 1000;
    int64_t months = ((int64_t)month_start - st->start) * 100 / 3044;
    if (months < 0)
        return 0;
    return months >= 4 ? 1000 : (int32_t)(months * 250);
}

static bool full_month_ramped(const gen_world *w, const gen_stint *st, at_day ms, at_day me)
{
    (void)w;
    if (st->start > ms || st->end < me)
        return false;
    if (st->how == START_HIRE || st->how == START_PROMOTION)
        return (int64_t)ms - st->start >= 150;
    return true;
}

/* Measures what typical (core tier), fully ramped people sell in a month. */
static void calibrate(q_ctx *q)
{
    gen_world *w = q->w;
    int months = w->months;
    at_money *credit = calloc((size_t)w->npeople * (size_t)months, sizeof(at_money));
    int64_t *logos = calloc((size_t)w->npeople * (size_t)months, sizeof(int64_t));
    at_money *sourced = calloc((size_t)w->npeople * (size_t)months, sizeof(at_money));
    if (!credit || !logos || !sourced) {
        free(credit);
        free(logos);
        free(sourced);
        gen_oom(w);
        return;
    }
    for (int64_t k = 0; k < w->nwon; k++) {
        const gen_won *g = &w->won[k];
        if (g->closed_on < w->start || g->closed_on > w->end)
            continue;
        int y, mo, d;
        at_day_to_ymd(g->closed_on, &y, &mo, &d);
        int m = y * 12 + mo - 1 - (w->start_year * 12 + w->start_month - 1);
        at_money total = 0;
        for (int i = 0; i < g->nlines; i++)
            total += g->lines[i].amount;
        total = gen_convert(w, total, g->currency, GEN_CUR_USD, w->start);
        at_money split = g->split_person >= 0 ? gen_mul_permille(total, g->split_permille) : 0;
        credit[(size_t)g->owner * (size_t)months + (size_t)m] += total - split;
        if (g->split_person >= 0)
            credit[(size_t)g->split_person * (size_t)months + (size_t)m] += split;
        if (g->overlay_person >= 0)
            credit[(size_t)g->overlay_person * (size_t)months + (size_t)m] += total;
        if (g->kind == DEAL_NEW)
            logos[(size_t)g->owner * (size_t)months + (size_t)m] += 1;
        if (g->sdr_person >= 0)
            sourced[(size_t)g->sdr_person * (size_t)months + (size_t)m] += total;
    }
    at_money sum[GEN_SEG_COUNT] = {0}, csm_sum = 0, ov_sum = 0, sdr_sum = 0;
    int64_t n[GEN_SEG_COUNT] = {0}, logo_sum[GEN_SEG_COUNT] = {0}, csm_n = 0, ov_n = 0, sdr_n = 0;
    for (int s = 0; s < w->nseats; s++) {
        const gen_seat *seat = &w->seats[s];
        if (seat->kind != SK_AE && seat->kind != SK_CSM && seat->kind != SK_OVERLAY &&
            seat->kind != SK_SDR)
            continue;
        for (int i = 0; i < seat->nstints; i++) {
            const gen_stint *st = &w->stints[seat->stints[i]];
            const gen_person *p = &w->people[st->person];
            if (p->tier != TIER_CORE || p->planted || p->slow_ramp)
                continue;
            for (int m = 0; m < months; m++) {
                at_day ms = gen_month_start(w->start_year, w->start_month, m);
                at_day me = gen_month_start(w->start_year, w->start_month, m + 1) - 1;
                if (!full_month_ramped(w, st, ms, me))
                    continue;
                /* take out seasonality so the measure is an average month */
                int64_t season = gen_season_permille(w, ms);
                if (seat->kind == SK_SDR) {
                    sdr_sum += sourced[(size_t)st->person * (size_t)months + (size_t)m] *
                               q->season_avg / season;
                    sdr_n++;
                    continue;
                }
                at_money c = credit[(size_t)st->person * (size_t)months + (size_t)m];
                c = c * q->season_avg / season;
                if (seat->kind == SK_AE && w->territories[seat->territory].planted == 0) {
                    sum[seat->segment] += c;
                    logo_sum[seat->segment] +=
                        logos[(size_t)st->person * (size_t)months + (size_t)m];
                    n[seat->segment]++;
                } else if (seat->kind == SK_CSM) {
                    csm_sum += c;
                    csm_n++;
                } else if (seat->kind == SK_OVERLAY) {
                    ov_sum += c;
                    ov_n++;
                }
            }
        }
    }
    static const int64_t fallback[GEN_SEG_COUNT] = {45000, 90000, 180000};
    for (int sg = 0; sg < GEN_SEG_COUNT; sg++) {
        q->ae_month[sg] = n[sg] >= 6 ? sum[sg] / n[sg] : fallback[sg] * AT_MONEY_SCALE;
        q->logos_month_milli[sg] = n[sg] >= 6 ? logo_sum[sg] * 1000 / n[sg] : 1000;
    }
    q->csm_month = csm_n >= 6 ? csm_sum / csm_n : 60000 * AT_MONEY_SCALE;
    q->overlay_month = ov_n >= 3 ? ov_sum / ov_n : 150000 * AT_MONEY_SCALE;
    q->sdr_month = sdr_n >= 6 ? sdr_sum / sdr_n : 30000 * AT_MONEY_SCALE;
    free(credit);
    free(logos);
    free(sourced);
}

static void quota_row(gen_world *w, int64_t *next, int person, int territory, const char *measure,
                      const char *period, at_money amount, int currency, bool money)
{
    gen_out *o = &w->out;
    gen_id(o, GF_QUOTAS, "Q", (uint64_t)++*next, 7);
    gen_id_opt(o, GF_QUOTAS, "P", person >= 0 ? person + 1 : -1, 6);
    gen_str(o, GF_QUOTAS, territory >= 0 ? w->territories[territory].id : "");
    gen_str(o, GF_QUOTAS, measure);
    gen_str(o, GF_QUOTAS, period);
    gen_money(o, GF_QUOTAS, amount);
    gen_str(o, GF_QUOTAS, money ? gen_currency_codes[currency] : "");
    gen_end(o, GF_QUOTAS);
}

static at_money round_to(at_money v, int64_t unit)
{
    int64_t u = unit * AT_MONEY_SCALE;
    return (v + u / 2) / u * u;
}

/* Seats whose quota is their organisation's: managers, directors, VPs of sales, the VP of
 * Customer Success and the Chief Revenue Officer. */
static bool is_leader(const gen_world *w, int s)
{
    gen_seat_kind k = w->seats[s].kind;
    return k == SK_AE_MANAGER || k == SK_AREA_LEADER || k == SK_SALES_DIRECTOR ||
           k == SK_VP_SALES || k == SK_CSM_MANAGER || s == w->cro_seat || s == w->cs_vp_seat;
}

/* The full monthly quota of every seat (USD), 0 for a seat that carries none: sellers from
 * the calibration, leaders the sum of the seats below them at 95% for each level of
 * management. One bottom-up pass over the seats, deepest first. False when memory ran out. */
static bool seat_month_quotas(const q_ctx *q, at_money *full)
{
    const gen_world *w = q->w;
    size_t n = (size_t)w->nseats;
    int *depth = malloc(n * sizeof(int) + 1);
    int *order = malloc(n * sizeof(int) + 1);
    at_money *below = calloc(n + 1, sizeof(at_money));
    if (!depth || !order || !below) {
        free(depth);
        free(order);
        free(below);
        return false;
    }
    int max_depth = 0;
    for (size_t s = 0; s < n; s++)
        depth[s] = -1;
    for (int s = 0; s < w->nseats; s++) {
        /* walk up to a seat whose depth is known (or the top), then number the way down */
        int top = s, steps = 0;
        while (depth[top] < 0 && w->seats[top].manager_seat >= 0 && steps <= w->nseats) {
            top = w->seats[top].manager_seat;
            steps++;
        }
        int d = depth[top] >= 0 ? depth[top] : 0;
        if (depth[top] < 0)
            depth[top] = 0;
        d += steps;
        for (int k = s; k != top; k = w->seats[k].manager_seat)
            depth[k] = d--;
    }
    for (size_t s = 0; s < n; s++)
        if (depth[s] > max_depth)
            max_depth = depth[s];
    size_t next = 0;
    for (int d = max_depth; d >= 0; d--)
        for (int s = 0; s < w->nseats; s++)
            if (depth[s] == d)
                order[next++] = s;
    for (size_t i = 0; i < n; i++) {
        int s = order[i];
        const gen_seat *seat = &w->seats[s];
        at_money v = 0;
        switch (seat->kind) {
        case SK_AE: v = q->ae_month[seat->segment]; break;
        case SK_CSM: v = q->csm_month; break;
        case SK_OVERLAY: v = q->overlay_month; break;
        default: v = is_leader(w, s) ? below[s] * 95 / 100 : 0; break;
        }
        full[s] = v;
        if (seat->manager_seat >= 0)
            below[seat->manager_seat] += v;
    }
    free(depth);
    free(order);
    free(below);
    return true;
}

/* The ramp's first step, per-mille of the full quota: what a first quarter that the ramp's 0%
 * months would leave without a quota gets instead (see the top of the file). */
#define RAMP_FIRST_STEP 250

/* The quotas.csv measure of a seat. Rows belong to a person, not a seat, and the engine sums a
 * person's rows of a measure and period for every plan that reads the measure: so the leaders'
 * quotas have names of their own (each their plan measure's id), and an account executive
 * promoted to sales manager mid-quarter has a bookings row for the AE plan and a team_bookings
 * row for the manager's plan, each read by its own plan only. */
enum { Q_BOOKINGS = 0, Q_TEAM, Q_ORG, Q_SOURCED, Q_KINDS };
static const char *const QUOTA_MEASURE[Q_KINDS] = {"bookings", "team_bookings", "org_bookings",
                                                   "sourced_bookings"};

static int seat_measure(const gen_world *w, int s)
{
    switch (w->seats[s].kind) {
    case SK_SDR: return Q_SOURCED;
    case SK_AE_MANAGER:
    case SK_CSM_MANAGER: return Q_TEAM;
    default: return is_leader(w, s) ? Q_ORG : Q_BOOKINGS;
    }
}

/* A quarter a stint's ramp left at 0: written after every other row, and only when the
 * person has no row of that measure for the quarter from another stint. */
typedef struct ramp_row {
    int person, seat, quarter;
    int kind;                  /* Q_* */
    char label[AT_PERIOD_LABEL_MAX];
    at_money amount;           /* USD */
    int64_t logos_milli;       /* AEs */
    int nstep;                 /* SDRs: the first step's amount of each month seated, for */
    int step_month[4];         /* the manager's team quota */
    at_money step_amount[4];
} ramp_row;

typedef struct q_rows {
    int64_t next;              /* the last quota id written */
    int quarters;              /* quarters a window can touch: months + 1 */
    uint8_t *has;              /* [(person * quarters + quarter) * Q_KINDS + kind]: a row */
    ramp_row *ramp;
    int64_t nramp, cap_ramp;
} q_rows;

static uint8_t *has_row(q_rows *r, int person, int quarter, int kind)
{
    return &r->has[((size_t)person * (size_t)r->quarters + (size_t)quarter) * Q_KINDS +
                   (size_t)kind];
}

static void push_ramp(gen_world *w, q_rows *r, const ramp_row *row)
{
    if (!gen_grow((void **)&r->ramp, &r->cap_ramp, r->nramp, sizeof(ramp_row))) {
        gen_oom(w);
        return;
    }
    r->ramp[r->nramp++] = *row;
}

/* The first day of the month of day, and of the month after it. */
static at_day month_of(at_day day)
{
    int y, m, d;
    at_day_to_ymd(day, &y, &m, &d);
    return gen_month_start(y, m, 0);
}

static at_day next_month(at_day day)
{
    int y, m, d;
    at_day_to_ymd(day, &y, &m, &d);
    return gen_month_start(y, m, 1);
}

/* A stint's quota for one fiscal quarter, USD. Each quota is prorated once, by the plan (every
 * plan here prorates by days on plan): so the generator writes the quarter as if the person
 * held the seat all of it, every month at its seasonality and at the ramp step of that month,
 * the months before the stint's first month at that month's step and the months after its
 * last month at that one's. A leaver's, a mover's or a transfer's quarter is the seat's full
 * quarter (at their ramp), and the plan keeps the days they were on it. */
typedef struct stint_quarter {
    int64_t days;              /* the stint's days in the quarter, 0 when none */
    at_money amount;           /* at the ramp */
    at_money full;             /* without it */
    int64_t logos_milli, logos_full_milli; /* AEs' new logos, x1000 */
} stint_quarter;

static void stint_quarter_quota(const q_ctx *q, const at_money *full, const gen_stint *st,
                                const at_period *qp, stint_quarter *out)
{
    const gen_world *w = q->w;
    const gen_seat *seat = &w->seats[st->seat];
    memset(out, 0, sizeof *out);
    out->days = gen_overlap_days(qp->first, qp->last, st->start, st->end);
    if (out->days <= 0)
        return;
    at_day first = month_of(st->start > qp->first ? st->start : qp->first);
    at_day last = month_of(st->end < qp->last ? st->end : qp->last);
    at_money month_full = seat->kind == SK_SDR ? q->sdr_month : full[st->seat];
    for (at_day ms = qp->first; ms <= qp->last; ms = next_month(ms)) {
        int64_t season = gen_season_permille(w, ms);
        int32_t ramp = ramp_schedule(w, st->person, st, ms < first ? first
                                                        : ms > last ? last
                                                                    : ms);
        at_money mf = month_full * season / q->season_avg;
        out->full += mf;
        out->amount += mf * ramp / 1000;
        if (seat->kind == SK_AE) {
            int64_t lf = q->logos_month_milli[seat->segment] * season / q->season_avg;
            out->logos_full_milli += lf;
            out->logos_milli += lf * ramp / 1000;
        }
    }
}

/* The row of a person's measure for quarter qp (index quarter), written once, at the
 * person's first stint of that measure with days in the quarter. Two stints of one measure
 * in a quarter (an AE transferred to another team) make one row, the mean of their quarters
 * weighted by their days: the plans prorate it to each assignment's days, so the two
 * assignments' quotas add up to each seat's quarter prorated to its days. A quarter the ramp
 * leaves at 0 waits for write_ramp_rows. */
static void quarter_row(q_ctx *q, const at_money *full, int stint, const at_period *qp,
                        int quarter, q_rows *r)
{
    gen_world *w = q->w;
    const gen_stint *st = &w->stints[stint];
    const gen_person *p = &w->people[st->person];
    int kind = seat_measure(w, st->seat);
    at_money amount = 0, full_q = 0;
    int64_t logos = 0, logos_full = 0, days = 0;
    for (int i = 0; i < p->nstints; i++) {
        const gen_stint *o = &w->stints[p->stints[i]];
        if (seat_measure(w, o->seat) != kind)
            continue;
        stint_quarter sq;
        stint_quarter_quota(q, full, o, qp, &sq);
        if (sq.days <= 0)
            continue;
        if (days == 0 && p->stints[i] != stint)
            return; /* an earlier stint of the person writes the row */
        amount += sq.amount * sq.days;
        full_q += sq.full * sq.days;
        logos += sq.logos_milli * sq.days;
        logos_full += sq.logos_full_milli * sq.days;
        days += sq.days;
    }
    if (days == 0)
        return;
    amount /= days;
    full_q /= days;
    logos /= days;
    logos_full /= days;
    if (amount > 0) {
        at_money local = gen_convert(w, amount, GEN_CUR_USD, p->currency, w->start);
        quota_row(w, &r->next, st->person, -1, QUOTA_MEASURE[kind], qp->label,
                  round_to(local, 1000), p->currency, true);
        if (w->seats[st->seat].kind == SK_AE)
            quota_row(w, &r->next, st->person, -1, "new_logos", qp->label,
                      (logos + 500) / 1000 * AT_MONEY_SCALE, 0, false);
        *has_row(r, st->person, quarter, kind) = 1;
        return;
    }
    /* the ramp's 0% months only: its first step of the full quarter */
    ramp_row row;
    memset(&row, 0, sizeof row);
    row.person = st->person;
    row.seat = st->seat;
    row.quarter = quarter;
    row.kind = kind;
    row.amount = full_q * RAMP_FIRST_STEP / 1000;
    row.logos_milli = logos_full * RAMP_FIRST_STEP / 1000;
    snprintf(row.label, sizeof row.label, "%s", qp->label);
    if (kind == Q_SOURCED) {
        /* the first step of each month seated in the window, prorated to the days seated:
         * what the SDR manager's team metric divides by (gen_plans.c), not a quota row */
        for (at_day ms = qp->first; ms <= qp->last && row.nstep < 4; ms = next_month(ms)) {
            at_day me = next_month(ms) - 1;
            int64_t d = gen_overlap_days(ms, me, st->start, st->end);
            if (ms < w->start || ms > w->end || d <= 0)
                continue;
            int y, mo, dd;
            at_day_to_ymd(ms, &y, &mo, &dd);
            row.step_month[row.nstep] = y * 12 + mo - 1 - (w->start_year * 12 + w->start_month - 1);
            row.step_amount[row.nstep++] = q->sdr_month * gen_season_permille(w, ms) /
                                           q->season_avg * RAMP_FIRST_STEP / 1000 * d /
                                           ((int64_t)me - ms + 1);
        }
    }
    push_ramp(w, r, &row);
}

/* Calls fn for every fiscal quarter the window touches, numbered from 0. */
typedef void (*quarter_fn)(q_ctx *q, const at_money *full, int stint, const at_period *qp,
                           int quarter, q_rows *r);

static void each_quarter(q_ctx *q, const at_money *full, int stint, q_rows *r, quarter_fn fn)
{
    gen_world *w = q->w;
    int quarter = 0;
    for (at_day day = w->start; day <= w->end && gen_ok(w); quarter++) {
        const at_period *qp = NULL;
        if (at_fiscal_find(&w->fiscal, AT_PERIOD_QUARTER, day, &qp, NULL) != AT_OK || !qp)
            return;
        fn(q, full, stint, qp, quarter, r);
        day = qp->last + 1;
    }
}

/* The quarterly quotas of a seat's stints (bookings, and new logos for AEs; team_bookings or
 * org_bookings for leaders), and the SDRs' meetings per fiscal month: a month's full count at
 * the month's ramp step, not prorated either. */
static void seat_quotas(q_ctx *q, const at_money *full, int s, q_rows *r)
{
    gen_world *w = q->w;
    const gen_seat *seat = &w->seats[s];
    for (int i = 0; i < seat->nstints && gen_ok(w); i++) {
        const gen_stint *st = &w->stints[seat->stints[i]];
        if (seat->kind != SK_SDR) {
            each_quarter(q, full, seat->stints[i], r, quarter_row);
            continue;
        }
        for (int m = 0; m < w->months; m++) {
            at_day ms = gen_month_start(w->start_year, w->start_month, m);
            at_day me = gen_month_start(w->start_year, w->start_month, m + 1) - 1;
            if (gen_overlap_days(ms, me, st->start, st->end) <= 0)
                continue;
            const at_period *fm = NULL;
            if (at_fiscal_find(&w->fiscal, AT_PERIOD_MONTH, ms, &fm, NULL) != AT_OK || !fm)
                continue;
            int32_t ramp = ramp_schedule(w, st->person, st, ms);
            int64_t meetings = 9 * ramp / 1000;
            if (ramp > 0 && meetings < 1)
                meetings = 1;
            quota_row(w, &r->next, st->person, -1, "meetings", fm->label,
                      meetings * AT_MONEY_SCALE, 0, false);
        }
    }
}

/* The SDRs' sourced bookings (deals they are named on as sdr) per fiscal quarter, shaped and
 * ramped as above. The monthly amounts, prorated to the days seated, are also summed per
 * manager seat, USD, for the SDR managers' team metric (gen_plans.c: the generator divides
 * by them itself, no plan prorates them). */
static void sdr_sourced_quotas(q_ctx *q, int s, q_rows *r)
{
    gen_world *w = q->w;
    const gen_seat *seat = &w->seats[s];
    for (int i = 0; i < seat->nstints && gen_ok(w); i++) {
        const gen_stint *st = &w->stints[seat->stints[i]];
        for (int m = 0; m < w->months && seat->manager_seat >= 0; m++) {
            at_day ms = gen_month_start(w->start_year, w->start_month, m);
            at_day me = gen_month_start(w->start_year, w->start_month, m + 1) - 1;
            int64_t days = gen_overlap_days(ms, me, st->start, st->end);
            if (days <= 0)
                continue;
            at_money full_month = q->sdr_month * gen_season_permille(w, ms) / q->season_avg;
            w->sdr_team_quota[(size_t)seat->manager_seat * (size_t)w->months + (size_t)m] +=
                full_month * ramp_schedule(w, st->person, st, ms) / 1000 * days /
                ((int64_t)me - ms + 1);
        }
        each_quarter(q, NULL, seat->stints[i], r, quarter_row);
    }
}

/* The first quarters the ramp left at 0, for the people with no other row of the measure
 * then; an SDR's first step also counts in the manager's team quota. */
static void write_ramp_rows(gen_world *w, q_rows *r)
{
    for (int64_t k = 0; k < r->nramp && gen_ok(w); k++) {
        const ramp_row *row = &r->ramp[k];
        uint8_t *has = has_row(r, row->person, row->quarter, row->kind);
        if (*has)
            continue;
        *has = 1;
        const gen_person *p = &w->people[row->person];
        at_money local = round_to(gen_convert(w, row->amount, GEN_CUR_USD, p->currency, w->start),
                                  1000);
        quota_row(w, &r->next, row->person, -1, QUOTA_MEASURE[row->kind], row->label, local,
                  p->currency, true);
        if (row->kind == Q_SOURCED) {
            int mgr = w->seats[row->seat].manager_seat;
            for (int i = 0; i < row->nstep && mgr >= 0; i++)
                w->sdr_team_quota[(size_t)mgr * (size_t)w->months + (size_t)row->step_month[i]] +=
                    row->step_amount[i];
            continue;
        }
        if (w->seats[row->seat].kind == SK_AE)
            quota_row(w, &r->next, row->person, -1, "new_logos", row->label,
                      (row->logos_milli + 500) / 1000 * AT_MONEY_SCALE, 0, false);
    }
}

static void write_quotas(q_ctx *q)
{
    gen_world *w = q->w;
    q_rows r;
    memset(&r, 0, sizeof r);
    r.quarters = w->months + 1;
    r.has = calloc((size_t)w->npeople * (size_t)r.quarters * Q_KINDS + 1, 1);
    gen_out_open(&w->out, GF_QUOTAS);
    at_money *full = malloc((size_t)w->nseats * sizeof(at_money) + 1);
    if (!r.has || !full || !seat_month_quotas(q, full)) {
        free(r.has);
        free(full);
        gen_oom(w);
        return;
    }
    /* periods: the fiscal quarters and months the window touches */
    for (int s = 0; s < w->nseats && gen_ok(w); s++)
        if ((full[s] || w->seats[s].kind == SK_SDR) && s != w->cro_seat && s != w->cs_vp_seat)
            seat_quotas(q, full, s, &r);
    /* regions: a yearly territory quota, the sum of their sellers' full quotas */
    for (int reg = 0; reg < GEN_REGION_COUNT && gen_ok(w); reg++) {
        int fy_first = 0, fy_last = 0;
        at_fiscal_year_of_day(&w->cal, w->start, &fy_first, NULL);
        at_fiscal_year_of_day(&w->cal, w->end, &fy_last, NULL);
        for (int fy = fy_first; fy <= fy_last; fy++) {
            at_money total = 0;
            for (int s = 0; s < w->nseats; s++)
                if (w->seats[s].region == reg &&
                    (w->seats[s].kind == SK_AE || w->seats[s].kind == SK_OVERLAY))
                    total += full[s] * 12;
            char label[16];
            snprintf(label, sizeof label, "%d", fy);
            quota_row(w, &r.next, -1, w->region_territory[reg], "bookings", label,
                      round_to(total, 100000), GEN_CUR_USD, true);
        }
    }
    /* SDRs' sourced bookings, the executives' quotas, then the ramp's first steps: written
       last so that the rows above keep their ids */
    w->sdr_team_quota = calloc((size_t)w->nseats * (size_t)w->months + 1, sizeof(at_money));
    if (!w->sdr_team_quota)
        gen_oom(w);
    for (int s = 0; s < w->nseats && gen_ok(w); s++)
        if (w->seats[s].kind == SK_SDR)
            sdr_sourced_quotas(q, s, &r);
    if (gen_ok(w))
        seat_quotas(q, full, w->cro_seat, &r);
    if (gen_ok(w))
        seat_quotas(q, full, w->cs_vp_seat, &r);
    write_ramp_rows(w, &r);
    free(full);
    free(r.has);
    free(r.ramp);
    gen_out_close(&w->out, GF_QUOTAS);
}

/* The plan of a seat, its target incentive (USD a year) and pay mix; false for a seat
 * without one. The executives (pass 1) come after everyone else (pass 0), so that the
 * assignments of the others keep their ids. */
static bool plan_of_seat(const gen_world *w, int s, int pass, gen_plan_kind *plan,
                         int64_t *ti_usd, const char **mix)
{
    const gen_seat *seat = &w->seats[s];
    if (pass == 1) {
        if (s == w->cro_seat) {
            *plan = GEN_PLAN_CRO, *ti_usd = 250000, *mix = "50/50";
            return true;
        }
        if (s == w->cs_vp_seat) {
            *plan = GEN_PLAN_CS_VP, *ti_usd = 100000, *mix = "70/30";
            return true;
        }
        return false;
    }
    switch (seat->kind) {
    case SK_AE:
        *plan = GEN_PLAN_AE;
        *ti_usd = seat->segment == GEN_SEG_ENT ? 100000
                  : seat->segment == GEN_SEG_MM ? 75000
                                                : 60000;
        *mix = "50/50";
        return true;
    case SK_OVERLAY: *plan = GEN_PLAN_SPECIALIST, *ti_usd = 60000, *mix = "60/40"; return true;
    case SK_SDR: *plan = GEN_PLAN_SDR, *ti_usd = 25000, *mix = "65/35"; return true;
    case SK_CSM: *plan = GEN_PLAN_CSM, *ti_usd = 20000, *mix = "80/20"; return true;
    case SK_AE_MANAGER:
        *plan = GEN_PLAN_SALES_MANAGER, *ti_usd = 60000, *mix = "60/40";
        return true;
    case SK_SDR_MANAGER: *plan = GEN_PLAN_SDR_MANAGER, *ti_usd = 35000, *mix = "70/30"; return true;
    case SK_CSM_MANAGER: *plan = GEN_PLAN_CSM_MANAGER, *ti_usd = 30000, *mix = "75/25"; return true;
    case SK_AREA_LEADER:
    case SK_SALES_DIRECTOR: *plan = GEN_PLAN_DIRECTOR, *ti_usd = 90000, *mix = "60/40"; return true;
    case SK_VP_SALES: *plan = GEN_PLAN_VP, *ti_usd = 140000, *mix = "60/40"; return true;
    default: return false;
    }
}

static void write_plans(q_ctx *q)
{
    gen_world *w = q->w;
    gen_out *o = &w->out;
    gen_out_open(o, GF_PLAN_ASSIGNMENTS);
    int64_t next = 0;
    int fy_first = 0, fy_last = 0;
    at_fiscal_year_of_day(&w->cal, w->start, &fy_first, NULL);
    at_fiscal_year_of_day(&w->cal, w->end, &fy_last, NULL);
    w->plan_fy_first = fy_first;
    for (int pass = 0; pass < 2; pass++) {
        for (int person = 0; person < w->npeople && gen_ok(w); person++) {
            const gen_person *p = &w->people[person];
            gen_rng rng;
            gen_rng_seed(&rng, w->seed, "plan", (uint64_t)person);
            int32_t personal = (int32_t)gen_range(&rng, 920, 1080);
            for (int i = 0; i < p->nstints; i++) {
                const gen_stint *st = &w->stints[p->stints[i]];
                gen_plan_kind plan;
                int64_t ti_usd;
                const char *mix;
                if (!plan_of_seat(w, st->seat, pass, &plan, &ti_usd, &mix))
                    continue;
                for (int fy = fy_first; fy <= fy_last; fy++) {
                    at_day first, last;
                    if (at_fiscal_year_bounds(&w->cal, fy, &first, &last, NULL) != AT_OK)
                        continue;
                    if (gen_overlap_days(first, last, st->start, st->end) <= 0)
                        continue;
                    at_day from = st->start > first ? st->start : first;
                    at_day to = st->end < last ? st->end : last;
                    at_money ti = gen_convert(w, ti_usd * AT_MONEY_SCALE * personal / 1000,
                                              GEN_CUR_USD, p->currency, w->start);
                    char name[64];
                    snprintf(name, sizeof name, "%s %d", gen_plan_names[plan], fy);
                    if (fy - fy_first < GEN_PLAN_MAX_YEARS)
                        w->plan_years[plan] |= 1u << (fy - fy_first);
                    gen_id(o, GF_PLAN_ASSIGNMENTS, "PA", (uint64_t)++next, 6);
                    gen_id(o, GF_PLAN_ASSIGNMENTS, "P", (uint64_t)person + 1, 6);
                    gen_str(o, GF_PLAN_ASSIGNMENTS, name);
                    gen_day(o, GF_PLAN_ASSIGNMENTS, from);
                    gen_day(o, GF_PLAN_ASSIGNMENTS, to);
                    gen_money(o, GF_PLAN_ASSIGNMENTS, round_to(ti, 500));
                    gen_str(o, GF_PLAN_ASSIGNMENTS, gen_currency_codes[p->currency]);
                    gen_str(o, GF_PLAN_ASSIGNMENTS, mix);
                    gen_end(o, GF_PLAN_ASSIGNMENTS);
                }
            }
        }
    }
    gen_out_close(o, GF_PLAN_ASSIGNMENTS);
}

at_code gen_quota_write(gen_world *w)
{
    q_ctx q;
    memset(&q, 0, sizeof q);
    q.w = w;
    int64_t total = 0;
    for (int m = 1; m <= 12; m++)
        total += gen_season_permille(w, at_day_from_ymd(2000, m, 1));
    q.season_avg = total / 12;
    calibrate(&q);
    if (gen_ok(w))
        write_quotas(&q);
    if (gen_ok(w))
        write_plans(&q);
    return w->out.status;
}
