// SPDX-License-Identifier: MIT
/*
 * kconfig_resolve.c - the model's resolution of a Kconfig fragment:
 *
 *   kconfig_resolve FRAGMENT
 *
 * prints CONFIG_SYM=y|n for every VFIO/IOMMUFD symbol model/vfio/kconfig.c
 * knows, as the fragment's lines (read by hw/crosscheck/kvariant.c, as a
 * scenario's `kconfig`) resolve on the guest's base. tests/hw/
 * kconfig-vs-kbuild.sh compares it with the real Kconfig's olddefconfig.
 * Exit 2 when the model calls the fragment impossible.
 */
#include <stdio.h>

#include "hw/crosscheck/hw.h"
#include "vfio/vfio.h"

int main(int argc, char **argv)
{
	struct vfio_kconfig_req req;
	struct vfio_kconfig k;
	g_autofree char *why = NULL;

	if (argc != 2 || !hw_fragment_request(argv[1], &req)) {
		fprintf(stderr,
			"usage: %s FRAGMENT (with VFIO/IOMMUFD lines)\n",
			argv[0]);
		return 2;
	}
	if (vfio_kconfig_resolve(&req, &k, &why)) {
		fprintf(stderr, "%s: %s\n", argv[1], why);
		return 2;
	}
	for (int i = 0; i < KS_NR; i++)
		printf("CONFIG_%s=%s\n", vfio_ksym_name(i), k.y[i] ? "y" : "n");
	return 0;
}
