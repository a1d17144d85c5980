/* gen_org.c - the demo company's organisation: teams and seats (a fixed structure per size:
 * CEO, CFO and CRO; a VP of sales per region with area directors, sales managers and account
 * executives per area and segment; SDRs, overlay specialists, marketing, customer success,
 * sales operations, finance, admin), the people who sit in the seats over time (hires in
 * monthly onboarding classes, exits, promotions, transfers, leaves), and the files teams.csv,
 * people.csv and reporting_lines.csv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gen_planted.h"
#include "gen/gen_world.h"

/* ---- structure --------------------------------------------------------------------------- */

static int add_team(gen_world *w, const char *id, const char *name, gen_function fn, int parent,
                    int region, int area, int segment)
{
    if (!gen_grow_int((void **)&w->teams, &w->cap_teams, w->nteams, sizeof(gen_team)))
        return gen_oom(w), -1;
    gen_team *t = &w->teams[w->nteams];
    snprintf(t->id, sizeof t->id, "%s", id);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->function = fn;
    t->parent = parent;
    t->region = region;
    t->area = area;
    t->segment = segment;
    return w->nteams++;
}

static int add_seat(gen_world *w, gen_seat_kind kind, gen_role role, int team, int manager,
                    const char *title)
{
    if (!gen_grow_int((void **)&w->seats, &w->cap_seats, w->nseats, sizeof(gen_seat)))
        return gen_oom(w), -1;
    gen_seat *s = &w->seats[w->nseats];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->role = role;
    s->team = team;
    s->manager_seat = manager;
    s->region = team >= 0 ? w->teams[team].region : -1;
    s->area = team >= 0 ? w->teams[team].area : -1;
    s->segment = team >= 0 ? w->teams[team].segment : -1;
    s->territory = -1;
    s->title = title;
    return w->nseats++;
}

static int scaled(const gen_world *w, int n)
{
    int64_t v = ((int64_t)n * w->p.scale_permille + 500) / 1000;
    return v < 1 ? 1 : (int)v;
}

/* Members in teams of at most `span`, each with a manager seat reporting to leader (with a
 * layer of directors when there are more than six managers). */
static void build_group(gen_world *w, const char *id_prefix, const char *name_prefix,
                        gen_function fn, int parent_team, int region, int area, int segment,
                        int leader, int members, int span, gen_seat_kind member_kind,
                        gen_role member_role, const char *member_title,
                        gen_seat_kind manager_kind, const char *manager_title,
                        const char *director_title)
{
    int teams = (members + span - 1) / span;
    int directors = teams > 6 ? (teams + 5) / 6 : 0;
    int dir_seats[4096];
    if (directors > 4096)
        directors = 4096;
    for (int d = 0; d < directors; d++)
        dir_seats[d] = add_seat(w, manager_kind == SK_AE_MANAGER ? SK_SALES_DIRECTOR
                                                                 : SK_OTHER_DIRECTOR,
                                ROLE_DIRECTOR, parent_team, leader, director_title);
    int left = members;
    for (int t = 0; t < teams && gen_ok(w); t++) {
        char id[48], name[96];
        snprintf(id, sizeof id, "%s-%d", id_prefix, t + 1);
        snprintf(name, sizeof name, teams > 1 ? "%s %d" : "%s", name_prefix, t + 1);
        int team = add_team(w, id, name, fn, parent_team, region, area, segment);
        if (team < 0)
            return;
        int boss = directors ? dir_seats[t % directors] : leader;
        int mgr = add_seat(w, manager_kind, ROLE_MANAGER, team, boss, manager_title);
        int n = left / (teams - t);
        left -= n;
        for (int i = 0; i < n; i++)
            add_seat(w, member_kind, member_role, team, mgr, member_title);
    }
}

static const char *const ae_titles[GEN_SEG_COUNT] = {
    "Account Executive", "Senior Account Executive", "Enterprise Account Executive"};
static const char *const ae_manager_titles[GEN_SEG_COUNT] = {
    "Sales Manager, Small Business", "Sales Manager, Mid-Market", "Sales Manager, Enterprise"};

