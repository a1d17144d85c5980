/* tiers.c - rate tables and payout curves, exactly.
 *
 * A table's edges are amounts (at 1e-4) or attainment (at 1e-9). Attainment edges are turned
 * into money as edge x quota, so an attainment slice is worth slice x quota and a value
 * exactly at an edge is exactly at it (no rounding of attainment first). Everything is held
 * at 1e-13 (money x 1e9) in 128 bits, slices x rates at 1e-22, and rounded once by the
 * caller. A base at or below the first tier's start (0, or a month of cancellations) is
 * wholly in the first tier.
 *
 * Marginal: each slice of the base inside a tier at that tier's rate; the edge rule does not
 * change the money (the slice at an edge is empty). Retroactive: the tier the base reaches
 * sets the rate on all of it; lower-inclusive edges put a base exactly at an edge in the tier
 * starting there, upper-inclusive edges in the tier ending there.
 *
 * A curve pays the first point's payout below the first point, the last point's above the
 * last (or continues the last segment when it extrapolates), and interpolates linearly in
 * between, half-even to 1e-9. */
#include "calc/calc_internal.h"

#define E9 ((calc_i128)AT_RATE_SCALE)

static calc_i128 edge(const at_plan_component *c, int64_t x, at_money quota)
{
    return c->tier_basis == AT_TIER_ON_ATTAINMENT ? (calc_i128)x * quota : (calc_i128)x * E9;
}

static at_money money_of(calc_i128 v9)
{
    int64_t out = 0;
    calc_div(v9, E9, AT_ROUND_HALF_EVEN, &out);
    return out;
}

static at_money money_of22(calc_i128 v22)
{
    int64_t out = 0;
    calc_div(v22, E9 * E9, AT_ROUND_HALF_EVEN, &out);
    return out;
}

static void slice_text(const at_plan_component *c, calc_i128 slice9, at_money quota,
                       at_rate rate, calc_text *t)
{
    char a[48], b[48], r[48], m[48];
    calc_i128 earn = slice9 * rate;
    if (c->tier_basis == AT_TIER_ON_ATTAINMENT) {
        int64_t pct = 0;
        calc_div(slice9, quota, AT_ROUND_HALF_EVEN, &pct);
        calc_text_add(t, "%s x %s x %s = %s", calc_fmt_pct(pct, 2, a), calc_fmt_money(quota, b),
                      calc_fmt_pct(rate, -1, r), calc_fmt_money(money_of22(earn), m));
    } else {
        calc_text_add(t, "%s x %s = %s", calc_fmt_money(money_of(slice9), a),
                      calc_fmt_pct(rate, -1, r), calc_fmt_money(money_of22(earn), m));
    }
}

calc_i128 calc_tiers_apply(const at_plan_component *c, at_money base, at_money quota,
                           calc_text *text)
{
    size_t n = c->tier_count;
    if (n == 0)
        return 0;
    calc_i128 b9 = (calc_i128)base * E9;
    const at_plan_tier *t = c->tiers;
    if (b9 <= edge(c, t[0].from, quota)) {
        if (text)
            slice_text(c, b9, quota, t[0].rate, text);
        return b9 * t[0].rate;
    }
    if (c->method == AT_TIERS_MARGINAL) {
        calc_i128 sum = 0;
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            calc_i128 lo = edge(c, t[i].from, quota);
            if (b9 <= lo)
                break;
            calc_i128 hi = t[i].has_to ? edge(c, t[i].to, quota) : b9;
            calc_i128 top = b9 < hi ? b9 : hi;
            if (top <= lo)
                continue;
            sum += (top - lo) * t[i].rate;
            if (text) {
                if (!first)
                    calc_text_add(text, "; ");
                slice_text(c, top - lo, quota, t[i].rate, text);
                first = false;
            }
        }
        return sum;
    }
    size_t i = 0;
    bool lower = c->edges == AT_EDGES_LOWER_INCLUSIVE;
    while (i + 1 < n) {
        calc_i128 next = edge(c, t[i + 1].from, quota);
        if (lower ? b9 >= next : b9 > next)
            i++;
        else
            break;
    }
    if (text) {
        char a[48], f[48], r[48], m[48];
        calc_i128 earn = b9 * t[i].rate;
        if (c->tier_basis == AT_TIER_ON_ATTAINMENT) {
            int64_t att = 0;
            calc_div(b9, quota, AT_ROUND_HALF_EVEN, &att);
            calc_text_add(text, "attainment %s reaches the tier from %s (%s edges): ",
                          calc_fmt_pct(att, 2, a), calc_fmt_pct(t[i].from, -1, f),
                          lower ? "lower-inclusive" : "upper-inclusive");
        } else {
            calc_text_add(text, "%s reaches the tier from %s (%s edges): ",
                          calc_fmt_money(base, a), calc_fmt_money(t[i].from, f),
                          lower ? "lower-inclusive" : "upper-inclusive");
        }
        calc_text_add(text, "%s x %s = %s", calc_fmt_money(base, a),
                      calc_fmt_pct(t[i].rate, -1, r), calc_fmt_money(money_of22(earn), m));
    }
    return b9 * t[i].rate;
}

at_rate calc_curve(const at_plan_curve *curve, int64_t x)
{
    size_t n = curve->count;
    if (n == 0)
        return 0;
    const at_plan_curve_point *p = curve->points;
    if (x <= p[0].x)
        return p[0].payout;
    size_t i = 0;
    if (x >= p[n - 1].x) {
        if (!curve->extrapolate || n < 2)
            return p[n - 1].payout;
        i = n - 2;
    } else {
        while (i + 1 < n && p[i + 1].x <= x)
            i++;
        if (i + 1 >= n)
            return p[n - 1].payout;
    }
    calc_i128 dx = (calc_i128)p[i + 1].x - p[i].x;
    if (dx == 0)
        return p[i + 1].payout;
    int64_t out = 0;
    calc_i128 num = (calc_i128)p[i].payout * dx +
                    ((calc_i128)p[i + 1].payout - p[i].payout) * ((calc_i128)x - p[i].x);
    calc_div(num, dx, AT_ROUND_HALF_EVEN, &out);
    return out;
}
