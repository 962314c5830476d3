// SPDX-License-Identifier: MIT
/*
 * test_machines.c - every corpus file's QEMU machine stays what it was.
 *
 *   test_hw_machines RECORD FILE|DIR...
 *
 * RECORD (tests/hw/machines.txt) holds, per scenario file and the hash of
 * its text, the machine hw/crosscheck/machine.c made of it: the QEMU
 * arguments, kernel parameters, Kconfig variant, memory, the devices the
 * guest program names, or why it is not guest-runnable, for the QEMU the
 * harness fetches (hw_qemu_10). A file whose
 * text is unchanged must give the same machine; a new or edited file is
 * reported and skipped (its machine is not recorded yet). With
 * IOMMUSIM_UPDATE_MACHINES=1 the record is rewritten from the corpus:
 * review the diff (a machine that changes changes what the guest runs).
 */
#include <stdio.h>
#include <string.h>

#include "hw/crosscheck/hw.h"
#include "sim/corpus.h"

static void describe_devs(GString *s, const struct hw_machine *m)
{
	for (guint i = 0; i < m->devs->len; i++) {
		const struct hw_dev *d = m->devs->pdata[i];

		g_string_append_printf(s, "device %s %s %s %s%s\n", d->name,
				       d->path, d->qemu_model,
				       d->boot_driver ? d->boot_driver : "none",
				       d->replug    ? " replug"
				       : d->hotplug ? " hotplug"
						    : "");
	}
}

/* The machine as the record spells it; NULL on bad input. */
static char *describe(const char *path)
{
	g_autoptr(GError) err = NULL;
	struct scenario *sc = scenario_load(path, &err);
	struct hw_machine *m =
		sc ? hw_machine_new(sc, &hw_qemu_10, NULL, &err) : NULL;
	g_autoptr(GPtrArray) argv = NULL;
	GString *s;

	if (!m) {
		fprintf(stderr, "%s\n", err->message);
		scenario_free(sc);
		return NULL;
	}
	s = g_string_new("");
	if (m->why_not) {
		g_string_append_printf(s, "not guest-runnable: %s\n",
				       m->why_not);
	} else {
		argv = hw_machine_argv(m);
		g_string_append(s, "qemu:");
		for (guint i = 0; i < argv->len; i++)
			g_string_append_printf(s, " %s",
					       (char *)argv->pdata[i]);
		g_string_append_printf(
			s, "\nkernel parameters:%s\nkernel variant: %s\n",
			m->cmdline->str, m->kconfig ? m->kconfig : "none");
		if (m->mem)
			g_string_append_printf(s, "memory: %s\n", m->mem);
		describe_devs(s, m);
	}
	hw_machine_free(m);
	scenario_free(sc);
	return g_string_free(s, FALSE);
}

/* "== PATH HASH": the file's text, so an edit is not a regression. */
static char *header(const char *path)
{
	g_autofree char *text = NULL;
	gsize len = 0;
	g_autofree char *sum = NULL;

	g_file_get_contents(path, &text, &len, NULL);
	sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
					  (const guchar *)text, len);
	sum[16] = '\0';
	return g_strdup_printf("== %s %s\n", path, sum);
}

/* The record as header -> description. */
static GHashTable *read_record(const char *path)
{
	GHashTable *rec =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree char *text = NULL;
	g_auto(GStrv) entries = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return rec;
	entries = g_strsplit(text, "\n== ", -1);
	for (char **e = entries; *e; e++) {
		const char *body = strchr(*e, '\n');
		const char *start = strncmp(*e, "== ", 3) ? *e : *e + 3;

		if (!body)
			continue;
		g_hash_table_insert(rec,
				    g_strdup_printf("== %.*s\n",
						    (int)(body - start), start),
				    g_strchomp(g_strdup(body + 1)));
	}
	return rec;
}

int main(int argc, char **argv)
{
	bool update = !g_strcmp0(g_getenv("IOMMUSIM_UPDATE_MACHINES"), "1");
	g_autoptr(GHashTable) rec = NULL;
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(GString) out = g_string_new("");
	int same = 0, changed = 0, unrecorded = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s RECORD FILE|DIR...\n", argv[0]);
		return 2;
	}
	rec = read_record(argv[1]);
	files = corpus_collect(argc - 2, argv + 2);
	for (guint i = 0; i < files->len; i++) {
		g_autofree char *h = header(files->pdata[i]);
		g_autofree char *d = describe(files->pdata[i]);
		const char *was = g_hash_table_lookup(rec, h);

		if (!d)
			return 2;
		g_strchomp(d);
		g_string_append_printf(out, "%s%s\n\n", h, d);
		if (!was) {
			unrecorded++;
			printf("not recorded (new or edited): %s", h + 3);
		} else if (strcmp(was, d)) {
			changed++;
			printf("%s  recorded:\n%s\n  now:\n%s\n", h, was, d);
		} else {
			same++;
		}
	}
	printf("%d machines as recorded, %d changed, %d not recorded\n", same,
	       changed, unrecorded);
	if (update)
		return g_file_set_contents(argv[1], out->str, -1, NULL) ? 0 : 1;
	return changed ? 1 : 0;
}
