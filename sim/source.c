// SPDX-License-Identifier: MIT
/*
 * source.c - a scenario's text before the parser reads it (source.h):
 * read from its file within a bound, held to UTF-8 without control
 * characters, split into lines and backslash-continued lines joined,
 * each character's origin kept for the parser's line:col.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "source.h"

/* The next physical line (without its '\n', or '\r\n'); false at the end. */
static bool source_next_line(struct source *src, const char **l, size_t *len,
			     int *ln)
{
	const char *nl;

	if (src->p > src->end)
		return false;
	nl = memchr(src->p, '\n', src->end - src->p);
	if (!nl)
		nl = src->end;
	*l = src->p;
	*len = nl - src->p;
	if (*len && nl[-1] == '\r')
		(*len)--;
	*ln = src->line++;
	src->p = nl + 1;
	return true;
}

/* Join backslash-continued lines, remembering each character's origin;
 * NULL at the end of the text. */
char *source_logical_line(struct source *src, GArray *cols, GArray *lns)
{
	GString *s;
	const char *l;
	size_t len;
	int ln, col = 1;

	if (!source_next_line(src, &l, &len, &ln))
		return NULL;
	s = g_string_new(NULL);
	g_array_set_size(cols, 0);
	g_array_set_size(lns, 0);
	for (;;) {
		bool cont = len && l[len - 1] == '\\' && src->p <= src->end;

		len -= cont;
		g_string_append_len(s, l, len);
		for (size_t c = 0; c < len; c++) {
			col = c + 1;
			g_array_append_val(cols, col);
			g_array_append_val(lns, ln);
		}
		col = len + 1;
		if (!cont || !source_next_line(src, &l, &len, &ln))
			break;
	}
	/* the end of line is addressable too */
	g_array_append_val(cols, col);
	g_array_append_val(lns, ln);
	return g_string_free(s, FALSE);
}

char *source_leading_comments(struct source src)
{
	GString *h = g_string_new(NULL);
	const char *l, *end;
	size_t len;
	int ln;

	while (source_next_line(&src, &l, &len, &ln)) {
		end = l + len;
		while (l < end && (*l == ' ' || *l == '\t'))
			l++;
		if (l == end || *l != '#')
			break;
		l++;
		if (l < end && *l == ' ')
			l++;
		g_string_append_len(h, l, end - l);
		g_string_append_c(h, '\n');
	}
	return g_string_free(h, FALSE);
}

/* Byte @off of @text as line:col (both from 1). */
static void source_position(const char *text, size_t off, int *line, int *col)
{
	const char *bol = text;

	*line = 1;
	for (const char *p = text; p < text + off; p++) {
		if (*p == '\n') {
			(*line)++;
			bol = p + 1;
		}
	}
	*col = text + off - bol + 1;
}

/* A scenario is UTF-8 text without control characters other than tab and
 * line ends: binary input is refused at its first odd byte, and nothing
 * later (messages, the JSON trace) meets bytes it cannot print. */
bool source_check_text(const char *path, const char *text, size_t len,
		       GError **err)
{
	const char *end = text + len;
	const char *what = "control character";
	int line, col;

	if (!g_utf8_validate(text, len, &end))
		what = *end ? "byte that is not UTF-8" : "NUL byte";
	for (const char *p = text; p < end; p++) {
		unsigned char c = *p;

		if ((c < 0x20 && c != '\t' && c != '\n' &&
		     !(c == '\r' && p + 1 < text + len && p[1] == '\n')) ||
		    c == 0x7f) {
			end = p;
			what = "control character";
			break;
		}
	}
	if (end == text + len)
		return true;
	source_position(text, end - text, &line, &col);
	g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
		    "%s:%d:%d: expected UTF-8 text, got a %s (0x%02x)", path,
		    line, col, what, (unsigned char)*end);
	return false;
}

/* At most MAX_FILE_BYTES of @path: a larger file (or an endless one, such
 * as /dev/zero) is refused before it is read whole. */
char *source_read_bounded(const char *path, size_t *len, GError **err)
{
	FILE *f = fopen(path, "rb");
	GString *s;
	char buf[65536];
	size_t n;

	if (!f) {
		int e = errno;

		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e),
			    "%s: %s", path, g_strerror(e));
		return NULL;
	}
	s = g_string_new(NULL);
	while (s->len <= MAX_FILE_BYTES && (n = fread(buf, 1, sizeof(buf), f)))
		g_string_append_len(s, buf, n);
	if (ferror(f) || s->len > MAX_FILE_BYTES) {
		g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
			    ferror(f) ? "%s: read error"
				      : "%s: expected a scenario of at most "
					"%u MiB, the file is larger",
			    path, MAX_FILE_BYTES >> 20);
		g_string_free(s, TRUE);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = s->len;
	return g_string_free(s, FALSE);
}
