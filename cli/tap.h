/* SPDX-License-Identifier: MIT */
/*
 * tap.h - a run as TAP version 13 (`iommusim run --format tap`): one test
 * point per step of every file, numbered across files, the plan first;
 * a failed step carries a YAML block (got, expected, why, failure); a
 * step another profile's only= excludes is "# SKIP". prove reads it:
 * `prove --exec 'iommusim run --format tap' FILE...`.
 */
#ifndef IOMMUSIM_CLI_TAP_H
#define IOMMUSIM_CLI_TAP_H

#include <stdio.h>

#include "run.h"

/* "TAP version 13" and the plan: every statement of @scs is a step. */
unsigned int tap_begin(FILE *f, GPtrArray *scs /* struct scenario * */);
/* The test points of one run; @n counts across files, from 1. */
void tap_file(FILE *f, const struct scenario *sc, const struct run_result *rr,
	      unsigned int *n);

#endif
