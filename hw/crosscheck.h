/* SPDX-License-Identifier: MIT */
/*
 * crosscheck.h - hw/'s entry point for `iommusim crosscheck`: run scenario
 * files on the model and in a QEMU guest with a real Linux 7.3 kernel, and
 * compare them step by step (docs/crosscheck.md). The command line that
 * fills the options is cli/crosscheck.c.
 */
#ifndef IOMMUSIM_HW_CROSSCHECK_H
#define IOMMUSIM_HW_CROSSCHECK_H

#include <glib.h>
#include <stdbool.h>

struct hw_crosscheck_opts {
	bool no_cache; /* boot even when a cached result exists */
	bool verbose;  /* every guest output and the scripts run */
	bool show;     /* print QEMU arguments and programs, boot nothing */
};

/* @files: scenario paths (char *). Exit status: 0 all agree, 1 a
 * disagreement or a guest failure, 2 bad input. */
int hw_crosscheck(GPtrArray *files, const struct hw_crosscheck_opts *opts);

struct scenario;
/* Every reason (one a line: the line, the verb, what QEMU or the agent
 * lacks) the cross-check could not run @sc in a guest, or NULL when it
 * can: `run` holds a file's guest=yes to it (cli/guest.c). */
char *hw_guest_claim_why_not(const struct scenario *sc);

#endif
