// SPDX-License-Identifier: MIT
/*
 * crosscheck.c - `iommusim crosscheck [OPTION...] FILE|DIR...`: the
 * options and the files; hw/ (hw_crosscheck()) does the rest.
 */
#include <stdio.h>

#include "cli.h"
#include "corpus.h"
#include "hw/crosscheck.h"

int cmd_crosscheck(int argc, char **argv)
{
	gboolean no_cache = FALSE, verbose = FALSE, show = FALSE;
	GOptionEntry entries[] = {
		{ "no-cache", 0, 0, G_OPTION_ARG_NONE, &no_cache,
		  "boot even when a cached result exists", NULL },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
		  "show every guest output and the scripts run", NULL },
		{ "show", 0, 0, G_OPTION_ARG_NONE, &show,
		  "print each file's QEMU arguments, kernel parameters and "
		  "guest program; boot nothing",
		  NULL },
		{ 0 },
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("FILE|DIR... - compare the model with "
				     "Linux 7.3 in a QEMU guest");
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(GError) err = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err) || argc < 2) {
		fprintf(stderr, "%s\n%s", err ? err->message : "",
			g_option_context_get_help(ctx, TRUE, NULL));
		return 2;
	}
	files = corpus_collect(argc - 1, argv + 1);
	return hw_crosscheck(files,
			     &(struct hw_crosscheck_opts){ .no_cache = no_cache,
							   .verbose = verbose,
							   .show = show });
}
