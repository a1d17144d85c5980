/* gen_plans.c - the demo company's compensation plans as plan documents (docs/plans.md):
 * DIR/plans/<plan name>.yaml for every plan that plan_assignments.csv names ("AE 2026",
 * "SDR 2025", ...), one per role and fiscal year. The documents do not depend on the seed
 * (only on the fiscal years the window touches), so the same options give the same bytes.
 * Plans are in US dollars: the demo's exchange rates are EUR->USD and GBP->USD only, so a
 * plan in the payee's currency could not convert a pound credit for a euro payee.
 *
 * What each role is paid on, sized so that a typical person at 100% of quota earns about
 * their target incentive (plan_assignments.csv):
 *   AE                    marginal attainment tiers on quarter-to-date bookings, written as a
 *                         payout curve of the target incentive (one table for every segment,
 *                         whose quotas differ fourfold): a decelerator below 50%, accelerators
 *                         above 100%; services commission with a per-deal cap and a gate; a
 *                         first-quarter product SPIFF; an MBO on the average margin of the
 *                         month's deals (metrics.csv); clawback within 90 days
 *   Solutions Specialist  marginal rate tiers on the attainment of overlay credits
 *   SDR                   a SPIFF per meaningful meeting, a rate on sourced bookings (sdr
 *                         credits) and a bonus on their attainment (quota sourced_bookings)
 *   CSM                   a rate on renewal bookings and a bonus on their attainment
 *   Sales / CSM Manager   an override on the direct reports' credits (roll-up, one level) and
 *                         a bonus on team attainment
 *   SDR Manager           a bonus on the team's sourced-bookings attainment, read from the
 *                         metrics table (roll-up credits follow owners and split partners, not
 *                         SDRs, so the engine cannot total a team's sdr credits itself)
 *   Sales Director / VP   an override on every level below and a bonus on a curve; the VP's
 *                         paid quarterly
 *   CRO                   a bonus on company bookings (every deal booking credited in the
 *                         organisation below: sales and customer success) against the
 *                         company quota, quarter to date, paid quarterly; no override
 *   Customer Success VP   a bonus on the customer success organisation's bookings (the
 *                         renewals and expansions its CSMs book) against its quota, quarter to
 *                         date, paid quarterly
 * The CEO and the other executives are on no plan: roll-up credits reach them through the
 * reporting lines, and the engine expects that of someone without a plan (src/calc/payee.c).
 * It also writes metrics.csv, the values those two MBO components read: avg_margin per account
 * executive and fiscal month (margin / amount of the deals they closed), and
 * team_sourced_attainment per SDR manager and month (what the team's SDRs sourced / the sum of
 * their sourced_bookings quotas for the month, gen_quota.c). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen/gen_world.h"

const char *const gen_plan_names[GEN_PLAN_COUNT] = {
    "AE",          "Solutions Specialist", "SDR",           "CSM",      "Sales Manager",
    "SDR Manager", "CSM Manager",          "Sales Director", "Sales VP",      "CRO",
    "Customer Success VP",
};

typedef struct plan_doc {
    FILE *f;
    const char *name; /* "AE 2026" */
    int fy;
    char from[16], to[16];       /* the fiscal year's first and last day */
    char q1_end[16];             /* the last day of its first quarter */
    char deals[512];             /* "[PLT-STARTER, ...]": every product but metered usage */
} plan_doc;

static void out(plan_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(plan_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->f, fmt, ap);
    va_end(ap);
}

/* The products deals are made of: every product but metered usage (API calls, storage,
 * compute), whose month-end orders are bookings too but are not sold: quotas are set on
 * deal bookings (gen_quota.c), so the bookings measures count these products only. */
static void deal_products(char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "[");
    const char *sep = "";
    for (size_t i = 0; i < gen_product_count && n < size; i++) {
        if (gen_products[i].kind == PK_USAGE)
            continue;
        n += (size_t)snprintf(buf + n, size - n, "%s%s", sep, gen_products[i].id);
        sep = ", ";
    }
    if (n < size)
        snprintf(buf + n, size - n, "]");
}

