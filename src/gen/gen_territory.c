/* gen_territory.c - territories and accounts: the company, its regions (NA, EMEA, APAC),
 * areas and one territory per account-executive seat (split by industry group or by account
 * range within an area and segment), with assignment rules and potential; the accounts
 * (prospects and customers) around real cities; and their effective-dated assignments to
 * territories and people (territories.csv, territory_rules.csv, accounts.csv,
 * territory_accounts.csv, territory_people.csv). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gen_planted.h"
#include "gen/gen_world.h"

static int add_territory(gen_world *w, const char *id, const char *name, int parent,
                         gen_territory_level level, int region, int area, int segment)
{
    if (!gen_grow_int((void **)&w->territories, &w->cap_territories, w->nterritories,
                      sizeof(gen_territory)))
        return gen_oom(w), -1;
    gen_territory *t = &w->territories[w->nterritories];
    memset(t, 0, sizeof *t);
    snprintf(t->id, sizeof t->id, "%s", id);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->parent = parent;
    t->level = level;
    t->region = region;
    t->area = area;
    t->segment = segment;
    t->seat = -1;
    return w->nterritories++;
}

static const char *const revenue_bands[] = {"under_1m", "1m_10m",   "10m_50m",
                                            "50m_250m", "250m_1b", "over_1b"};

static int revenue_band_of(at_money revenue_usd)
{
    int64_t m = revenue_usd / AT_MONEY_SCALE / 1000000;
    if (m < 1)
        return 0;
    if (m < 10)
        return 1;
    if (m < 50)
        return 2;
    if (m < 250)
        return 3;
    if (m < 1000)
        return 4;
    return 5;
}

static int64_t employees_for(gen_rng *rng, int segment)
{
    /* log-uniform between the segment's bounds: lo * exp(u * ln(hi / lo)) */
    static const int64_t lo[GEN_SEG_COUNT] = {10, 200, 2000};
    static const int64_t hi[GEN_SEG_COUNT] = {199, 1999, 120000};
    static const int64_t ln_ratio_nano[GEN_SEG_COUNT] = {2990719731, 2302085093, 4094344562};
    int64_t u = gen_range(rng, 0, 1000000);
    int64_t v = lo[segment] * gen_exp_nano(ln_ratio_nano[segment] / 1000 * u / 1000) /
                1000000000;
    if (v < lo[segment])
        v = lo[segment];
    if (v > hi[segment])
        v = hi[segment];
    return v;
}

void gen_account_name(const gen_world *w, int64_t account, char *buf, size_t size);
void gen_account_name(const gen_world *w, int64_t account, char *buf, size_t size)
{
    const gen_account *a = &w->accounts[account];
    gen_rng rng;
    gen_rng_seed(&rng, w->seed, "account_name", (uint64_t)account);
    gen_company_name(&rng, a->industry, gen_cities[a->city].country, buf, size);
}

static int city_in_area(gen_rng *rng, int area)
{
    uint32_t weights[128];
    size_t n = gen_city_count < 128 ? gen_city_count : 128;
    for (size_t i = 0; i < n; i++)
        weights[i] = gen_cities[i].area == area ? (uint32_t)gen_cities[i].weight : 0;
    return (int)gen_pick_weighted(rng, weights, n);
}

