/* gen_experience.c - the seller experience: employment events (hires in monthly onboarding
 * classes, promotions, transfers, leaves, exits with reasons) and quarterly engagement survey
 * answers (eNPS, satisfaction, engagement, a comment now and then). People who will leave of
 * their own accord within four months answer lower, and the slow onboarding class is less
 * satisfied: signals for attrition-risk features. */
#include <stdio.h>
#include <string.h>

#include "gen/gen_world.h"

static void event(gen_world *w, int64_t *next, int person, const char *type, at_day date,
                  const char *reason, const char *kind, int from_team, int to_team)
{
    gen_out *o = &w->out;
    gen_id(o, GF_EMPLOYMENT_EVENTS, "EV", (uint64_t)++*next, 7);
    gen_id(o, GF_EMPLOYMENT_EVENTS, "P", (uint64_t)person + 1, 6);
    gen_str(o, GF_EMPLOYMENT_EVENTS, type);
    gen_day(o, GF_EMPLOYMENT_EVENTS, date);
    gen_str(o, GF_EMPLOYMENT_EVENTS, reason);
    gen_str(o, GF_EMPLOYMENT_EVENTS, kind);
    gen_str(o, GF_EMPLOYMENT_EVENTS, from_team >= 0 ? w->teams[from_team].id : "");
    gen_str(o, GF_EMPLOYMENT_EVENTS, to_team >= 0 ? w->teams[to_team].id : "");
    gen_end(o, GF_EMPLOYMENT_EVENTS);
}

static void write_events(gen_world *w)
{
    int64_t next = 0;
    gen_out_open(&w->out, GF_EMPLOYMENT_EVENTS);
    for (int i = 0; i < w->npeople && gen_ok(w); i++) {
        const gen_person *p = &w->people[i];
        const gen_stint *first = &w->stints[p->stints[0]];
        if (p->hire_date != GEN_NO_DAY) {
            char reason[64];
            if (p->cohort >= 0) {
                int y, m, d;
                at_day_to_ymd(w->cohort_day[p->cohort], &y, &m, &d);
                snprintf(reason, sizeof reason, "Onboarding class %04d-%02d", y, m);
            } else {
                snprintf(reason, sizeof reason, "Hired");
            }
            event(w, &next, i, "hire", p->hire_date, reason, "", -1, w->seats[first->seat].team);
        }
        for (int k = 1; k < p->nstints; k++) {
            const gen_stint *prev = &w->stints[p->stints[k - 1]];
            const gen_stint *st = &w->stints[p->stints[k]];
            char reason[160];
            bool promo = st->how == START_PROMOTION;
            snprintf(reason, sizeof reason, "%s %s", promo ? "Promoted to" : "Moved to",
                     w->seats[st->seat].title);
            event(w, &next, i, promo ? "promotion" : "transfer", st->start, reason, "",
                  w->seats[prev->seat].team, w->seats[st->seat].team);
        }
        if (p->leave_start != GEN_NO_DAY && p->leave_start <= w->end &&
            (p->exit_date == GEN_NO_DAY || p->exit_date > p->leave_end)) {
            event(w, &next, i, "leave_start", p->leave_start, "Parental leave", "", -1, -1);
            if (p->leave_end <= w->end)
                event(w, &next, i, "leave_end", p->leave_end, "Returned from leave", "", -1, -1);
        }
        if (p->exit_date != GEN_NO_DAY)
            event(w, &next, i, "exit", p->exit_date,
                  gen_exit_reason_text(p->exit_reason, p->exit_voluntary),
                  p->exit_voluntary ? "voluntary" : "involuntary",
                  w->seats[w->stints[p->stints[p->nstints - 1]].seat].team, -1);
    }
    gen_out_close(&w->out, GF_EMPLOYMENT_EVENTS);
}

static const char *const comments[] = {
    "Territory changes came too late in the year.",
    "Great manager, clear expectations.",
    "Comp plan is hard to understand.",
    "Too many internal meetings.",
    "Lead quality from marketing has improved.",
    "Ramp time is too short for the quota we carry.",
    "I would like more coaching on negotiation.",
    "Tools are slow; the CRM takes too much time.",
};

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static void write_surveys(gen_world *w)
{
    gen_out *o = &w->out;
    gen_out_open(o, GF_SURVEY_RESPONSES);
    int64_t next = 0;
    char last_label[AT_PERIOD_LABEL_MAX] = "";
    for (int m = 0; m < w->months && gen_ok(w); m++) {
        at_day ms = gen_month_start(w->start_year, w->start_month, m);
        char label[AT_PERIOD_LABEL_MAX];
        gen_quarter_label(w, ms, label, sizeof label);
        if (strcmp(label, last_label) == 0)
            continue;
        snprintf(last_label, sizeof last_label, "%s", label);
        /* the survey opens on the 10th of the quarter's first month in the window */
        at_day open = ms + 9;
        char survey[64];
        snprintf(survey, sizeof survey, "Engagement survey %s", label);
        for (int i = 0; i < w->npeople && gen_ok(w); i++) {
            const gen_person *p = &w->people[i];
            bool employed = false;
            for (int k = 0; k < p->nstints; k++) {
                const gen_stint *st = &w->stints[p->stints[k]];
                employed |= st->start <= open && open <= st->end;
            }
            if (!employed)
                continue;
            gen_rng rng;
            gen_rng_seed2(&rng, w->seed, "survey", (uint64_t)i, (uint64_t)m);
            if (!gen_chance(&rng, 780000))
                continue;
            at_day day = open + (at_day)gen_range(&rng, 0, 13);
            if (day > w->end)
                continue;
            int mood = p->tier == TIER_TOP ? 2 : (p->tier == TIER_LOW ? -2 : 0);
            if (p->slow_ramp)
                mood -= 2;
            if (p->exit_date != GEN_NO_DAY && p->exit_voluntary && p->exit_date > day &&
                p->exit_date - day <= 120)
                mood -= 3;
            int enps = clamp(7 + mood + (int)gen_range(&rng, -2, 2), 0, 10);
            int sat = clamp(4 + (mood > 0) - (mood < -1) - (mood < -3) + (int)gen_range(&rng, -1, 1), 1, 5);
            int eng = clamp(4 + (mood > 1) - (mood < 0) - (mood < -3) + (int)gen_range(&rng, -1, 0), 1, 5);
            gen_id(o, GF_SURVEY_RESPONSES, "SV", (uint64_t)++next, 8);
            gen_id(o, GF_SURVEY_RESPONSES, "P", (uint64_t)i + 1, 6);
            gen_str(o, GF_SURVEY_RESPONSES, survey);
            gen_day(o, GF_SURVEY_RESPONSES, day);
            gen_int(o, GF_SURVEY_RESPONSES, enps);
            gen_int(o, GF_SURVEY_RESPONSES, sat);
            gen_int(o, GF_SURVEY_RESPONSES, eng);
            gen_str(o, GF_SURVEY_RESPONSES,
                    gen_chance(&rng, 150000) ? comments[gen_below(&rng, 8)] : "");
            gen_end(o, GF_SURVEY_RESPONSES);
        }
    }
    gen_out_close(o, GF_SURVEY_RESPONSES);
}

at_code gen_experience_write(gen_world *w)
{
    write_events(w);
    write_surveys(w);
    return w->out.status;
}
