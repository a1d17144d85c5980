/* formula_compile.c - at_formula_compile: text to tokens to a checked syntax tree to bytecode
 * for a stack machine (one instruction per operation; `and`, `or` and if() become
 * conditional blocks so that a branch not taken is never evaluated), plus the compiled
 * formula's accessors. Scratch memory (tokens, tree) lives in a private arena; the formula
 * itself in the caller's, rolled back when compiling fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "plan/formula_impl.h"

const char *at_unit_name(at_unit unit)
{
    switch (unit) {
    case AT_UNIT_MONEY: return "money";
    case AT_UNIT_NUMBER: return "number";
    case AT_UNIT_COUNT: return "count";
    case AT_UNIT_BOOL: return "bool";
    case AT_UNIT_ANY: return "any";
    }
    return "unknown";
}

/* ---- code generation ------------------------------------------------------------------------- */

typedef struct gen {
    formula_ctx *c;
    formula_insn *code;
    size_t len, cap;
    size_t sp, max_sp;
    size_t ifs, max_ifs;
    bool used[AT_FORMULA_SLOTS_MAX];
} gen;

static int64_t scale_of(at_unit u)
{
    switch (u) {
    case AT_UNIT_MONEY: return AT_MONEY_SCALE;
    case AT_UNIT_NUMBER: return AT_RATE_SCALE;
    default: return 1;
    }
}

/* Appends an instruction for node n (its operator token, its text); *at is its index. */
static at_code emit(gen *g, formula_op op, const formula_node *n, int stack_effect, size_t *at)
{
    if (g->len == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 32;
        formula_insn *code = at_arena_alloc(g->c->scratch, ncap * sizeof *code);
        if (!code)
            return at_fail(g->c->err, AT_ERR_NOMEM, NULL, NULL,
                           "out of memory compiling a formula");
        if (g->len)
            memcpy(code, g->code, g->len * sizeof *code);
        g->code = code;
        g->cap = ncap;
    }
    formula_insn *in = &g->code[g->len];
    memset(in, 0, sizeof *in);
    const formula_token *t = &g->c->tokens[n->token];
    in->op = (uint8_t)op;
    in->unit_r = n->unit;
    if (n->nargs > 0)
        in->unit_a = n->args[0]->unit;
    if (n->nargs > 1)
        in->unit_b = n->args[1]->unit;
    in->pos = t->offset;
    in->len = t->length;
    in->start = n->start;
    in->end = n->end;
    if (n->nargs > 1) {
        in->b_start = n->args[1]->start;
        in->b_end = n->args[1]->end;
    }
    if (at)
        *at = g->len;
    g->len++;
    if (stack_effect > 0) {
        g->sp += (size_t)stack_effect;
        if (g->sp > g->max_sp)
            g->max_sp = g->sp;
    } else {
        g->sp -= (size_t)-stack_effect;
    }
    return AT_OK;
}

static at_code gen_node(gen *g, const formula_node *n);

static at_code gen_literal(gen *g, const formula_node *n)
{
    formula_ctx *c = g->c;
    __int128 v = n->value;
    if (n->unit == AT_UNIT_MONEY) {
        if (v % 100000 != 0)
            return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                      "amounts have at most 4 decimals, as in 0.0001",
                                      "has more decimals than money holds");
        v /= 100000;
    }
    if (v > INT64_MAX || v < INT64_MIN) {
        if (n->unit == AT_UNIT_MONEY)
            return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                      "amounts go up to 922,337,203,685,477.5807",
                                      "is too large for money");
        return formula_fail_token(c, n->token, AT_ERR_INVALID,
                                  "numbers (rates, ratios) go up to 9,223,372,036.854775807; "
                                  "an amount this large works where money is wanted, as in "
                                  "bookings >= 50000000000",
                                  "is too large for a number");
    }
    size_t at;
    at_code rc = emit(g, OP_CONST, n, 1, &at);
    if (rc == AT_OK)
        g->code[at].imm = (int64_t)v;
    return rc;
}

/* cond IF then ELSE otherwise END; then and otherwise are nodes, or NULL for a constant. */
static at_code gen_branches(gen *g, const formula_node *at_node, const formula_node *then,
                            int64_t then_const, const formula_node *otherwise,
                            int64_t otherwise_const)
{
    size_t if_at, else_at, end_at, k;
    at_code rc = emit(g, OP_IF, at_node, -1, &if_at);
    if (rc != AT_OK)
        return rc;
    if (++g->ifs > g->max_ifs)
        g->max_ifs = g->ifs;
    if (then) {
        rc = gen_node(g, then);
    } else if ((rc = emit(g, OP_CONST, at_node, 1, &k)) == AT_OK) {
        g->code[k].imm = then_const;
    }
    if (rc != AT_OK || (rc = emit(g, OP_ELSE, at_node, 0, &else_at)) != AT_OK)
        return rc;
    if (otherwise) {
        rc = gen_node(g, otherwise);
    } else if ((rc = emit(g, OP_CONST, at_node, 1, &k)) == AT_OK) {
        g->code[k].imm = otherwise_const;
    }
    if (rc != AT_OK || (rc = emit(g, OP_END, at_node, -1, &end_at)) != AT_OK)
        return rc;
    g->ifs--;
    g->code[if_at].arg = (int32_t)else_at;
    g->code[else_at].arg = (int32_t)end_at;
    g->code[end_at].unit_r = at_node->unit;
    return AT_OK;
}