at_code gen_territory_build(gen_world *w)
{
    int top = add_territory(w, "TER-WW", "Worldwide", -1, TL_COMPANY, -1, -1, -1);
    w->area_territory = calloc(gen_area_count, sizeof(int));
    if (!w->area_territory)
        return gen_oom(w), AT_ERR_NOMEM;
    for (int r = 0; r < GEN_REGION_COUNT; r++) {
        char id[48];
        snprintf(id, sizeof id, "TER-%s", gen_regions[r].code);
        w->region_territory[r] =
            add_territory(w, id, gen_regions[r].name, top, TL_REGION, r, -1, -1);
        for (size_t a = 0; a < gen_area_count; a++) {
            if (gen_areas[a].region != r)
                continue;
            snprintf(id, sizeof id, "TER-%s", gen_areas[a].code);
            w->area_territory[a] = add_territory(w, id, gen_areas[a].name,
                                                 w->region_territory[r], TL_AREA, r, (int)a, -1);
        }
    }
    if (!gen_ok(w))
        return w->out.status;

    /* count AE seats per cell; accounts are generated cell by cell, territory by territory */
    static const int64_t per_ae[GEN_SEG_COUNT] = {300, 120, 40};
    int64_t total_est = 0;
    for (int s = 0; s < w->nseats; s++)
        if (w->seats[s].kind == SK_AE)
            total_est += per_ae[w->seats[s].segment] * 2;
    int64_t cap_accounts = total_est + 1024;
    w->accounts = calloc((size_t)cap_accounts, sizeof(gen_account));
    if (!w->accounts)
        return gen_oom(w), AT_ERR_NOMEM;

    for (size_t a = 0; a < gen_area_count && gen_ok(w); a++)
        for (int sg = 0; sg < GEN_SEG_COUNT && gen_ok(w); sg++) {
            /* seats of the cell, in seat order */
            int k = 0;
            for (int s = 0; s < w->nseats; s++)
                if (w->seats[s].kind == SK_AE && w->seats[s].area == (int)a &&
                    w->seats[s].segment == sg)
                    k++;
            char cell[64];
            snprintf(cell, sizeof cell, "AE-%s-%s", gen_areas[a].code, gen_segments[sg].code);
            int idx = 0;
            for (int s = 0; s < w->nseats && gen_ok(w); s++) {
                gen_seat *seat = &w->seats[s];
                if (seat->kind != SK_AE || seat->area != (int)a || seat->segment != sg)
                    continue;
                char id[48], name[96];
                snprintf(id, sizeof id, "TER-%s-%s-%02d", gen_areas[a].code,
                         gen_segments[sg].code, idx + 1);
                snprintf(name, sizeof name, "%s %s %02d", gen_areas[a].name,
                         gen_segments[sg].name, idx + 1);
                int t = add_territory(w, id, name, w->area_territory[a], TL_TERRITORY,
                                      gen_areas[a].region, (int)a, sg);
                if (t < 0)
                    break;
                gen_territory *ter = &w->territories[t];
                ter->seat = s;
                seat->territory = t;
                ter->split_kind = k == 1 ? 0 : (k <= 4 ? 1 : 2);
                if (ter->split_kind == 1)
                    for (size_t i = 0; i < gen_industry_count; i++)
                        if ((int)(i % (size_t)k) == idx)
                            ter->industry_mask |= 1u << i;
                gen_rng rng;
                gen_rng_seed(&rng, w->seed, "territory_size", (uint64_t)t);
                int64_t n = per_ae[sg] * gen_range(&rng, 880, 1120) / 1000;
                if (idx == 0 && strcmp(cell, PLANT_OVER_CELL) == 0) {
                    n = per_ae[sg] * PLANT_OVER_ACCOUNTS_PERMILLE / 1000;
                    ter->planted = PLANT_TERRITORY_OVER;
                    w->plant_territory_over = t;
                } else if (idx == 0 && strcmp(cell, PLANT_UNDER_CELL) == 0) {
                    n = per_ae[sg] * PLANT_UNDER_ACCOUNTS_PERMILLE / 1000;
                    ter->planted = PLANT_TERRITORY_UNDER;
                    w->plant_territory_under = t;
                }
                if (w->naccounts + n > cap_accounts) {
                    int64_t ncap = (w->naccounts + n) * 2;
                    gen_account *p = realloc(w->accounts, (size_t)ncap * sizeof(gen_account));
                    if (!p)
                        return gen_oom(w), AT_ERR_NOMEM;
                    w->accounts = p;
                    cap_accounts = ncap;
                }
                ter->first_account = w->naccounts;
                for (int64_t i = 0; i < n; i++) {
                    int64_t ai = w->naccounts++;
                    gen_account *acc = &w->accounts[ai];
                    memset(acc, 0, sizeof *acc);
                    gen_rng ar;
                    gen_rng_seed(&ar, w->seed, "account", (uint64_t)ai);
                    acc->territory = t;
                    acc->territory2 = -1;
                    acc->move_day = GEN_NO_DAY;
                    acc->area = (int)a;
                    acc->region = gen_areas[a].region;
                    acc->segment = sg;
                    if (ter->split_kind == 1) {
                        int options[16], no = 0;
                        for (size_t q = 0; q < gen_industry_count; q++)
                            if (ter->industry_mask & (1u << q))
                                options[no++] = (int)q;
                        acc->industry = options[gen_below(&ar, (uint32_t)no)];
                    } else {
                        acc->industry = (int)gen_below(&ar, (uint32_t)gen_industry_count);
                    }
                    acc->city = city_in_area(&ar, (int)a);
                    acc->currency = gen_country_currency(gen_cities[acc->city].country);
                    acc->employees = employees_for(&ar, sg);
                    /* revenue: 120k to 380k USD per employee, by industry */
                    int64_t per_emp = 120000 + (int64_t)((acc->industry * 37) % 12) * 22000 +
                                      gen_range(&ar, -20000, 20000);
                    at_money rev_usd = (at_money)acc->employees * per_emp * AT_MONEY_SCALE;
                    acc->annual_revenue = gen_round_cents(
                        gen_convert(w, rev_usd, GEN_CUR_USD, acc->currency, w->start));
                    acc->annual_revenue -= acc->annual_revenue % (1000 * AT_MONEY_SCALE);
                    /* potential: the seats they could buy at an average of $900 a seat-year */
                    int64_t seats = acc->employees * gen_range(&ar, 150, 450) / 1000;
                    if (seats < 5)
                        seats = 5;
                    if (seats > 6000)
                        seats = 6000;
                    at_money pot_usd = (at_money)seats * 900 * AT_MONEY_SCALE;
                    acc->potential = gen_convert(w, pot_usd, GEN_CUR_USD, acc->currency, w->start);
                    acc->potential -= acc->potential % (100 * AT_MONEY_SCALE);
                    ter->potential += pot_usd;
                    acc->csm_seat = -1;
                    acc->contract = -1;
                    acc->customer_since = GEN_NO_DAY;
                    acc->busy_until = GEN_NO_DAY;
                    acc->parent = -1;
                    if (sg == GEN_SEG_ENT && i > 0 && gen_chance(&ar, 40000))
                        acc->parent = (int)(ter->first_account + gen_below(&ar, (uint32_t)i));
                }
                ter->last_account = w->naccounts - 1;
                ter->accounts = n;
                idx++;
            }
        }
    /* region and area potentials roll up */
    for (int t = w->nterritories - 1; t >= 0; t--) {
        int p = w->territories[t].parent;
        if (p >= 0 && w->territories[t].level == TL_TERRITORY) {
            w->territories[p].potential += w->territories[t].potential;
            int r = w->territories[p].parent;
            w->territories[r].potential += w->territories[t].potential;
            w->territories[top].potential += w->territories[t].potential;
        }
    }
    /* overlay specialists cover the areas of their region, round robin */
    int next_area[GEN_REGION_COUNT] = {0};
    for (int s = 0; s < w->nseats; s++) {
        gen_seat *seat = &w->seats[s];
        if (seat->kind != SK_OVERLAY)
            continue;
        int r = seat->region, seen = 0, pick = -1, want = next_area[r]++;
        int count = 0;
        for (size_t a = 0; a < gen_area_count; a++)
            if (gen_areas[a].region == r)
                count++;
        want %= count;
        for (size_t a = 0; a < gen_area_count; a++)
            if (gen_areas[a].region == r && seen++ == want)
                pick = (int)a;
        seat->territory = w->area_territory[pick];
        seat->area = pick;
    }
    /* CSMs: accounts of a region are spread over its CSM seats */
    int64_t region_counter[GEN_REGION_COUNT] = {0};
    int *csm[GEN_REGION_COUNT] = {0};
    int ncsm[GEN_REGION_COUNT] = {0};
    for (int s = 0; s < w->nseats; s++)
        if (w->seats[s].kind == SK_CSM)
            ncsm[w->seats[s].region]++;
    for (int r = 0; r < GEN_REGION_COUNT; r++) {
        csm[r] = malloc((size_t)(ncsm[r] + 1) * sizeof(int));
        if (!csm[r]) {
            for (int q = 0; q < r; q++)
                free(csm[q]);
            return gen_oom(w), AT_ERR_NOMEM;
        }
        ncsm[r] = 0;
    }
    for (int s = 0; s < w->nseats; s++)
        if (w->seats[s].kind == SK_CSM)
            csm[w->seats[s].region][ncsm[w->seats[s].region]++] = s;
    for (int64_t i = 0; i < w->naccounts; i++) {
        int r = w->accounts[i].region;
        if (ncsm[r])
            w->accounts[i].csm_seat = csm[r][region_counter[r]++ % ncsm[r]];
    }
    for (int r = 0; r < GEN_REGION_COUNT; r++)
        free(csm[r]);

    /* realignment at each fiscal year start inside the window: some small-business accounts
     * grew into mid-market and move to a mid-market territory of their area */
    for (int m = 1; m < w->months; m++) {
        at_day day = gen_month_start(w->start_year, w->start_month, m);
        int y, mo, d;
        at_day_to_ymd(day, &y, &mo, &d);
        if (mo != w->cal.start_month)
            continue;
        for (int64_t i = 0; i < w->naccounts; i++) {
            gen_account *acc = &w->accounts[i];
            if (acc->segment != GEN_SEG_SMB || acc->territory2 >= 0 ||
                w->territories[acc->territory].planted)
                continue;
            gen_rng rng;
            gen_rng_seed2(&rng, w->seed, "realign", (uint64_t)i, (uint64_t)m);
            if (!gen_chance(&rng, 15000))
                continue;
            /* a mid-market territory of the same area */
            int first = -1, no = 0;
            for (int t = 0; t < w->nterritories; t++) {
                const gen_territory *ter = &w->territories[t];
                if (ter->level == TL_TERRITORY && ter->area == acc->area &&
                    ter->segment == GEN_SEG_MM) {
                    if (first < 0)
                        first = t;
                    no++;
                }
            }
            if (!no)
                continue;
            int pick = first + (int)gen_below(&rng, (uint32_t)no);
            if (w->territories[pick].planted)
                continue;
            acc->territory2 = pick;
            acc->move_day = day;
            acc->employees = gen_range(&rng, 200, 420);
            w->nrules_named++;
        }
    }
    return w->out.status;
}

