/* SPDX-License-Identifier: MIT */
/* trace.h - printing a run: text for people, JSON Lines for tools. */
#ifndef IOMMUSIM_CLI_TRACE_H
#define IOMMUSIM_CLI_TRACE_H

#include <stdio.h>

#include "run.h"

enum trace_format { TRACE_TEXT, TRACE_JSON };

/* The statement as written (verb, arguments, expectation). */
char *stmt_text(const struct statement *st);
void trace_print(FILE *f, const struct scenario *sc,
		 const struct run_result *rr, enum trace_format fmt,
		 bool verbose);
void json_string(GString *out, const char *s);
/* ,"key":"val" (null when @val is NULL) */
void json_field(GString *o, const char *key, const char *val);
/* trace_dump.c: ,"dump":{...} a dump step's table as data, or null */
struct pt_amdv1_dump_data;
void json_dump(GString *o, const struct pt_amdv1_dump_data *d);

#endif
