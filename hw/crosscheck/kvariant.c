// SPDX-License-Identifier: MIT
/*
 * kvariant.c - the guest kernel a scenario's VFIO/IOMMUFD Kconfig needs.
 *
 * Each hw/kernel/vfio-*.config pins one combination of the symbols
 * model/vfio/kconfig.c resolves (VFIO, VFIO_GROUP, VFIO_CONTAINER,
 * IOMMUFD_VFIO_CONTAINER, VFIO_DEVICE_CDEV, VFIO_NOIOMMU, IOMMUFD, and so
 * IOMMUFD_NOIOMMU), merged after iommusim.config by hw/kernel/build.sh,
 * which checks the built .config holds every line. A scenario boots the
 * fragment whose lines, resolved by the model as a `kconfig` request,
 * give the same combination as the scenario's own `kconfig` lines: every
 * spelling of one combination shares one kernel (cached by content), and
 * tests/hw/kconfig-vs-kbuild.sh holds the model's resolution of each
 * fragment against the real Kconfig's olddefconfig. The files are the
 * table: a combination no file pins is not guest-runnable, saying so.
 */
#include <stdio.h>
#include <string.h>

#include "hw.h"
#include "vfio/vfio.h"

#ifndef IOMMUSIM_HW_DIR
#define IOMMUSIM_HW_DIR "hw"
#endif

/* @path's VFIO/IOMMUFD lines as a request; false if it has none. */
bool hw_fragment_request(const char *path, struct vfio_kconfig_req *req)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	bool any = false;

	vfio_kconfig_req_init(req);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return false;
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		char name[64];
		int sym, on = -1;

		if (sscanf(*l, "# CONFIG_%63[A-Z0-9_] is not set", name) == 1)
			on = 0;
		else if (sscanf(*l, "CONFIG_%63[A-Z0-9_]=y", name) == 1)
			on = 1;
		sym = on < 0 ? -1 : vfio_ksym_lookup(name);
		if (sym < 0)
			continue;
		req->v[sym] = on;
		any = true;
	}
	return any;
}

/* The variant fragments, sorted by name (full paths). */
GPtrArray *hw_vfio_fragments(void)
{
	g_autofree char *dir =
		g_build_filename(IOMMUSIM_HW_DIR, "kernel", NULL);
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *n;

	while (d && (n = g_dir_read_name(d))) {
		if (g_str_has_prefix(n, "vfio-") &&
		    g_str_has_suffix(n, ".config"))
			g_ptr_array_add(a, g_build_filename(dir, n, NULL));
	}
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(a, (GCompareFunc)g_strcmp0);
	return a;
}

static bool same(const struct vfio_kconfig *a, const struct vfio_kconfig *b)
{
	return !memcmp(a->y, b->y, sizeof(a->y));
}

/* "VFIO_GROUP=n VFIO_CONTAINER=n ...": where @k differs from the guest's */
static char *delta(const struct vfio_kconfig *k, const struct vfio_kconfig *b)
{
	GString *s = g_string_new("");

	for (int i = 0; i < KS_NR; i++) {
		if (k->y[i] != b->y[i])
			g_string_append_printf(s, "%s%s=%s", s->len ? " " : "",
					       vfio_ksym_name(i),
					       k->y[i] ? "y" : "n");
	}
	return g_string_free(s, FALSE);
}

/*
 * The fragment (basename) for @k; NULL for the guest's own combination
 * (no fragment), or NULL with *why when no guest kernel has it.
 */
char *hw_vfio_variant(const struct vfio_kconfig *k, char **why)
{
	struct vfio_kconfig_req req;
	struct vfio_kconfig base, r;
	g_autoptr(GPtrArray) frags = NULL;
	g_autofree char *no = NULL, *d = NULL;

	*why = NULL;
	vfio_kconfig_req_init(&req);
	if (vfio_kconfig_resolve(&req, &base, &no) || same(k, &base))
		return NULL;
	if (k->y[KS_GENERIC_ATOMIC64]) {
		*why = g_strdup("GENERIC_ATOMIC64=y: only 32-bit architectures "
				"select it, and the guest is x86_64");
		return NULL;
	}
	frags = hw_vfio_fragments();
	for (guint i = 0; i < frags->len; i++) {
		g_autofree char *bad = NULL;

		if (hw_fragment_request(frags->pdata[i], &req) &&
		    !vfio_kconfig_resolve(&req, &r, &bad) && same(k, &r))
			return g_path_get_basename(frags->pdata[i]);
	}
	d = delta(k, &base);
	*why = g_strdup_printf(
		"no guest kernel pins %s (hw/kernel/vfio-*.config,"
		" docs/crosscheck.md)",
		d);
	return NULL;
}