/* The lines every document starts with, after its own comment. */
static void head(plan_doc *d, const char *description, const char *frequency)
{
    out(d,
        "plan: %s\n"
        "description: %s\n"
        "effective: {from: %s, to: %s}\n"
        "currency: USD\n"
        "fx_date: transaction\n"
        "rounding: half-even\n"
        "frequency: %s\n"
        "proration: days\n",
        d->name, description, d->from, d->to, frequency);
}

static void about(plan_doc *d, const char *role)
{
    out(d,
        "# %s: the compensation plan of %s,\n"
        "# fiscal year %d (%s to %s).\n"
        "# Written by `attain generate` for the demo company (src/gen/gen_plans.c,\n"
        "# docs/demo-data.md); the format is docs/plans.md. Amounts are in US dollars: credits,\n"
        "# quotas and target incentives in euros or pounds convert at the rate of their day,\n"
        "# and each payee is paid in their pay currency at the rate of the month's last day.\n"
        "# Quotas are quotas.csv rows, target incentives plan_assignments.csv's.\n",
        d->name, role, d->fy, d->from, d->to);
}

/* The product of a fiscal year's first-quarter SPIFF: the AI assistant in FY2026, then
 * security and analytics before it, in turn. */
static const char *spiff_product(int fy)
{
    static const char *const products[3] = {"ADD-AI", "ADD-SECURITY", "ADD-ANALYTICS"};
    int k = ((fy - 2026) % 3 + 3) % 3;
    return products[k];
}

static void write_ae(plan_doc *d)
{
    const char *spiff = spiff_product(d->fy);
    about(d, "account executives");
    out(d,
        "#\n"
        "# Bookings are deal bookings: every product but metered usage, whose month-end orders\n"
        "# are not sold by anyone and are not in the quota.\n"
        "# Commission: marginal tiers on quarter-to-date bookings attainment, each slice of\n"
        "# attainment paid at its own rate of the quarter's target (90%% of the target\n"
        "# incentive / 4), written as the payout curve those tiers make:\n"
        "#   0-50%%     0.5 points of target per point of attainment (decelerator)\n"
        "#   50-100%%   1.5 points (100%% attainment pays 100%% of target)\n"
        "#   100-150%%  2 points (accelerator: 150%% pays 200%%)\n"
        "#   150-300%%  1.5 points (300%% pays 425%%; nothing more above)\n"
        "# Paid monthly: each month pays what the quarter has earned to date less what its\n"
        "# earlier months paid. The curve scales with each person's target incentive and\n"
        "# quota, so one table serves small-business, mid-market and enterprise reps.\n"
        "# Services: 3%% of services bookings once the quarter reaches 50%% attainment, at most\n"
        "# 2,500 a deal. SPIFF: 10%% of %s bookings in the first quarter, at most 2,000 a deal.\n"
        "# MBO: 10%% of the target incentive, monthly, on the average margin of the month's\n"
        "# deals (metrics.csv avg_margin): 55%% pays nothing, 70%% pays the target, 82%% pays\n"
        "# 150%% (capped); a month without deals has no value and pays 0.\n"
        "# A cancellation within 90 days of its booking claws the credit back in the month it\n"
        "# happens; a later one does not.\n",
        spiff);
    head(d, "Account executives, commission on quarterly bookings attainment, paid monthly",
         "monthly");
    out(d,
        "clawback: {within_days: 90, share: 100%%}\n"
        "\n"
        "metrics:\n"
        "  - {name: avg_margin, unit: number}\n"
        "\n"
        "measures:\n"
        "  - id: bookings\n"
        "    name: Deal bookings, quarter to date\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: quarter_to_date\n"
        "    credit: [owner, split]\n"
        "    products: %s\n"
        "    quota: bookings\n"
        "  - id: services\n"
        "    name: Services bookings\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: month\n"
        "    credit: [owner, split]\n"
        "    product_families: [services]\n"
        "    quota: none\n"
        "  - id: spiff_product\n"
        "    name: %s bookings\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: month\n"
        "    credit: [owner, split]\n"
        "    products: [%s]\n"
        "    quota: none\n"
        "\n"
        "components:\n"
        "  - id: commission\n"
        "    name: Commission on quarterly bookings attainment\n"
        "    kind: bonus\n"
        "    measure: bookings\n"
        "    weight: 90%%\n"
        "    curve:\n"
        "      - [0%%, 0%%]\n"
        "      - [50%%, 25%%]\n"
        "      - [100%%, 100%%]\n"
        "      - [150%%, 200%%]\n"
        "      - [300%%, 425%%]\n"
        "    extrapolate: false\n"
        "  - id: services_commission\n"
        "    name: Services commission\n"
        "    kind: rate\n"
        "    measure: services\n"
        "    rate: 3%%\n"
        "    gate: \"bookings.attainment >= 50%%\"\n"
        "    cap: {per_deal: 2500}\n"
        "  - id: q1_spiff\n"
        "    name: First-quarter SPIFF on %s\n"
        "    kind: spiff\n"
        "    measure: spiff_product\n"
        "    from: %s\n"
        "    to: %s\n"
        "    products: [{product: %s, rate: 10%%}]\n"
        "    cap: {per_deal: 2000}\n"
        "  - id: margin_mbo\n"
        "    name: MBO, average margin of the month's deals\n"
        "    kind: metric\n"
        "    metric: avg_margin\n"
        "    metric_window: month\n"
        "    weight: 10%%\n"
        "    curve:\n"
        "      - [55%%, 0%%]\n"
        "      - [70%%, 100%%]\n"
        "      - [82%%, 150%%]\n"
        "    extrapolate: false\n",
        d->deals, spiff, spiff, spiff, d->from, d->q1_end, spiff);
}

