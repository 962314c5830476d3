/* SPDX-License-Identifier: MIT */
/*
 * optable_vfio.h - the VFIO rows of the operation table (included by
 * optable.c, spliced into op_table as VFIO_ROWS): the nodes and sysfs
 * entries model/vfio gives (docs/vfio.md). Handlers in vfio.c.
 */
#ifndef IOMMUSIM_SIM_OPTABLE_VFIO_H
#define IOMMUSIM_SIM_OPTABLE_VFIO_H

int op_vfio_nodes(struct runner *r, const struct statement *st);
CHECK_FIELD(chk_vfio_node_exists);
CHECK_FIELD(chk_vfio_node_content);

static const struct arg_spec a_check_vfio_node[] = {
	{ .key = "path", .type = T_STR, .required = true },
	{ .key = "exists", .type = T_BOOL, .check = chk_vfio_node_exists },
	{ .key = "content", .type = T_STR, .check = chk_vfio_node_content },
	ONLY,
	END,
};

#define VFIO_ROWS                                                              \
	OP_ROW("vfio_nodes", a_none, op_vfio_nodes,                            \
	       .guest = { .kind = GUEST_DISPLAY,                               \
			  .why = "an ls of the model's /dev/vfio and VFIO "    \
				 "sysfs for the trace" }),                     \
	{                                                                      \
		.name = "check_vfio_node", .cls = STEP_CHECK,                  \
		.args = a_check_vfio_node, .exec = check_exec, .guest = {      \
			.kind = GUEST_PENDING,                                 \
			.verb = "check_vfio_node",                             \
			.why = "the agent checks VFIO nodes once "             \
			       "the guest boots VFIO's Kconfig "               \
			       "variants (issue 9 item 5)"                     \
		}                                                              \
	}

#endif
