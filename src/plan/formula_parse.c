/* formula_parse.c - tokens to a syntax tree, by recursive descent. Precedence, loosest first:
 * or, and, not, == !=, < <= > >=, + -, * /, unary - (and not after an operator). `not`
 * binds looser than comparisons, so `not bookings > quota` is `not (bookings > quota)`.
 * Nesting (parentheses, calls, unary operators) stops at FORMULA_DEPTH_MAX with an error,
 * never a deep recursion. */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "plan/formula_impl.h"

static const formula_token *peek(const formula_ctx *c)
{
    return &c->tokens[c->pos];
}

static formula_node *new_node(formula_ctx *c, formula_node_kind kind, size_t token)
{
    formula_node *n = at_arena_calloc(c->scratch, 1, sizeof *n);
    if (!n)
        return NULL;
    const formula_token *t = &c->tokens[token];
    n->kind = (uint8_t)kind;
    n->token = (uint32_t)token;
    n->start = t->offset;
    n->end = t->offset + t->length;
    n->slot = -1;
    return n;
}

static at_code nomem(formula_ctx *c)
{
    return at_fail(c->err, AT_ERR_NOMEM, NULL, NULL, "out of memory compiling a formula");
}

static at_code too_deep(formula_ctx *c, size_t token)
{
    char hint[160];
    snprintf(hint, sizeof hint,
             "formulas nest at most %d levels of ( ), calls and signs; split it into "
             "components that refer to each other by name",
             FORMULA_DEPTH_MAX);
    return formula_fail_token(c, token, AT_ERR_INVALID, hint, "nests too deep");
}

static formula_node *binary(formula_ctx *c, size_t token, formula_node *l, formula_node *r)
{
    formula_node *n = new_node(c, NODE_BINARY, token);
    if (!n)
        return NULL;
    n->args = at_arena_alloc(c->scratch, 2 * sizeof *n->args);
    if (!n->args)
        return NULL;
    n->op = c->tokens[token].kind;
    n->args[0] = l;
    n->args[1] = r;
    n->nargs = 2;
    n->start = l->start;
    n->end = r->end;
    return n;
}

static at_code parse_or(formula_ctx *c, int depth, formula_node **out);
static at_code parse_not(formula_ctx *c, int depth, formula_node **out);

/* ---- values --------------------------------------------------------------------------------- */

static const struct {
    const char *name;
    formula_fn fn;
    size_t min_args, max_args;
    const char *usage;
} FUNCTIONS[] = {
    {"min", FN_MIN, 2, SIZE_MAX, "min(a, b, ...) takes 2 or more values"},
    {"max", FN_MAX, 2, SIZE_MAX, "max(a, b, ...) takes 2 or more values"},
    {"if", FN_IF, 3, 3, "if(condition, value when true, value when false) takes 3 values"},
    {"abs", FN_ABS, 1, 1, "abs(x) takes 1 value"},
    {"round", FN_ROUND, 2, 2, "round(amount, decimals) takes 2 values, as in round(x, 2)"},
};

static at_code expected_value(formula_ctx *c)
{
    size_t at = c->pos;
    const formula_token *t = peek(c);
    const char *hint = "write a number (1500, 5%), a name (bookings) or ( ... ) here";
    if (t->kind == TOK_END) {
        if (at == 0)
            return formula_fail_at(c, 0, AT_ERR_INVALID,
                                   "write an expression, such as 5% * bookings", "the formula is "
                                                                                 "empty");
        char prev[FORMULA_QUOTE_MAX * 4 + 8];
        formula_token_text(c, at - 1, prev, sizeof prev);
        return formula_fail_at(c, t->offset, AT_ERR_INVALID, hint,
                               "the formula ends after '%s' where a value is missing", prev);
    }
    if (t->kind == TOK_RPAREN && at > 0 && c->tokens[at - 1].kind == TOK_LPAREN)
        hint = "put an expression inside ( )";
    else if (at > 0 && c->tokens[at - 1].kind == TOK_COMMA)
        hint = "give a value after ','";
    else if (t->kind == TOK_PLUS)
        hint = "write the value without a '+' sign";
    return formula_fail_token(c, at, AT_ERR_INVALID, hint,
                              "is not a value; expected a number, a name or '('");
}

