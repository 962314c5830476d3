/* SPDX-License-Identifier: MIT */
/* corpus.h - many scenario files at once: corpus and diff commands. */
#ifndef IOMMUSIM_SIM_CORPUS_H
#define IOMMUSIM_SIM_CORPUS_H

#include <glib.h>

/* Every *.scn under the given paths (files are taken as they are), in
 * sorted order; g_ptr_array_free(.., TRUE) frees it. */
GPtrArray *corpus_collect(int n, char **paths);
int cmd_corpus(int argc, char **argv);
int cmd_diff(int argc, char **argv);

#endif