static void write_specialist(plan_doc *d)
{
    about(d, "solutions specialists (overlay)");
    out(d,
        "#\n"
        "# Specialists are credited in full (overlay) on the deals of their area that carry\n"
        "# the AI or analytics add-ons. Commission: marginal rate tiers on the attainment of\n"
        "# those credits against the quarter's quota, paid monthly on the quarter to date:\n"
        "# 1%% of the credits up to quota, 1.5%% from 100%% to 150%%, 2%% above; at most\n"
        "# 180,000 in a fiscal year. Cancellations claw back within 90 days.\n");
    head(d, "Solutions specialists, tiered commission on overlay credits", "monthly");
    out(d,
        "clawback: {within_days: 90, share: 100%%}\n"
        "\n"
        "measures:\n"
        "  - id: overlay_bookings\n"
        "    name: Overlay bookings, quarter to date\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: quarter_to_date\n"
        "    credit: [overlay]\n"
        "    quota: bookings\n"
        "\n"
        "components:\n"
        "  - id: commission\n"
        "    name: Overlay commission\n"
        "    kind: tiers\n"
        "    measure: overlay_bookings\n"
        "    method: marginal\n"
        "    on: attainment\n"
        "    scope: period\n"
        "    edges: lower_inclusive\n"
        "    tiers:\n"
        "      - {from: 0, to: 100%%, rate: 1%%}\n"
        "      - {from: 100%%, to: 150%%, rate: 1.5%%}\n"
        "      - {from: 150%%, rate: 2%%}\n"
        "    cap: {per_year: 180000}\n");
}

