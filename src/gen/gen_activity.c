/* gen_activity.c - what sellers do: calls, e-mails, meetings and conversations on leads (by
 * SDRs) and on opportunities (by their owners), with durations, whether a real two-way
 * exchange happened (meaningful), and the seniority of the contact. The many-calls rep
 * (gen_planted.h) makes three times the calls with few meaningful, senior conversations. */
#include "gen/gen_planted.h"
#include "gen/gen_world.h"

enum { ACT_CALL = 0, ACT_EMAIL, ACT_MEETING, ACT_CONVERSATION };
static const char *const act_types[] = {"call", "email", "meeting", "conversation"};

static const char *const call_outcomes[2][3] = {
    {"No answer", "Left voicemail", "Wrong number"},
    {"Connected", "Booked a meeting", "Call back requested"}};
static const char *const email_outcomes[2][2] = {{"Sent", "Bounced"},
                                                 {"Replied", "Replied with questions"}};
static const char *const meeting_outcomes[2][3] = {
    {"No-show", "Rescheduled", "Cancelled"},
    {"Discovery completed", "Demo delivered", "Next steps agreed"}};
static const char *const conversation_outcomes[2][2] = {
    {"Brief exchange", "Not interested"},
    {"Discussed requirements", "Pricing discussed"}};

typedef struct act_style {
    int32_t meaningful_ppm[4]; /* by type */
    int32_t senior_ppm;        /* contact is director or above */
} act_style;

static void pick_style(const gen_world *w, int person, bool won, act_style *st)
{
    st->meaningful_ppm[ACT_CALL] = 300000;
    st->meaningful_ppm[ACT_EMAIL] = 200000;
    st->meaningful_ppm[ACT_MEETING] = 850000;
    st->meaningful_ppm[ACT_CONVERSATION] = 900000;
    st->senior_ppm = won ? 480000 : 380000;
    if (person >= 0 && (w->people[person].planted & PLANT_MANY_CALLS)) {
        for (int i = 0; i < 4; i++)
            st->meaningful_ppm[i] = PLANT_CALLS_MEANINGFUL_PPM;
        st->senior_ppm = PLANT_CALLS_SENIOR_PPM;
    }
}

static int seniority(gen_rng *rng, int32_t senior_ppm)
{
    if (gen_chance(rng, senior_ppm)) {
        static const uint32_t wts[3] = {15, 30, 55};
        return (int)gen_pick_weighted(rng, wts, 3);
    }
    static const uint32_t wts[3] = {55, 40, 5};
    return GEN_SEN_MGR + (int)gen_pick_weighted(rng, wts, 3);
}

static void activity(gen_world *w, gen_rng *rng, int type, at_time when, int person, int64_t lead,
                     int64_t opp, int account, const act_style *st)
{
    gen_out *o = &w->out;
    bool meaningful = gen_chance(rng, st->meaningful_ppm[type]);
    int64_t duration;
    const char *outcome;
    switch (type) {
    case ACT_CALL:
        duration = meaningful ? gen_range(rng, 4, 35) : gen_range(rng, 0, 2);
        outcome = call_outcomes[meaningful][gen_below(rng, 3)];
        break;
    case ACT_EMAIL:
        duration = 0;
        outcome = email_outcomes[meaningful][gen_below(rng, 2)];
        break;
    case ACT_MEETING:
        duration = meaningful ? gen_range(rng, 25, 75) : gen_range(rng, 0, 10);
        outcome = meeting_outcomes[meaningful][gen_below(rng, 3)];
        break;
    default:
        duration = meaningful ? gen_range(rng, 8, 45) : gen_range(rng, 1, 5);
        outcome = conversation_outcomes[meaningful][gen_below(rng, 2)];
        break;
    }
    int sen = type == ACT_EMAIL && !meaningful ? GEN_SEN_UNKNOWN : seniority(rng, st->senior_ppm);
    gen_id(o, GF_ACTIVITIES, "AC", (uint64_t)++w->next_activity, 10);
    gen_str(o, GF_ACTIVITIES, act_types[type]);
    gen_time(o, GF_ACTIVITIES, when);
    gen_id(o, GF_ACTIVITIES, "P", (uint64_t)person + 1, 6);
    gen_id_opt(o, GF_ACTIVITIES, "L", lead, 8);
    gen_id_opt(o, GF_ACTIVITIES, "O", opp, 8);
    gen_id_opt(o, GF_ACTIVITIES, "A", account >= 0 ? account + 1 : -1, 7);
    gen_int(o, GF_ACTIVITIES, duration);
    gen_bool(o, GF_ACTIVITIES, meaningful);
    gen_str(o, GF_ACTIVITIES, gen_seniority_names[sen]);
    gen_str(o, GF_ACTIVITIES, outcome);
    gen_end(o, GF_ACTIVITIES);
}

void gen_activities_for_lead(gen_world *w, gen_rng *rng, int64_t lead, int sdr, int account,
                             at_day from, at_day to, int region, bool qualified)
{
    if (sdr < 0)
        return;
    if (to > w->end)
        to = w->end;
    if (to < from)
        return;
    act_style st;
    pick_style(w, sdr, qualified, &st);
    st.meaningful_ppm[ACT_CALL] = qualified ? 350000 : 120000;
    int64_t n = gen_count(rng, qualified ? 5000 : 3000) + 1;
    static const uint32_t wts[4] = {50, 40, 4, 6};
    for (int64_t i = 0; i < n; i++) {
        at_day day = from + (at_day)gen_range(rng, 0, to - from);
        int type = (int)gen_pick_weighted(rng, wts, 4);
        activity(w, rng, type, gen_business_time(rng, region, day), sdr, lead, -1, account, &st);
    }
}

void gen_activities_for_opp(gen_world *w, gen_rng *rng, const gen_opp_story *s)
{
    static const int32_t per_stage_milli[GEN_SEG_COUNT] = {2200, 3200, 4600};
    const gen_account *a = &w->accounts[s->account];
    at_time end_t = at_time_from_day(w->end) + AT_SECONDS_PER_DAY - 1;
    for (int k = 0; k < s->nstages; k++) {
        if (s->stage[k] >= ST_WON)
            break;
        at_time from = s->entered[k];
        at_time to = k + 1 < s->nstages ? s->entered[k + 1] : at_time_from_day(s->end_day);
        if (to > end_t)
            to = end_t;
        if (to <= from)
            continue;
        int person = s->people[k];
        if (person < 0)
            continue;
        act_style st;
        pick_style(w, person, s->won, &st);
        int32_t mean = s->kind == DEAL_RENEWAL ? 1200 : per_stage_milli[a->segment];
        int64_t n = gen_count(rng, mean);
        int64_t calls_extra = 0;
        if (w->people[person].planted & PLANT_MANY_CALLS)
            calls_extra = gen_count(rng, mean * (PLANT_CALLS_PERMILLE - 1000) / 1000 * 40 / 100);
        static const uint32_t early[4] = {40, 35, 15, 10}, late[4] = {20, 35, 30, 15};
        for (int64_t i = 0; i < n + calls_extra; i++) {
            int type = i >= n ? ACT_CALL
                              : (int)gen_pick_weighted(rng, s->stage[k] < ST_PROPOSAL ? early
                                                                                      : late,
                                                       4);
            at_day day = at_time_day(from) + (at_day)gen_range(rng, 0, (to - from) / 86400);
            at_time when = gen_business_time(rng, s->region, day);
            if (when < from)
                when = from + 60;
            if (when > end_t)
                continue;
            activity(w, rng, type, when, person, -1, s->opp, s->account, &st);
        }
    }
}
