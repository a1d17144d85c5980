/* gen_scorecard.c - the deal and lead scorecards: two templates (an opportunity
 * qualification scorecard with 32 data points across the stages, a lead qualification
 * scorecard with 5), and the answers sellers give as their deals move. Four opportunity
 * points drive the outcome (gen_planted.h: champion identified, compelling event, decision
 * process mapped, and weaker, economic buyer identified); every other point is noise. */
#include <stdio.h>
#include <string.h>

#include "gen/gen_planted.h"
#include "gen/gen_world.h"

enum { PT_YES_NO = 0, PT_CHOICE, PT_NUMBER, PT_DATE, PT_TEXT };
static const char *const point_types[] = {"yes_no", "choice", "number", "date", "text"};

enum { DRV_NONE = 0, DRV_CHAMPION, DRV_EVENT, DRV_PROCESS, DRV_BUYER };

typedef struct point_def {
    int stage; /* ST_*, -1 for lead points */
    const char *label;
    int type;
    const char *choices;
    bool required;
    int driver;
    int32_t yes_ppm; /* noise yes/no points: how often "yes" */
} point_def;

static const point_def opp_points[] = {
    {ST_PROSPECTING, "ICP fit", PT_CHOICE, "Strong|Medium|Weak", true, DRV_NONE, 0},
    {ST_PROSPECTING, "First meeting booked", PT_YES_NO, NULL, false, DRV_NONE, 700000},
    {ST_QUALIFICATION, "Pain identified", PT_YES_NO, NULL, true, DRV_NONE, 750000},
    {ST_QUALIFICATION, "Compelling event", PT_YES_NO, NULL, true, DRV_EVENT, 0},
    {ST_QUALIFICATION, "Current solution", PT_CHOICE, "Spreadsheets|Homegrown|Competitor|None",
     false, DRV_NONE, 0},
    {ST_QUALIFICATION, "Budget range", PT_CHOICE, "Under 25k|25k-100k|100k-250k|Over 250k", false,
     DRV_NONE, 0},
    {ST_QUALIFICATION, "Number of users", PT_NUMBER, NULL, false, DRV_NONE, 0},
    {ST_QUALIFICATION, "Target go-live", PT_DATE, NULL, false, DRV_NONE, 0},
    {ST_QUALIFICATION, "Lead source confirmed", PT_YES_NO, NULL, false, DRV_NONE, 800000},
    {ST_QUALIFICATION, "Qualification notes", PT_TEXT, NULL, false, DRV_NONE, 0},
    {ST_DISCOVERY, "Champion identified", PT_YES_NO, NULL, true, DRV_CHAMPION, 0},
    {ST_DISCOVERY, "Economic buyer identified", PT_YES_NO, NULL, true, DRV_BUYER, 0},
    {ST_DISCOVERY, "Metrics agreed", PT_YES_NO, NULL, false, DRV_NONE, 450000},
    {ST_DISCOVERY, "Stakeholders engaged", PT_NUMBER, NULL, false, DRV_NONE, 0},
    {ST_DISCOVERY, "Primary use case", PT_CHOICE, "Reporting|Forecasting|Planning|Compensation",
     false, DRV_NONE, 0},
    {ST_DISCOVERY, "Technical fit confirmed", PT_YES_NO, NULL, false, DRV_NONE, 650000},
    {ST_DISCOVERY, "Competitors involved", PT_CHOICE, "None|Vantage|Corvus|Helix|Other", false,
     DRV_NONE, 0},
    {ST_DISCOVERY, "Discovery call date", PT_DATE, NULL, false, DRV_NONE, 0},
    {ST_PROPOSAL, "Decision process mapped", PT_YES_NO, NULL, true, DRV_PROCESS, 0},
    {ST_PROPOSAL, "Paper process known", PT_YES_NO, NULL, false, DRV_NONE, 500000},
    {ST_PROPOSAL, "Proposal sent on", PT_DATE, NULL, true, DRV_NONE, 0},
    {ST_PROPOSAL, "Discount requested (%)", PT_NUMBER, NULL, false, DRV_NONE, 0},
    {ST_PROPOSAL, "Security review required", PT_YES_NO, NULL, false, DRV_NONE, 400000},
    {ST_PROPOSAL, "Mutual action plan shared", PT_YES_NO, NULL, false, DRV_NONE, 450000},
    {ST_PROPOSAL, "Proposal notes", PT_TEXT, NULL, false, DRV_NONE, 0},
    {ST_NEGOTIATION, "Legal review started", PT_YES_NO, NULL, false, DRV_NONE, 600000},
    {ST_NEGOTIATION, "Procurement involved", PT_YES_NO, NULL, false, DRV_NONE, 550000},
    {ST_NEGOTIATION, "Expected signature date", PT_DATE, NULL, true, DRV_NONE, 0},
    {ST_NEGOTIATION, "Final price agreed", PT_YES_NO, NULL, false, DRV_NONE, 500000},
    {ST_NEGOTIATION, "Executive sponsor", PT_CHOICE, "CEO|CFO|CRO|COO|Other", false, DRV_NONE,
     0},
    {ST_NEGOTIATION, "Contract term", PT_CHOICE, "12 months|24 months|36 months", true,
     DRV_NONE, 0},
    {ST_NEGOTIATION, "Risks", PT_TEXT, NULL, false, DRV_NONE, 0},
};
#define OPP_POINTS (sizeof opp_points / sizeof opp_points[0])