static void build_structure(gen_world *w)
{
    static const int region_aes[GEN_REGION_COUNT] = {130, 75, 35};
    static const int region_sdrs[GEN_REGION_COUNT] = {52, 30, 14};
    static const int region_csms[GEN_REGION_COUNT] = {60, 35, 15};
    static const int region_field_mkt[GEN_REGION_COUNT] = {12, 8, 4};
    static const int seg_share[GEN_SEG_COUNT] = {40, 35, 25};

    int exec = add_team(w, "EXEC", "Executive Team", FN_EXECUTIVE, -1, -1, -1, -1);
    w->ceo_seat = add_seat(w, SK_EXEC, ROLE_EXECUTIVE, exec, -1, "Chief Executive Officer");
    int cfo = add_seat(w, SK_EXEC, ROLE_EXECUTIVE, exec, w->ceo_seat, "Chief Financial Officer");
    int cro = add_seat(w, SK_EXEC, ROLE_EXECUTIVE, exec, w->ceo_seat, "Chief Revenue Officer");
    w->cro_seat = cro;
    for (int i = 0; i < scaled(w, 2); i++)
        add_seat(w, SK_ADMIN, ROLE_ADMIN, exec, w->ceo_seat, "Executive Assistant");

    int fin = add_team(w, "FINANCE", "Finance", FN_FINANCE, exec, -1, -1, -1);
    int fin_dir = add_seat(w, SK_OTHER_DIRECTOR, ROLE_DIRECTOR, fin, cfo, "Director of Finance");
    build_group(w, "FINANCE-TEAM", "Finance Team", FN_FINANCE, fin, -1, -1, -1, fin_dir,
                scaled(w, 14), 8, SK_FINANCE, ROLE_FINANCE, "Financial Analyst",
                SK_OTHER_MANAGER, "Finance Manager", "Senior Director of Finance");

    int ops = add_team(w, "SALES-OPS", "Sales Operations", FN_SALES_OPS, exec, -1, -1, -1);
    int ops_dir = add_seat(w, SK_OTHER_DIRECTOR, ROLE_DIRECTOR, ops, cro,
                           "Director of Sales Operations");
    build_group(w, "SALES-OPS-TEAM", "Sales Operations Team", FN_SALES_OPS, ops, -1, -1, -1,
                ops_dir, scaled(w, 18), 8, SK_SALES_OPS, ROLE_SALES_OPS,
                "Sales Operations Analyst", SK_OTHER_MANAGER, "Sales Operations Manager",
                "Senior Director of Sales Operations");
    build_group(w, "SALES-ADMIN", "Sales Administration", FN_SALES_OPS, ops, -1, -1, -1,
                ops_dir, scaled(w, 6), 8, SK_ADMIN, ROLE_ADMIN, "Sales Coordinator",
                SK_OTHER_MANAGER, "Sales Administration Manager", "Director of Sales Administration");

    /* marketing */
    int mkt = add_team(w, "MARKETING", "Marketing", FN_MARKETING, exec, -1, -1, -1);
    int vp_mkt = add_seat(w, SK_VP_OTHER, ROLE_VP, mkt, cro, "VP Marketing");
    build_group(w, "MKT-DEMAND", "Demand Generation", FN_MARKETING, mkt, -1, -1, -1, vp_mkt,
                scaled(w, 24), 8, SK_MARKETING, ROLE_MARKETING, "Demand Generation Manager",
                SK_MKT_MANAGER, "Senior Manager, Demand Generation",
                "Director of Demand Generation");
    build_group(w, "MKT-PRODUCT", "Product Marketing", FN_MARKETING, mkt, -1, -1, -1, vp_mkt,
                scaled(w, 12), 8, SK_MARKETING, ROLE_MARKETING, "Product Marketing Manager",
                SK_MKT_MANAGER, "Senior Manager, Product Marketing",
                "Director of Product Marketing");
    for (int r = 0; r < GEN_REGION_COUNT; r++) {
        char id[48], name[96];
        snprintf(id, sizeof id, "MKT-FIELD-%s", gen_regions[r].code);
        snprintf(name, sizeof name, "Field Marketing %s", gen_regions[r].code);
        build_group(w, id, name, FN_MARKETING, mkt, r, -1, -1, vp_mkt,
                    scaled(w, region_field_mkt[r]), 8, SK_MARKETING, ROLE_MARKETING,
                    "Field Marketing Manager", SK_MKT_MANAGER, "Senior Manager, Field Marketing",
                    "Director of Field Marketing");
    }
    /* customer success */
    int cs = add_team(w, "CS", "Customer Success", FN_CSM, exec, -1, -1, -1);
    int vp_cs = add_seat(w, SK_VP_OTHER, ROLE_VP, cs, cro, "VP Customer Success");
    w->cs_vp_seat = vp_cs;
    for (int r = 0; r < GEN_REGION_COUNT; r++) {
        char id[48], name[96];
        snprintf(id, sizeof id, "CSM-%s", gen_regions[r].code);
        snprintf(name, sizeof name, "Customer Success %s", gen_regions[r].code);
        build_group(w, id, name, FN_CSM, cs, r, -1, -1, vp_cs, scaled(w, region_csms[r]), 10,
                    SK_CSM, ROLE_CSM, "Customer Success Manager", SK_CSM_MANAGER,
                    "Customer Success Team Lead", "Director of Customer Success");
    }

    /* sales: VP per region, area leaders, AE teams per area and segment, overlay, SDRs */
    int sales = add_team(w, "SALES", "Sales", FN_SALES_MANAGEMENT, exec, -1, -1, -1);
    for (int r = 0; r < GEN_REGION_COUNT; r++) {
        char id[48], name[96];
        snprintf(id, sizeof id, "SALES-%s", gen_regions[r].code);
        snprintf(name, sizeof name, "Sales %s", gen_regions[r].code);
        int rteam = add_team(w, id, name, FN_SALES_MANAGEMENT, sales, r, -1, -1);
        static const char *const vp_titles[GEN_REGION_COUNT] = {
            "VP Sales, North America", "VP Sales, EMEA", "VP Sales, APAC"};
        int vp = add_seat(w, SK_VP_SALES, ROLE_VP, rteam, cro, vp_titles[r]);
        for (size_t a = 0; a < gen_area_count; a++) {
            if (gen_areas[a].region != r)
                continue;
            int n_area = (region_aes[r] * gen_areas[a].weight + 50) / 100;
            snprintf(id, sizeof id, "SALES-%s", gen_areas[a].code);
            snprintf(name, sizeof name, "Sales %s", gen_areas[a].name);
            int ateam = add_team(w, id, name, FN_SALES_MANAGEMENT, rteam, r, (int)a, -1);
            int leader = add_seat(w, SK_AREA_LEADER, ROLE_DIRECTOR, ateam, vp, "Area Director");
            for (int sg = 0; sg < GEN_SEG_COUNT; sg++) {
                int n = scaled(w, (n_area * seg_share[sg] + 50) / 100);
                snprintf(id, sizeof id, "AE-%s-%s", gen_areas[a].code, gen_segments[sg].code);
                snprintf(name, sizeof name, "%s %s", gen_areas[a].name, gen_segments[sg].name);
                build_group(w, id, name, FN_AE, ateam, r, (int)a, sg, leader, n, 8, SK_AE,
                            ROLE_REP, ae_titles[sg], SK_AE_MANAGER, ae_manager_titles[sg],
                            "Sales Director");
            }
        }
        snprintf(id, sizeof id, "OVERLAY-%s", gen_regions[r].code);
        snprintf(name, sizeof name, "Solutions Specialists %s", gen_regions[r].code);
        build_group(w, id, name, FN_AE, rteam, r, -1, -1, vp, scaled(w, 4), 8, SK_OVERLAY,
                    ROLE_REP, "Solutions Specialist", SK_AE_MANAGER,
                    "Solutions Specialist Manager", "Director, Solutions Specialists");
        snprintf(id, sizeof id, "SDR-%s", gen_regions[r].code);
        snprintf(name, sizeof name, "Sales Development %s", gen_regions[r].code);
        build_group(w, id, name, FN_SDR, rteam, r, -1, -1, vp, scaled(w, region_sdrs[r]), 8,
                    SK_SDR, ROLE_SDR, "Sales Development Representative", SK_SDR_MANAGER,
                    "Sales Development Manager", "Director, Sales Development");
    }
}