static at_code parse_call(formula_ctx *c, int depth, formula_node **out)
{
    size_t name = c->pos, lparen = c->pos + 1;
    const formula_token *t = peek(c);
    at_str word = at_str_make(c->text + t->offset, t->length);
    size_t f = 0, nf = sizeof FUNCTIONS / sizeof FUNCTIONS[0];
    while (f < nf && !at_str_eq_cstr(word, FUNCTIONS[f].name))
        f++;
    if (f == nf)
        return formula_fail_token(c, name, AT_ERR_INVALID,
                                  "the functions are min, max, if, abs and round",
                                  "is not a function");
    if (depth + 1 > FORMULA_DEPTH_MAX)
        return too_deep(c, lparen);
    c->pos += 2;
    formula_node *n = new_node(c, NODE_CALL, name);
    if (!n)
        return nomem(c);
    n->op = (uint8_t)FUNCTIONS[f].fn;
    size_t cap = 0;
    if (peek(c)->kind != TOK_RPAREN) {
        for (;;) {
            formula_node *arg;
            at_code rc = parse_or(c, depth + 1, &arg);
            if (rc != AT_OK)
                return rc;
            if (n->nargs == cap) {
                size_t ncap = cap ? cap * 2 : 4;
                formula_node **args = at_arena_alloc(c->scratch, ncap * sizeof *args);
                if (!args)
                    return nomem(c);
                if (cap)
                    memcpy(args, n->args, cap * sizeof *args);
                n->args = args;
                cap = ncap;
            }
            n->args[n->nargs++] = arg;
            if (peek(c)->kind == TOK_COMMA) {
                c->pos++;
                continue;
            }
            if (peek(c)->kind == TOK_RPAREN)
                break;
            char hint[160];
            snprintf(hint, sizeof hint, "separate the values with ',' and close with ')': %s",
                     FUNCTIONS[f].usage);
            if (peek(c)->kind == TOK_END)
                return formula_fail_token(c, lparen, AT_ERR_INVALID, hint,
                                          "of %s( is never closed", FUNCTIONS[f].name);
            return formula_fail_token(c, c->pos, AT_ERR_INVALID, hint,
                                      "is out of place; expected ',' or ')' in %s( )",
                                      FUNCTIONS[f].name);
        }
    }
    n->end = peek(c)->offset + 1; /* the ')' */
    c->pos++;
    if (n->nargs < FUNCTIONS[f].min_args || n->nargs > FUNCTIONS[f].max_args)
        return formula_fail_token(c, name, AT_ERR_INVALID, FUNCTIONS[f].usage,
                                  "is given %zu value%s", n->nargs, n->nargs == 1 ? "" : "s");
    *out = n;
    return AT_OK;
}

static at_code parse_primary(formula_ctx *c, int depth, formula_node **out)
{
    const formula_token *t = peek(c);
    formula_node *n;
    switch (t->kind) {
    case TOK_NUMBER:
        n = new_node(c, NODE_NUMBER, c->pos);
        if (!n)
            return nomem(c);
        n->value = t->value;
        c->pos++;
        *out = n;
        return AT_OK;
    case TOK_TRUE:
    case TOK_FALSE:
        n = new_node(c, NODE_BOOL, c->pos);
        if (!n)
            return nomem(c);
        n->value = t->kind == TOK_TRUE;
        c->pos++;
        *out = n;
        return AT_OK;
    case TOK_NAME:
        if (c->tokens[c->pos + 1].kind == TOK_LPAREN)
            return parse_call(c, depth, out);
        n = new_node(c, NODE_NAME, c->pos);
        if (!n)
            return nomem(c);
        c->pos++;
        *out = n;
        return AT_OK;
    case TOK_LPAREN: {
        size_t lparen = c->pos;
        if (depth + 1 > FORMULA_DEPTH_MAX)
            return too_deep(c, lparen);
        c->pos++;
        at_code rc = parse_or(c, depth + 1, &n);
        if (rc != AT_OK)
            return rc;
        if (peek(c)->kind == TOK_END)
            return formula_fail_token(c, lparen, AT_ERR_INVALID, "add the missing ')'",
                                      "is never closed");
        if (peek(c)->kind != TOK_RPAREN)
            return formula_fail_token(c, c->pos, AT_ERR_INVALID,
                                      "join values with an operator such as + or *, or close "
                                      "the '(' with ')'",
                                      "is out of place; expected ')' or an operator");
        n->start = c->tokens[lparen].offset;
        n->end = peek(c)->offset + 1;
        c->pos++;
        *out = n;
        return AT_OK;
    }
    default:
        return expected_value(c);
    }
}

/* ---- operators ------------------------------------------------------------------------------ */