/* ---- writing ----------------------------------------------------------------------------- */

static const char *level_names[] = {"company", "region", "area", "territory"};

static void write_territories(gen_world *w)
{
    gen_out *o = &w->out;
    gen_out_open(o, GF_TERRITORIES);
    for (int t = 0; t < w->nterritories; t++) {
        const gen_territory *ter = &w->territories[t];
        gen_str(o, GF_TERRITORIES, ter->id);
        gen_str(o, GF_TERRITORIES, ter->name);
        gen_str(o, GF_TERRITORIES, ter->parent >= 0 ? w->territories[ter->parent].id : "");
        gen_str(o, GF_TERRITORIES, level_names[ter->level]);
        char geo[160];
        if (ter->level == TL_COMPANY)
            snprintf(geo, sizeof geo, "Worldwide");
        else if (ter->level == TL_REGION)
            snprintf(geo, sizeof geo, "%s", gen_regions[ter->region].name);
        else if (ter->level == TL_AREA)
            snprintf(geo, sizeof geo, "%s (%s)", gen_areas[ter->area].name,
                     gen_areas[ter->area].states ? gen_areas[ter->area].states
                                                 : gen_areas[ter->area].countries);
        else
            snprintf(geo, sizeof geo, "%s, %s", gen_areas[ter->area].name,
                     gen_segments[ter->segment].name);
        gen_str(o, GF_TERRITORIES, geo);
        gen_money(o, GF_TERRITORIES, ter->potential);
        gen_str(o, GF_TERRITORIES, "USD");
        gen_end(o, GF_TERRITORIES);
    }
    gen_out_close(o, GF_TERRITORIES);
}