static void write_sdr(plan_doc *d)
{
    about(d, "sales development representatives");
    out(d,
        "#\n"
        "# Meetings: 50 for every meaningful meeting held. Sourced bookings: the bookings of\n"
        "# deals the SDR sourced (named as sdr on the transaction): 1%% of them, and a bonus\n"
        "# of 70%% of the target incentive on their attainment against the quarter's\n"
        "# sourced_bookings quota (50%% pays 25%%, 100%% pays 100%%, 200%% pays 200%%, capped),\n"
        "# paid monthly on the quarter to date. Cancellations claw back within 90 days.\n");
    head(d, "SDRs, meetings, sourced bookings and a pipeline bonus", "monthly");
    out(d,
        "clawback: {within_days: 90, share: 100%%}\n"
        "\n"
        "measures:\n"
        "  - id: sourced\n"
        "    name: Sourced bookings, quarter to date\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: quarter_to_date\n"
        "    credit: [sdr]\n"
        "    quota: sourced_bookings\n"
        "  - id: sourced_month\n"
        "    name: Sourced bookings\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: month\n"
        "    credit: [sdr]\n"
        "    quota: none\n"
        "\n"
        "components:\n"
        "  - id: meetings\n"
        "    name: Meetings held, 50 each\n"
        "    kind: spiff\n"
        "    activity: meeting\n"
        "    meaningful_only: true\n"
        "    per_activity: 50\n"
        "    from: %s\n"
        "    to: %s\n"
        "  - id: sourced_commission\n"
        "    name: Commission on sourced bookings\n"
        "    kind: rate\n"
        "    measure: sourced_month\n"
        "    rate: 1%%\n"
        "  - id: pipeline_bonus\n"
        "    name: Bonus on sourced bookings attainment\n"
        "    kind: bonus\n"
        "    measure: sourced\n"
        "    weight: 70%%\n"
        "    curve:\n"
        "      - [0%%, 0%%]\n"
        "      - [50%%, 25%%]\n"
        "      - [100%%, 100%%]\n"
        "      - [200%%, 200%%]\n"
        "    extrapolate: false\n",
        d->from, d->to);
}

static void write_csm(plan_doc *d)
{
    about(d, "customer success managers");
    out(d,
        "#\n"
        "# CSMs own the renewals of their customers. Commission: 0.25%% of renewal bookings;\n"
        "# bonus: 75%% of the target incentive on the attainment of the quarter's bookings\n"
        "# quota (80%% pays 50%%, 100%% pays 100%%, 120%% pays 150%%, capped), paid monthly on\n"
        "# the quarter to date. Invoices and payments are credited to the account's territory\n"
        "# owner in this data, so the plan pays on the renewals the CSM books.\n");
    head(d, "Customer success, renewal commission and a renewal bonus", "monthly");
    out(d,
        "\n"
        "measures:\n"
        "  - id: renewals\n"
        "    name: Renewal bookings, quarter to date\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: quarter_to_date\n"
        "    credit: [owner, split]\n"
        "    quota: bookings\n"
        "  - id: renewals_month\n"
        "    name: Renewal bookings\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: month\n"
        "    credit: [owner, split]\n"
        "    quota: none\n"
        "\n"
        "components:\n"
        "  - id: renewal_commission\n"
        "    name: Renewal commission\n"
        "    kind: rate\n"
        "    measure: renewals_month\n"
        "    rate: 0.25%%\n"
        "  - id: renewal_bonus\n"
        "    name: Bonus on renewal attainment\n"
        "    kind: bonus\n"
        "    measure: renewals\n"
        "    weight: 75%%\n"
        "    curve:\n"
        "      - [0%%, 0%%]\n"
        "      - [80%%, 50%%]\n"
        "      - [100%%, 100%%]\n"
        "      - [120%%, 150%%]\n"
        "    extrapolate: false\n");
}

/* Managers of sellers (sales, customer success): an override on the direct reports' credits
 * and their own, a bonus on the team's attainment. */
static void write_team_manager(plan_doc *d, const char *role, const char *description,
                               const char *override_rate, const char *weight)
{
    about(d, role);
    out(d,
        "#\n"
        "# Team bookings: the deal bookings (not metered usage) of the direct reports (roll-up\n"
        "# one level in the reporting lines in force on each transaction's day) and the\n"
        "# manager's own (deals closed while a seat was vacant). Override: %s of team\n"
        "# bookings. Bonus: %s of the target incentive on team attainment against the\n"
        "# manager's quota (quotas.csv measure team_bookings: a quota of its own, so an AE\n"
        "# promoted mid-quarter keeps her bookings quota for her AE plan; 50%% pays 20%%, 100%%\n"
        "# pays 100%%, 150%% pays 175%%, capped), paid\n"
        "# monthly on the quarter to date.\n"
        "# Cancellations claw back within 90 days.\n",
        override_rate, weight);
    head(d, description, "monthly");
    out(d,
        "clawback: {within_days: 90, share: 100%%}\n"
        "\n"
        "measures:\n"
        "  - id: team_bookings\n"
        "    name: Team deal bookings, quarter to date\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: quarter_to_date\n"
        "    credit: [owner, split, rollup]\n"
        "    rollup_levels: 1\n"
        "    products: %s\n"
        "    quota: team_bookings\n"
        "  - id: team_bookings_month\n"
        "    name: Team deal bookings\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: month\n"
        "    credit: [owner, split, rollup]\n"
        "    rollup_levels: 1\n"
        "    products: %s\n"
        "    quota: none\n"
        "\n"
        "components:\n"
        "  - id: override\n"
        "    name: Override on team bookings\n"
        "    kind: rate\n"
        "    measure: team_bookings_month\n"
        "    rate: %s\n"
        "  - id: team_bonus\n"
        "    name: Bonus on team attainment\n"
        "    kind: bonus\n"
        "    measure: team_bookings\n"
        "    weight: %s\n"
        "    curve:\n"
        "      - [0%%, 0%%]\n"
        "      - [50%%, 20%%]\n"
        "      - [100%%, 100%%]\n"
        "      - [150%%, 175%%]\n"
        "    extrapolate: false\n",
        d->deals, d->deals, override_rate, weight);
}

