// SPDX-License-Identifier: MIT
/*
 * gen_dict.c - writes the libFuzzer dictionary of the scenario language
 * from the operation table itself (sim/optable.c), so it cannot drift from it:
 * every verb, every "key=", every enum choice, and the language's other
 * tokens (docs/scenario-language.md).
 */
#include <stdio.h>
#include <string.h>

#include "op.h"
#include "errnames.h"

static GHashTable *seen;

/* One dictionary line, "token" with quotes, backslashes and control
 * characters escaped;
 * each token once. */
static void entry(FILE *f, const char *s)
{
	if (!g_hash_table_add(seen, g_strdup(s)))
		return;
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s < 0x20)
			fprintf(f, "\\x%02x", *s);
		else
			fputc(*s, f);
	}
	fputs("\"\n", f);
}

static void choices(FILE *f, const char *list)
{
	g_auto(GStrv) v = g_strsplit(list, "|", -1);

	for (int i = 0; v[i]; i++)
		entry(f, v[i]);
}

int main(int argc, char **argv)
{
	static const char *const tokens[] = {
		"=>",
		" => ",
		"+WARN",
		"WARN",
		"absent",
		"ok",
		"$d",
		"\\\n",
		"# ",
		"\"",
		"0x",
		"4K",
		"2M",
		"1G",
		"0xffffffffffffffff",
		"linux-7.3:",
		"rfc-2022-v1:",
		"EPERM",
		"EBUSY",
		"EINVAL",
		"ENODEV",
		"ENOMEM",
		"EOPNOTSUPP",
		"FAULT_NOT_PRESENT",
		"FAULT_PERMISSION",
		"default",
		"blocking",
		"none",
		"\n",
	};
	FILE *f = argc > 1 ? fopen(argv[1], "w") : stdout;

	if (!f)
		return 1;
	seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (const struct op *v = op_table; v->name; v++) {
		entry(f, v->name);
		for (const struct arg_spec *a = v->args; a->key; a++) {
			g_autofree char *key = g_strdup_printf(" %s=", a->key);

			entry(f, key);
			if (a->choices)
				choices(f, a->choices);
		}
	}
	for (size_t i = 0; i < G_N_ELEMENTS(tokens); i++)
		entry(f, tokens[i]);
	g_hash_table_destroy(seen);
	return fclose(f) ? 1 : 0;
}