static void rule(gen_world *w, const char *territory, const char *field, const char *op,
                 const char *value, int priority)
{
    gen_out *o = &w->out;
    gen_str(o, GF_TERRITORY_RULES, territory);
    gen_str(o, GF_TERRITORY_RULES, field);
    gen_str(o, GF_TERRITORY_RULES, op);
    gen_str(o, GF_TERRITORY_RULES, value);
    gen_int(o, GF_TERRITORY_RULES, priority);
    gen_end(o, GF_TERRITORY_RULES);
}

static void write_rules(gen_world *w)
{
    /* the accounts moved into each territory, by counting sort */
    int64_t *moved_first = calloc((size_t)w->nterritories + 1, sizeof(int64_t));
    int64_t *moved = malloc(((size_t)w->nrules_named + 1) * sizeof(int64_t));
    if (!moved_first || !moved) {
        free(moved_first);
        free(moved);
        gen_oom(w);
        return;
    }
    for (int64_t i = 0; i < w->naccounts; i++)
        if (w->accounts[i].territory2 >= 0)
            moved_first[w->accounts[i].territory2 + 1]++;
    for (int t = 0; t < w->nterritories; t++)
        moved_first[t + 1] += moved_first[t];
    {
        int64_t *pos = malloc(((size_t)w->nterritories + 1) * sizeof(int64_t));
        if (!pos) {
            free(moved_first);
            free(moved);
            gen_oom(w);
            return;
        }
        memcpy(pos, moved_first, ((size_t)w->nterritories + 1) * sizeof(int64_t));
        for (int64_t i = 0; i < w->naccounts; i++)
            if (w->accounts[i].territory2 >= 0)
                moved[pos[w->accounts[i].territory2]++] = i;
        free(pos);
    }
    gen_out_open(&w->out, GF_TERRITORY_RULES);
    for (int t = 0; t < w->nterritories && gen_ok(w); t++) {
        const gen_territory *ter = &w->territories[t];
        if (ter->level == TL_REGION)
            continue;
        if (ter->level == TL_AREA) {
            const gen_area_info *a = &gen_areas[ter->area];
            rule(w, ter->id, "country", strchr(a->countries, '|') ? "in" : "eq", a->countries,
                 100);
            if (a->states)
                rule(w, ter->id, "state", "in", a->states, 100);
            continue;
        }
        if (ter->level != TL_TERRITORY)
            continue;
        const gen_area_info *a = &gen_areas[ter->area];
        rule(w, ter->id, "country", strchr(a->countries, '|') ? "in" : "eq", a->countries, 100);
        if (a->states)
            rule(w, ter->id, "state", "in", a->states, 100);
        char v[512];
        const gen_segment_info *sg = &gen_segments[ter->segment];
        if (ter->segment == GEN_SEG_ENT)
            snprintf(v, sizeof v, "%lld", (long long)sg->employees_lo);
        else
            snprintf(v, sizeof v, "%lld|%lld", (long long)sg->employees_lo,
                     (long long)sg->employees_hi);
        rule(w, ter->id, "employees", ter->segment == GEN_SEG_ENT ? "ge" : "between", v, 100);
        if (ter->split_kind == 1) {
            size_t k = 0;
            v[0] = '\0';
            for (size_t i = 0; i < gen_industry_count; i++)
                if (ter->industry_mask & (1u << i)) {
                    k += (size_t)snprintf(v + k, sizeof v - k, "%s%s", k ? "|" : "",
                                          gen_industries[i]);
                }
            rule(w, ter->id, "industry", "in", v, 100);
        } else if (ter->split_kind == 2) {
            /* a named-account territory: its accounts, listed (a rule value holds ~25 ids) */
            size_t k = 0;
            v[0] = '\0';
            for (int64_t i = ter->first_account; i <= ter->last_account; i++) {
                char aid[32];
                gen_format_id(aid, sizeof aid, "A", (uint64_t)i + 1, 7);
                if (k + strlen(aid) + 2 > 240) {
                    rule(w, ter->id, "account", "in", v, 100);
                    k = 0;
                    v[0] = '\0';
                }
                k += (size_t)snprintf(v + k, sizeof v - k, "%s%s", k ? "|" : "", aid);
            }
            if (k)
                rule(w, ter->id, "account", "in", v, 100);
        }
        /* accounts moved here at a realignment: named exceptions that win (priority 10) */
        size_t k = 0;
        v[0] = '\0';
        for (int64_t j = moved_first[t]; j < moved_first[t + 1]; j++) {
            char aid[32];
            gen_format_id(aid, sizeof aid, "A", (uint64_t)moved[j] + 1, 7);
            if (k + strlen(aid) + 2 > 240) {
                rule(w, ter->id, "account", "in", v, 10);
                k = 0;
                v[0] = '\0';
            }
            k += (size_t)snprintf(v + k, sizeof v - k, "%s%s", k ? "|" : "", aid);
        }
        if (k)
            rule(w, ter->id, "account", "in", v, 10);
    }
    free(moved);
    free(moved_first);
    gen_out_close(&w->out, GF_TERRITORY_RULES);
}