static at_code parse_unary(formula_ctx *c, int depth, formula_node **out)
{
    formula_tok k = peek(c)->kind;
    if (k != TOK_MINUS && k != TOK_NOT)
        return parse_primary(c, depth, out);
    size_t op = c->pos;
    if (depth + 1 > FORMULA_DEPTH_MAX)
        return too_deep(c, op);
    c->pos++;
    formula_node *x;
    at_code rc = k == TOK_MINUS ? parse_unary(c, depth + 1, &x) : parse_not(c, depth + 1, &x);
    if (rc != AT_OK)
        return rc;
    formula_node *n = new_node(c, k == TOK_MINUS ? NODE_NEG : NODE_NOT, op);
    if (!n || !(n->args = at_arena_alloc(c->scratch, sizeof *n->args)))
        return nomem(c);
    n->args[0] = x;
    n->nargs = 1;
    n->end = x->end;
    *out = n;
    return AT_OK;
}

typedef at_code (*parse_fn)(formula_ctx *c, int depth, formula_node **out);

/* A left-associative level: operand (op operand)* for the operators in ops. */
static at_code parse_level(formula_ctx *c, int depth, formula_node **out, parse_fn operand,
                           const formula_tok *ops, size_t nops)
{
    formula_node *l;
    at_code rc = operand(c, depth, &l);
    if (rc != AT_OK)
        return rc;
    for (;;) {
        formula_tok k = peek(c)->kind;
        size_t i = 0;
        while (i < nops && ops[i] != k)
            i++;
        if (i == nops)
            break;
        size_t op = c->pos++;
        formula_node *r;
        rc = operand(c, depth, &r);
        if (rc != AT_OK)
            return rc;
        if (!(l = binary(c, op, l, r)))
            return nomem(c);
    }
    *out = l;
    return AT_OK;
}

static at_code parse_mul(formula_ctx *c, int depth, formula_node **out)
{
    static const formula_tok ops[] = {TOK_STAR, TOK_SLASH};
    return parse_level(c, depth, out, parse_unary, ops, 2);
}

static at_code parse_add(formula_ctx *c, int depth, formula_node **out)
{
    static const formula_tok ops[] = {TOK_PLUS, TOK_MINUS};
    return parse_level(c, depth, out, parse_mul, ops, 2);
}

static at_code parse_rel(formula_ctx *c, int depth, formula_node **out)
{
    static const formula_tok ops[] = {TOK_LT, TOK_LE, TOK_GT, TOK_GE};
    return parse_level(c, depth, out, parse_add, ops, 4);
}

static at_code parse_eq(formula_ctx *c, int depth, formula_node **out)
{
    static const formula_tok ops[] = {TOK_EQ, TOK_NE};
    return parse_level(c, depth, out, parse_rel, ops, 2);
}

static at_code parse_not(formula_ctx *c, int depth, formula_node **out)
{
    if (peek(c)->kind != TOK_NOT)
        return parse_eq(c, depth, out);
    size_t op = c->pos;
    if (depth + 1 > FORMULA_DEPTH_MAX)
        return too_deep(c, op);
    c->pos++;
    formula_node *x;
    at_code rc = parse_not(c, depth + 1, &x);
    if (rc != AT_OK)
        return rc;
    formula_node *n = new_node(c, NODE_NOT, op);
    if (!n || !(n->args = at_arena_alloc(c->scratch, sizeof *n->args)))
        return nomem(c);
    n->args[0] = x;
    n->nargs = 1;
    n->end = x->end;
    *out = n;
    return AT_OK;
}

static at_code parse_and(formula_ctx *c, int depth, formula_node **out)
{
    static const formula_tok ops[] = {TOK_AND};
    return parse_level(c, depth, out, parse_not, ops, 1);
}

static at_code parse_or(formula_ctx *c, int depth, formula_node **out)
{
    static const formula_tok ops[] = {TOK_OR};
    return parse_level(c, depth, out, parse_and, ops, 1);
}

at_code formula_parse(formula_ctx *c, formula_node **out)
{
    c->pos = 0;
    formula_node *root;
    at_code rc = parse_or(c, 0, &root);
    if (rc != AT_OK)
        return rc;
    const formula_token *t = peek(c);
    if (t->kind != TOK_END) {
        if (t->kind == TOK_RPAREN)
            return formula_fail_token(c, c->pos, AT_ERR_INVALID,
                                      "remove it, or add the '(' it closes",
                                      "has no '(' to close");
        if (t->kind == TOK_COMMA)
            return formula_fail_token(c, c->pos, AT_ERR_INVALID,
                                      "',' separates the values of a function, as in "
                                      "min(a, b); write numbers without thousands separators",
                                      "is outside a function's ( )");
        return formula_fail_token(c, c->pos, AT_ERR_INVALID,
                                  "join values with an operator such as +, *, and, or",
                                  "follows a complete expression");
    }
    *out = root;
    return AT_OK;
}
