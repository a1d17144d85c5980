/* formula_check.c - names and units: asks the resolver what each name is, works out the unit
 * of every part of a formula (money, number, count, bool) by the rules in formula.h, turns
 * counts met by numbers into numbers and bare literals met by money into money, and refuses
 * what has no meaning, pointing at the operator and saying what would be accepted. */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "plan/formula_impl.h"

static at_code nomem(formula_ctx *c)
{
    return at_fail(c->err, AT_ERR_NOMEM, NULL, NULL, "out of memory compiling a formula");
}

/* "money", "a number", "a count", "a condition (bool)". */
static const char *phrase(at_unit u)
{
    switch (u) {
    case AT_UNIT_MONEY: return "money";
    case AT_UNIT_NUMBER: return "a number";
    case AT_UNIT_COUNT: return "a count";
    case AT_UNIT_BOOL: return "a condition (bool)";
    default: return "any value";
    }
}

/* ---- money from literals, numbers from counts ------------------------------------------------ */

/* A flexible node (a number that may stand for money) becomes money. */
static void to_money(formula_ctx *c, formula_node *n)
{
    n->unit = AT_UNIT_MONEY;
    n->flexible = false;
    switch (n->kind) {
    case NODE_NUMBER:
        c->tokens[n->token].role = ROLE_MONEY;
        break;
    case NODE_NEG:
        to_money(c, n->args[0]);
        break;
    case NODE_BINARY:
        if (n->op == TOK_PLUS || n->op == TOK_MINUS) {
            to_money(c, n->args[0]);
            to_money(c, n->args[1]);
        } else if (n->op == TOK_STAR) {
            /* literal x number (or count): the literal becomes the amount */
            to_money(c, n->args[0]->flexible ? n->args[0] : n->args[1]);
        } else { /* TOK_SLASH: literal / number (or count) */
            to_money(c, n->args[0]);
        }
        break;
    case NODE_CALL:
        if (n->op == FN_IF) {
            to_money(c, n->args[1]);
            to_money(c, n->args[2]);
        } else { /* min, max, abs */
            for (size_t i = 0; i < n->nargs; i++)
                to_money(c, n->args[i]);
        }
        break;
    default:
        break;
    }
}

/* A count used as a number. */
static at_code to_number(formula_ctx *c, formula_node **slot)
{
    formula_node *x = *slot;
    formula_node *n = at_arena_calloc(c->scratch, 1, sizeof *n);
    if (!n)
        return nomem(c);
    *n = *x;
    n->kind = NODE_TO_NUMBER;
    n->unit = AT_UNIT_NUMBER;
    n->flexible = false;
    n->args = at_arena_alloc(c->scratch, sizeof *n->args);
    if (!n->args)
        return nomem(c);
    n->args[0] = x;
    n->nargs = 1;
    *slot = n;
    return AT_OK;
}

/* ---- messages -------------------------------------------------------------------------------- */

static const char *verb(const formula_node *n)
{
    if (n->kind == NODE_CALL)
        return "mixes";
    switch (n->op) {
    case TOK_PLUS: return "adds";
    case TOK_MINUS: return "subtracts";
    default: return "compares";
    }
}

/* args[bad] cannot join a value of unit `with`; named in the order written for an operator
 * (bookings + deals: money and a count; deals + bookings: a count and money). */
static at_code mix_error(formula_ctx *c, const formula_node *n, formula_node *const *args,
                         size_t nargs, size_t bad, at_unit with)
{
    at_unit a = with, b = args[bad]->unit;
    if (n->kind == NODE_BINARY && nargs == 2 && bad == 0) {
        a = args[0]->unit;
        b = with;
    }
    const char *hint;
    if (a == AT_UNIT_BOOL || b == AT_UNIT_BOOL)
        hint = "a condition is true or false; choose a value with if(condition, a, b)";
    else if (a == AT_UNIT_COUNT || b == AT_UNIT_COUNT)
        hint = "money and counts do not mix; to pay per item multiply the count by an "
               "amount, as in 100 * deals";
    else
        hint = "money and numbers do not mix; scale an amount by multiplying (bookings * "
               "110%), compare rates with rates (bookings.attainment >= 100%)";
    return formula_fail_token(c, n->token, AT_ERR_INVALID, hint, "%s %s and %s", verb(n),
                              phrase(a), phrase(b));
}

static at_code bool_error(formula_ctx *c, const formula_node *n)
{
    if (n->kind == NODE_BINARY && n->op >= TOK_LT && n->op <= TOK_GE)
        return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                  "compare conditions with == or !=; comparisons do not chain: "
                                  "write a < b and b < c",
                                  "cannot order conditions (bools)");
    return formula_fail_token(c, n->token, AT_ERR_INVALID,
                              "a condition is true or false; choose a value with "
                              "if(condition, a, b)",
                              "cannot take a condition (bool)");
}