static void write_sdr_manager(plan_doc *d)
{
    about(d, "SDR managers");
    out(d,
        "#\n"
        "# SDR managers are paid on what their team sources: the bookings of deals the team's\n"
        "# SDRs are named on, against the sum of the SDRs' sourced_bookings quotas, month by\n"
        "# month. Roll-up credits follow owners and split partners, not SDRs, so the figure is\n"
        "# read from the metrics table (team_sourced_attainment, a share: 1 = 100%%). Bonus:\n"
        "# the whole target incentive, a twelfth a month, on that attainment (50%% pays 25%%,\n"
        "# 100%% pays 100%%, 150%% pays 175%%, capped).\n");
    head(d, "SDR managers, bonus on the team's sourced bookings attainment", "monthly");
    out(d,
        "\n"
        "metrics:\n"
        "  - {name: team_sourced_attainment, unit: number}\n"
        "\n"
        "measures: []\n"
        "\n"
        "components:\n"
        "  - id: team_bonus\n"
        "    name: Bonus on the team's sourced bookings attainment\n"
        "    kind: metric\n"
        "    metric: team_sourced_attainment\n"
        "    metric_window: month\n"
        "    weight: 100%%\n"
        "    curve:\n"
        "      - [0%%, 0%%]\n"
        "      - [50%%, 25%%]\n"
        "      - [100%%, 100%%]\n"
        "      - [150%%, 175%%]\n"
        "    extrapolate: false\n");
}

/* Directors and VPs: an override on everything below them and a bonus on a curve. */
static void write_leader(plan_doc *d, const char *role, const char *description,
                         const char *frequency, const char *override_rate, const char *weight)
{
    about(d, role);
    out(d,
        "#\n"
        "# Organisation bookings: every deal booking (not metered usage) credited below the\n"
        "# leader in the reporting lines (roll-up at any level) and their own. Override: %s of them. Bonus: %s of the target\n"
        "# incentive on a curve of attainment against the leader's quota (quotas.csv measure\n"
        "# org_bookings): nothing below 75%%\n"
        "# (a gate), then 75%% pays 50%%, 100%% pays 100%%, 125%% pays 150%%, 150%% pays 175%%\n"
        "# (capped), linear between; measured on the quarter to date and paid %s.\n",
        override_rate, weight, frequency);
    head(d, description, frequency);
    out(d,
        "clawback: {within_days: 90, share: 100%%}\n"
        "\n"
        "measures:\n"
        "  - id: org_bookings\n"
        "    name: Organisation deal bookings, quarter to date\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: quarter_to_date\n"
        "    credit: [owner, split, rollup]\n"
        "    rollup_levels: 0\n"
        "    products: %s\n"
        "    quota: org_bookings\n"
        "  - id: org_bookings_month\n"
        "    name: Organisation deal bookings\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: month\n"
        "    credit: [owner, split, rollup]\n"
        "    rollup_levels: 0\n"
        "    products: %s\n"
        "    quota: none\n"
        "\n"
        "components:\n"
        "  - id: override\n"
        "    name: Override on organisation bookings\n"
        "    kind: rate\n"
        "    measure: org_bookings_month\n"
        "    rate: %s\n"
        "  - id: bonus\n"
        "    name: Bonus on organisation attainment\n"
        "    kind: bonus\n"
        "    measure: org_bookings\n"
        "    weight: %s\n"
        "    gate: \"org_bookings.attainment >= 75%%\"\n"
        "    curve:\n"
        "      - [75%%, 50%%]\n"
        "      - [100%%, 100%%]\n"
        "      - [125%%, 150%%]\n"
        "      - [150%%, 175%%]\n"
        "    extrapolate: false\n",
        d->deals, d->deals, override_rate, weight);
}