static const point_def lead_points[] = {
    {-1, "Budget", PT_CHOICE, "Approved|Planned|None|Unknown", true, DRV_NONE, 0},
    {-1, "Authority", PT_CHOICE, "Decision maker|Influencer|User|Unknown", true, DRV_NONE, 0},
    {-1, "Need confirmed", PT_YES_NO, NULL, true, DRV_NONE, 800000},
    {-1, "Timeline", PT_CHOICE, "This quarter|Next quarter|This year|Later", true, DRV_NONE, 0},
    {-1, "Company employees", PT_NUMBER, NULL, false, DRV_NONE, 0},
};
#define LEAD_POINTS (sizeof lead_points / sizeof lead_points[0])

at_code gen_scorecard_write_templates(gen_world *w)
{
    gen_out *o = &w->out;
    gen_out_open(o, GF_SCORECARD_TEMPLATES);
    static const char *const rows[][3] = {
        {"SC-OPP", "Opportunity qualification (MEDDPICC)", "opportunity"},
        {"SC-LEAD", "Lead qualification (BANT)", "lead"},
        {"SC-OPP-2022", "Opportunity checklist (2022, retired)", "opportunity"},
    };
    for (int i = 0; i < 3; i++) {
        gen_str(o, GF_SCORECARD_TEMPLATES, rows[i][0]);
        gen_str(o, GF_SCORECARD_TEMPLATES, rows[i][1]);
        gen_str(o, GF_SCORECARD_TEMPLATES, rows[i][2]);
        gen_bool(o, GF_SCORECARD_TEMPLATES, i < 2);
        gen_end(o, GF_SCORECARD_TEMPLATES);
    }
    gen_out_close(o, GF_SCORECARD_TEMPLATES);

    gen_out_open(o, GF_SCORECARD_POINTS);
    for (size_t i = 0; i < OPP_POINTS + LEAD_POINTS; i++) {
        bool lead = i >= OPP_POINTS;
        const point_def *p = lead ? &lead_points[i - OPP_POINTS] : &opp_points[i];
        char id[32];
        snprintf(id, sizeof id, "%s-%02zu", lead ? "SC-LEAD" : "SC-OPP",
                 (lead ? i - OPP_POINTS : i) + 1);
        gen_str(o, GF_SCORECARD_POINTS, id);
        gen_str(o, GF_SCORECARD_POINTS, lead ? "SC-LEAD" : "SC-OPP");
        gen_str(o, GF_SCORECARD_POINTS, lead ? "" : gen_stage_ids[p->stage]);
        gen_int(o, GF_SCORECARD_POINTS, (int64_t)(lead ? i - OPP_POINTS : i) + 1);
        gen_str(o, GF_SCORECARD_POINTS, p->label);
        gen_str(o, GF_SCORECARD_POINTS, point_types[p->type]);
        gen_str(o, GF_SCORECARD_POINTS, p->choices ? p->choices : "");
        gen_bool(o, GF_SCORECARD_POINTS, p->required);
        gen_end(o, GF_SCORECARD_POINTS);
    }
    /* the retired template keeps two points, never answered in the window */
    static const char *const old_points[2] = {"Budget confirmed", "Decision maker met"};
    for (int i = 0; i < 2; i++) {
        char id[32];
        snprintf(id, sizeof id, "SC-OPP-2022-%02d", i + 1);
        gen_str(o, GF_SCORECARD_POINTS, id);
        gen_str(o, GF_SCORECARD_POINTS, "SC-OPP-2022");
        gen_empty(o, GF_SCORECARD_POINTS);
        gen_int(o, GF_SCORECARD_POINTS, i + 1);
        gen_str(o, GF_SCORECARD_POINTS, old_points[i]);
        gen_str(o, GF_SCORECARD_POINTS, "yes_no");
        gen_empty(o, GF_SCORECARD_POINTS);
        gen_bool(o, GF_SCORECARD_POINTS, false);
        gen_end(o, GF_SCORECARD_POINTS);
    }
    gen_out_close(o, GF_SCORECARD_POINTS);
    return gen_out_open(o, GF_SCORECARD_RESPONSES); /* stays open for the pipeline */
}

static const char *const notes[] = {
    "Strong interest from the finance team.",
    "Evaluating two other vendors.",
    "Needs a reference customer in their industry.",
    "Current process runs on spreadsheets; quarter close takes two weeks.",
    "IT wants a security review before the proposal.",
    "Budget sits with the CFO; next step is a business case.",
    "Pilot with one team first, then roll out.",
    "Procurement asked for a three-year price hold.",
};