/* ---- one unit for several values ------------------------------------------------------------- */

/* Brings args to one unit: money when any is money (flexible ones become money), number when
 * numbers meet counts (counts become numbers). Bools only when allow_bool and all are. */
static at_code unify(formula_ctx *c, formula_node *n, formula_node **args, size_t nargs,
                     bool allow_bool, at_unit *out)
{
    size_t bools = 0, money = 0, numbers = 0, counts = 0;
    for (size_t i = 0; i < nargs; i++) {
        switch ((at_unit)args[i]->unit) {
        case AT_UNIT_BOOL: bools++; break;
        case AT_UNIT_MONEY: money++; break;
        case AT_UNIT_NUMBER: numbers++; break;
        default: counts++; break;
        }
    }
    if (bools) {
        if (bools == nargs && allow_bool) {
            *out = AT_UNIT_BOOL;
            return AT_OK;
        }
        if (bools == nargs || !allow_bool)
            return bool_error(c, n);
        for (size_t i = 0; i < nargs; i++)
            if (args[i]->unit != AT_UNIT_BOOL)
                return mix_error(c, n, args, nargs, i, AT_UNIT_BOOL);
    }
    if (money) {
        for (size_t i = 0; i < nargs; i++) {
            if (args[i]->unit == AT_UNIT_MONEY)
                continue;
            if (!args[i]->flexible)
                return mix_error(c, n, args, nargs, i, AT_UNIT_MONEY);
        }
        for (size_t i = 0; i < nargs; i++)
            if (args[i]->unit != AT_UNIT_MONEY)
                to_money(c, args[i]);
        *out = AT_UNIT_MONEY;
        return AT_OK;
    }
    if (numbers && counts) {
        for (size_t i = 0; i < nargs; i++) {
            if (args[i]->unit == AT_UNIT_COUNT) {
                at_code rc = to_number(c, &args[i]);
                if (rc != AT_OK)
                    return rc;
            }
        }
        *out = AT_UNIT_NUMBER;
        return AT_OK;
    }
    *out = args[0]->unit;
    return AT_OK;
}

static bool all_flexible(formula_node *const *args, size_t nargs)
{
    for (size_t i = 0; i < nargs; i++)
        if (!args[i]->flexible)
            return false;
    return true;
}

static bool number_or_count(at_unit u)
{
    return u == AT_UNIT_NUMBER || u == AT_UNIT_COUNT;
}

/* ---- the rules ------------------------------------------------------------------------------- */

static at_code check(formula_ctx *c, formula_node *n);

static at_code check_name(formula_ctx *c, formula_node *n)
{
    formula_token *t = &c->tokens[n->token];
    at_str name = at_str_make(c->text + t->offset, t->length);
    at_unit unit = AT_UNIT_ANY;
    int slot = -1;
    at_code rc = AT_ERR_NOT_FOUND;
    if (c->resolve) {
        rc = c->resolve(c->resolve_ctx, name, &unit, &slot, c->err);
    } else {
        char quoted[FORMULA_QUOTE_MAX * 4 + 8];
        formula_quote(name.ptr, name.len, quoted, sizeof quoted);
        at_fail(c->err, AT_ERR_NOT_FOUND, NULL, "this formula may use no names",
                "unknown name '%s'", quoted);
    }
    if (rc != AT_OK) {
        if (c->err) {
            char where[AT_ERROR_WHERE_MAX];
            formula_where(&c->origin, c->text, t->offset, where, sizeof where);
            c->err->code = rc;
            if (c->err->where[0])
                at_error_prefix_where(c->err, where);
            else
                snprintf(c->err->where, sizeof c->err->where, "%s", where);
        }
        return rc;
    }
    if (slot < 0 || slot >= AT_FORMULA_SLOTS_MAX ||
        !(unit == AT_UNIT_MONEY || unit == AT_UNIT_NUMBER || unit == AT_UNIT_COUNT ||
          unit == AT_UNIT_BOOL))
        return formula_fail_token(c, n->token, AT_ERR_INTERNAL,
                                  "this is a bug in attain: please report it",
                                  "was given slot %d and unit %d (slots 0..%d, units money, "
                                  "number, count or bool)",
                                  slot, (int)unit, AT_FORMULA_SLOTS_MAX - 1);
    n->unit = (uint8_t)unit;
    n->slot = slot;
    t->role = ROLE_NAME;
    t->unit = (uint8_t)unit;
    t->slot = slot;
    return AT_OK;
}

