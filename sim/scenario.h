/* SPDX-License-Identifier: MIT */
/*
 * scenario.h - the parsed form of a scenario file (docs/scenario-language.md).
 *
 * The parser (parse.c) turns text into a struct scenario: a list of
 * statements, each a verb with key=value arguments and an optional
 * expectation. Nothing here knows what a verb means; sim/verbs.c checks
 * arguments against each verb's signature and sim/run.c executes them on
 * the model. hw/ reads the same structure to drive a guest.
 */
#ifndef IOMMUSIM_SIM_SCENARIO_H
#define IOMMUSIM_SIM_SCENARIO_H

#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

enum value_kind {
	VAL_IDENT,  /* bare identifier: device, driver, errno, cookie, ... */
	VAL_NUMBER, /* decimal or 0x hex, with K/M/G/T suffix applied */
	VAL_STRING, /* "..." with escapes resolved */
	VAL_HANDLE, /* $name; the name is stored without the '$' */
	VAL_LIST,   /* a,b,c; items in .items */
};

struct value {
	enum value_kind kind;
	char *text; /* ident, string or handle name; source text for numbers */
	uint64_t num;	  /* VAL_NUMBER */
	GPtrArray *items; /* VAL_LIST: struct value * */
	int line, col;	  /* where the value starts */
};

struct arg {
	char *key;
	struct value val;
	int col; /* column of the key */
};

enum outcome_kind {
	OUT_NONE,   /* no expectation for this profile */
	OUT_OK,	    /* returned 0 / void */
	OUT_ERRNO,  /* returned -errno */
	OUT_VALUE,  /* returned a non-negative value */
	OUT_WARN,   /* void function that hit WARN_ON and refused */
	OUT_ABSENT, /* the verb does not exist in this profile */
	OUT_FAULT,  /* a DMA the IOMMU refused: FAULT_NOT_PRESENT, ... */
	OUT_UB,	    /* undefined behaviour: the kernel has no check and would
		     * dereference NULL or freed memory; the model refuses */
	OUT_BLOCKS, /* the call would not return (IOMMU_BLOCKS): the model
		     * keeps its state, the guest skips the step */
};

struct outcome {
	enum outcome_kind kind;
	int err;	/* OUT_ERRNO: positive errno */
	uint64_t value; /* OUT_VALUE */
	bool warn;	/* "+WARN": a WARN_ON fired on the way */
	int col;
};

/* One expectation: for every profile (profile == NULL) or for one. */
struct expect {
	char *profile;
	struct outcome out;
};

struct statement {
	char *verb;
	int line, col;	    /* where the verb starts */
	GPtrArray *args;    /* struct arg * */
	GPtrArray *expects; /* struct expect * */
	bool has_arrow;	    /* "=>" present */
	int arrow_col;
};

struct scenario {
	char *path;
	GPtrArray *stmts; /* struct statement * */
	char *header;	  /* the leading comment block, without the '#' */
};

/* Parse @text (from @path, for messages). NULL with @err set on bad input:
 * the message is "path:line:col: expected ..., got ...". */
struct scenario *scenario_parse(const char *path, const char *text,
				GError **err);
/* The same for @len bytes of @text (no NUL needed; a NUL is refused). */
struct scenario *scenario_parse_bytes(const char *path, const char *text,
				      size_t len, GError **err);
struct scenario *scenario_load(const char *path, GError **err);
void scenario_free(struct scenario *sc);
/* A word as the language reads a number: decimal or 0x hex, with an
 * optional K/M/G/T suffix; false when it is none. */
bool scenario_parse_number(const char *w, uint64_t *out);

/* Lookups on a statement; NULL / false when absent. */
const struct arg *stmt_arg(const struct statement *st, const char *key);
/* The expectation that applies under @profile (profile-specific first). */
const struct outcome *stmt_expect(const struct statement *st,
				  const char *profile);

/* Set @err to "path:line:col: message" (an input error). */
void scenario_error(GError **err, const char *path, int line, int col,
		    const char *fmt, va_list ap) G_GNUC_PRINTF(5, 0);

GQuark iommusim_error_quark(void);
#define IOMMUSIM_ERROR iommusim_error_quark()
enum { IOMMUSIM_ERROR_INPUT = 1 };

#endif