static void write_accounts(gen_world *w)
{
    gen_out *o = &w->out;
    gen_out_open(o, GF_ACCOUNTS);
    for (int64_t i = 0; i < w->naccounts && gen_ok(w); i++) {
        const gen_account *a = &w->accounts[i];
        const gen_city *c = &gen_cities[a->city];
        gen_rng rng;
        gen_rng_seed(&rng, w->seed, "account_place", (uint64_t)i);
        char name[128];
        gen_account_name(w, i, name, sizeof name);
        gen_id(o, GF_ACCOUNTS, "A", (uint64_t)i + 1, 7);
        gen_str(o, GF_ACCOUNTS, name);
        gen_str(o, GF_ACCOUNTS, gen_industries[a->industry]);
        gen_int(o, GF_ACCOUNTS, a->employees);
        at_money rev_usd = gen_convert(w, a->annual_revenue, a->currency, GEN_CUR_USD, w->start);
        gen_str(o, GF_ACCOUNTS, revenue_bands[revenue_band_of(rev_usd)]);
        gen_money(o, GF_ACCOUNTS, a->annual_revenue);
        gen_str(o, GF_ACCOUNTS, c->country);
        gen_str(o, GF_ACCOUNTS, gen_regions[a->region].code);
        gen_str(o, GF_ACCOUNTS, c->state);
        gen_str(o, GF_ACCOUNTS, c->name);
        /* within about 25 km of the city centre */
        gen_coord(o, GF_ACCOUNTS, c->lat + gen_range(&rng, -220000, 220000));
        gen_coord(o, GF_ACCOUNTS, c->lon + gen_range(&rng, -280000, 280000));
        gen_money(o, GF_ACCOUNTS, a->potential);
        gen_str(o, GF_ACCOUNTS, gen_currency_codes[a->currency]);
        gen_id_opt(o, GF_ACCOUNTS, "A", a->parent >= 0 ? a->parent + 1 : -1, 7);
        int terr = a->territory2 >= 0 ? a->territory2 : a->territory;
        int owner = gen_responsible(w, w->territories[terr].seat, w->end);
        gen_id_opt(o, GF_ACCOUNTS, "P", owner >= 0 ? owner + 1 : -1, 6);
        gen_end(o, GF_ACCOUNTS);
    }
    gen_out_close(o, GF_ACCOUNTS);
}

