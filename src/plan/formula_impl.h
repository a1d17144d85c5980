/* formula_impl.h - inside the formula language, shared by its files: tokens and positions
 * (formula_lex.c), the syntax tree (formula_parse.c), unit checking (formula_check.c),
 * bytecode and the compiled formula (formula_compile.c), the machines that run it, one row or
 * a block of rows at a time (formula_eval.c), and explanations (formula_explain.c).
 * Not for use outside src/plan/formula*.c. */
#ifndef ATTAIN_PLAN_FORMULA_IMPL_H
#define ATTAIN_PLAN_FORMULA_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "plan/formula.h"

#define FORMULA_DEPTH_MAX 64   /* nesting of ( ), calls and unary operators */
#define FORMULA_STACK_MAX 1024 /* values a formula may hold at once (depth 64 needs < 500) */
#define FORMULA_BLOCK 256      /* rows per block in column evaluation */
#define FORMULA_QUOTE_MAX 40   /* bytes of a token quoted in a message */

/* ---- tokens --------------------------------------------------------------------------------- */

typedef enum formula_tok {
    TOK_END = 0,
    TOK_NUMBER, /* 1500, 0.05, 12.5% */
    TOK_NAME,   /* bookings, bookings.attainment, min (a function when '(' follows) */
    TOK_TRUE,
    TOK_FALSE,
    TOK_AND,
    TOK_OR,
    TOK_NOT,
    TOK_LPAREN,
    TOK_RPAREN,
    TOK_COMMA,
    TOK_PLUS,
    TOK_MINUS,
    TOK_STAR,
    TOK_SLASH,
    TOK_LT,
    TOK_LE,
    TOK_GT,
    TOK_GE,
    TOK_EQ,
    TOK_NE,
} formula_tok;

/* What a token shows in an explanation. */
typedef enum formula_role {
    ROLE_TEXT = 0, /* written as is */
    ROLE_NAME,     /* a name: written, then its value */
    ROLE_MONEY,    /* a literal that stands for money: written as money (5000 -> 5,000.00) */
} formula_role;

typedef struct formula_token {
    uint8_t kind;    /* formula_tok */
    uint8_t role;    /* formula_role, set by the checker */
    uint8_t unit;    /* ROLE_NAME: the name's unit */
    bool percent;    /* TOK_NUMBER written with % */
    int slot;        /* ROLE_NAME: the name's slot */
    uint32_t offset; /* in the text */
    uint32_t length;
    __int128 value;  /* TOK_NUMBER: the exact value at 1e-9 */
} formula_token;

/* ---- syntax tree ---------------------------------------------------------------------------- */

typedef enum formula_node_kind {
    NODE_NUMBER = 0, /* a literal; value at 1e-9, or money once unit is money */
    NODE_BOOL,       /* true, false */
    NODE_NAME,       /* slot */
    NODE_NEG,        /* -x */
    NODE_NOT,        /* not x */
    NODE_TO_NUMBER,  /* a count used as a number (inserted by the checker) */
    NODE_BINARY,     /* op is the operator's formula_tok */
    NODE_CALL,       /* op is a formula_fn */
} formula_node_kind;

typedef enum formula_fn {
    FN_MIN = 0,
    FN_MAX,
    FN_IF,
    FN_ABS,
    FN_ROUND,
} formula_fn;

typedef struct formula_node formula_node;
struct formula_node {
    uint8_t kind;      /* formula_node_kind */
    uint8_t op;        /* NODE_BINARY: formula_tok; NODE_CALL: formula_fn */
    uint8_t unit;      /* at_unit, set by the checker */
    bool flexible;     /* a number that may still become money (a bare literal, ...) */
    uint32_t token;    /* the token that names it: operator, function, literal or name */
    uint32_t start;    /* its text: [start, end) in the formula */
    uint32_t end;
    int slot;          /* NODE_NAME */
    __int128 value;    /* NODE_NUMBER, NODE_BOOL */
    formula_node **args;
    size_t nargs;
};

/* ---- compiling ------------------------------------------------------------------------------ */

