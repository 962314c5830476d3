// SPDX-License-Identifier: MIT
/*
 * graphviz.c - dot text to SVG or PNG with Graphviz's `dot` program.
 *
 * Why the program and not libgvc: the drawing is a pure function of the
 * scene (dot.c, testable without Graphviz), `show --format dot|text` and
 * the installed libiommusim need no Graphviz at all, and the one place
 * that does is this process boundary, where a missing `dot` is one clear
 * message instead of a link-time dependency of every binary.
 */
#include <errno.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "view.h"

static bool write_temp(const char *text, char **path, GError **err)
{
	int fd = g_file_open_tmp("iommusim-XXXXXX.dot", path, err);

	if (fd < 0)
		return false;
	close(fd);
	return g_file_set_contents(*path, text, -1, err);
}

static char **dot_argv(const char *format, const char *in_path,
		       const char *out_path)
{
	GPtrArray *a = g_ptr_array_new();

	g_ptr_array_add(a, g_strdup("dot"));
	g_ptr_array_add(a, g_strdup_printf("-T%s", format));
	if (out_path) {
		g_ptr_array_add(a, g_strdup("-o"));
		g_ptr_array_add(a, g_strdup(out_path));
	}
	g_ptr_array_add(a, g_strdup(in_path));
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

static bool run_dot(char **argv, char **out, GError **err)
{
	g_autofree char *errout = NULL;
	int status = 0;

	fflush(stdout);
	if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
			  out, &errout, &status, err)) {
		g_prefix_error(err, "Graphviz's dot is needed for pictures "
				    "(Debian package graphviz): ");
		return false;
	}
	if (!g_spawn_check_wait_status(status, NULL)) {
		g_set_error(err, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
			    "dot failed: %s", errout ? errout : "");
		return false;
	}
	return true;
}

bool graphviz_render(const char *dot, const char *format, const char *out_path,
		     char **out, GError **err)
{
	g_autofree char *in_path = NULL;
	g_auto(GStrv) argv = NULL;
	bool ok;

	if (!write_temp(dot, &in_path, err))
		return false;
	argv = dot_argv(format, in_path, out_path);
	ok = run_dot(argv, out_path ? NULL : out, err);
	g_unlink(in_path);
	return ok;
}