static void write_territory_accounts(gen_world *w)
{
    gen_out *o = &w->out;
    gen_out_open(o, GF_TERRITORY_ACCOUNTS);
    for (int64_t i = 0; i < w->naccounts && gen_ok(w); i++) {
        const gen_account *a = &w->accounts[i];
        gen_str(o, GF_TERRITORY_ACCOUNTS, w->territories[a->territory].id);
        gen_id(o, GF_TERRITORY_ACCOUNTS, "A", (uint64_t)i + 1, 7);
        gen_empty(o, GF_TERRITORY_ACCOUNTS);
        gen_day_opt(o, GF_TERRITORY_ACCOUNTS,
                    a->territory2 >= 0 ? a->move_day - 1 : GEN_NO_DAY);
        gen_end(o, GF_TERRITORY_ACCOUNTS);
        if (a->territory2 >= 0) {
            gen_str(o, GF_TERRITORY_ACCOUNTS, w->territories[a->territory2].id);
            gen_id(o, GF_TERRITORY_ACCOUNTS, "A", (uint64_t)i + 1, 7);
            gen_day(o, GF_TERRITORY_ACCOUNTS, a->move_day);
            gen_empty(o, GF_TERRITORY_ACCOUNTS);
            gen_end(o, GF_TERRITORY_ACCOUNTS);
        }
    }
    gen_out_close(o, GF_TERRITORY_ACCOUNTS);
}