typedef struct formula_ctx {
    const char *text;
    size_t length;
    at_formula_origin origin;
    formula_token *tokens;
    size_t ntokens;
    size_t pos; /* the parser's next token */
    at_arena *scratch;
    at_formula_resolve_fn resolve;
    void *resolve_ctx;
    at_error *err;
} formula_ctx;

/* Writes "file:line:column" (or "line:column" without a file) of text[offset]: lines counted
 * from origin.line, columns in characters from origin.column on the first line, from 1 on
 * later ones. */
void formula_where(const at_formula_origin *origin, const char *text, size_t offset, char *buf,
                   size_t size);
/* Quotes text for a message: printable ASCII as is, other bytes as \xNN, cut with "...". */
void formula_quote(const char *p, size_t len, char *buf, size_t size);
/* Fails with where = the position of text[offset]. */
at_code formula_fail_at(formula_ctx *c, size_t offset, at_code code, const char *hint,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Fails at a token with the message "'TOKEN' " + fmt ("the formula ends: " + fmt at the
 * end of the text). */
at_code formula_fail_token(formula_ctx *c, size_t token, at_code code, const char *hint,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The quoted text of a token. */
void formula_token_text(const formula_ctx *c, size_t token, char *buf, size_t size);

at_code formula_lex(formula_ctx *c);
at_code formula_parse(formula_ctx *c, formula_node **out);
/* Resolves names and checks units; *root may be replaced (a count wanted as a number). */
at_code formula_check(formula_ctx *c, formula_node **root, at_unit want);

/* ---- bytecode ------------------------------------------------------------------------------- */

typedef enum formula_op {
    OP_CONST = 0, /* push imm */
    OP_SLOT,      /* push slots[arg] */
    OP_NEG,
    OP_ABS,
    OP_TO_NUMBER, /* count -> number: x 1e9 */
    OP_ADD,
    OP_SUB,
    OP_MUL,       /* a * b / imm, rounded half-even (imm 1 or 1e9) */
    OP_DIV,       /* a * imm / b, rounded half-even (imm 1, 1e9 or 1e18) */
    OP_ROUND,     /* money to arg decimals (0..4), half-even */
    OP_MIN,
    OP_MAX,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_EQ,
    OP_NE,
    OP_NOT,
    OP_IF,        /* pop a condition; rows where it is false go to the ELSE at arg */
    OP_ELSE,      /* the then-branch ends: rows go on after the END at arg */
    OP_END,       /* column evaluation: choose each row's branch */
} formula_op;

typedef struct formula_insn {
    uint8_t op;         /* formula_op */
    uint8_t unit_a;     /* the operands' and result's units (for messages) */
    uint8_t unit_b;
    uint8_t unit_r;
    int32_t arg;        /* slot, jump target, decimals */
    int64_t imm;        /* constant or scale */
    uint32_t pos;       /* the operator's token: offset and length in the text */
    uint32_t len;
    uint32_t start;     /* the operation's text (for messages) */
    uint32_t end;
    uint32_t b_start;   /* the right operand's text (division hints) */
    uint32_t b_end;
} formula_insn;

typedef struct formula_piece {
    uint32_t offset;
    uint32_t length;
    uint8_t role;       /* formula_role */
    uint8_t unit;       /* ROLE_NAME */
    int slot;           /* ROLE_NAME */
} formula_piece;

struct at_formula {
    char *text;                 /* as written, NUL-terminated */
    size_t length;
    at_formula_origin origin;   /* file copied into the arena */
    at_unit unit;
    formula_insn *code;
    size_t code_len;
    size_t max_stack;           /* values held at once (column evaluation counts both branches) */
    size_t max_ifs;             /* if-blocks open at once */
    int *slots;                 /* read, increasing */
    size_t slot_count;
    formula_piece *pieces;      /* the tokens, for explanations */
    size_t piece_count;
};

/* Writes a value of a unit for people: money with thousands separators and at least 2
 * decimals, numbers with at most number_decimals decimals (0..9, half-even, trailing zeros
 * dropped), counts with thousands separators, bools as true/false. Returns the length like
 * snprintf. */
size_t formula_format_value(at_unit unit, int64_t value, int number_decimals, char *buf,
                            size_t size);

#endif
