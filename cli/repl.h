/* SPDX-License-Identifier: MIT */
/*
 * repl.h - `iommusim repl [FILE]`: the session and its completion.
 *
 * A session is the list of statements typed so far (after FILE's machine,
 * when one is given). Every new statement re-runs the whole session on a
 * fresh model (sim's runner, through view/ for the pictures), so `undo`
 * drops a line, `profile` re-runs under another profile, and `save`
 * writes the lines back with the results seen as their expectations: a
 * file `iommusim run` replays exactly.
 */
#ifndef IOMMUSIM_CLI_REPL_H
#define IOMMUSIM_CLI_REPL_H

#include "view.h"

struct session {
	GPtrArray *lines; /* char *: one statement each */
	char *profile;
	struct scenario *sc; /* the last run's scenario */
	struct view_run *vr; /* the last run: results and scenes */
};

/* repl_complete.c: install tab completion over @s (libedit) */
void repl_complete_init(struct session *s);

/* The devices, handles ($name), IOMMUs the session knows. */
GPtrArray *session_names(const struct session *s, const char *kind);

#endif
