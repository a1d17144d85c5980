/* gen_planted.c - chooses who and what carries the planted structure (gen_planted.h): the
 * many-calls rep, the early-stage advancer, and keeps them in their seats for the whole
 * window so the effects are not blurred by turnover. */
#include "gen/gen_planted.h"

#include <string.h>

int gen_team_find(const gen_world *w, const char *id)
{
    for (int t = 0; t < w->nteams; t++)
        if (strcmp(w->teams[t].id, id) == 0)
            return t;
    return -1;
}

static int second_ae_of(gen_world *w, const char *team_id)
{
    int team = gen_team_find(w, team_id);
    int seen = 0;
    for (int s = 0; s < w->nseats && team >= 0; s++)
        if (w->seats[s].team == team && w->seats[s].kind == SK_AE && ++seen == 2)
            return s;
    return -1;
}

static void pin(gen_world *w, int seat)
{
    if (seat < 0)
        return;
    if (w->seats[seat].open_at_start) {
        w->seats[seat].open_at_start = false;
        w->expansion_seats--;
    }
    w->seats[seat].pinned = true;
}

void gen_planted_pick_seats(gen_world *w)
{
    pin(w, second_ae_of(w, PLANT_MANY_CALLS_TEAM));
    pin(w, second_ae_of(w, PLANT_EARLY_ADVANCER_TEAM));
    /* the owners of the unbalanced territories: the first AE seat of each cell's first team */
    const char *cells[2] = {PLANT_OVER_CELL, PLANT_UNDER_CELL};
    for (int c = 0; c < 2; c++) {
        char id[64];
        strcpy(id, cells[c]);
        strcat(id, "-1");
        int team = gen_team_find(w, id);
        for (int s = 0; s < w->nseats && team >= 0; s++)
            if (w->seats[s].team == team && w->seats[s].kind == SK_AE) {
                pin(w, s);
                break;
            }
    }
}

void gen_planted_mark_people(gen_world *w)
{
    int s1 = second_ae_of(w, PLANT_MANY_CALLS_TEAM);
    int s2 = second_ae_of(w, PLANT_EARLY_ADVANCER_TEAM);
    if (s1 >= 0 && w->seats[s1].nstints) {
        w->plant_many_calls = w->stints[w->seats[s1].stints[0]].person;
        w->people[w->plant_many_calls].planted |= PLANT_MANY_CALLS;
    }
    if (s2 >= 0 && w->seats[s2].nstints) {
        w->plant_early_advancer = w->stints[w->seats[s2].stints[0]].person;
        w->people[w->plant_early_advancer].planted |= PLANT_EARLY_ADVANCER;
    }
}
