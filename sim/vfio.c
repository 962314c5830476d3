// SPDX-License-Identifier: MIT
/*
 * vfio.c - the handlers of the VFIO rows (optable_vfio.h): the trace's
 * view of VFIO's nodes and the node check. The answers are model/vfio's
 * (nodes.c); nothing here knows a kernel rule.
 */
#include "runner.h"
#include "model/vfio/vfio.h"

int op_vfio_nodes(struct runner *r, const struct statement *st)
{
	(void)st;
	r->step->detail = vfio_nodes_view(r->m);
	return 0;
}

/* exists=0|1: the path (a node, a sysfs entry, or a directory of them) */
void chk_vfio_node_exists(struct runner *r, const struct statement *st,
			  const struct arg *a, struct mismatch *mm)
{
	const char *path = arg_str(st, "path", "");

	expect_num(mm, path, a->val.num, vfio_node_exists(r->m, path));
}

/* content=TEXT: what the sysfs file reads ("(none)" if unreadable) */
void chk_vfio_node_content(struct runner *r, const struct statement *st,
			   const struct arg *a, struct mismatch *mm)
{
	const char *path = arg_str(st, "path", "");
	g_autofree char *got = vfio_sysfs_read(r->m, path);

	expect_str(mm, path, a->val.text, got ? got : "(none)");
}