/* The executives on a plan (the CRO, the VP of Customer Success): the whole target
 * incentive on a curve of their organisation's attainment, paid quarterly. */
static void write_executive(plan_doc *d, const char *role, const char *comment,
                            const char *description, const char *measure_name,
                            const char *curve)
{
    about(d, role);
    out(d, "#\n%s", comment);
    head(d, description, "quarterly");
    out(d,
        "clawback: {within_days: 90, share: 100%%}\n"
        "\n"
        "measures:\n"
        "  - id: org_bookings\n"
        "    name: %s, quarter to date\n"
        "    basis: booking\n"
        "    sum: amount\n"
        "    window: quarter_to_date\n"
        "    credit: [owner, split, rollup]\n"
        "    rollup_levels: 0\n"
        "    products: %s\n"
        "    quota: org_bookings\n"
        "\n"
        "components:\n"
        "  - id: bonus\n"
        "    name: Bonus on %s attainment\n"
        "    kind: bonus\n"
        "    measure: org_bookings\n"
        "    weight: 100%%\n"
        "    curve:\n"
        "%s"
        "    extrapolate: false\n",
        measure_name, d->deals, measure_name, curve);
}

static void write_doc(plan_doc *d, gen_plan_kind kind)
{
    switch (kind) {
    case GEN_PLAN_AE: write_ae(d); break;
    case GEN_PLAN_SPECIALIST: write_specialist(d); break;
    case GEN_PLAN_SDR: write_sdr(d); break;
    case GEN_PLAN_CSM: write_csm(d); break;
    case GEN_PLAN_SALES_MANAGER:
        write_team_manager(d, "sales managers", "Sales managers, override and team bonus", "1.5%",
                           "50%");
        break;
    case GEN_PLAN_SDR_MANAGER: write_sdr_manager(d); break;
    case GEN_PLAN_CSM_MANAGER:
        write_team_manager(d, "customer success managers",
                           "Customer success managers, override and team bonus", "0.05%",
                           "60%");
        break;
    case GEN_PLAN_DIRECTOR:
        write_leader(d, "sales directors and area directors",
                     "Sales directors, override and a bonus on a curve", "monthly", "0.4%",
                     "75%");
        break;
    case GEN_PLAN_VP:
        write_leader(d, "regional sales vice presidents",
                     "Sales VPs, override and a bonus on a curve, paid quarterly", "quarterly",
                     "0.1%", "80%");
        break;
    case GEN_PLAN_CRO:
        write_executive(
            d, "the Chief Revenue Officer",
            "# Company bookings: every deal booking (not metered usage) credited in the\n"
            "# organisation below the CRO (roll-up at any level in the reporting lines: sales\n"
            "# and customer success) and their own, against the company quota (the sales VPs'\n"
            "# and the VP of Customer Success's quotas at 95%). Bonus: the whole target\n"
            "# incentive on a curve of that attainment, measured on the quarter to date:\n"
            "# nothing up to 50%, 100% pays 100%, 150% pays 200% (capped), linear between;\n"
            "# paid quarterly. No override: a CRO is paid on the company's result.\n"
            "# Cancellations claw back within 90 days.\n",
            "Chief Revenue Officer, a bonus on company bookings attainment, paid quarterly",
            "Company deal bookings",
            "      - [50%, 0%]\n"
            "      - [100%, 100%]\n"
            "      - [150%, 200%]\n");
        break;
    case GEN_PLAN_CS_VP:
        write_executive(
            d, "the VP of Customer Success",
            "# Customer success bookings: the deal bookings (not metered usage) credited in the\n"
            "# customer success organisation (roll-up at any level: the renewals and expansions\n"
            "# its CSMs book) and the VP's own (deals booked while every seat above a customer\n"
            "# was vacant), against the organisation's quota (the CSM team leads' at 95%).\n"
            "# Bonus: the whole target incentive on a curve of that attainment, measured on the\n"
            "# quarter to date: 80% pays 50%, 100% pays 100%, 120% pays 150% (capped), linear\n"
            "# between and from 0; paid quarterly. Cancellations claw back within 90 days.\n",
            "VP Customer Success, a bonus on the organisation's renewal bookings, paid quarterly",
            "Customer success deal bookings",
            "      - [0%, 0%]\n"
            "      - [80%, 50%]\n"
            "      - [100%, 100%]\n"
            "      - [120%, 150%]\n");
        break;
    case GEN_PLAN_COUNT: break;
    }
}