static at_code check_mul(formula_ctx *c, formula_node *n)
{
    formula_node *a = n->args[0], *b = n->args[1];
    at_unit ua = a->unit, ub = b->unit;
    if (ua == AT_UNIT_BOOL || ub == AT_UNIT_BOOL)
        return bool_error(c, n);
    if (ua == AT_UNIT_MONEY && ub == AT_UNIT_MONEY)
        return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                  "money x money has no meaning; multiply by a rate such as 5%",
                                  "multiplies money by money");
    if (ua == AT_UNIT_MONEY || ub == AT_UNIT_MONEY)
        n->unit = AT_UNIT_MONEY;
    else if (ua == AT_UNIT_COUNT && ub == AT_UNIT_COUNT)
        n->unit = AT_UNIT_COUNT;
    else
        n->unit = AT_UNIT_NUMBER;
    n->flexible = n->unit == AT_UNIT_NUMBER &&
                  ((a->flexible && number_or_count(ub)) || (b->flexible && number_or_count(ua)));
    return AT_OK;
}

static at_code check_div(formula_ctx *c, formula_node *n)
{
    formula_node *a = n->args[0], *b = n->args[1];
    at_unit ua = a->unit, ub = b->unit;
    if (ua == AT_UNIT_BOOL || ub == AT_UNIT_BOOL)
        return bool_error(c, n);
    if (b->kind == NODE_NUMBER && b->value == 0)
        return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                  "a division by zero has no value; divide by something else "
                                  "or leave the division out",
                                  "divides by 0");
    if (ub == AT_UNIT_MONEY) {
        if (ua != AT_UNIT_MONEY) {
            if (!a->flexible)
                return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                          "only money divides by money (bookings / quota "
                                          "gives a ratio); multiply numbers and counts by "
                                          "money instead",
                                          "divides %s by money", phrase(ua));
            to_money(c, a);
        }
        n->unit = AT_UNIT_NUMBER;
        n->flexible = false;
        return AT_OK;
    }
    n->unit = ua == AT_UNIT_MONEY ? AT_UNIT_MONEY : AT_UNIT_NUMBER;
    n->flexible = n->unit == AT_UNIT_NUMBER && a->flexible && number_or_count(ub);
    return AT_OK;
}

static at_code check_binary(formula_ctx *c, formula_node *n)
{
    at_unit u;
    at_code rc;
    switch (n->op) {
    case TOK_AND:
    case TOK_OR:
        for (size_t i = 0; i < 2; i++)
            if (n->args[i]->unit != AT_UNIT_BOOL)
                return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                          "compare first, as in bookings > 0 and margin > 0",
                                          "takes conditions (bools); its %s side is %s",
                                          i == 0 ? "left" : "right", phrase(n->args[i]->unit));
        n->unit = AT_UNIT_BOOL;
        return AT_OK;
    case TOK_PLUS:
    case TOK_MINUS:
        rc = unify(c, n, n->args, 2, false, &u);
        if (rc != AT_OK)
            return rc;
        n->unit = (uint8_t)u;
        n->flexible = u == AT_UNIT_NUMBER && all_flexible(n->args, 2);
        return AT_OK;
    case TOK_STAR:
        return check_mul(c, n);
    case TOK_SLASH:
        return check_div(c, n);
    default: /* comparisons */
        rc = unify(c, n, n->args, 2, n->op == TOK_EQ || n->op == TOK_NE, &u);
        if (rc != AT_OK)
            return rc;
        n->unit = AT_UNIT_BOOL;
        return AT_OK;
    }
}

