/* SPDX-License-Identifier: MIT */
/*
 * optable_vfio_irqs.h - the eventfd rows of the operation table
 * (included by optable.c after optable_vfio.h, spliced into op_table as
 * VFIO_IRQ_ROWS): an eventfd of the process, its read and write,
 * VFIO_DEVICE_GET_IRQ_INFO, VFIO_DEVICE_SET_IRQS and
 * VFIO_DEVICE_IOEVENTFD with the uapi's field names. Handlers in vfio_irqs.c; the agent runs each under the
 * row's name (hw/agent/vfio_irqs.c).
 */
#ifndef IOMMUSIM_SIM_OPTABLE_VFIO_IRQS_H
#define IOMMUSIM_SIM_OPTABLE_VFIO_IRQS_H

int op_eventfd(struct runner *r, const struct statement *st);
int op_eventfd_read(struct runner *r, const struct statement *st);
int op_eventfd_write(struct runner *r, const struct statement *st);
int op_vfio_device_get_irq_info(struct runner *r, const struct statement *st);
int op_vfio_device_set_irqs(struct runner *r, const struct statement *st);
int op_vfio_device_ioeventfd(struct runner *r, const struct statement *st);

#define S_IRQINFO struct vfio_irq_info
#define S_IRQSET struct vfio_irq_set_arg
#define S_IOEVENTFD struct vfio_device_ioeventfd
#define VFIO_IRQ_INDICES                                                       \
	"VFIO_PCI_INTX_IRQ_INDEX|VFIO_PCI_MSI_IRQ_INDEX|"                      \
	"VFIO_PCI_MSIX_IRQ_INDEX|VFIO_PCI_ERR_IRQ_INDEX|"                      \
	"VFIO_PCI_REQ_IRQ_INDEX"

static const struct arg_spec a_eventfd[] = {
	OUT_ID("out_fd", ht_memfd),
	ONLY,
	END,
};
static const struct arg_spec a_eventfd_read[] = {
	{ .key = "fd", .type = T_HANDLE, .required = true, .htype = &ht_memfd },
	NUM("count"),
	OUT_NUM("out_value"),
	ONLY,
	END,
};
static const struct arg_spec a_eventfd_write[] = {
	{ .key = "fd", .type = T_HANDLE, .required = true, .htype = &ht_memfd },
	NUM("value"),
	NUM("count"),
	ONLY,
	END,
};
static const struct arg_spec a_vfio_irq_info[] = {
	VFD,
	F_NUM(S_IRQINFO, argsz),
	F_CODE(S_IRQINFO, index, VFIO_IRQ_INDICES),
	F_BACK(S_IRQINFO, flags),
	F_BACK(S_IRQINFO, count),
	ONLY,
	END,
};
/* data0..: data[]'s entries, an eventfd each ("none": -1) or a bool;
 * explore tries -1 and every fd in data0 */
#define IRQ_DATA(i)                                                            \
	{                                                                      \
		.key = "data" #i, .type = T_HANDLE, .htype = &ht_memfd,        \
		.choices = "none", .values = "none"                            \
	}
/* explore: each data type with each action (vfio_pci_set_irqs_ioctl()
 * takes exactly one of each), none, and two data types at once (both
 * -EINVAL in vfio_set_irqs_validate_and_prepare()) */
#define IRQ_SET_FLAG_SETS                                                      \
	"0|DATA_NONE,ACTION_MASK|DATA_NONE,ACTION_UNMASK|"                     \
	"DATA_NONE,ACTION_TRIGGER|DATA_BOOL,ACTION_MASK|"                      \
	"DATA_BOOL,ACTION_UNMASK|DATA_BOOL,ACTION_TRIGGER|"                    \
	"DATA_EVENTFD,ACTION_MASK|DATA_EVENTFD,ACTION_UNMASK|"                 \
	"DATA_EVENTFD,ACTION_TRIGGER|DATA_NONE,DATA_EVENTFD,ACTION_TRIGGER"
static const struct arg_spec a_vfio_set_irqs[] = {
	VFD,
	F_NUM(S_IRQSET, argsz),
	{ .key = "flags",
	  .type = T_FLAGS,
	  .choices = "DATA_NONE|DATA_BOOL|DATA_EVENTFD|ACTION_MASK|"
		     "ACTION_UNMASK|ACTION_TRIGGER",
	  .values = IRQ_SET_FLAG_SETS,
	  W(S_IRQSET, flags) },
	F_CODE(S_IRQSET, index, VFIO_IRQ_INDICES),
	F_NUM_V(S_IRQSET, start, "0|1"),
	F_NUM_V(S_IRQSET, count, "0|1"),
	IRQ_DATA(0),
	IRQ_DATA(1),
	IRQ_DATA(2),
	IRQ_DATA(3),
	IRQ_DATA(4),
	ONLY,
	END,
};

/* the struct's fd is eventfd= (fd= is the device's): an eventfd, a
 * number, or "none" for -1 */
static const struct arg_spec a_vfio_ioeventfd[] = {
	VFD,
	F_NUM(S_IOEVENTFD, argsz),
	F_FLAGS(S_IOEVENTFD,
		"VFIO_DEVICE_IOEVENTFD_8|VFIO_DEVICE_IOEVENTFD_16|"
		"VFIO_DEVICE_IOEVENTFD_32|VFIO_DEVICE_IOEVENTFD_64"),
	/* the search's: BAR2's first and last dword, BAR0's last quadword,
	 * the MSI-X table and past it, the ROM */
	F_NUM_V(S_IOEVENTFD, offset,
		"0x20000000000|0x2000000001c|0x1fff8|0x30000000000|"
		"0x30000000050|0x60000000000"),
	F_NUM_V(S_IOEVENTFD, data, "0|1"),
	{ .key = "eventfd",
	  .type = T_HANDLE,
	  .required = true,
	  .htype = &ht_memfd,
	  .choices = "none" },
	ONLY,
	END,
};

#define VFIO_PCI_INTRS_C "drivers/vfio/pci/vfio_pci_intrs.c:"
#define VFIO_IRQ_ROWS                                                          \
	VFIO_ROW("eventfd", a_eventfd, op_eventfd,                             \
		 .kfunc = "fs/eventfd.c:do_eventfd", .in_child = true),        \
		VFIO_ROW("eventfd_read", a_eventfd_read, op_eventfd_read,      \
			 .kfunc = "fs/eventfd.c:eventfd_read",                 \
			 .in_child = true),                                    \
		VFIO_ROW("eventfd_write", a_eventfd_write, op_eventfd_write,   \
			 .kfunc = "fs/eventfd.c:eventfd_write",                \
			 .in_child = true),                                    \
		VFIO_UROW("VFIO_DEVICE_GET_IRQ_INFO", a_vfio_irq_info,         \
			  op_vfio_device_get_irq_info, S_IRQINFO,              \
			  "drivers/vfio/pci/"                                  \
			  "vfio_pci_core.c:vfio_pci_ioctl_get_irq_info"),      \
		VFIO_UROW("VFIO_DEVICE_SET_IRQS", a_vfio_set_irqs,             \
			  op_vfio_device_set_irqs, S_IRQSET,                   \
			  VFIO_PCI_INTRS_C "vfio_pci_set_irqs_ioctl"),         \
		VFIO_UROW("VFIO_DEVICE_IOEVENTFD", a_vfio_ioeventfd,           \
			  op_vfio_device_ioeventfd, S_IOEVENTFD,               \
			  "drivers/vfio/pci/"                                  \
			  "vfio_pci_core.c:vfio_pci_ioctl_ioeventfd")

#endif