static void value_for(gen_rng *rng, const point_def *p, bool yes, at_day base, int64_t employees,
                      char *buf, size_t size)
{
    switch (p->type) {
    case PT_YES_NO:
        snprintf(buf, size, "%s", yes ? "yes" : "no");
        break;
    case PT_CHOICE: {
        /* one of the choices, uniformly */
        int n = 1;
        for (const char *c = p->choices; *c; c++)
            n += *c == '|';
        int pick = (int)gen_below(rng, (uint32_t)n);
        const char *c = p->choices;
        for (int k = 0; k < pick; k++)
            c = strchr(c, '|') + 1;
        const char *end = strchr(c, '|');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        snprintf(buf, size, "%.*s", (int)len, c);
        break;
    }
    case PT_NUMBER:
        if (strstr(p->label, "users") || strstr(p->label, "employees"))
            snprintf(buf, size, "%lld",
                     (long long)(employees * gen_range(rng, 20, 400) / 1000 + 1));
        else if (strstr(p->label, "Discount"))
            snprintf(buf, size, "%lld", (long long)gen_range(rng, 0, 30));
        else
            snprintf(buf, size, "%lld", (long long)gen_range(rng, 1, 9));
        break;
    case PT_DATE: {
        char d[AT_DATE_TEXT_MAX + 4];
        at_day_format(base + (at_day)gen_range(rng, 7, 120), d, sizeof d);
        snprintf(buf, size, "%s", d);
        break;
    }
    default:
        snprintf(buf, size, "%s", notes[gen_below(rng, sizeof notes / sizeof notes[0])]);
        break;
    }
}

static void response(gen_world *w, const char *point, int64_t lead, int64_t opp, at_time when,
                     int person, const char *value)
{
    gen_out *o = &w->out;
    gen_id(o, GF_SCORECARD_RESPONSES, "SR", (uint64_t)++w->next_response, 10);
    gen_str(o, GF_SCORECARD_RESPONSES, point);
    gen_id_opt(o, GF_SCORECARD_RESPONSES, "L", lead, 8);
    gen_id_opt(o, GF_SCORECARD_RESPONSES, "O", opp, 8);
    gen_time(o, GF_SCORECARD_RESPONSES, when);
    gen_id_opt(o, GF_SCORECARD_RESPONSES, "P", person >= 0 ? person + 1 : -1, 6);
    gen_str(o, GF_SCORECARD_RESPONSES, value);
    gen_end(o, GF_SCORECARD_RESPONSES);
}

void gen_scorecard_for_opp(gen_world *w, gen_rng *rng, const gen_opp_story *s)
{
    if (s->kind == DEAL_RENEWAL)
        return; /* renewals are not scored */
    at_time end_t = at_time_from_day(w->end) + AT_SECONDS_PER_DAY - 1;
    for (int k = 0; k < s->nstages; k++) {
        int stage = s->stage[k];
        if (stage >= ST_WON)
            continue;
        for (size_t i = 0; i < OPP_POINTS; i++) {
            const point_def *p = &opp_points[i];
            if (p->stage != stage)
                continue;
            if (!p->required && !gen_chance(rng, 700000))
                continue;
            at_time when = s->entered[k] + gen_range(rng, 3600, 4 * AT_SECONDS_PER_DAY);
            if (k + 1 < s->nstages && when >= s->entered[k + 1])
                when = s->entered[k + 1] - 60;
            if (when > end_t)
                continue;
            bool yes;
            switch (p->driver) {
            case DRV_CHAMPION: yes = s->drivers.champion; break;
            case DRV_EVENT: yes = s->drivers.compelling_event; break;
            case DRV_PROCESS: yes = s->drivers.decision_process; break;
            case DRV_BUYER: yes = s->drivers.economic_buyer; break;
            default: yes = gen_chance(rng, p->yes_ppm); break;
            }
            char value[256], id[32];
            value_for(rng, p, yes, at_time_day(when), s->employees, value, sizeof value);
            snprintf(id, sizeof id, "SC-OPP-%02zu", i + 1);
            response(w, id, -1, s->opp, when, s->people[k], value);
        }
    }
}

void gen_scorecard_for_lead(gen_world *w, gen_rng *rng, int64_t lead, int sdr, at_time when,
                            int seniority, int64_t employees)
{
    at_time end_t = at_time_from_day(w->end) + AT_SECONDS_PER_DAY - 1;
    if (when > end_t)
        return;
    for (size_t i = 0; i < LEAD_POINTS; i++) {
        const point_def *p = &lead_points[i];
        if (!p->required && !gen_chance(rng, 600000))
            continue;
        char value[256], id[32];
        if (i == 1) /* authority follows the contact's seniority */
            snprintf(value, sizeof value, "%s",
                     seniority <= GEN_SEN_VP    ? "Decision maker"
                     : seniority <= GEN_SEN_MGR ? "Influencer"
                     : seniority == GEN_SEN_STAFF ? "User"
                                                  : "Unknown");
        else
            value_for(rng, p, gen_chance(rng, p->yes_ppm), at_time_day(when), employees, value,
                      sizeof value);
        snprintf(id, sizeof id, "SC-LEAD-%02zu", i + 1);
        response(w, id, lead, -1, when + (at_time)i * 60, sdr, value);
    }
}
