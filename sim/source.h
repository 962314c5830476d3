/* SPDX-License-Identifier: MIT */
/*
 * source.h - a scenario's text, line by line (source.c), for the parser
 * (parse.c) only.
 */
#ifndef IOMMUSIM_SIM_SOURCE_H
#define IOMMUSIM_SIM_SOURCE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#define MAX_FILE_BYTES (16u << 20) /* a 10^5-device scenario is ~5 MiB */

/* The text, line by line, without copying it. */
struct source {
	const char *p, *end; /* the next line starts at p */
	int line;	     /* its number, from 1 */
};

/* Join backslash-continued lines, each character's source column and
 * line in @cols and @lns; NULL at the end of the text. */
char *source_logical_line(struct source *src, GArray *cols, GArray *lns);
/* The comment lines the text starts with, without their '#'. */
char *source_leading_comments(struct source src);
/* UTF-8 without control characters but tab and line ends, else an error
 * at the first odd byte's line:col. */
bool source_check_text(const char *path, const char *text, size_t len,
		       GError **err);
/* At most MAX_FILE_BYTES of @path, its length in *len. */
char *source_read_bounded(const char *path, size_t *len, GError **err);

#endif