/* ---- people ------------------------------------------------------------------------------ */

/* a small set of 64-bit hashes, to keep e-mail addresses unique */
typedef struct hash_set {
    uint64_t *slots;
    size_t mask;
} hash_set;

static bool set_add(hash_set *s, uint64_t h)
{
    if (h == 0)
        h = 1;
    size_t i = (size_t)h & s->mask;
    while (s->slots[i]) {
        if (s->slots[i] == h)
            return false;
        i = (i + 1) & s->mask;
    }
    s->slots[i] = h;
    return true;
}

static uint64_t hash_text(const char *t)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (; *t; t++) {
        h ^= (unsigned char)*t;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

static int city_for(gen_rng *rng, int area, int region)
{
    uint32_t weights[128];
    size_t n = gen_city_count < 128 ? gen_city_count : 128;
    for (size_t i = 0; i < n; i++) {
        const gen_city *c = &gen_cities[i];
        bool ok = area >= 0 ? c->area == area
                            : (region >= 0 ? gen_areas[c->area].region == region : true);
        weights[i] = ok ? (uint32_t)c->weight : 0;
    }
    if (area < 0 && region < 0) {
        /* headquarters staff: mostly San Francisco */
        if (gen_chance(rng, 700000))
            return 0;
    }
    return (int)gen_pick_weighted(rng, weights, n);
}

static int new_person(gen_world *w, int seat, at_day hire, int cohort, hash_set *emails)
{
    if (!gen_grow_int((void **)&w->people, &w->cap_people, w->npeople, sizeof(gen_person)))
        return gen_oom(w), -1;
    int idx = w->npeople++;
    gen_person *p = &w->people[idx];
    memset(p, 0, sizeof *p);
    gen_rng rng;
    gen_rng_seed(&rng, w->seed, "people", (uint64_t)idx);
    const gen_seat *s = &w->seats[seat];
    p->city = city_for(&rng, s->area, s->region);
    snprintf(p->country, sizeof p->country, "%s", gen_cities[p->city].country);
    p->currency = gen_country_currency(p->country);
    gen_person_name(&rng, p->country, p->first, sizeof p->first, p->last, sizeof p->last);
    char local[96];
    gen_email_local(p->first, p->last, local, sizeof local);
    char candidate[104];
    snprintf(candidate, sizeof candidate, "%s", local);
    for (int k = 2; !set_add(emails, hash_text(candidate)); k++)
        snprintf(candidate, sizeof candidate, "%.90s%d", local, k);
    snprintf(p->email, sizeof p->email, "%.100s@brightline.example", candidate);
    p->hire_date = hire;
    p->exit_date = GEN_NO_DAY;
    p->exit_reason = -1;
    p->cohort = cohort;
    p->leave_start = p->leave_end = GEN_NO_DAY;
    uint32_t t = gen_below(&rng, 100);
    p->tier = t < 10 ? TIER_TOP : (t < 30 ? TIER_LOW : TIER_CORE);
    p->skill_permille = p->tier == TIER_TOP   ? (int32_t)gen_range(&rng, 1600, 1900)
                        : p->tier == TIER_LOW ? (int32_t)gen_range(&rng, 380, 560)
                                              : (int32_t)gen_range(&rng, 860, 1160);
    return idx;
}

static bool add_stint(gen_world *w, int person, int seat, at_day start, gen_start_kind how)
{
    int64_t cap = w->cap_stints;
    if (!gen_grow((void **)&w->stints, &cap, w->nstints, sizeof(gen_stint)))
        return gen_oom(w);
    w->cap_stints = (int)cap;
    int idx = w->nstints++;
    w->stints[idx] = (gen_stint){person, seat, start, GEN_OPEN_END, how};
    gen_seat *s = &w->seats[seat];
    if (!gen_grow_int((void **)&s->stints, &s->cap_stints, s->nstints, sizeof(int)))
        return gen_oom(w);
    s->stints[s->nstints++] = idx;
    gen_person *p = &w->people[person];
    if (!gen_grow_int((void **)&p->stints, &p->cap_stints, p->nstints, sizeof(int)))
        return gen_oom(w);
    p->stints[p->nstints++] = idx;
    return true;
}

static int current_stint(const gen_world *w, int person)
{
    const gen_person *p = &w->people[person];
    return p->nstints ? p->stints[p->nstints - 1] : -1;
}

static int32_t exit_hazard_ppm(const gen_seat *s, const gen_person *p)
{
    switch (s->kind) {
    case SK_AE:
    case SK_OVERLAY:
        return p->tier == TIER_LOW ? 30000 : (p->tier == TIER_TOP ? 6000 : 11000);
    case SK_SDR: return 19000;
    case SK_CSM: return 11000;
    case SK_MARKETING: return 10000;
    case SK_EXEC: return 0;
    case SK_VP_SALES:
    case SK_VP_OTHER: return 4000;
    case SK_AREA_LEADER:
    case SK_SALES_DIRECTOR:
    case SK_OTHER_DIRECTOR: return 5000;
    default: return 7500;
    }
}

/* First Monday of a month. */
static at_day first_monday(at_day month_start)
{
    int wd = at_day_weekday(month_start);
    return month_start + (8 - wd) % 7;
}

static const char *const voluntary_reasons[] = {
    "Joined a competitor", "Career change", "Relocation", "Compensation",
    "Personal reasons", "Went back to school"};
static const char *const involuntary_reasons[] = {"Performance", "Restructuring",
                                                   "Policy violation"};

const char *gen_exit_reason_text(int reason, bool voluntary)
{
    if (reason < 0)
        return "";
    return voluntary ? voluntary_reasons[reason % 6] : involuntary_reasons[reason % 3];
}

static void end_stint(gen_world *w, int stint, at_day last)
{
    w->stints[stint].end = last;
}

static bool seat_is_sales_rep(const gen_seat *s)
{
    return s->kind == SK_AE;
}

/* Finds an SDR in the region with 9+ months in seat, for a promotion into an AE seat. */
static int find_promotable(gen_world *w, gen_seat_kind kind, int region, int team, at_day day,
                           int min_days, gen_rng *rng)
{
    int best = -1;
    int64_t best_key = -1;
    for (int s = 0; s < w->nseats; s++) {
        const gen_seat *seat = &w->seats[s];
        if (seat->kind != kind || seat->pinned || (region >= 0 && seat->region != region) ||
            (team >= 0 && seat->team != team))
            continue;
        int st = gen_stint_at(w, s, day);
        if (st < 0 || w->stints[st].end != GEN_OPEN_END)
            continue;
        if ((int64_t)day - w->stints[st].start < min_days)
            continue;
        const gen_person *p = &w->people[w->stints[st].person];
        if (p->tier == TIER_LOW || p->slow_ramp)
            continue;
        int64_t key = (int64_t)p->skill_permille * 4 + gen_below(rng, 600);
        if (key > best_key) {
            best_key = key;
            best = st;
        }
    }
    return best;
}

static at_code simulate(gen_world *w, hash_set *emails)
{
    int months = w->months;
    w->cohorts = months;
    w->cohort_day = calloc((size_t)months, sizeof(at_day));
    if (!w->cohort_day)
        return gen_oom(w), AT_ERR_NOMEM;
    for (int i = 0; i < months; i++)
        w->cohort_day[i] = first_monday(gen_month_start(w->start_year, w->start_month, i));
    w->slow_cohort = months >= 9 ? 2 : -1;

    at_day *vacant_since = malloc((size_t)w->nseats * sizeof(at_day));
    if (!vacant_since)
        return gen_oom(w), AT_ERR_NOMEM;
    for (int s = 0; s < w->nseats; s++)
        vacant_since[s] = w->seats[s].open_at_start && w->slow_cohort >= 0 ? w->start : GEN_NO_DAY;

    for (int m = 0; m < months && gen_ok(w); m++) {
        at_day ms = gen_month_start(w->start_year, w->start_month, m);
        at_day me = gen_month_start(w->start_year, w->start_month, m + 1) - 1;
        /* exits this month */
        for (int s = 0; s < w->nseats; s++) {
            gen_seat *seat = &w->seats[s];
            if (seat->pinned)
                continue;
            int st = gen_stint_at(w, s, ms);
            if (st < 0 || w->stints[st].end != GEN_OPEN_END)
                continue;
            int person = w->stints[st].person;
            gen_person *p = &w->people[person];
            if ((int64_t)ms - w->stints[st].start < 90)
                continue;
            gen_rng rng;
            gen_rng_seed2(&rng, w->seed, "exits", (uint64_t)person, (uint64_t)m);
            if (!gen_chance(&rng, exit_hazard_ppm(seat, p)))
                continue;
            at_day day = ms + (at_day)gen_range(&rng, 0, me - ms);
            end_stint(w, st, day);
            p->exit_date = day;
            bool vol = p->tier == TIER_LOW ? gen_chance(&rng, 400000) : gen_chance(&rng, 800000);
            p->exit_voluntary = vol;
            p->exit_reason = (int)gen_below(&rng, vol ? 6 : 3);
            if (!vol && p->tier == TIER_LOW)
                p->exit_reason = 0; /* Performance */
            vacant_since[s] = day + 1;
        }
        /* leaves of absence start this month */
        for (int person = 0; person < w->npeople; person++) {
            gen_person *p = &w->people[person];
            if (p->exit_date != GEN_NO_DAY || p->leave_start != GEN_NO_DAY || p->planted)
                continue;
            gen_rng rng;
            gen_rng_seed2(&rng, w->seed, "leaves", (uint64_t)person, (uint64_t)m);
            if (!gen_chance(&rng, 2500))
                continue;
            p->leave_start = ms + (at_day)gen_range(&rng, 0, 20);
            p->leave_end = p->leave_start + (at_day)gen_range(&rng, 56, 120);
        }
        /* this month's onboarding class fills the seats vacant for two weeks or more */
        if (m + 1 >= months)
            continue;
        at_day class_day = w->cohort_day[m + 1 < months ? m + 1 : m];
        int cohort = m + 1;
        for (int s = 0; s < w->nseats && gen_ok(w); s++) {
            if (vacant_since[s] == GEN_NO_DAY || vacant_since[s] > class_day - 14)
                continue;
            if (w->seats[s].open_at_start && cohort != w->slow_cohort &&
                w->seats[s].nstints == 0)
                continue;
            gen_seat *seat = &w->seats[s];
            gen_rng rng;
            gen_rng_seed2(&rng, w->seed, "fill", (uint64_t)s, (uint64_t)cohort);
            int mover = -1;
            gen_start_kind how = START_HIRE;
            if (!seat->open_at_start || seat->nstints > 0) {
                uint32_t roll = gen_below(&rng, 100);
                if (seat_is_sales_rep(seat) && roll < 18) {
                    mover = find_promotable(w, SK_SDR, seat->region, -1, class_day, 270, &rng);
                    how = START_PROMOTION;
                } else if (seat_is_sales_rep(seat) && roll < 28) {
                    mover = find_promotable(w, SK_AE, seat->region, -1, class_day, 365, &rng);
                    how = START_TRANSFER;
                } else if (seat->kind == SK_AE_MANAGER && roll < 50) {
                    mover = find_promotable(w, SK_AE, -1, seat->team, class_day, 365, &rng);
                    how = START_PROMOTION;
                }
            }
            int person;
            if (mover >= 0) {
                person = w->stints[mover].person;
                int old_seat = w->stints[mover].seat;
                end_stint(w, mover, class_day - 1);
                vacant_since[old_seat] = class_day;
            } else {
                person = new_person(w, s, class_day, cohort, emails);
                if (person < 0)
                    break;
                how = START_HIRE;
                w->people[person].slow_ramp = cohort == w->slow_cohort;
            }
            if (!add_stint(w, person, s, class_day, how))
                break;
            vacant_since[s] = GEN_NO_DAY;
        }
    }
    free(vacant_since);
    return w->out.status;
}

at_code gen_org_build(gen_world *w)
{
    build_structure(w);
    if (!gen_ok(w))
        return w->out.status;
    /* seats opened for growth: every tenth AE seat, filled by the expansion (slow) class */
    int ae_index = 0;
    for (int s = 0; s < w->nseats; s++)
        if (w->seats[s].kind == SK_AE && ae_index++ % 10 == 7) {
            w->seats[s].open_at_start = true;
            w->expansion_seats++;
        }
    gen_planted_pick_seats(w);

    size_t slots = 1;
    while (slots < (size_t)w->nseats * 8 + 64)
        slots <<= 1;
    hash_set emails = {calloc(slots, sizeof(uint64_t)), slots - 1};
    if (!emails.slots)
        return gen_oom(w), AT_ERR_NOMEM;

    /* the people in their seats when the window opens (hired before it) */
    bool have_slow = w->months >= 9;
    for (int pass = 0; pass < 2 && gen_ok(w); pass++)
        for (int s = 0; s < w->nseats && gen_ok(w); s++) {
            gen_seat *seat = &w->seats[s];
            if (pass == 0 && seat->open_at_start)
                continue;
            if (pass == 1 && (!seat->open_at_start || have_slow))
                continue;
            gen_rng rng;
            gen_rng_seed(&rng, w->seed, "tenure", (uint64_t)s);
            int64_t lo = 45, hi = 2600;
            if (seat->role == ROLE_MANAGER || seat->role == ROLE_DIRECTOR)
                lo = 200, hi = 3600;
            if (seat->role == ROLE_VP || seat->role == ROLE_EXECUTIVE)
                lo = 300, hi = 4000;
            if (seat->pinned)
                lo = 800, hi = 1800;
            int64_t tenure = gen_range(&rng, lo, hi);
            at_day hire = w->start - (at_day)tenure;
            int person = new_person(w, s, tenure > 3000 ? GEN_NO_DAY : hire, -1, &emails);
            if (person < 0)
                break;
            gen_person *p = &w->people[person];
            if (seat->pinned) {
                p->tier = TIER_CORE;
                p->skill_permille = 1000;
            }
            add_stint(w, person, s, tenure > 3000 ? w->start - 4000 : hire, START_INITIAL);
        }
    gen_planted_mark_people(w);
    if (gen_ok(w))
        simulate(w, &emails);
    free(emails.slots);
    /* marketing seats and SDR seats by region, for lead routing */
    for (int s = 0; s < w->nseats && gen_ok(w); s++) {
        gen_seat *seat = &w->seats[s];
        if (seat->kind == SK_MARKETING) {
            int cap = w->nmkt_seats;
            if (!gen_grow_int((void **)&w->mkt_seats, &cap, w->nmkt_seats, sizeof(int)))
                return gen_oom(w), AT_ERR_NOMEM;
            w->mkt_seats[w->nmkt_seats++] = s;
        } else if (seat->kind == SK_SDR && seat->region >= 0) {
            int r = seat->region;
            int cap = w->nsdr_seats[r];
            if (!gen_grow_int((void **)&w->sdr_seats_by_region[r], &cap, w->nsdr_seats[r],
                              sizeof(int)))
                return gen_oom(w), AT_ERR_NOMEM;
            w->sdr_seats_by_region[r][w->nsdr_seats[r]++] = s;
        }
    }
    return w->out.status;
}

/* ---- writing ----------------------------------------------------------------------------- */

static void write_teams(gen_world *w)
{
    gen_out *o = &w->out;
    gen_out_open(o, GF_TEAMS);
    for (int t = 0; t < w->nteams; t++) {
        const gen_team *team = &w->teams[t];
        gen_str(o, GF_TEAMS, team->id);
        gen_str(o, GF_TEAMS, team->name);
        gen_str(o, GF_TEAMS, gen_function_names[team->function]);
        gen_str(o, GF_TEAMS, team->parent >= 0 ? w->teams[team->parent].id : "");
        gen_end(o, GF_TEAMS);
    }
    gen_out_close(o, GF_TEAMS);
}

static void write_people(gen_world *w)
{
    gen_out *o = &w->out;
    gen_out_open(o, GF_PEOPLE);
    for (int i = 0; i < w->npeople && gen_ok(w); i++) {
        const gen_person *p = &w->people[i];
        const gen_stint *last = &w->stints[current_stint(w, i)];
        const gen_seat *seat = &w->seats[last->seat];
        char id[32], name[96];
        gen_person_id(w, i, id, sizeof id);
        snprintf(name, sizeof name, "%s %s", p->first, p->last);
        gen_str(o, GF_PEOPLE, id);
        gen_str(o, GF_PEOPLE, name);
        gen_str(o, GF_PEOPLE, p->email);
        gen_str(o, GF_PEOPLE, gen_role_names[seat->role]);
        gen_str(o, GF_PEOPLE, w->teams[seat->team].id);
        char title[128];
        if (seat->kind == SK_AREA_LEADER)
            snprintf(title, sizeof title, "%s, %s", seat->title, gen_areas[seat->area].name);
        else
            snprintf(title, sizeof title, "%s", seat->title);
        gen_str(o, GF_PEOPLE, title);
        gen_day_opt(o, GF_PEOPLE, p->hire_date);
        gen_day_opt(o, GF_PEOPLE, p->exit_date);
        gen_str(o, GF_PEOPLE, gen_currency_codes[p->currency]);
        gen_str(o, GF_PEOPLE, p->country);
        gen_str(o, GF_PEOPLE, gen_cities[p->city].name);
        gen_end(o, GF_PEOPLE);
    }
    gen_out_close(o, GF_PEOPLE);
}

static int cmp_day(const void *a, const void *b)
{
    at_day x = *(const at_day *)a, y = *(const at_day *)b;
    return (x > y) - (x < y);
}

/* The manager of someone in seat on day: the nearest occupied seat above (never themselves). */
static int manager_on(const gen_world *w, int seat, int person, at_day day)
{
    for (int s = w->seats[seat].manager_seat; s >= 0; s = w->seats[s].manager_seat) {
        int p = gen_occupant(w, s, day);
        if (p >= 0 && p != person)
            return p;
    }
    return -1;
}

static void write_reporting_lines(gen_world *w)
{
    gen_out *o = &w->out;
    gen_out_open(o, GF_REPORTING_LINES);
    at_day *cuts = NULL;
    int64_t cap = 0;
    for (int i = 0; i < w->npeople && gen_ok(w); i++) {
        const gen_person *p = &w->people[i];
        for (int k = 0; k < p->nstints; k++) {
            const gen_stint *st = &w->stints[p->stints[k]];
            at_day end = st->end;
            int64_t n = 0;
            if (!gen_grow((void **)&cuts, &cap, n, sizeof(at_day))) {
                gen_oom(w);
                break;
            }
            cuts[n++] = st->start;
            for (int s = w->seats[st->seat].manager_seat; s >= 0; s = w->seats[s].manager_seat) {
                const gen_seat *up = &w->seats[s];
                for (int j = 0; j < up->nstints; j++) {
                    const gen_stint *u = &w->stints[up->stints[j]];
                    at_day c[2] = {u->start, u->end == GEN_OPEN_END ? GEN_OPEN_END : u->end + 1};
                    for (int q = 0; q < 2; q++)
                        if (c[q] > st->start && c[q] <= end && c[q] != GEN_OPEN_END) {
                            if (!gen_grow((void **)&cuts, &cap, n, sizeof(at_day))) {
                                gen_oom(w);
                                goto done;
                            }
                            cuts[n++] = c[q];
                        }
                }
            }
            qsort(cuts, (size_t)n, sizeof(at_day), cmp_day);
            int cur_mgr = -2;
            at_day cur_start = st->start;
            for (int64_t j = 0; j <= n; j++) {
                if (j < n && j > 0 && cuts[j] == cuts[j - 1])
                    continue;
                int mgr = j < n ? manager_on(w, st->seat, i, cuts[j]) : -3;
                if (mgr == cur_mgr)
                    continue;
                at_day seg_start = j < n ? cuts[j] : GEN_OPEN_END;
                if (cur_mgr >= 0) {
                    char id[32], mid[32];
                    gen_person_id(w, i, id, sizeof id);
                    gen_person_id(w, cur_mgr, mid, sizeof mid);
                    gen_str(o, GF_REPORTING_LINES, id);
                    gen_str(o, GF_REPORTING_LINES, mid);
                    bool since_ever = k == 0 && p->hire_date == GEN_NO_DAY && cur_start == st->start;
                    gen_day_opt(o, GF_REPORTING_LINES, since_ever ? GEN_NO_DAY : cur_start);
                    at_day seg_end = seg_start == GEN_OPEN_END ? end : seg_start - 1;
                    gen_day_opt(o, GF_REPORTING_LINES,
                                seg_end == GEN_OPEN_END ? GEN_NO_DAY : seg_end);
                    gen_end(o, GF_REPORTING_LINES);
                }
                cur_mgr = mgr;
                cur_start = seg_start;
            }
        }
    }
done:
    free(cuts);
    gen_out_close(o, GF_REPORTING_LINES);
}

at_code gen_org_write(gen_world *w)
{
    write_teams(w);
    write_people(w);
    write_reporting_lines(w);
    return w->out.status;
}
