/* SPDX-License-Identifier: MIT */
/* corpus.h - the scenario files under some paths, in sorted order. */
#ifndef IOMMUSIM_SIM_CORPUS_H
#define IOMMUSIM_SIM_CORPUS_H

#include <glib.h>

/* Every *.scn under the given paths (files are taken as they are), in
 * sorted order; g_ptr_array_free(.., TRUE) frees it. */
GPtrArray *corpus_collect(int n, char **paths);

#endif