static at_code fail_io(gen_world *w, const char *path, const char *doing)
{
    if (w->out.status == AT_OK)
        w->out.status = at_fail_errno(&w->out.err, AT_ERR_IO, path, doing);
    return w->out.status;
}

static at_code write_plan_file(gen_world *w, const char *dir, gen_plan_kind kind, int fy)
{
    plan_doc d;
    memset(&d, 0, sizeof d);
    char name[96];
    snprintf(name, sizeof name, "%s %d", gen_plan_names[kind], fy);
    d.name = name;
    d.fy = fy;
    at_day first, last;
    at_error e;
    if (at_fiscal_year_bounds(&w->cal, fy, &first, &last, &e) != AT_OK) {
        if (w->out.status == AT_OK) {
            w->out.status = e.code;
            w->out.err = e;
        }
        return w->out.status;
    }
    at_day_format(first, d.from, sizeof d.from);
    at_day_format(last, d.to, sizeof d.to);
    int y, m, day;
    at_day_to_ymd(first, &y, &m, &day);
    at_day_format(gen_month_start(y, m, 3) - 1, d.q1_end, sizeof d.q1_end);
    deal_products(d.deals, sizeof d.deals);

    char path[4400];
    snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
    d.f = fopen(path, "wb");
    if (!d.f)
        return fail_io(w, path, "create the plan document");
    write_doc(&d, kind);
    long bytes = ftell(d.f);
    bool bad = ferror(d.f) != 0;
    if (fclose(d.f) != 0 || bad)
        return fail_io(w, path, "write the plan document");
    if (bytes > 0)
        w->out.bytes += (uint64_t)bytes;
    return AT_OK;
}

at_code gen_plans_write(gen_world *w)
{
    if (!gen_ok(w))
        return w->out.status;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/plans", w->out.dir);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return fail_io(w, dir, "create the plans directory");
    for (int k = 0; k < GEN_PLAN_COUNT && gen_ok(w); k++)
        for (int i = 0; i < GEN_PLAN_MAX_YEARS && gen_ok(w); i++)
            if (w->plan_years[k] & (1u << i))
                write_plan_file(w, dir, (gen_plan_kind)k, w->plan_fy_first + i);
    return w->out.status;
}

/* ---- metrics.csv -------------------------------------------------------------------------- */

/* The seat a person sat in on a day, or -1. */
static int seat_of(const gen_world *w, int person, at_day day)
{
    const gen_person *p = &w->people[person];
    for (int i = 0; i < p->nstints; i++) {
        const gen_stint *st = &w->stints[p->stints[i]];
        if (st->start <= day && day <= st->end)
            return st->seat;
    }
    return -1;
}

/* num / den at 1e-9, half-even; 0 when den is not positive. */
static at_rate ratio(at_money num, at_money den)
{
    int64_t v;
    if (den <= 0 ||
        at_div_round_i128((__int128)num * AT_RATE_SCALE, den, AT_ROUND_HALF_EVEN, &v, NULL) != AT_OK)
        return 0;
    return v;
}

