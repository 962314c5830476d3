// SPDX-License-Identifier: MIT
/*
 * corpus.c - a corpus: the scenario files under some paths, in one sorted
 * order (the CLI's corpus, diff and fail-nth, hw's crosscheck and the
 * bench all walk the same list).
 */
#include <string.h>

#include "corpus.h"

static void collect(const char *path, GPtrArray *out)
{
	GDir *dir;
	const char *name;

	if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_ptr_array_add(out, g_strdup(path));
		return;
	}
	dir = g_dir_open(path, 0, NULL);
	if (!dir)
		return;
	while ((name = g_dir_read_name(dir))) {
		g_autofree char *p = g_build_filename(path, name, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR))
			collect(p, out);
		else if (g_str_has_suffix(name, ".scn"))
			g_ptr_array_add(out, g_strdup(p));
	}
	g_dir_close(dir);
}

static gint by_path(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *corpus_collect(int n, char **paths)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	for (int i = 0; i < n; i++)
		collect(paths[i], out);
	g_ptr_array_sort(out, by_path);
	return out;
}