static at_code gen_binary(gen *g, const formula_node *n)
{
    const formula_node *a = n->args[0], *b = n->args[1];
    at_code rc = gen_node(g, a);
    if (rc != AT_OK)
        return rc;
    if (n->op == TOK_AND)
        return gen_branches(g, n, b, 0, NULL, 0);
    if (n->op == TOK_OR)
        return gen_branches(g, n, NULL, 1, b, 0);
    if ((rc = gen_node(g, b)) != AT_OK)
        return rc;
    formula_op op;
    int64_t imm = 0;
    __int128 sa = scale_of(a->unit), sb = scale_of(b->unit), sr = scale_of(n->unit);
    switch (n->op) {
    case TOK_PLUS: op = OP_ADD; break;
    case TOK_MINUS: op = OP_SUB; break;
    case TOK_STAR:
        op = OP_MUL;
        imm = (int64_t)(sa * sb / sr);
        break;
    case TOK_SLASH:
        op = OP_DIV;
        imm = (int64_t)(sb * sr / sa);
        break;
    case TOK_LT: op = OP_LT; break;
    case TOK_LE: op = OP_LE; break;
    case TOK_GT: op = OP_GT; break;
    case TOK_GE: op = OP_GE; break;
    case TOK_EQ: op = OP_EQ; break;
    default: op = OP_NE; break;
    }
    size_t at;
    rc = emit(g, op, n, -1, &at);
    if (rc == AT_OK)
        g->code[at].imm = imm;
    return rc;
}

static at_code gen_call(gen *g, const formula_node *n)
{
    at_code rc;
    size_t at;
    switch ((formula_fn)n->op) {
    case FN_MIN:
    case FN_MAX:
        if ((rc = gen_node(g, n->args[0])) != AT_OK)
            return rc;
        for (size_t i = 1; i < n->nargs; i++) {
            if ((rc = gen_node(g, n->args[i])) != AT_OK)
                return rc;
            if ((rc = emit(g, n->op == FN_MIN ? OP_MIN : OP_MAX, n, -1, &at)) != AT_OK)
                return rc;
            g->code[at].unit_b = n->args[i]->unit;
            g->code[at].b_start = n->args[i]->start;
            g->code[at].b_end = n->args[i]->end;
        }
        return AT_OK;
    case FN_IF:
        if ((rc = gen_node(g, n->args[0])) != AT_OK)
            return rc;
        return gen_branches(g, n, n->args[1], 0, n->args[2], 0);
    case FN_ABS:
        if ((rc = gen_node(g, n->args[0])) != AT_OK)
            return rc;
        return emit(g, OP_ABS, n, 0, NULL);
    case FN_ROUND:
        if ((rc = gen_node(g, n->args[0])) != AT_OK)
            return rc;
        if ((rc = emit(g, OP_ROUND, n, 0, &at)) != AT_OK)
            return rc;
        g->code[at].arg = (int32_t)(n->args[1]->value / 1000000000);
        return AT_OK;
    }
    return at_fail(g->c->err, AT_ERR_INTERNAL, NULL, NULL, "unknown function %d", n->op);
}

static at_code gen_node(gen *g, const formula_node *n)
{
    at_code rc;
    size_t at;
    switch ((formula_node_kind)n->kind) {
    case NODE_NUMBER:
        return gen_literal(g, n);
    case NODE_BOOL:
        if ((rc = emit(g, OP_CONST, n, 1, &at)) == AT_OK)
            g->code[at].imm = (int64_t)n->value;
        return rc;
    case NODE_NAME:
        if ((rc = emit(g, OP_SLOT, n, 1, &at)) == AT_OK)
            g->code[at].arg = n->slot;
        g->used[n->slot] = true;
        return rc;
    case NODE_NEG:
    case NODE_NOT:
    case NODE_TO_NUMBER:
        if ((rc = gen_node(g, n->args[0])) != AT_OK)
            return rc;
        return emit(g, n->kind == NODE_NEG ? OP_NEG : n->kind == NODE_NOT ? OP_NOT : OP_TO_NUMBER,
                    n, 0, NULL);
    case NODE_BINARY:
        return gen_binary(g, n);
    case NODE_CALL:
        return gen_call(g, n);
    }
    return at_fail(g->c->err, AT_ERR_INTERNAL, NULL, NULL, "unknown formula node %d", n->kind);
}