static void metric_row(gen_world *w, int person, const char *metric, const char *period,
                       at_rate value)
{
    gen_out *o = &w->out;
    gen_id(o, GF_METRICS, "P", (uint64_t)person + 1, 6);
    gen_str(o, GF_METRICS, metric);
    gen_str(o, GF_METRICS, period);
    gen_rate(o, GF_METRICS, value);
    gen_end(o, GF_METRICS);
}

at_code gen_metrics_write(gen_world *w)
{
    if (!gen_ok(w))
        return w->out.status;
    size_t months = (size_t)w->months;
    size_t cells = (size_t)w->npeople * months;
    at_money *amount = calloc(cells + 1, sizeof(at_money));
    at_money *margin = calloc(cells + 1, sizeof(at_money));
    at_money *sourced = calloc((size_t)w->nseats * months + 1, sizeof(at_money));
    char (*label)[AT_PERIOD_LABEL_MAX] = calloc(months + 1, AT_PERIOD_LABEL_MAX);
    if (!amount || !margin || !sourced || !label || !w->sdr_team_quota) {
        free(amount);
        free(margin);
        free(sourced);
        free(label);
        return gen_oom(w), w->out.status;
    }
    for (size_t m = 0; m < months; m++) {
        const at_period *p = NULL;
        at_day ms = gen_month_start(w->start_year, w->start_month, (int)m);
        if (at_fiscal_find(&w->fiscal, AT_PERIOD_MONTH, ms, &p, NULL) == AT_OK && p)
            snprintf(label[m], AT_PERIOD_LABEL_MAX, "%s", p->label);
    }
    /* the won deals of the window, in USD at the planning rate */
    for (int64_t k = 0; k < w->nwon; k++) {
        const gen_won *g = &w->won[k];
        if (g->closed_on < w->start || g->closed_on > w->end)
            continue;
        int y, mo, d;
        at_day_to_ymd(g->closed_on, &y, &mo, &d);
        size_t m = (size_t)(y * 12 + mo - 1 - (w->start_year * 12 + w->start_month - 1));
        at_money total = 0, cost = 0;
        for (int i = 0; i < g->nlines; i++) {
            const gen_deal_line *l = &g->lines[i];
            total += l->amount;
            cost += gen_price_in(w, gen_products[l->product].unit_cost, g->currency) * l->quantity;
        }
        at_money total_usd = gen_convert(w, total, g->currency, GEN_CUR_USD, w->start);
        int seat = seat_of(w, g->owner, g->closed_on);
        if (seat >= 0 && w->seats[seat].kind == SK_AE) {
            amount[(size_t)g->owner * months + m] += total_usd;
            margin[(size_t)g->owner * months + m] +=
                gen_convert(w, total - cost, g->currency, GEN_CUR_USD, w->start);
        }
        int sdr_seat = g->sdr_person >= 0 ? seat_of(w, g->sdr_person, g->closed_on) : -1;
        if (sdr_seat >= 0 && w->seats[sdr_seat].kind == SK_SDR &&
            w->seats[sdr_seat].manager_seat >= 0)
            sourced[(size_t)w->seats[sdr_seat].manager_seat * months + m] += total_usd;
    }
    gen_out_open(&w->out, GF_METRICS);
    for (int person = 0; person < w->npeople && gen_ok(w); person++)
        for (size_t m = 0; m < months; m++)
            if (amount[(size_t)person * months + m] > 0)
                metric_row(w, person, "avg_margin", label[m],
                           ratio(margin[(size_t)person * months + m],
                                 amount[(size_t)person * months + m]));
    for (int s = 0; s < w->nseats && gen_ok(w); s++) {
        if (w->seats[s].kind != SK_SDR_MANAGER)
            continue;
        for (size_t m = 0; m < months; m++) {
            at_money quota = w->sdr_team_quota[(size_t)s * months + m];
            at_day me = gen_month_start(w->start_year, w->start_month, (int)m + 1) - 1;
            int person = gen_occupant(w, s, me);
            if (quota > 0 && person >= 0)
                metric_row(w, person, "team_sourced_attainment", label[m],
                           ratio(sourced[(size_t)s * months + m], quota));
        }
    }
    gen_out_close(&w->out, GF_METRICS);
    free(amount);
    free(margin);
    free(sourced);
    free(label);
    return w->out.status;
}