/* The day territory assignments are recorded from: the start of the fiscal year before the
 * pipeline's lead-in. */
static at_day territory_epoch(const gen_world *w)
{
    int fy = 0;
    at_day first = w->pipe_start, last;
    if (at_fiscal_year_of_day(&w->cal, w->pipe_start, &fy, NULL) == AT_OK)
        at_fiscal_year_bounds(&w->cal, fy, &first, &last, NULL);
    return first;
}

static void territory_person(gen_world *w, const gen_territory *t, int person, const char *role,
                             at_day start, at_day end)
{
    gen_out *o = &w->out;
    gen_str(o, GF_TERRITORY_PEOPLE, t->id);
    gen_id(o, GF_TERRITORY_PEOPLE, "P", (uint64_t)person + 1, 6);
    gen_str(o, GF_TERRITORY_PEOPLE, role);
    gen_day(o, GF_TERRITORY_PEOPLE, start);
    gen_day_opt(o, GF_TERRITORY_PEOPLE, end == GEN_OPEN_END ? GEN_NO_DAY : end);
    gen_end(o, GF_TERRITORY_PEOPLE);
}

static void write_territory_people(gen_world *w)
{
    gen_out_open(&w->out, GF_TERRITORY_PEOPLE);
    at_day epoch = territory_epoch(w);
    for (int s = 0; s < w->nseats && gen_ok(w); s++) {
        const gen_seat *seat = &w->seats[s];
        if (seat->kind == SK_AE || seat->kind == SK_OVERLAY) {
            for (int i = 0; i < seat->nstints; i++) {
                const gen_stint *st = &w->stints[seat->stints[i]];
                if (st->end != GEN_OPEN_END && st->end < epoch)
                    continue;
                territory_person(w, &w->territories[seat->territory], st->person,
                                 seat->kind == SK_AE ? "owner" : "overlay",
                                 st->start > epoch ? st->start : epoch, st->end);
            }
        }
        if (seat->kind == SK_AE && seat->manager_seat >= 0) {
            /* the rep's manager answers for the territory too */
            const gen_seat *mgr = &w->seats[seat->manager_seat];
            for (int i = 0; i < mgr->nstints; i++) {
                const gen_stint *st = &w->stints[mgr->stints[i]];
                if (st->end != GEN_OPEN_END && st->end < epoch)
                    continue;
                territory_person(w, &w->territories[seat->territory], st->person, "manager",
                                 st->start > epoch ? st->start : epoch, st->end);
            }
        }
    }
    gen_out_close(&w->out, GF_TERRITORY_PEOPLE);
}

at_code gen_territory_write(gen_world *w)
{
    write_territories(w);
    write_rules(w);
    write_accounts(w);
    write_territory_accounts(w);
    write_territory_people(w);
    return w->out.status;
}