/* ---- compiling ------------------------------------------------------------------------------- */

static at_code build(formula_ctx *c, const gen *g, at_unit unit, at_arena *arena,
                     at_formula **out)
{
    at_formula *f = at_arena_calloc(arena, 1, sizeof *f);
    if (!f)
        return AT_ERR_NOMEM;
    f->text = at_arena_strndup(arena, c->text, c->length);
    f->length = c->length;
    f->origin = c->origin;
    if (c->origin.file && !(f->origin.file = at_arena_strdup(arena, c->origin.file)))
        return AT_ERR_NOMEM;
    f->unit = unit;
    f->code = at_arena_alloc(arena, g->len * sizeof *f->code);
    f->pieces = at_arena_alloc(arena, (c->ntokens ? c->ntokens : 1) * sizeof *f->pieces);
    f->slots = at_arena_alloc(arena, AT_FORMULA_SLOTS_MAX * sizeof *f->slots);
    if (!f->text || !f->code || !f->pieces || !f->slots)
        return AT_ERR_NOMEM;
    memcpy(f->code, g->code, g->len * sizeof *f->code);
    f->code_len = g->len;
    f->max_stack = g->max_sp;
    f->max_ifs = g->max_ifs;
    for (int s = 0; s < AT_FORMULA_SLOTS_MAX; s++)
        if (g->used[s])
            f->slots[f->slot_count++] = s;
    for (size_t i = 0; i + 1 < c->ntokens; i++) { /* not the end token */
        const formula_token *t = &c->tokens[i];
        formula_piece *p = &f->pieces[f->piece_count++];
        p->offset = t->offset;
        p->length = t->length;
        p->role = t->role;
        p->unit = t->unit;
        p->slot = t->slot;
    }
    *out = f;
    return AT_OK;
}

at_code at_formula_compile(const char *text, size_t length, at_formula_origin origin,
                           at_formula_resolve_fn resolve, void *resolve_ctx, at_unit want,
                           at_arena *arena, at_formula **out, at_error *err)
{
    if (out)
        *out = NULL;
    if (!arena || !out || (!text && length) || (int)want < 0 || want > AT_UNIT_ANY)
        return at_fail(err, AT_ERR_INVALID, NULL, "this is a bug in attain: please report it",
                       "at_formula_compile needs text, a wanted unit, an arena and a place "
                       "for the formula");
    formula_ctx c = {
        .text = text ? text : "",
        .length = length,
        .origin = origin,
        .resolve = resolve,
        .resolve_ctx = resolve_ctx,
        .err = err,
    };
    if (length > AT_FORMULA_TEXT_MAX)
        return formula_fail_at(&c, 0, AT_ERR_INVALID,
                               "split it: compute parts in earlier components and refer to "
                               "them by name",
                               "the formula is %zu bytes long; formulas hold at most %d",
                               length, AT_FORMULA_TEXT_MAX);
    at_arena scratch;
    at_arena_init(&scratch, 16 * 1024);
    c.scratch = &scratch;
    gen *g = calloc(1, sizeof *g);
    formula_node *root = NULL;
    at_code rc = g ? AT_OK : at_fail(err, AT_ERR_NOMEM, NULL, NULL,
                                     "out of memory compiling a formula");
    if (rc == AT_OK)
        rc = formula_lex(&c);
    if (rc == AT_OK)
        rc = formula_parse(&c, &root);
    if (rc == AT_OK)
        rc = formula_check(&c, &root, want);
    if (rc == AT_OK) {
        g->c = &c;
        rc = gen_node(g, root);
    }
    if (rc == AT_OK && g->max_sp > FORMULA_STACK_MAX)
        rc = formula_fail_at(&c, 0, AT_ERR_INVALID,
                             "split it into components that refer to each other by name",
                             "the formula holds more than %d values at once",
                             FORMULA_STACK_MAX);
    if (rc == AT_OK) {
        at_arena_mark mark = at_arena_save(arena);
        rc = build(&c, g, (at_unit)root->unit, arena, out);
        if (rc != AT_OK) {
            at_arena_restore(arena, mark);
            *out = NULL;
            rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory compiling a formula");
        }
    }
    free(g);
    at_arena_free(&scratch);
    return rc;
}

/* ---- accessors ------------------------------------------------------------------------------- */

at_unit at_formula_unit(const at_formula *formula)
{
    return formula->unit;
}

const char *at_formula_text(const at_formula *formula)
{
    return formula->text;
}

size_t at_formula_slot_count(const at_formula *formula)
{
    return formula->slot_count;
}

int at_formula_slot_at(const at_formula *formula, size_t index)
{
    return index < formula->slot_count ? formula->slots[index] : -1;
}