static at_code check_call(formula_ctx *c, formula_node *n)
{
    at_unit u;
    at_code rc;
    switch ((formula_fn)n->op) {
    case FN_MIN:
    case FN_MAX:
        rc = unify(c, n, n->args, n->nargs, false, &u);
        if (rc != AT_OK)
            return rc;
        n->unit = (uint8_t)u;
        n->flexible = u == AT_UNIT_NUMBER && all_flexible(n->args, n->nargs);
        return AT_OK;
    case FN_IF:
        if (n->args[0]->unit != AT_UNIT_BOOL)
            return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                      "start with a comparison, as in if(bookings >= quota, "
                                      "0.05 * bookings, 0)",
                                      "needs a condition (a bool) first; it was given %s",
                                      phrase(n->args[0]->unit));
        rc = unify(c, n, n->args + 1, 2, true, &u);
        if (rc != AT_OK)
            return rc;
        n->unit = (uint8_t)u;
        n->flexible = u == AT_UNIT_NUMBER && all_flexible(n->args + 1, 2);
        return AT_OK;
    case FN_ABS:
        if (n->args[0]->unit == AT_UNIT_BOOL)
            return bool_error(c, n);
        n->unit = n->args[0]->unit;
        n->flexible = n->args[0]->flexible;
        return AT_OK;
    case FN_ROUND: {
        formula_node *x = n->args[0], *d = n->args[1];
        if (x->unit != AT_UNIT_MONEY) {
            if (!x->flexible)
                return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                          "round works on amounts, as in round(0.05 * "
                                          "bookings, 2)",
                                          "rounds money; it was given %s", phrase(x->unit));
            to_money(c, x);
        }
        if (d->kind != NODE_NUMBER || c->tokens[d->token].percent || d->value < 0 ||
            d->value > 4 * (__int128)1000000000 || d->value % 1000000000 != 0) {
            char quoted[FORMULA_QUOTE_MAX * 4 + 8];
            formula_quote(c->text + d->start, d->end - d->start, quoted, sizeof quoted);
            return formula_fail_at(c, d->start, AT_ERR_INVALID,
                                   "write a whole number from 0 to 4, as in round(x, 2) for "
                                   "cents",
                                   "'%s' is not a number of decimals from 0 to 4", quoted);
        }
        n->unit = AT_UNIT_MONEY;
        return AT_OK;
    }
    }
    return at_fail(c->err, AT_ERR_INTERNAL, NULL, NULL, "unknown function %d", n->op);
}

static at_code check(formula_ctx *c, formula_node *n)
{
    for (size_t i = 0; i < n->nargs; i++) {
        at_code rc = check(c, n->args[i]);
        if (rc != AT_OK)
            return rc;
    }
    switch ((formula_node_kind)n->kind) {
    case NODE_NUMBER:
        n->unit = AT_UNIT_NUMBER;
        n->flexible = !c->tokens[n->token].percent;
        return AT_OK;
    case NODE_BOOL:
        n->unit = AT_UNIT_BOOL;
        return AT_OK;
    case NODE_NAME:
        return check_name(c, n);
    case NODE_NEG:
        if (n->args[0]->unit == AT_UNIT_BOOL)
            return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                      "negate a condition with not", "cannot negate %s",
                                      phrase(AT_UNIT_BOOL));
        n->unit = n->args[0]->unit;
        n->flexible = n->args[0]->flexible;
        return AT_OK;
    case NODE_NOT:
        if (n->args[0]->unit != AT_UNIT_BOOL)
            return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                      "compare first, as in not (bookings >= quota)",
                                      "takes a condition (a bool); it was given %s",
                                      phrase(n->args[0]->unit));
        n->unit = AT_UNIT_BOOL;
        return AT_OK;
    case NODE_BINARY:
        return check_binary(c, n);
    case NODE_CALL:
        return check_call(c, n);
    case NODE_TO_NUMBER:
        return AT_OK;
    }
    return at_fail(c->err, AT_ERR_INTERNAL, NULL, NULL, "unknown formula node %d", n->kind);
}

/* ---- the unit wanted ------------------------------------------------------------------------- */

static const char *want_hint(at_unit got, at_unit want)
{
    switch (want) {
    case AT_UNIT_MONEY:
        if (got == AT_UNIT_COUNT)
            return "multiply the count by an amount per item, as in 100 * deals";
        if (got == AT_UNIT_BOOL)
            return "choose an amount with if(condition, amount, 0)";
        return "multiply by an amount to get money, as in 5% * bookings";
    case AT_UNIT_BOOL:
        return "compare to get a condition, as in bookings.attainment >= 50%";
    case AT_UNIT_NUMBER:
        if (got == AT_UNIT_MONEY)
            return "divide money by money for a ratio, as in bookings / quota";
        return "choose a number with if(condition, 1, 0)";
    default:
        return "use a name that is a count, such as deals";
    }
}

at_code formula_check(formula_ctx *c, formula_node **root, at_unit want)
{
    formula_node *n = *root;
    at_code rc = check(c, n);
    if (rc != AT_OK)
        return rc;
    at_unit got = n->unit;
    if (want == AT_UNIT_ANY || want == got)
        return AT_OK;
    if (want == AT_UNIT_MONEY && n->flexible) {
        to_money(c, n);
        return AT_OK;
    }
    if (want == AT_UNIT_NUMBER && got == AT_UNIT_COUNT)
        return to_number(c, root);
    char quoted[FORMULA_QUOTE_MAX * 4 + 8];
    formula_quote(c->text + n->start, n->end - n->start, quoted, sizeof quoted);
    return formula_fail_at(c, n->start, AT_ERR_INVALID, want_hint(got, want),
                           "'%s' gives %s, but %s is wanted here", quoted, phrase(got),
                           phrase(want));
}
